import { describe, expect, it } from "vitest";
import { F, Generator, Tensor, gradcheck, randn, tensor, zeros, ones } from "kernel-lib";

/** Autograd agrees with central differences (step 1e-5) to 1e-6 relative error. */
function expectGradients(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const result = gradcheck(fn, inputs, { eps: 1e-5 });
  expect(result.worst).toBeUndefined();
  expect(result.maxRelativeError).toBeLessThanOrEqual(1e-6);
}

const f64 = { dtype: "float64" as const };

/** Features with different means and scales: x[:, c] ~ N(c·3 − 2, (c + 0.5)²). */
function features(n: number, c: number, seed: number, extra: number[] = []): Tensor {
  const x = randn([n, c, ...extra], { ...f64, generator: new Generator(seed) });
  const inner = extra.reduce((a, b) => a * b, 1);
  for (let i = 0; i < x.size; i++) {
    const ch = Math.floor(i / inner) % c;
    x.data[i] = x.data[i] * (ch + 0.5) + ch * 3 - 2;
  }
  return x;
}

function leaf(t: Tensor): Tensor {
  return t.detach().requiresGrad_();
}

/** Per-channel mean and biased variance over every axis but 1. */
function channelStats(y: Tensor): { mean: number[]; variance: number[] } {
  const axes = y.shape.map((_, i) => i).filter((i) => i !== 1);
  return {
    mean: y.mean(axes).toFlatArray(),
    variance: y.var(axes, { unbiased: false }).toFlatArray(),
  };
}

