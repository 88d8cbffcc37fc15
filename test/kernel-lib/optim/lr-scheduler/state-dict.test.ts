import { describe, expect, it } from "vitest";
import { optim, tensor } from "kernel-lib";
import { lrScheduler, sgd } from "../../../helpers/lr-scheduler";

type Stateful = { step(): void; stateDict(): optim.lrScheduler.SchedulerStateDict; loadStateDict(d: optim.lrScheduler.SchedulerStateDict): void };

const makers: [string, (opt: optim.SGD) => Stateful][] = [
  ["StepLR", (o) => new lrScheduler.StepLR(o, { stepSize: 7, gamma: 0.5 })],
  ["MultiplicativeLR", (o) => new lrScheduler.MultiplicativeLR(o, { lrLambda: (e) => (e % 2 === 0 ? 0.9 : 1.05) })],
  ["CosineAnnealingLR", (o) => new lrScheduler.CosineAnnealingLR(o, { tMax: 60, etaMin: 0.001 })],
  ["OneCycleLR", (o) => new lrScheduler.OneCycleLR(o, { maxLr: 0.5, totalSteps: 60 })],
  ["SequentialLR", (o) => new lrScheduler.SequentialLR(o, {
    schedulers: [new lrScheduler.LinearLR(o, { startFactor: 0.1, totalIters: 10 }), new lrScheduler.CosineAnnealingLR(o, { tMax: 50 })],
    milestones: [10],
  })],
];

describe("scheduler state dicts: a restored scheduler continues the same sequence", () => {
  it.each(makers)("%s", (_name, make) => {
    const opt = sgd(0.1);
    const scheduler = make(opt);
    for (let e = 0; e < 25; e++) scheduler.step();
    const savedScheduler = JSON.parse(JSON.stringify(scheduler.stateDict())) as optim.lrScheduler.SchedulerStateDict;
    const savedOptimizer = opt.stateDict();
    const continued: number[][] = [];
    for (let e = 0; e < 30; e++) {
      scheduler.step();
      continued.push(opt.paramGroups.map((g) => [g.lr, g.momentum]).flat());
    }

    const opt2 = sgd(0.1);
    const scheduler2 = make(opt2);
    opt2.loadStateDict(savedOptimizer);
    scheduler2.loadStateDict(savedScheduler);
    const resumed: number[][] = [];
    for (let e = 0; e < 30; e++) {
      scheduler2.step();
      resumed.push(opt2.paramGroups.map((g) => [g.lr, g.momentum]).flat());
    }
    expect(resumed).toEqual(continued);
  });

  it("ReduceLROnPlateau", () => {
    const metrics = [5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2];
    const opt = sgd(1);
    const scheduler = new lrScheduler.ReduceLROnPlateau(opt, { patience: 2, cooldown: 1 });
    metrics.slice(0, 8).forEach((m) => scheduler.step(m));
    const saved = scheduler.stateDict();
    const savedOptimizer = opt.stateDict();
    const continued = metrics.slice(8).map((m) => (scheduler.step(m), opt.paramGroups[0].lr));

    const opt2 = sgd(1);
    const scheduler2 = new lrScheduler.ReduceLROnPlateau(opt2, { patience: 2, cooldown: 1 });
    opt2.loadStateDict(savedOptimizer);
    scheduler2.loadStateDict(saved);
    expect(scheduler2.getLastLr()).toEqual(saved.lastLr);
    expect(metrics.slice(8).map((m) => (scheduler2.step(m), opt2.paramGroups[0].lr))).toEqual(continued);
    expect(Math.min(...continued)).toBeLessThan(saved.lastLr[0]); // a reduction happens after the checkpoint
  });
});

