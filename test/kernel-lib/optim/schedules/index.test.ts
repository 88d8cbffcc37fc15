import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { optim } from "kernel-lib";

const { schedules } = optim;
const epochs = [0, 10, 25, 50, 75, 99];

/** Values worked out by hand (to 16 digits), lr0 = 0.1. */
const table: [string, (t: number) => number, number[]][] = [
  // 0.1·0.1^⌊t/30⌋: ⌊t/30⌋ = 0, 0, 0, 1, 2, 3
  ["stepDecay every 30, gamma 0.1", (t) => schedules.stepDecay(0.1, t, { stepSize: 30, gamma: 0.1 }), [0.1, 0.1, 0.1, 0.01, 0.001, 0.0001]],
  // 0.1·e^(−0.05·t): e^−0.5, e^−1.25, e^−2.5, e^−3.75, e^−4.95
  ["exponential k = 0.05", (t) => schedules.exponential(0.1, t, 0.05),
    [0.1, 0.06065306597126335, 0.028650479686019012, 0.008208499862389881, 0.0023517745856009107, 0.0007083408929052119]],
  // 0.1/(1 + 0.1·t) = 0.1/1, 0.1/2, 0.1/3.5, 0.1/6, 0.1/8.5, 0.1/10.9
  ["inverseTime k = 0.1", (t) => schedules.inverseTime(0.1, t, 0.1),
    [0.1, 0.05, 0.028571428571428574, 0.016666666666666666, 0.011764705882352941, 0.009174311926605505]],
  // 0.05·(1 + cos(π·t/100)): cos(0.1π) = 0.9510565163, cos(π/4) = 0.7071067812, cos(0.99π) = −0.9995065604
  ["cosine T = 100", (t) => schedules.cosine(0.1, t, 100),
    [0.1, 0.09755282581475769, 0.08535533905932738, 0.05, 0.014644660940672627, 2.467198171342e-5]],
  // 0.1/(1 + t/20)²: 1.5², 2.25², 3.5², 4.75², 5.95²
  ["power s = 20, c = 2", (t) => schedules.power(0.1, t, { s: 20, c: 2 }),
    [0.1, 0.044444444444444446, 0.019753086419753086, 0.00816326530612245, 0.00443213296398892, 0.0028246592754748957]],
];

describe("schedules at epochs 0, 10, 25, 50, 75, 99 for lr0 = 0.1", () => {
  it.each(table)("%s", (_name, f, expected) => {
    epochs.forEach((t, i) => {
      expect(Math.abs(f(t) - expected[i])).toBeLessThanOrEqual(1e-15 + 1e-13 * expected[i]);
    });
  });
});

describe("other schedules", () => {
  it("exponentialGamma: lr0·γᵗ, the same curve as exponential with k = −ln γ", () => {
    expect(schedules.exponentialGamma(0.1, 3, 0.5)).toBe(0.0125);
    expect(schedules.exponentialGamma(0.1, 20, 0.9)).toBeCloseTo(schedules.exponential(0.1, 20, -Math.log(0.9)), 15);
  });

  it("multiplicative: lr0·∏ factor(i) for i = 1..t", () => {
    expect(schedules.multiplicative(1, 0, () => 0.5)).toBe(1);
    expect(schedules.multiplicative(1, 3, (i) => 1 / (i + 1))).toBeCloseTo(1 / 2 / 3 / 4, 15);
  });

  it("piecewiseConstant switches at each boundary (inclusive)", () => {
    const f = (t: number): number => schedules.piecewiseConstant(t, [5, 15], [0.5, 0.1, 0.01]);
    expect([0, 4, 4.9, 5, 14, 15, 100].map(f)).toEqual([0.5, 0.5, 0.5, 0.1, 0.1, 0.01, 0.01]);
  });

  it("cosine stays at lrMin after T and starts at lr0", () => {
    expect(schedules.cosine(0.1, 0, 10, 0.01)).toBe(0.1);
    expect(schedules.cosine(0.1, 10, 10, 0.01)).toBeCloseTo(0.01, 15);
    expect(schedules.cosine(0.1, 25, 10, 0.01)).toBeCloseTo(0.01, 15);
    expect(schedules.cosine(0.1, 5, 10, 0.01)).toBeCloseTo(0.01 + 0.5 * 0.09, 15);
  });

  it("warmupCosine: linear from warmupStartLr, then cosine from lr0 to lrMin", () => {
    const opts = { warmupSteps: 10, totalSteps: 110, lrMin: 0.001, warmupStartLr: 0.01 };
    const f = (t: number): number => schedules.warmupCosine(0.1, t, opts);
    expect(f(0)).toBe(0.01);
    expect(f(5)).toBeCloseTo(0.01 + 0.09 * 0.5, 15);
    expect(f(10)).toBeCloseTo(0.1, 15);
    expect(f(60)).toBeCloseTo(0.001 + 0.5 * 0.099, 15); // half-way through the 100-step cosine
    expect(f(110)).toBeCloseTo(0.001, 15);
    expect(schedules.warmupCosine(0.1, 0, { warmupSteps: 10, totalSteps: 20 })).toBe(0);
  });

  it("oneCycle starts at maxLr/divFactor, peaks at pctStart·total − 1 and ends at maxLr/(divFactor·finalDivFactor)", () => {
    const opts = { maxLr: 1, totalSteps: 100 };
    expect(schedules.oneCycle(0, opts)).toBeCloseTo(1 / 25, 15);
    expect(schedules.oneCycle(29, opts)).toBe(1);
    expect(schedules.oneCycle(99, opts)).toBeCloseTo(1 / 25 / 1e4, 15);
    // Mid-way through the rise: cos annealing gives the arithmetic mean.
    expect(schedules.oneCycle(14.5, opts)).toBeCloseTo((1 + 1 / 25) / 2, 15);
    expect(schedules.oneCycle(14.5, { ...opts, annealStrategy: "linear" })).toBeCloseTo((1 + 1 / 25) / 2, 15);
    expect(schedules.oneCycle(10, { ...opts, annealStrategy: "linear" })).toBeCloseTo(0.04 + 0.96 * (10 / 29), 15);
  });

  it("oneCycle with three phases comes back to the start lr at 2·pctStart·total − 2", () => {
    const opts = { maxLr: 0.5, totalSteps: 100, threePhase: true, divFactor: 10, finalDivFactor: 100 };
    expect(schedules.oneCycle(0, opts)).toBeCloseTo(0.05, 15);
    expect(schedules.oneCycle(29, opts)).toBe(0.5);
    expect(schedules.oneCycle(58, opts)).toBeCloseTo(0.05, 15);
    expect(schedules.oneCycle(99, opts)).toBeCloseTo(0.0005, 15);
  });
});

