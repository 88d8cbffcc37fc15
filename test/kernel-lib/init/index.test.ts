import { describe, expect, it } from "vitest";
import { Generator, Tensor, init, manualSeed, zeros } from "kernel-lib";

/** A [500, 400] float64 weight: fanIn 400, fanOut 500, 200,000 samples. */
const FAN_OUT = 500;
const FAN_IN = 400;
function weight(): Tensor {
  return zeros([FAN_OUT, FAN_IN], { dtype: "float64" });
}

function stats(t: Tensor): { mean: number; variance: number; min: number; max: number } {
  const d = t.data;
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    s += d[i];
    min = Math.min(min, d[i]);
    max = Math.max(max, d[i]);
  }
  const mean = s / d.length;
  let v = 0;
  for (let i = 0; i < d.length; i++) v += (d[i] - mean) ** 2;
  return { mean, variance: v / d.length, min, max };
}

/** Sample mean within 5 standard errors of 0 and sample variance within 2% of the formula's. */
function expectMoments(t: Tensor, expectedVariance: number): void {
  const { mean, variance } = stats(t);
  expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(expectedVariance / t.size));
  expect(variance / expectedVariance).toBeGreaterThan(0.98);
  expect(variance / expectedVariance).toBeLessThan(1.02);
}

describe("calculateGain", () => {
  it.each([
    ["linear", undefined, 1],
    ["conv2d", undefined, 1],
    ["sigmoid", undefined, 1],
    ["tanh", undefined, 5 / 3],
    ["relu", undefined, Math.SQRT2],
    ["leakyRelu", undefined, Math.sqrt(2 / (1 + 0.01 ** 2))],
    ["leakyRelu", 0.2, Math.sqrt(2 / 1.04)],
    ["leakyRelu", Math.sqrt(5), Math.sqrt(1 / 3)],
    ["selu", undefined, 0.75],
  ] as const)("%s (param %s) → %d", (name, param, gain) => {
    expect(init.calculateGain(name, param)).toBeCloseTo(gain, 15);
  });

  it("refuses an unknown nonlinearity", () => {
    expect(() => init.calculateGain("swish" as "relu")).toThrow(/\[calculateGain\] unsupported nonlinearity "swish"/);
  });
});

describe("calculateFans", () => {
  it("[out, in] weights and convolution kernels (the receptive field counts)", () => {
    expect(init.calculateFans(zeros([100, 50]))).toEqual({ fanIn: 50, fanOut: 100 });
    expect(init.calculateFans(zeros([16, 3, 5, 5]))).toEqual({ fanIn: 75, fanOut: 400 });
    expect(() => init.calculateFans(zeros([7]))).toThrow(/\[calculateFans\] .*at least 2 dimensions, got \[7\]/);
  });
});

describe("empirical moments of 500×400 samples match each formula", () => {
  it("uniform_(a, b): mean (a+b)/2, variance (b−a)²/12, support [a, b)", () => {
    const t = init.uniform_(weight(), -1, 3, { generator: new Generator(1) });
    const { mean, variance, min, max } = stats(t);
    expect(mean).toBeCloseTo(1, 2);
    expect(variance).toBeCloseTo(16 / 12, 2);
    expect(min).toBeGreaterThanOrEqual(-1);
    expect(max).toBeLessThan(3);
  });

  it("normal_(mean, std)", () => {
    const t = init.normal_(weight(), 2, 0.5, { generator: new Generator(2) });
    const { mean, variance } = stats(t);
    expect(mean).toBeCloseTo(2, 2);
    expect(variance / 0.25).toBeCloseTo(1, 1);
  });

  it("xavierUniform_: bound gain·√(6/(fanIn+fanOut))", () => {
    const gain = 5 / 3;
    const bound = gain * Math.sqrt(6 / (FAN_IN + FAN_OUT));
    const t = init.xavierUniform_(weight(), { gain, generator: new Generator(3) });
    expectMoments(t, (bound * bound) / 3);
    expect(Math.max(Math.abs(stats(t).min), stats(t).max)).toBeLessThanOrEqual(bound);
    expect(Math.max(Math.abs(stats(t).min), stats(t).max)).toBeGreaterThan(0.99 * bound);
  });

  it("xavierNormal_: std gain·√(2/(fanIn+fanOut))", () => {
    expectMoments(init.xavierNormal_(weight(), { generator: new Generator(4) }), 2 / (FAN_IN + FAN_OUT));
    expectMoments(init.xavierNormal_(weight(), { gain: 2, generator: new Generator(4) }), (4 * 2) / (FAN_IN + FAN_OUT));
  });

  it("kaimingUniform_: bound gain·√(3/fan), default leakyRelu with a = 0 (gain √2), fanIn", () => {
    expectMoments(init.kaimingUniform_(weight(), { generator: new Generator(5) }), 2 / FAN_IN);
    expectMoments(init.kaimingUniform_(weight(), { mode: "fanOut", generator: new Generator(5) }), 2 / FAN_OUT);
    const a = 0.2;
    expectMoments(init.kaimingUniform_(weight(), { a, generator: new Generator(5) }), 2 / (1 + a * a) / FAN_IN);
    const t = init.kaimingUniform_(weight(), { a: Math.sqrt(5), generator: new Generator(5) });
    expect(Math.max(-stats(t).min, stats(t).max)).toBeLessThanOrEqual(1 / Math.sqrt(FAN_IN));
    expectMoments(t, 1 / (3 * FAN_IN));
  });

  it("kaimingNormal_: std gain/√fan", () => {
    expectMoments(init.kaimingNormal_(weight(), { nonlinearity: "relu", generator: new Generator(6) }), 2 / FAN_IN);
    expectMoments(init.kaimingNormal_(weight(), { nonlinearity: "tanh", mode: "fanOut", generator: new Generator(6) }), 25 / 9 / FAN_OUT);
  });

  it("lecunUniform_ and lecunNormal_: variance 1/fanIn", () => {
    expectMoments(init.lecunUniform_(weight(), { generator: new Generator(7) }), 1 / FAN_IN);
    expectMoments(init.lecunNormal_(weight(), { generator: new Generator(8) }), 1 / FAN_IN);
  });

  it("truncNormal_: inside [a, b], with the truncated normal's variance", () => {
    const t = init.truncNormal_(weight(), 0, 1, -2, 2, { generator: new Generator(9) });
    const { min, max } = stats(t);
    expect(min).toBeGreaterThanOrEqual(-2);
    expect(max).toBeLessThanOrEqual(2);
    // Var of N(0,1) truncated to [−2, 2]: 1 − 2·2·φ(2)/(Φ(2) − Φ(−2)).
    const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
    expectMoments(t, 1 - (4 * phi2) / 0.9544997361036416);
    const shifted = stats(init.truncNormal_(weight(), 5, 0.1, 4.9, 5.3, { generator: new Generator(9) }));
    expect(shifted.min).toBeGreaterThanOrEqual(4.9);
    expect(shifted.max).toBeLessThanOrEqual(5.3);
    expect(() => init.truncNormal_(weight(), 0, 1, 10, 11)).toThrow(/\[truncNormal_\] \[10, 11\] holds only/);
  });
});

