import { describe, expect, it } from "vitest";
import { optim, tensor } from "kernel-lib";
import { lrScheduler, lrSequence, maxRelativeError, sgd } from "../../../helpers/lr-scheduler";

const range = (n: number): number[] => Array.from({ length: n }, (_, e) => e);

describe("each scheduler's lr sequence equals its closed form for 100 epochs", () => {
  it("StepLR(stepSize 30, gamma 0.1): 0.1·0.1^⌊e/30⌋", () => {
    const opt = sgd(0.1);
    const seq = lrSequence(opt, new lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 }), 100);
    expect(maxRelativeError(seq, range(100).map((e) => 0.1 * 0.1 ** Math.floor(e / 30)))).toBeLessThan(1e-14);
    expect([seq[29], seq[30], seq[59], seq[60], seq[99]]).toEqual([0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 ** 2, 0.1 * 0.1 ** 3]);
  });

  it("MultiStepLR(milestones [30, 80]): ×0.1 at 30 and at 80", () => {
    const opt = sgd(0.1);
    const seq = lrSequence(opt, new lrScheduler.MultiStepLR(opt, { milestones: [80, 30] }), 100);
    expect(seq).toEqual(range(100).map((e) => (e < 30 ? 0.1 : e < 80 ? 0.1 * 0.1 : 0.1 * 0.1 ** 2)));
  });

  it("ExponentialLR(gamma 0.95): 0.1·0.95^e", () => {
    const opt = sgd(0.1);
    const seq = lrSequence(opt, new lrScheduler.ExponentialLR(opt, { gamma: 0.95 }), 100);
    expect(maxRelativeError(seq, range(100).map((e) => 0.1 * 0.95 ** e))).toBeLessThan(1e-14);
  });

  it("LambdaLR: baseLr·lrLambda(e), one function per group", () => {
    const opt = sgd([0.1, 1]);
    const scheduler = new lrScheduler.LambdaLR(opt, { lrLambda: [(e) => 1 / (1 + 0.1 * e), (e) => 0.9 ** e] });
    const lrs = [opt.paramGroups.map((g) => g.lr)];
    for (let e = 1; e < 100; e++) {
      scheduler.step();
      lrs.push(scheduler.getLastLr());
    }
    expect(lrs.map((l) => l[0])).toEqual(range(100).map((e) => 0.1 * (1 / (1 + 0.1 * e))));
    expect(lrs.map((l) => l[1])).toEqual(range(100).map((e) => 1 * 0.9 ** e));
  });

  it("MultiplicativeLR(lrLambda 0.95): lr·0.95 each epoch after the first", () => {
    const opt = sgd(0.1);
    const seq = lrSequence(opt, new lrScheduler.MultiplicativeLR(opt, { lrLambda: () => 0.95 }), 100);
    expect(maxRelativeError(seq, range(100).map((e) => 0.1 * 0.95 ** e))).toBeLessThan(1e-13);
  });

  it("CosineAnnealingLR(tMax 100, etaMin 0.001): etaMin + ½(0.1 − etaMin)(1 + cos(πe/100))", () => {
    const opt = sgd(0.1);
    const seq = lrSequence(opt, new lrScheduler.CosineAnnealingLR(opt, { tMax: 100, etaMin: 0.001 }), 101);
    const expected = range(101).map((e) => 0.001 + 0.5 * (0.1 - 0.001) * (1 + Math.cos((Math.PI * e) / 100)));
    expect(maxRelativeError(seq, expected)).toBeLessThan(1e-14);
    expect(seq[50]).toBeCloseTo(0.0505, 15);
    expect(seq[100]).toBeCloseTo(0.001, 15);
  });

  it("CosineAnnealingLR matches PyTorch's recursive (chainable) form stepped one epoch at a time", () => {
    const opt = sgd(0.1);
    const seq = lrSequence(opt, new lrScheduler.CosineAnnealingLR(opt, { tMax: 40, etaMin: 0.01 }), 100);
    // PyTorch's get_lr(): the update from the previous lr, including its rule for the epochs after each half-period.
    const [base, etaMin, T] = [0.1, 0.01, 40];
    const chain = [base];
    for (let e = 1; e < 100; e++) {
      const prev = chain[e - 1];
      if ((e - 1 - T) % (2 * T) === 0) chain.push(prev + ((base - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
      else chain.push((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T)) * (prev - etaMin) + etaMin);
    }
    expect(maxRelativeError(seq, chain)).toBeLessThan(1e-10);
  });

  it("LinearLR defaults (1/3 → 1 over 5 epochs) and a custom ramp", () => {
    const opt = sgd(0.3);
    const seq = lrSequence(opt, new lrScheduler.LinearLR(opt), 8);
    expect(maxRelativeError(seq, [0.1, 0.3 * (1 / 3 + (2 / 3) * 0.2), 0.3 * (1 / 3 + (2 / 3) * 0.4), 0.3 * (1 / 3 + (2 / 3) * 0.6), 0.3 * (1 / 3 + (2 / 3) * 0.8), 0.3, 0.3, 0.3])).toBeLessThan(1e-14);
    const opt2 = sgd(0.1);
    const seq2 = lrSequence(opt2, new lrScheduler.LinearLR(opt2, { startFactor: 1, endFactor: 0.1, totalIters: 50 }), 100);
    expect(maxRelativeError(seq2, range(100).map((e) => 0.1 * (1 - 0.9 * Math.min(e, 50) / 50)))).toBeLessThan(1e-14);
  });

  it("SequentialLR(LinearLR, CosineAnnealingLR): linear warmup for 5 epochs, then a cosine counted from 0", () => {
    const opt = sgd(0.1);
    const warmup = new lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
    const decay = new lrScheduler.CosineAnnealingLR(opt, { tMax: 95 });
    const scheduler = new lrScheduler.SequentialLR(opt, { schedulers: [warmup, decay], milestones: [5] });
    expect(scheduler.lastEpoch).toBe(0);
    const seq = lrSequence(opt, scheduler, 100);
    const expected = range(100).map((e) => (e < 5 ? 0.1 * (0.1 + 0.9 * (e / 5)) : 0.5 * 0.1 * (1 + Math.cos((Math.PI * (e - 5)) / 95))));
    expect(maxRelativeError(seq, expected)).toBeLessThan(1e-14);
    expect(seq[0]).toBeCloseTo(0.01, 16);
    expect(seq[5]).toBe(0.1);
    // …and equals the pure function warmupCosine with the same shape (warmupStartLr = 0.01).
    const pure = range(100).map((e) => optim.schedules.warmupCosine(0.1, e, { warmupSteps: 5, totalSteps: 100, warmupStartLr: 0.01 }));
    expect(maxRelativeError(seq, pure)).toBeLessThan(1e-14);
    expect(scheduler.getLastLr()).toEqual([seq[99]]);
  });

  it("SequentialLR with three schedulers restarts each at its milestone", () => {
    const opt = sgd(1);
    const schedulers = [
      new lrScheduler.LinearLR(opt, { startFactor: 0.5, totalIters: 2 }),
      new lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.5 }),
      new lrScheduler.ExponentialLR(opt, { gamma: 0.9 }),
    ];
    const seq = lrSequence(opt, new lrScheduler.SequentialLR(opt, { schedulers, milestones: [3, 7] }), 10);
    // linear: 0.5, 0.75, 1 | step from its epoch 0: 1, 1, 0.5, 0.5 | exponential from its epoch 0: 1, 0.9, 0.81
    expect(maxRelativeError(seq, [0.5, 0.75, 1, 1, 1, 0.5, 0.5, 1, 0.9, 0.81])).toBeLessThan(1e-14);
  });
});