describe("properties", () => {
  const lr = fc.double({ min: 1e-6, max: 10, noNaN: true });

  it("cosine is non-increasing on [0, T] and stays in [lrMin, lr0]", () => {
    fc.assert(fc.property(lr, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 1000 }), fc.nat(1000), fc.nat(1000), (lr0, frac, T, a, b) => {
      const lrMin = lr0 * frac;
      const [t1, t2] = [Math.min(a, b) % (T + 1), Math.max(a, b) % (T + 1)].sort((x, y) => x - y);
      const [v1, v2] = [schedules.cosine(lr0, t1, T, lrMin), schedules.cosine(lr0, t2, T, lrMin)];
      return v2 <= v1 + 1e-12 * lr0 && v1 <= lr0 * (1 + 1e-12) && v2 >= lrMin - 1e-12 * lr0;
    }));
  });

  it("stepDecay equals exponentialGamma at multiples of stepSize and is constant in between", () => {
    fc.assert(fc.property(lr, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 20 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (lr0, s, k, gamma) => {
      const at = schedules.stepDecay(lr0, k * s, { stepSize: s, gamma });
      const before = schedules.stepDecay(lr0, k * s + s - 1, { stepSize: s, gamma });
      return Math.abs(at - schedules.exponentialGamma(lr0, k, gamma)) <= 1e-15 * lr0 && at === before;
    }));
  });

  it("warmupCosine is continuous at the end of warmup and oneCycle stays within [minLr, maxLr]", () => {
    fc.assert(fc.property(lr, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), (lr0, warmupSteps, rest) => {
      const opts = { warmupSteps, totalSteps: warmupSteps + rest };
      const jump = Math.abs(schedules.warmupCosine(lr0, warmupSteps, opts) - schedules.warmupCosine(lr0, warmupSteps - 1, opts));
      return jump <= lr0 / warmupSteps + 1e-12;
    }));
    fc.assert(fc.property(lr, fc.integer({ min: 2, max: 500 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.boolean(), (maxLr, totalSteps, pctStart, threePhase) => {
      const opts = { maxLr, totalSteps, pctStart, threePhase };
      for (let t = 0; t < totalSteps; t++) {
        const v = schedules.oneCycle(t, opts);
        if (!(v <= maxLr * (1 + 1e-12) && v >= (maxLr / 25 / 1e4) * (1 - 1e-12))) return false;
      }
      return true;
    }));
  });
});

describe("bad arguments are refused", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["negative t", () => schedules.cosine(0.1, -1, 10), /\[cosine\] Invalid step t: -1 \(must be a finite number ≥ 0\)/],
    ["T = 0", () => schedules.cosine(0.1, 1, 0), /Invalid T: 0/],
    ["stepSize 0", () => schedules.stepDecay(0.1, 1, { stepSize: 0 }), /Invalid stepSize: 0/],
    ["gamma ≤ 0", () => schedules.stepDecay(0.1, 1, { stepSize: 1, gamma: -0.5 }), /Invalid gamma: -0\.5/],
    ["negative k", () => schedules.inverseTime(0.1, 1, -1), /\[inverseTime\] Invalid k: -1 \(must be a finite number ≥ 0\)/],
    ["values and boundaries mismatch", () => schedules.piecewiseConstant(1, [5], [1]), /one more value than boundaries/],
    ["decreasing boundaries", () => schedules.piecewiseConstant(1, [5, 3], [1, 2, 3]), /boundaries must increase/],
    ["warmup longer than total", () => schedules.warmupCosine(0.1, 1, { warmupSteps: 10, totalSteps: 10 }), /must be larger than warmupSteps/],
    ["pctStart > 1", () => schedules.oneCycle(1, { maxLr: 1, totalSteps: 10, pctStart: 1.5 }), /\[oneCycle\] Invalid pctStart: 1.5 \(must be in \[0, 1\]\)/],
    ["unknown annealStrategy", () => schedules.oneCycle(1, { maxLr: 1, totalSteps: 10, annealStrategy: "exp" as "cos" }), /Invalid annealStrategy: "exp" \(must be one of "cos", "linear"\)/],
  ];
  it.each(cases)("%s", (_name, f, message) => {
    expect(f).toThrow(message);
  });
});