describe("orthogonal_", () => {
  /** Max |(WᵀW or WWᵀ) − gain²·I| over the smaller side. */
  function orthogonalityError(t: Tensor, gain: number): number {
    const rows = t.shape[0];
    const w = t.reshape(rows, -1);
    const gram = rows >= w.shape[1] ? w.T.matmul(w) : w.matmul(w.T);
    const n = gram.shape[0];
    let worst = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(gram.data[i * n + j] - (i === j ? gain * gain : 0)));
    return worst;
  }

  it("tall: WᵀW = I; wide: WWᵀ = I; kernels viewed as [out, in·k]; gain scales", () => {
    expect(orthogonalityError(init.orthogonal_(zeros([60, 40], { dtype: "float64" }), { generator: new Generator(1) }), 1)).toBeLessThan(1e-12);
    expect(orthogonalityError(init.orthogonal_(zeros([40, 60], { dtype: "float64" }), { generator: new Generator(2) }), 1)).toBeLessThan(1e-12);
    expect(orthogonalityError(init.orthogonal_(zeros([50, 50], { dtype: "float64" }), { generator: new Generator(3) }), 1)).toBeLessThan(1e-12);
    expect(orthogonalityError(init.orthogonal_(zeros([4, 2, 3], { dtype: "float64" }), { generator: new Generator(4) }), 1)).toBeLessThan(1e-12);
    expect(orthogonalityError(init.orthogonal_(zeros([30, 20]), { gain: 2, generator: new Generator(5) }), 2)).toBeLessThan(1e-5);
  });

  it("entries of a square orthogonal matrix have variance 1/n (uniformly random rotation)", () => {
    const n = 200;
    expectMoments(init.orthogonal_(zeros([n, n], { dtype: "float64" }), { generator: new Generator(6) }), 1 / n);
  });

  it("refuses 1-D tensors", () => {
    expect(() => init.orthogonal_(zeros([5]))).toThrow(/\[orthogonal_\] needs a tensor with at least 2 dimensions/);
  });
});

describe("fills and reproducibility", () => {
  it("constant_, zeros_, ones_, eye_ write the value and return the same tensor", () => {
    const t = zeros([2, 3]);
    expect(init.constant_(t, 0.5)).toBe(t);
    expect(t.toFlatArray()).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(init.ones_(t).toFlatArray()).toEqual([1, 1, 1, 1, 1, 1]);
    expect(init.zeros_(t).toFlatArray()).toEqual([0, 0, 0, 0, 0, 0]);
    expect(init.eye_(t).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(() => init.eye_(zeros([2, 2, 2]))).toThrow(/\[eye_\] needs a 2-D tensor/);
  });

  it("same seed → same weights, through an explicit generator or manualSeed", () => {
    const a = init.xavierUniform_(zeros([20, 10]), { generator: new Generator(42) }).toFlatArray();
    const b = init.xavierUniform_(zeros([20, 10]), { generator: new Generator(42) }).toFlatArray();
    const c = init.xavierUniform_(zeros([20, 10]), { generator: new Generator(43) }).toFlatArray();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    manualSeed(7);
    const d = init.kaimingNormal_(zeros([20, 10])).toFlatArray();
    manualSeed(7);
    expect(init.kaimingNormal_(zeros([20, 10])).toFlatArray()).toEqual(d);
    const o1 = init.orthogonal_(zeros([5, 3]), { generator: new Generator(1) }).toFlatArray();
    expect(init.orthogonal_(zeros([5, 3]), { generator: new Generator(1) }).toFlatArray()).toEqual(o1);
  });

  it("writes into a leaf that requires grad, without recording anything", () => {
    const w = zeros([4, 3], { requiresGrad: true });
    init.kaimingUniform_(w, { generator: new Generator(1) });
    expect(w.isLeaf).toBe(true);
    expect(w.gradFn).toBeNull();
    expect(w.toFlatArray().some((v) => v !== 0)).toBe(true);
  });
});
