import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { F, Generator, Tensor, gradcheck, randn, tensor } from "kernel-lib";

/** Float64 leaf with values pushed at least `gap` away from each kink, so finite differences never straddle one. */
function awayFrom(kinks: number[], shape: number[], seed: number, gap = 0.1): Tensor {
  const x = randn(shape, { dtype: "float64", generator: new Generator(seed) });
  const d = x.data;
  for (let i = 0; i < d.length; i++) {
    d[i] *= 1.5;
    for (const k of kinks) if (Math.abs(d[i] - k) < gap) d[i] = k + (d[i] >= k ? gap : -gap);
  }
  return x.requiresGrad_();
}

/**
 * The one gradient-check assertion: autograd agrees with central differences
 * to 1e-6 relative error. Step h = 1e-5 balances the h² truncation error
 * against rounding (~1e-16/h), which at h = 1e-6 already dominates small entries.
 */
function expectGradients(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const result = gradcheck(fn, inputs, { eps: 1e-5 });
  expect(result.worst).toBeUndefined();
  expect(result.ok).toBe(true);
  expect(result.maxRelativeError).toBeLessThanOrEqual(1e-6);
}

function close(t: Tensor, expected: number[], digits = 6): void {
  const got = t.toFlatArray();
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], digits));
}

describe("activation values", () => {
  const x = tensor([-2, -0.5, 0, 0.5, 3], { dtype: "float64" });

  it("relu and leakyRelu (default slope 0.01)", () => {
    close(F.relu(x), [0, 0, 0, 0.5, 3]);
    close(F.leakyRelu(x), [-0.02, -0.005, 0, 0.5, 3]);
    close(F.leakyRelu(x, 0.2), [-0.4, -0.1, 0, 0.5, 3]);
  });

  it("elu, selu and celu follow their formulas", () => {
    close(F.elu(x), [Math.expm1(-2), Math.expm1(-0.5), 0, 0.5, 3]);
    close(F.elu(x, 2), [2 * Math.expm1(-2), 2 * Math.expm1(-0.5), 0, 0.5, 3]);
    const l = 1.0507009873554804934193349852946;
    const a = 1.6732632423543772848170429916717;
    close(F.selu(x), [l * a * Math.expm1(-2), l * a * Math.expm1(-0.5), 0, l * 0.5, l * 3], 10);
    close(F.celu(x, 0.5), [0.5 * Math.expm1(-4), 0.5 * Math.expm1(-1), 0, 0.5, 3]);
  });

  it("elu has a finite gradient for huge positive inputs (no Inf · 0)", () => {
    const big = tensor([1000, -1000], { dtype: "float64", requiresGrad: true });
    F.elu(big).sum().backward();
    expect(big.grad!.toFlatArray()).toEqual([1, 0]);
  });

  it("gelu: exact (erf) and tanh approximation", () => {
    // Φ(1) = 0.841344746068543, Φ(−0.5) = 0.308537538725987
    close(F.gelu(tensor([1, -0.5], { dtype: "float64" })), [0.841344746068543, -0.5 * 0.308537538725987], 12);
    const t = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    close(F.gelu(x, { approximate: "tanh" }), x.toFlatArray().map(t), 12);
    expect(() => F.gelu(x, { approximate: "fast" as "tanh" })).toThrow(/\[gelu\] Invalid approximate: "fast" \(must be one of "none", "tanh"\)/);
  });

  it("silu, sigmoid, tanh", () => {
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    close(F.silu(x), x.toFlatArray().map((v) => v * s(v)));
    close(F.sigmoid(x), x.toFlatArray().map(s));
    close(F.tanh(x), x.toFlatArray().map(Math.tanh));
  });

  it("softplus: beta, and the linear regime above the threshold", () => {
    close(F.softplus(x), x.toFlatArray().map((v) => Math.log1p(Math.exp(v))));
    close(F.softplus(x, { beta: 2 }), x.toFlatArray().map((v) => Math.log1p(Math.exp(2 * v)) / 2));
    const big = tensor([15, 25], { dtype: "float64" });
    expect(F.softplus(big, { threshold: 20 }).toFlatArray()).toEqual([Math.log1p(Math.exp(15)), 25]);
    expect(() => F.softplus(x, { beta: 0 })).toThrow(/\[softplus\] Invalid beta: 0 \(must be a finite number > 0\)/);
  });

  it("hardtanh clamps to [minVal, maxVal]", () => {
    close(F.hardtanh(x), [-1, -0.5, 0, 0.5, 1]);
    close(F.hardtanh(x, -0.25, 2), [-0.25, -0.25, 0, 0.5, 2]);
    expect(() => F.hardtanh(x, 1, -1)).toThrow(/minVal < maxVal/);
  });

  it("prelu: one shared slope or one per channel (axis 1)", () => {
    close(F.prelu(x, tensor([0.25], { dtype: "float64" })), [-0.5, -0.125, 0, 0.5, 3]);
    const x3 = tensor([[[-1, 2], [-1, 2], [-1, 2]]], { dtype: "float64" }); // [1, 3, 2]
    close(F.prelu(x3, tensor([0.1, 0.2, 0.3], { dtype: "float64" })), [-0.1, 2, -0.2, 2, -0.3, 2]);
    expect(() => F.prelu(x3, tensor([0.1, 0.2]))).toThrow(/\[prelu\] weight \[2\] must have 1 entry or one per channel/);
  });

  it("rrelu: mean slope in eval, a random slope in [lower, upper] per element in training", () => {
    close(F.rrelu(x), F.leakyRelu(x, (1 / 8 + 1 / 3) / 2).toFlatArray());
    const neg = tensor(new Array(2000).fill(-1), { dtype: "float64" });
    const y = F.rrelu(neg, { training: true, lower: 0.1, upper: 0.3, generator: new Generator(1) }).toFlatArray();
    expect(Math.min(...y)).toBeGreaterThanOrEqual(-0.3);
    expect(Math.max(...y)).toBeLessThanOrEqual(-0.1);
    expect(y.reduce((a, b) => a + b, 0) / y.length).toBeCloseTo(-0.2, 2);
    expect(new Set(y).size).toBeGreaterThan(1000);
    const again = F.rrelu(neg, { training: true, lower: 0.1, upper: 0.3, generator: new Generator(1) }).toFlatArray();
    expect(again).toEqual(y);
    close(F.rrelu(tensor([0, 2]), { training: true }), [0, 2]);
  });
});

