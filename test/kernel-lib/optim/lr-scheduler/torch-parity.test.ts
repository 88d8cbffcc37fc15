import { describe, expect, it } from "vitest";
import { optim, zeros } from "kernel-lib";

const { lrScheduler } = optim;

/**
 * Learning rates from PyTorch 1.13 (torch.optim.lr_scheduler), SGD with lr 0.1
 * and momentum 0.9, after construction and after each of n steps; made by
 * stepping every scheduler once per epoch in the order listed. Regenerate with
 * python3 and torch: see the scheduler names and arguments in each case.
 */
const TORCH = {
  step_exp: [0.1, 0.095, 0.09025, 0.0857375, 0.081450625, 0.07737809375, 0.0735091890625, 0.069833729609375, 0.0663420431289062, 0.0630249409724609, 0.0299368469619189, 0.028440004613823, 0.0270180043831318, 0.0256671041639752, 0.0243837489557765, 0.0231645615079877, 0.0220063334325883, 0.0209060167609589, 0.0198607159229109, 0.0188676801267654, 0.00896214806021355],
  linear_cos: [0.01, 0.0278337925980344, 0.0449026560048765, 0.0605812247116804, 0.0742976470835135, 0.0855589203309874, 0.0796485111130516, 0.0730211929238734, 0.0658401523320784, 0.0582822103895439, 0.0505334687102664, 0.0427847270309889, 0.0352267850884544, 0.0280457444966593, 0.0214184263074811, 0.0155080170895454, 0.0104600507333212, 0.00639882492373866, 0.00342434051866544, 0.00160983919590221, 0.001, 0.00160942714054068, 0.00342270244338989, 0.00639517705267579, 0.0104536587784401, 0.0154982143312659, 0.0214046300115226, 0.0280274702628924, 0.0352036587784401, 0.0427564939805085, 0.0505],
  step_mult: [0.1, 0.09, 0.081, 0.0729, 0.06561, 0.0295245, 0.02657205, 0.023914845, 0.0215233605, 0.01937102445, 0.0087169610025, 0.00784526490225, 0.007060738412025],
  chained: [0.05, 0.045, 0.0405, 0.0729, 0.06561, 0.059049, 0.0531441, 0.04782969, 0.043046721],
  constant: [0.025, 0.025, 0.025, 0.025, 0.1, 0.1, 0.1, 0.1, 0.1],
  poly: [0.1, 0.0694444444444445, 0.0444444444444445, 0.025, 0.0111111111111111, 0.00277777777777778, 0.0, 0.0, 0.0, 0.0],
  warm_restarts: [0.1, 0.0775, 0.0325, 0.1, 0.0939711431702998, 0.0775, 0.055, 0.0325, 0.0160288568297003, 0.1, 0.0984666621830081, 0.0939711431702998, 0.0868198051533946, 0.0775, 0.0666468570296134, 0.055, 0.0433531429703866],
  cyclic_tri: { lr: [0.01, 0.04, 0.07, 0.1, 0.055, 0.01, 0.04, 0.07, 0.1, 0.055, 0.01, 0.04, 0.07, 0.1, 0.055], momentum: [0.9, 0.866666666666667, 0.833333333333333, 0.8, 0.85, 0.9, 0.866666666666667, 0.833333333333333, 0.8, 0.85, 0.9, 0.866666666666667, 0.833333333333333, 0.8, 0.85] },
  cyclic_tri2: { lr: [0.01, 0.04, 0.07, 0.1, 0.055, 0.01, 0.025, 0.04, 0.055, 0.0325, 0.01, 0.0175, 0.025, 0.0325, 0.02125], momentum: [0.9, 0.866666666666667, 0.833333333333333, 0.8, 0.85, 0.9, 0.883333333333333, 0.866666666666667, 0.85, 0.875, 0.9, 0.891666666666667, 0.883333333333333, 0.875, 0.8875] },
  cyclic_exp: { lr: [0.01, 0.037, 0.0586, 0.07561, 0.0395245, 0.01, 0.02594323, 0.038697814, 0.0487420489, 0.027433922005, 0.01, 0.0194143178827, 0.02694577218886, 0.032876792454961, 0.0202945566047325], momentum: [0.9, 0.87, 0.846, 0.8271, 0.867195, 0.9, 0.8822853, 0.86811354, 0.856953279, 0.88062897555, 0.9, 0.889539646797, 0.8811713642346, 0.87458134171671, 0.888561603772519] },
};

function sgd(): optim.SGD {
  return new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
}

/** The lr after construction and after each of `steps` steps of every scheduler, in order. */
function trace(make: (opt: optim.SGD) => { step(): void }[], steps: number): number[] {
  const opt = sgd();
  const schedulers = make(opt);
  const lrs = [opt.paramGroups[0].lr];
  for (let i = 0; i < steps; i++) {
    for (const s of schedulers) s.step();
    lrs.push(opt.paramGroups[0].lr);
  }
  return lrs;
}

function expectSequence(got: readonly number[], want: readonly number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g, `epoch ${i}`).toBeCloseTo(want[i], 12));
}