describe("OneCycleLR", () => {
  /** PyTorch's phases for 100 steps, pctStart 0.3: rise over steps 0..29, fall over 29..99. */
  function expectedOneCycle(e: number, start: number, peak: number, end: number): number {
    const cos = (a: number, b: number, pct: number): number => b + ((a - b) / 2) * (1 + Math.cos(Math.PI * pct));
    return e <= 29 ? cos(start, peak, e / 29) : cos(peak, end, (e - 29) / 70);
  }

  it("lr: starts at maxLr/divFactor, peaks at maxLr at step pctStart·total − 1, ends at maxLr/(divFactor·finalDivFactor)", () => {
    const opt = sgd(123); // the optimizer's own lr is replaced by the cycle
    const scheduler = new lrScheduler.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 100 });
    const seq = lrSequence(opt, scheduler, 100);
    expect(seq[0]).toBeCloseTo(0.1 / 25, 16);
    expect(seq[29]).toBe(0.1);
    expect(Math.max(...seq)).toBe(0.1);
    expect(seq[99]).toBeCloseTo(0.1 / (25 * 1e4), 18);
    expect(maxRelativeError(seq, range(100).map((e) => expectedOneCycle(e, 0.004, 0.1, 0.004 / 1e4)))).toBeLessThan(1e-12);
    expect(scheduler.baseLrs).toEqual([0.004]);
    expect(opt.paramGroups[0].initialLr).toBe(0.004);
  });

  it("cycles SGD's momentum inversely: 0.95 → 0.85 at the peak → 0.95", () => {
    const opt = sgd(0.1);
    const scheduler = new lrScheduler.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 100 });
    const momentum = [opt.paramGroups[0].momentum];
    for (let e = 1; e < 100; e++) {
      scheduler.step();
      momentum.push(opt.paramGroups[0].momentum);
    }
    expect(momentum[0]).toBeCloseTo(0.95, 15);
    expect(momentum[29]).toBe(0.85);
    expect(momentum[99]).toBeCloseTo(0.95, 15);
    expect(maxRelativeError(momentum, range(100).map((e) => expectedOneCycle(e, 0.95, 0.85, 0.95)))).toBeLessThan(1e-14);
  });

  it("cycles Adam's beta1 and leaves beta2 alone; epochs × stepsPerEpoch gives the length; linear annealing", () => {
    const opt = new optim.Adam([tensor([1], { requiresGrad: true })], { betas: [0.9, 0.99] });
    const scheduler = new lrScheduler.OneCycleLR(opt, { maxLr: 1, epochs: 10, stepsPerEpoch: 10, annealStrategy: "linear", baseMomentum: 0.8, maxMomentum: 0.9 });
    expect(scheduler.totalSteps).toBe(100);
    for (let e = 0; e < 29; e++) scheduler.step();
    expect(opt.paramGroups[0].betas).toEqual([0.8, 0.99]);
    expect(opt.paramGroups[0].lr).toBe(1);
    for (let e = 29; e < 64; e++) scheduler.step(); // half-way down: step 64 = 29 + 35
    expect(opt.paramGroups[0].lr).toBeCloseTo((1 + 0.04 / 1e4) / 2, 15);
    expect(opt.paramGroups[0].betas[0]).toBeCloseTo(0.85, 15);
  });

  it("three phases: back to the start lr at 2·pctStart·total − 2, then down to the minimum", () => {
    const opt = sgd(0.1);
    const seq = lrSequence(opt, new lrScheduler.OneCycleLR(opt, { maxLr: 1, totalSteps: 100, threePhase: true, cycleMomentum: false }), 100);
    expect(seq[29]).toBe(1);
    expect(seq[58]).toBeCloseTo(0.04, 15);
    expect(seq[99]).toBeCloseTo(0.04 / 1e4, 18);
    expect(opt.paramGroups[0].momentum).toBe(0.9); // untouched without cycleMomentum
  });

  it("refuses to step past totalSteps", () => {
    const opt = sgd(0.1);
    const scheduler = new lrScheduler.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 });
    for (let e = 0; e < 10; e++) scheduler.step(); // lastEpoch 10 = totalSteps is still allowed, as in PyTorch
    expect(() => scheduler.step()).toThrow(/Tried to step 11 times. The specified number of total steps is 10/);
  });
});