describe("softmax and logSoftmax", () => {
  it("match the textbook values", () => {
    close(F.softmax(tensor([1, 2, 3], { dtype: "float64" })), [0.09003057317038046, 0.24472847105479767, 0.6652409557748219], 12);
  });

  it("do not overflow for huge logits nor underflow to log(0) for tiny ones", () => {
    close(F.softmax(tensor([1000, 1001], { dtype: "float64" })), [1 / (1 + Math.E), Math.E / (1 + Math.E)], 12);
    const ls = F.logSoftmax(tensor([-1000, 0], { dtype: "float64" })).toFlatArray();
    expect(ls[0]).toBeCloseTo(-1000, 9);
    expect(ls[1]).toBeCloseTo(0, 9);
  });

  it("softmax rows are positive and sum to 1; exp(logSoftmax) = softmax (any dim)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 1 }), (seed, dim) => {
        const x = randn([3, 4], { dtype: "float64", generator: new Generator(seed) }).mul(10);
        const p = F.softmax(x, dim);
        const sums = p.sum(dim).toFlatArray();
        sums.forEach((s) => expect(s).toBeCloseTo(1, 12));
        expect(Math.min(...p.toFlatArray())).toBeGreaterThan(0);
        const viaLog = F.logSoftmax(x, dim).exp().toFlatArray();
        viaLog.forEach((v, i) => expect(v).toBeCloseTo(p.data[i], 12));
      }),
      { numRuns: 50 },
    );
  });
});