describe("batchNorm", () => {
  it("training: the four equations (μ_B, biased σ²_B, x̂, γx̂ + β) hold numerically", () => {
    const x = features(64, 3, 1);
    const eps = 1e-5;
    const xHat = F.batchNorm(x, null, null, null, null, { training: true, eps });
    const { mean, variance } = channelStats(xHat);
    const batchVar = x.var(0, { unbiased: false }).toFlatArray();
    mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-12));
    // Var(x̂) = σ²_B / (σ²_B + eps): 1 up to the eps in the denominator.
    variance.forEach((v, c) => expect(v).toBeCloseTo(batchVar[c] / (batchVar[c] + eps), 12));
    const gamma = tensor([2, -1, 0.5], f64);
    const beta = tensor([0.1, 0.2, 0.3], f64);
    const y = F.batchNorm(x, null, null, gamma, beta, { training: true, eps });
    const expected = xHat.mul(gamma).add(beta).toFlatArray();
    y.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });

  it("training updates the running stats in place, with the UNBIASED variance (exact values)", () => {
    const x = tensor([[1, 2], [3, 6]], f64); // means [2, 4]; biased var [1, 4]; unbiased [2, 8]
    const runningMean = zeros([2], f64);
    const runningVar = ones([2], f64);
    const y = F.batchNorm(x, runningMean, runningVar, null, null, { training: true, momentum: 0.1, eps: 1e-12 });
    expect(runningMean.toFlatArray()).toEqual([0.2, 0.4]);
    expect(runningVar.toFlatArray()[0]).toBeCloseTo(0.9 + 0.1 * 2, 15);
    expect(runningVar.toFlatArray()[1]).toBeCloseTo(0.9 + 0.1 * 8, 15);
    // ...while the output uses the biased variance: (1 − 2)/√1 = −1, (2 − 4)/√4 = −1.
    y.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo([-1, -1, 1, 1][i], 9));
  });

  it("[N, C, L]: statistics over the batch and the positions (m = N·L)", () => {
    const x = features(4, 3, 2, [5]);
    const y = F.batchNorm(x, null, null, null, null, { training: true });
    channelStats(y).mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-12));
    channelStats(y).variance.forEach((v) => expect(v).toBeCloseTo(1, 4));
    const rm = zeros([3], f64);
    const rv = ones([3], f64);
    F.batchNorm(x, rm, rv, null, null, { training: true, momentum: 1 });
    expect(rm.toFlatArray()).toEqual(x.mean([0, 2]).toFlatArray());
    rv.toFlatArray().forEach((v, c) => expect(v).toBeCloseTo(x.var([0, 2], { unbiased: true }).data[c], 12));
  });

  it("eval uses the running statistics, so a sample's output does not depend on the batch", () => {
    const x = tensor([[1, 2], [3, 6]], f64);
    const rm = tensor([1, 2], f64);
    const rv = tensor([4, 9], f64);
    const w = tensor([2, 3], f64);
    const b = tensor([1, -1], f64);
    const y = F.batchNorm(x, rm, rv, w, b, { eps: 1e-300 });
    // ((x − rm)/√rv)·w + b: row 0 → [0·2 + 1, 0·3 − 1], row 1 → [1·2 + 1, (4/3)·3 − 1].
    expect(y.toFlatArray().map((v) => +v.toFixed(12))).toEqual([1, -1, 3, 3]);
    const alone = F.batchNorm(x.slice(0, 1, 2), rm, rv, w, b, { eps: 1e-300 });
    expect(alone.toFlatArray().map((v) => +v.toFixed(12))).toEqual([3, 3]);
    expect(rm.toFlatArray()).toEqual([1, 2]); // untouched in eval
  });

  it("without running stats it always uses the batch statistics", () => {
    const x = features(8, 2, 3);
    const evalOut = F.batchNorm(x, null, null, null, null, { training: false });
    const trainOut = F.batchNorm(x, null, null, null, null, { training: true });
    expect(evalOut.toFlatArray()).toEqual(trainOut.toFlatArray());
  });

  it("refuses one value per channel in training, and bad hyperparameters", () => {
    const one = tensor([[1, 2, 3]], f64);
    expect(() => F.batchNorm(one, zeros([3], f64), ones([3], f64), null, null, { training: true })).toThrow(
      /\[batchNorm\] Expected more than 1 value per channel when training, got input size \[1,3\]/,
    );
    expect(() => F.batchNorm(tensor([[[1, 2]]], f64), null, null, null, null, { training: true })).not.toThrow(); // m = N·L = 2
    expect(() => F.batchNorm(one, zeros([3], f64), ones([3], f64))).not.toThrow(); // eval is fine
    const x = features(4, 3, 4);
    expect(() => F.batchNorm(x, null, null, null, null, { training: true, momentum: 1.5 })).toThrow(/\[batchNorm\] Invalid momentum: 1.5 \(must be in \[0, 1\]\)/);
    expect(() => F.batchNorm(x, zeros([2]), ones([2]))).toThrow(/runningMean \[2\] must have one entry per channel \(3\)/);
    expect(() => F.batchNorm(x, zeros([3]), null)).toThrow(/both runningMean and runningVar/);
  });

  it("gradients flow through μ_B (Σy is shift invariant: its gradient is 0) and σ²_B", () => {
    const x = leaf(features(6, 2, 5));
    F.batchNorm(x, null, null, null, null, { training: true }).sum().backward();
    x.grad!.toFlatArray().forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-12));
    // Σ x̂² = m·σ²/(σ² + eps) depends on x only through the eps:
    // ∂/∂xᵢ = 2·eps·(xᵢ − μ) / (σ² + eps)², tiny, and not the 2x̂ᵢ/σ a detached σ² would give.
    const eps = 1e-5;
    const x2 = leaf(features(6, 2, 5));
    F.batchNorm(x2, null, null, null, null, { training: true, eps }).square().sum().backward();
    const mu = x2.mean(0).toFlatArray();
    const s2 = x2.var(0, { unbiased: false }).toFlatArray();
    x2.grad!.toFlatArray().forEach((g, i) => {
      const c = i % 2;
      expect(g).toBeCloseTo((2 * eps * (x2.data[i] - mu[c])) / (s2[c] + eps) ** 2, 12);
    });
  });

  it("gradient check in training mode w.r.t. x, weight and bias ([N, C] and [N, C, L])", () => {
    const g = new Generator(6);
    const w = randn([3], { ...f64, generator: g, requiresGrad: true });
    const b = randn([3], { ...f64, generator: g, requiresGrad: true });
    expectGradients((x, w, b) => F.batchNorm(x, null, null, w, b, { training: true }), [leaf(features(5, 3, 7)), w, b]);
    expectGradients(
      (x, w, b) => F.batchNorm(x, zeros([3], f64), ones([3], f64), w, b, { training: true }),
      [leaf(features(2, 3, 8, [4])), w, b],
    );
  });

  it("gradient check in eval mode (a fixed affine map per channel)", () => {
    const w = tensor([1.5, -0.5], { ...f64, requiresGrad: true });
    expectGradients((x, w) => F.batchNorm(x, tensor([0.5, -1], f64), tensor([2, 0.5], f64), w, null), [leaf(features(3, 2, 9)), w]);
  });
});