describe("the scheduler protocol", () => {
  const makers: [string, (opt: optim.SGD) => { lastEpoch: number; getLastLr(): number[] }][] = [
    ["StepLR", (o) => new lrScheduler.StepLR(o, { stepSize: 2, gamma: 0.5 })],
    ["MultiStepLR", (o) => new lrScheduler.MultiStepLR(o, { milestones: [1] })],
    ["ExponentialLR", (o) => new lrScheduler.ExponentialLR(o, { gamma: 0.5 })],
    ["LambdaLR", (o) => new lrScheduler.LambdaLR(o, { lrLambda: (e) => 0.5 + e })],
    ["MultiplicativeLR", (o) => new lrScheduler.MultiplicativeLR(o, { lrLambda: () => 0.5 })],
    ["CosineAnnealingLR", (o) => new lrScheduler.CosineAnnealingLR(o, { tMax: 10 })],
    ["LinearLR", (o) => new lrScheduler.LinearLR(o)],
    ["OneCycleLR", (o) => new lrScheduler.OneCycleLR(o, { maxLr: 1, totalSteps: 10 })],
  ];

  it.each(makers)("%s: after construction lastEpoch is 0, group.lr holds the epoch-0 value and initialLr is recorded", (_name, make) => {
    const opt = sgd(0.2);
    const scheduler = make(opt);
    expect(scheduler.lastEpoch).toBe(0);
    expect(scheduler.getLastLr()).toEqual([opt.paramGroups[0].lr]);
    expect(opt.paramGroups[0].initialLr).toBeDefined();
  });

  it("a second scheduler on the same optimizer starts from the recorded initialLr, as in PyTorch", () => {
    const opt = sgd(0.2);
    new lrScheduler.LinearLR(opt, { startFactor: 0.5 });
    expect(opt.paramGroups[0].lr).toBe(0.1);
    const second = new lrScheduler.StepLR(opt, { stepSize: 1 });
    expect(second.baseLrs).toEqual([0.2]);
  });

  it("schedulers only change lr: training with them uses the scheduled value", () => {
    const w = tensor([1], { dtype: "float64", requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 1 });
    const scheduler = new lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    for (let e = 0; e < 3; e++) {
      w.grad = tensor([1], { dtype: "float64" });
      opt.step();
      scheduler.step();
    }
    expect(w.item()).toBe(1 - 1 - 0.5 - 0.25);
  });
});