describe("gradient checks (float64, away from kinks)", () => {
  const shape = [3, 5];
  const cases: [string, (x: Tensor) => Tensor, number[]][] = [
    ["relu", (x) => F.relu(x), [0]],
    ["leakyRelu", (x) => F.leakyRelu(x, 0.1), [0]],
    ["rrelu (eval)", (x) => F.rrelu(x), [0]],
    ["rrelu (training, fixed generator)", (x) => F.rrelu(x, { training: true, generator: new Generator(3) }), [0]],
    ["elu", (x) => F.elu(x, 1.3), [0]],
    ["selu", (x) => F.selu(x), [0]],
    ["celu", (x) => F.celu(x, 0.7), [0]],
    ["gelu (erf)", (x) => F.gelu(x), []],
    ["gelu (tanh)", (x) => F.gelu(x, { approximate: "tanh" }), []],
    ["silu", (x) => F.silu(x), []],
    ["softplus", (x) => F.softplus(x), []],
    ["softplus (beta 2, threshold 1)", (x) => F.softplus(x, { beta: 2, threshold: 1 }), [0.5]],
    ["sigmoid", (x) => F.sigmoid(x), []],
    ["tanh", (x) => F.tanh(x), []],
    ["hardtanh", (x) => F.hardtanh(x), [-1, 1]],
    ["softmax (last axis)", (x) => F.softmax(x), []],
    ["softmax (axis 0)", (x) => F.softmax(x, 0), []],
    ["logSoftmax (last axis)", (x) => F.logSoftmax(x), []],
    ["logSoftmax (axis 0)", (x) => F.logSoftmax(x, 0), []],
  ];
  it.each(cases)("%s", (_name, fn, kinks) => {
    expectGradients(fn, [awayFrom(kinks, shape, 11)]);
  });

  it("prelu with respect to the input and to a per-channel slope", () => {
    const x = awayFrom([0], [4, 3, 2], 5);
    const w = tensor([0.25, -0.1, 0.6], { dtype: "float64", requiresGrad: true });
    expectGradients((x, w) => F.prelu(x, w), [x, w]);
    const shared = tensor([0.3], { dtype: "float64", requiresGrad: true });
    expectGradients((x, w) => F.prelu(x, w), [x, shared]);
  });

  it("linear with respect to x, weight and bias (batched and single sample)", () => {
    const g = new Generator(2);
    const x = randn([4, 3], { dtype: "float64", generator: g, requiresGrad: true });
    const w = randn([5, 3], { dtype: "float64", generator: g, requiresGrad: true });
    const b = randn([5], { dtype: "float64", generator: g, requiresGrad: true });
    expectGradients((x, w, b) => F.linear(x, w, b), [x, w, b]);
    const one = randn([3], { dtype: "float64", generator: g, requiresGrad: true });
    expectGradients((x, w) => F.linear(x, w), [one, w]);
  });
});

describe("linear", () => {
  it("computes x · Wᵀ + b with W stored [out, in]", () => {
    const x = tensor([[1, 2]]);
    const w = tensor([[1, 0], [0, 1], [1, 1]]);
    expect(F.linear(x, w, tensor([10, 20, 30])).toArray()).toEqual([[11, 22, 33]]);
    expect(F.linear(tensor([1, 2]), w).toArray()).toEqual([1, 2, 3]);
  });

  it("names the mismatch", () => {
    expect(() => F.linear(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow(/\[linear\] input \[1,3\] has 3 features but the weight \[1,2\] expects 2/);
    expect(() => F.linear(tensor([[1, 2]]), tensor([[1, 2]]), tensor([1, 2]))).toThrow(/\[linear\] bias \[2\] must have one entry per output feature/);
  });
});