describe("layerNorm", () => {
  it("normalizes each sample over the last axes", () => {
    const x = features(4, 3, 10, [5]); // [4, 3, 5]
    const y = F.layerNorm(x, [5]);
    const rowMeans = y.mean(-1).toFlatArray();
    rowMeans.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-12));
    y.var(-1, { unbiased: false }).toFlatArray().forEach((v) => expect(v).toBeCloseTo(1, 3));
    const y2 = F.layerNorm(x, [3, 5]);
    y2.mean([1, 2]).toFlatArray().forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-12));
    expect(F.layerNorm(x, 5).toFlatArray()).toEqual(y.toFlatArray());
  });

  it("is the same in every sample regardless of the batch (no batch statistics)", () => {
    const x = features(4, 6, 11);
    const alone = F.layerNorm(x.slice(0, 2, 3), [6]).toFlatArray();
    expect(F.layerNorm(x, [6]).slice(0, 2, 3).toFlatArray()).toEqual(alone);
  });

  it("refuses a normalizedShape that does not match the trailing axes", () => {
    expect(() => F.layerNorm(zeros([2, 3]), [4])).toThrow(/\[layerNorm\] normalizedShape \[4\] must match the last axes of the input \[2,3\]/);
    expect(() => F.layerNorm(zeros([2, 3]), [3], ones([4]))).toThrow(/weight \[4\] must have shape \[3\]/);
  });

  it("gradient check w.r.t. x, weight and bias", () => {
    const g = new Generator(12);
    const w = randn([3, 4], { ...f64, generator: g, requiresGrad: true });
    const b = randn([3, 4], { ...f64, generator: g, requiresGrad: true });
    expectGradients((x, w, b) => F.layerNorm(x, [3, 4], w, b), [leaf(features(2, 3, 13, [4])), w, b]);
    const w1 = randn([4], { ...f64, generator: g, requiresGrad: true });
    expectGradients((x, w) => F.layerNorm(x, [4], w), [leaf(features(2, 3, 14, [4])), w1]);
  });
});

describe("groupNorm", () => {
  const x = features(3, 4, 15, [5]); // [3, 4, 5]

  it("normalizes each (sample, group of channels) over the group's channels and positions", () => {
    const y = F.groupNorm(x, 2);
    const grouped = y.reshape(3, 2, 10);
    grouped.mean(2).toFlatArray().forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-12));
    grouped.var(2, { unbiased: false }).toFlatArray().forEach((v) => expect(v).toBeCloseTo(1, 3));
  });

  it("is layer norm over [C, L] with one group and instance norm with C groups", () => {
    const asLayer = F.layerNorm(x, [4, 5]).toFlatArray();
    F.groupNorm(x, 1).toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(asLayer[i], 12));
    const asInstance = F.instanceNorm(x).toFlatArray();
    F.groupNorm(x, 4).toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(asInstance[i], 12));
  });

  it("refuses a group count that does not divide the channels", () => {
    expect(() => F.groupNorm(x, 3)).toThrow(/\[groupNorm\] numGroups must be a positive integer dividing the 4 channels, got 3/);
  });

  it("gradient check w.r.t. x, weight and bias", () => {
    const g = new Generator(16);
    const w = randn([4], { ...f64, generator: g, requiresGrad: true });
    const b = randn([4], { ...f64, generator: g, requiresGrad: true });
    expectGradients((x, w, b) => F.groupNorm(x, 2, w, b), [leaf(features(2, 4, 17, [3])), w, b]);
  });
});

describe("instanceNorm", () => {
  it("normalizes each (sample, channel) over its positions", () => {
    const x = features(2, 3, 18, [6]);
    const y = F.instanceNorm(x);
    y.mean(2).toFlatArray().forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-12));
    y.var(2, { unbiased: false }).toFlatArray().forEach((v) => expect(v).toBeCloseTo(1, 3));
  });

  it("refuses inputs without positions to normalize over", () => {
    expect(() => F.instanceNorm(zeros([2, 3]))).toThrow(/\[instanceNorm\] input must be \[N, C, L, ...\], got \[2,3\]/);
    expect(() => F.instanceNorm(zeros([2, 3, 1]))).toThrow(/expected more than 1 spatial element/);
  });

  it("gradient check w.r.t. x, weight and bias", () => {
    const g = new Generator(19);
    const w = randn([3], { ...f64, generator: g, requiresGrad: true });
    const b = randn([3], { ...f64, generator: g, requiresGrad: true });
    expectGradients((x, w, b) => F.instanceNorm(x, w, b), [leaf(features(2, 3, 20, [4])), w, b]);
  });
});