describe("schedulers stepped together compose as in PyTorch", () => {
  it("StepLR(10, 0.5) + ExponentialLR(0.95): the factors multiply (0.0299 at epoch 10)", () => {
    const got = trace((o) => [new lrScheduler.StepLR(o, { stepSize: 10, gamma: 0.5 }), new lrScheduler.ExponentialLR(o, { gamma: 0.95 })], 20);
    expectSequence(got, TORCH.step_exp);
    expect(got[10]).toBeCloseTo(0.1 * 0.5 * 0.95 ** 10, 12);
  });

  it("LinearLR warm-up + CosineAnnealingLR with etaMin: the warm-up is kept", () => {
    const got = trace(
      (o) => [new lrScheduler.LinearLR(o, { startFactor: 0.1, totalIters: 5 }), new lrScheduler.CosineAnnealingLR(o, { tMax: 20, etaMin: 0.001 })],
      30,
    );
    expectSequence(got, TORCH.linear_cos);
  });

  it("StepLR + MultiplicativeLR", () => {
    expectSequence(trace((o) => [new lrScheduler.StepLR(o, { stepSize: 5, gamma: 0.5 }), new lrScheduler.MultiplicativeLR(o, { lrLambda: () => 0.9 })], 12), TORCH.step_mult);
  });

  it("ChainedScheduler(ConstantLR, ExponentialLR)", () => {
    const got = trace((o) => [new lrScheduler.ChainedScheduler([new lrScheduler.ConstantLR(o, { factor: 0.5, totalIters: 3 }), new lrScheduler.ExponentialLR(o, { gamma: 0.9 })])], 8);
    expectSequence(got, TORCH.chained);
  });

  it("a closed-form schedule refuses to overwrite another scheduler's change, naming SequentialLR and ChainedScheduler", () => {
    const opt = sgd();
    const step = new lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    const lambda = new lrScheduler.LambdaLR(opt, { lrLambda: (e) => 1 / (1 + e) });
    step.step();
    expect(() => lambda.step()).toThrow(/LambdaLR.*changed.*SequentialLR.*ChainedScheduler/s);
  });

  it("a schedule alone still follows its closed form exactly", () => {
    const got = trace((o) => [new lrScheduler.StepLR(o, { stepSize: 3, gamma: 0.1 })], 7);
    expect(got).toEqual([0.1, 0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 ** 2, 0.1 * 0.1 ** 2]);
  });

  it("SequentialLR still restarts each scheduler at its own epoch 0", () => {
    const got = trace(
      (o) => [new lrScheduler.SequentialLR(o, { schedulers: [new lrScheduler.ConstantLR(o, { factor: 0.5, totalIters: 10 }), new lrScheduler.ExponentialLR(o, { gamma: 0.5 })], milestones: [2] })],
      4,
    );
    expectSequence(got, [0.05, 0.05, 0.1, 0.05, 0.025]);
  });
});

describe("the schedulers added for parity with PyTorch", () => {
  it("ConstantLR", () => expectSequence(trace((o) => [new lrScheduler.ConstantLR(o, { factor: 0.25, totalIters: 4 })], 8), TORCH.constant));
  it("PolynomialLR (power 2, to 0 and staying there)", () => expectSequence(trace((o) => [new lrScheduler.PolynomialLR(o, { totalIters: 6, power: 2 })], 9), TORCH.poly));
  it("CosineAnnealingWarmRestarts (t0 3, tMult 2, etaMin 0.01)", () =>
    expectSequence(trace((o) => [new lrScheduler.CosineAnnealingWarmRestarts(o, { t0: 3, tMult: 2, etaMin: 0.01 })], 16), TORCH.warm_restarts));

  for (const [mode, key, extra] of [
    ["triangular", "cyclic_tri", {}],
    ["triangular2", "cyclic_tri2", {}],
    ["expRange", "cyclic_exp", { gamma: 0.9 }],
  ] as const) {
    it(`CyclicLR ${mode}, with momentum cycling`, () => {
      const opt = sgd();
      const s = new lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, stepSizeDown: 2, mode, ...extra });
      const lrs = [opt.paramGroups[0].lr];
      const momenta = [opt.paramGroups[0].momentum as number];
      for (let i = 0; i < 14; i++) {
        s.step();
        lrs.push(opt.paramGroups[0].lr);
        momenta.push(opt.paramGroups[0].momentum as number);
      }
      expectSequence(lrs, TORCH[key].lr);
      expectSequence(momenta, TORCH[key].momentum);
    });
  }

  it("CyclicLR refuses maxLr below baseLr, and an unknown mode", () => {
    expect(() => new lrScheduler.CyclicLR(sgd(), { baseLr: 0.1, maxLr: 0.01 })).toThrow(/maxLr \(0.01\) must be ≥ baseLr/);
    expect(() => new lrScheduler.CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, mode: "exp_range" as never })).toThrow(/\[CyclicLR\] Invalid mode: "exp_range" \(must be one of "triangular", "triangular2", "expRange"\)/);
  });
});
