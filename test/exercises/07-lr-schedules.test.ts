import { describe } from "vitest";
import * as exercise from "@exercise/07-lr-schedules";
import { Generator, optim, tensor } from "kernel-lib";
import { expectClose, graded } from "./grading";
import { asGraded } from "./submission";

/** The submission as graded: shortcuts refused, arguments checked for changes (submission.ts). */
const ex = asGraded(exercise, "07-lr-schedules");

/** An SGD optimizer over one dummy parameter, to drive kernel-lib's schedulers. */
function sgd(lr: number): optim.SGD {
  return new optim.SGD([tensor([0], { requiresGrad: true })], { lr });
}

/** The lr a bound scheduler sets at epochs 0 … n − 1. */
function lrsOf(scheduler: { step(): void; getLastLr(): number[] }, n: number): number[] {
  const lrs: number[] = [];
  for (let e = 0; e < n; e++) {
    lrs.push(scheduler.getLastLr()[0]);
    if (e < n - 1) scheduler.step();
  }
  return lrs;
}

describe("07 learning-rate schedules", () => {
  graded("stepDecay: the seed's schedule (0.001, halved every 30 epochs)", 1, () => {
    const cases: [number, number][] = [[0, 0.001], [5, 0.001], [29, 0.001], [30, 0.0005], [59, 0.0005], [60, 0.00025], [90, 0.000125], [99, 0.000125]];
    for (const [epoch, expected] of cases) {
      expectClose(ex.stepDecay(0.001, epoch, 30, 0.5), expected, {
        what: `stepDecay at epoch ${epoch}`, input: { lr0: 0.001, epoch, stepSize: 30, gamma: 0.5 }, rtol: 1e-12,
        hint: "only completed steps count: use Math.floor(epoch / stepSize), not epoch / stepSize",
      });
    }
    expectClose(ex.stepDecay(0.1, 2.9, 1, 0.1), 0.1 * 0.1 ** 2, { what: "stepDecay mid-epoch", input: { lr0: 0.1, epoch: 2.9, stepSize: 1, gamma: 0.1 }, rtol: 1e-12, hint: "a fractional epoch counts only its whole steps" });
  });

  graded("stepDecay matches optim.lrScheduler.StepLR epoch by epoch", 1, () => {
    const got = Array.from({ length: 40 }, (_, e) => ex.stepDecay(0.3, e, 7, 0.2));
    const expected = lrsOf(new optim.lrScheduler.StepLR(sgd(0.3), { stepSize: 7, gamma: 0.2 }), 40);
    expectClose(got, expected, { what: "StepLR(stepSize 7, gamma 0.2) over 40 epochs", input: { lr0: 0.3, stepSize: 7, gamma: 0.2 }, rtol: 1e-12, hint: "the rate changes only every stepSize epochs: gamma ** Math.floor(epoch / stepSize)" });
  });

  graded("exponentialDecay: η₀·e^(−kt)", 1, () => {
    const g = new Generator(7);
    for (let i = 0; i < 20; i++) {
      const lr0 = 10 ** (-4 + 3 * g.uniform());
      const k = 0.2 * g.uniform();
      const t = Math.floor(100 * g.uniform());
      expectClose(ex.exponentialDecay(lr0, t, k), lr0 * Math.exp(-k * t), {
        what: `exponentialDecay at t = ${t}`, input: { lr0, t, k }, rtol: 1e-12, hint: "lr0 * Math.exp(-k * t)",
      });
    }
    expectClose(ex.exponentialDecay(0.5, 42, 0), 0.5, { what: "k = 0 keeps the rate", input: { lr0: 0.5, t: 42, k: 0 }, rtol: 1e-12 });
    // ExponentialLR's gamma per epoch is e^(−k).
    const k = 0.05;
    const expected = lrsOf(new optim.lrScheduler.ExponentialLR(sgd(0.2), { gamma: Math.exp(-k) }), 30);
    expectClose(Array.from({ length: 30 }, (_, t) => ex.exponentialDecay(0.2, t, k)), expected, { what: "ExponentialLR(gamma = e^−0.05) over 30 epochs", input: { lr0: 0.2, k }, rtol: 1e-9, hint: "lr0 · e^(−k·t) equals lr0 · gammaᵗ with gamma = e^(−k)" });
  });

  graded("inverseTimeDecay: η₀/(1 + kt), half at t = 1/k", 1, () => {
    expectClose(ex.inverseTimeDecay(0.1, 50, 0.02), 0.05, { what: "half the rate at t = 1/k", input: { lr0: 0.1, t: 50, k: 0.02 }, rtol: 1e-12, hint: "lr0 / (1 + k * t)" });
    for (const t of [0, 1, 7, 33, 250]) {
      expectClose(ex.inverseTimeDecay(0.01, t, 0.1), optim.schedules.inverseTime(0.01, t, 0.1), { what: `inverseTimeDecay at t = ${t}`, input: { lr0: 0.01, t, k: 0.1 }, rtol: 1e-12 });
    }
    // Power scheduling with c = 1 is the same curve with k = 1/s.
    expectClose(ex.inverseTimeDecay(0.01, 30, 1 / 20), optim.schedules.power(0.01, 30, { s: 20, c: 1 }), { what: "equals power scheduling with s = 1/k, c = 1", rtol: 1e-12 });
  });

  graded("cosineAnnealing: the seed's cosine over 100 epochs (min 1e-6)", 2, () => {
    for (const t of [0, 5, 10, 20, 30, 50, 70, 90, 99, 100]) {
      const expected = 1e-6 + 0.5 * (0.001 - 1e-6) * (1 + Math.cos((Math.PI * t) / 100));
      expectClose(ex.cosineAnnealing(0.001, t, 100, 1e-6), expected, {
        what: `cosineAnnealing at epoch ${t}`, input: { lr0: 0.001, t, T: 100, lrMin: 1e-6 }, rtol: 1e-10,
        hint: "lrMin + 0.5 * (lr0 - lrMin) * (1 + Math.cos(Math.PI * t / T))",
      });
    }
    expectClose(ex.cosineAnnealing(0.1, 50, 100), 0.05, { what: "midpoint with the default lrMin = 0", input: { lr0: 0.1, t: 50, T: 100 }, rtol: 1e-12, hint: "lrMin defaults to 0" });
  });

  graded("cosineAnnealing stays at lrMin after T, and matches CosineAnnealingLR up to T", 1, () => {
    for (const t of [101, 150, 1000]) {
      expectClose(ex.cosineAnnealing(0.1, t, 100, 0.001), 0.001, { what: `cosineAnnealing past T (t = ${t})`, input: { lr0: 0.1, t, T: 100, lrMin: 0.001 }, rtol: 1e-12, hint: "clamp t to T: the cosine would climb back up after T" });
    }
    const expected = lrsOf(new optim.lrScheduler.CosineAnnealingLR(sgd(0.05), { tMax: 25, etaMin: 1e-4 }), 26);
    expectClose(Array.from({ length: 26 }, (_, t) => ex.cosineAnnealing(0.05, t, 25, 1e-4)), expected, { what: "CosineAnnealingLR(tMax 25, etaMin 1e-4), epochs 0…25", rtol: 1e-9 });
  });

  graded("warmupCosine: the seed's warmup of 10 epochs, then cosine to epoch 100", 2, () => {
    const cosine = (lr0: number, t: number, T: number, lrMin: number) => lrMin + 0.5 * (lr0 - lrMin) * (1 + Math.cos((Math.PI * Math.min(t, T)) / T));
    for (const t of [0, 1, 5, 9, 10, 11, 20, 30, 50, 70, 90, 99]) {
      const expected = t < 10 ? (0.001 * t) / 10 : cosine(0.001, t - 10, 90, 1e-6);
      expectClose(ex.warmupCosine(0.001, t, 10, 100, 1e-6), expected, {
        what: `warmupCosine at epoch ${t}`, input: { lr0: 0.001, t, warmupSteps: 10, totalSteps: 100, lrMin: 1e-6 }, rtol: 1e-10, atol: 1e-15,
        hint: t < 10 ? "during warmup lr = lr0 · t / warmupSteps (0 at t = 0)" : "after warmup the cosine runs over totalSteps − warmupSteps, starting from t − warmupSteps",
      });
    }
  });

  graded("warmupCosine agrees with optim.schedules.warmupCosine, also without warmup", 1, () => {
    for (const [warmupSteps, totalSteps] of [[0, 50], [5, 50], [100, 1000]]) {
      for (const t of [0, 1, 3, warmupSteps, warmupSteps + 1, Math.floor(totalSteps / 2), totalSteps - 1, totalSteps]) {
        expectClose(ex.warmupCosine(0.3, t, warmupSteps, totalSteps, 0.01), optim.schedules.warmupCosine(0.3, t, { warmupSteps, totalSteps, lrMin: 0.01 }), {
          what: `warmupCosine at t = ${t}`, input: { lr0: 0.3, t, warmupSteps, totalSteps, lrMin: 0.01 }, rtol: 1e-10,
          hint: "with warmupSteps = 0 there is no warmup: do not divide by warmupSteps",
        });
      }
    }
  });

  graded("oneCycle: start, peak and end of the cycle", 3, () => {
    const maxLr = 0.4;
    const totalSteps = 100;
    expectClose(ex.oneCycle(0, maxLr, totalSteps), maxLr / 25, { what: "oneCycle at step 0", input: { t: 0, maxLr, totalSteps }, rtol: 1e-12, hint: "the cycle starts at maxLr / divFactor (25 by default)" });
    expectClose(ex.oneCycle(29, maxLr, totalSteps), maxLr, { what: "oneCycle at the peak (step 0.3·100 − 1 = 29)", input: { t: 29, maxLr, totalSteps }, rtol: 1e-12, hint: "the rise ends at step pctStart·totalSteps − 1" });
    expectClose(ex.oneCycle(99, maxLr, totalSteps), maxLr / 25 / 1e4, { what: "oneCycle at the last step (99)", input: { t: 99, maxLr, totalSteps }, rtol: 1e-9, hint: "the cycle ends at maxLr / (divFactor · finalDivFactor) at step totalSteps − 1" });
  });

  graded("oneCycle matches optim.lrScheduler.OneCycleLR step by step", 2, () => {
    const configs: { maxLr: number; totalSteps: number; options: exercise.OneCycleOptions }[] = [
      { maxLr: 0.4, totalSteps: 100, options: {} },
      { maxLr: 0.05, totalSteps: 37, options: { pctStart: 0.25, divFactor: 10, finalDivFactor: 100 } },
      { maxLr: 1, totalSteps: 10, options: { pctStart: 0.5 } },
    ];
    for (const { maxLr, totalSteps, options } of configs) {
      const got = Array.from({ length: totalSteps }, (_, t) => ex.oneCycle(t, maxLr, totalSteps, options));
      const scheduler = new optim.lrScheduler.OneCycleLR(sgd(0.1), { maxLr, totalSteps, cycleMomentum: false, ...options });
      const expected = lrsOf(scheduler, totalSteps);
      expectClose(got, expected, {
        what: `OneCycleLR over ${totalSteps} steps`, input: { maxLr, totalSteps, ...options }, rtol: 1e-9,
        hint: "two cosine phases: initialLr → maxLr until pctStart·totalSteps − 1, then maxLr → initialLr/finalDivFactor until totalSteps − 1",
      });
    }
  });
});