describe("bad scheduler arguments are refused", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["StepLR gamma < 0", () => new lrScheduler.StepLR(sgd(), { stepSize: 10, gamma: -1 }), /\[StepLR\] Invalid gamma: -1/],
    ["StepLR stepSize 0", () => new lrScheduler.StepLR(sgd(), { stepSize: 0 }), /Invalid stepSize: 0/],
    ["ExponentialLR gamma 0", () => new lrScheduler.ExponentialLR(sgd(), { gamma: 0 }), /Invalid gamma: 0/],
    ["MultiStepLR negative milestone", () => new lrScheduler.MultiStepLR(sgd(), { milestones: [-1] }), /milestones must be a list of integer epochs/],
    ["CosineAnnealingLR tMax 0", () => new lrScheduler.CosineAnnealingLR(sgd(), { tMax: 0 }), /Invalid tMax: 0/],
    ["LinearLR startFactor 0", () => new lrScheduler.LinearLR(sgd(), { startFactor: 0 }), /Invalid startFactor: 0 \(must be in \(0, 1\]\)/],
    ["LinearLR endFactor > 1", () => new lrScheduler.LinearLR(sgd(), { endFactor: 2 }), /Invalid endFactor: 2 \(must be in \[0, 1\]\)/],
    ["LambdaLR wrong number of lambdas", () => new lrScheduler.LambdaLR(sgd([0.1, 0.2]), { lrLambda: [() => 1] }), /Expected 2 lrLambdas/],
    ["ReduceLROnPlateau factor ≥ 1", () => new lrScheduler.ReduceLROnPlateau(sgd(), { factor: 1.5 }), /Invalid factor: 1\.5 \(must be in \(0, 1\)/],
    ["ReduceLROnPlateau factor ≤ 0", () => new lrScheduler.ReduceLROnPlateau(sgd(), { factor: 0 }), /Invalid factor: 0 \(must be in \(0, 1\)/],
    ["ReduceLROnPlateau patience < 0", () => new lrScheduler.ReduceLROnPlateau(sgd(), { patience: -1 }), /Invalid patience: -1 \(must be an integer ≥ 0\)/],
    ["ReduceLROnPlateau unknown mode", () => new lrScheduler.ReduceLROnPlateau(sgd(), { mode: "up" as "min" }), /mode "up" is unknown/],
    ["ReduceLROnPlateau minLr per group mismatch", () => new lrScheduler.ReduceLROnPlateau(sgd(), { minLr: [0, 0] }), /expected 1 values of minLr/],
    ["OneCycleLR without a length", () => new lrScheduler.OneCycleLR(sgd(), { maxLr: 1 }), /either totalSteps OR \(epochs AND stepsPerEpoch\)/],
    ["OneCycleLR pctStart > 1", () => new lrScheduler.OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, pctStart: 2 }), /\[OneCycleLR\] Invalid pctStart: 2 \(must be in \[0, 1\]\)/],
    ["OneCycleLR maxLr ≤ 0", () => new lrScheduler.OneCycleLR(sgd(), { maxLr: 0, totalSteps: 10 }), /Invalid maxLr: 0/],
    ["OneCycleLR cycling momentum of Adagrad", () => new lrScheduler.OneCycleLR(new optim.Adagrad([tensor([1], { requiresGrad: true })]), { maxLr: 1, totalSteps: 10 }), /neither momentum nor betas; pass cycleMomentum: false/],
    ["SequentialLR milestone count", () => {
      const o = sgd();
      return new lrScheduler.SequentialLR(o, { schedulers: [new lrScheduler.StepLR(o, { stepSize: 1 })], milestones: [3] });
    }, /one milestone fewer than schedulers/],
    ["SequentialLR on another optimizer", () => {
      const o = sgd();
      const s = [new lrScheduler.StepLR(sgd(), { stepSize: 1 }), new lrScheduler.StepLR(o, { stepSize: 1 })];
      return new lrScheduler.SequentialLR(o, { schedulers: s, milestones: [3] });
    }, /scheduler 0 \(StepLR\) is bound to a different optimizer/],
  ];
  it.each(cases)("%s", (_name, construct, message) => {
    expect(construct).toThrow(message);
  });

  it("a refused OneCycleLR leaves the optimizer untouched", () => {
    const opt = sgd(0.1);
    expect(() => new lrScheduler.OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pctStart: 2 })).toThrow();
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups[0].initialLr).toBeUndefined();
  });
});
