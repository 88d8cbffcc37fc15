/**
 * Normalization of [N, C, H, W] feature maps: which axes each layer averages
 * over (BatchNorm2d: N, H, W per channel; InstanceNorm2d: H, W per sample and
 * channel; GroupNorm: C/G, H, W per sample and group; LayerNorm: C, H, W per
 * sample), running statistics of BatchNorm2d, gradient checks in float64.
 */
import { describe, expect, it } from "vitest";
import { Generator, type Tensor, gradcheck, nn, randn } from "kernel-lib";

const f64 = { dtype: "float64" as const };

/** x[n, c, h, w] ~ N(c − 1, (c + 1)²): channels with different statistics. */
function maps(shape: number[], seed: number): Tensor {
  const x = randn(shape, { ...f64, generator: new Generator(seed) });
  const inner = shape[2] * shape[3];
  for (let i = 0; i < x.size; i++) {
    const c = Math.floor(i / inner) % shape[1];
    x.data[i] = x.data[i] * (c + 1) + c - 1;
  }
  return x;
}

function expectStandardized(y: Tensor, axes: number[]): void {
  const mean = y.mean(axes).toFlatArray();
  const variance = y.var(axes, { unbiased: false }).toFlatArray();
  mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-10));
  variance.forEach((v) => expect(v).toBeCloseTo(1, 3));
}

describe("BatchNorm2d", () => {
  it("training: each channel has mean 0 and variance 1 over (N, H, W)", () => {
    const bn = new nn.BatchNorm2d(3, { dtype: "float64" }).train();
    expectStandardized(bn.call(maps([4, 3, 5, 6], 1)), [0, 2, 3]);
  });

  it("running statistics: (1 − 0.1)·old + 0.1·batch, the variance unbiased over m = N·H·W", () => {
    const x = maps([4, 3, 5, 6], 2);
    const bn = new nn.BatchNorm2d(3, { dtype: "float64" }).train();
    bn.call(x);
    const m = 4 * 5 * 6;
    const mean = x.mean([0, 2, 3]).toFlatArray();
    const variance = x.var([0, 2, 3], { unbiased: false }).toFlatArray();
    bn.runningMean!.toFlatArray().forEach((r, c) => expect(r).toBeCloseTo(0.1 * mean[c], 12));
    bn.runningVar!.toFlatArray().forEach((r, c) => expect(r).toBeCloseTo(0.9 + 0.1 * variance[c] * (m / (m - 1)), 12));
    expect(bn.numBatchesTracked!.item()).toBe(1);
  });

  it("evaluation normalizes with the running statistics, one sample at a time", () => {
    const bn = new nn.BatchNorm2d(3, { dtype: "float64" }).train();
    for (let s = 0; s < 5; s++) bn.call(maps([4, 3, 5, 6], 10 + s));
    bn.eval();
    const x = maps([2, 3, 5, 6], 20);
    const both = bn.call(x).toFlatArray();
    const first = bn.call(x.slice(0, 0, 1)).toFlatArray();
    first.forEach((v, i) => expect(v).toBeCloseTo(both[i], 12));
  });

  it("gradcheck of input, weight and bias (batch statistics)", () => {
    const bn = new nn.BatchNorm2d(2, { dtype: "float64" }).train();
    const x = maps([3, 2, 3, 5], 3).requiresGrad_();
    const r = gradcheck((t, w, b) => {
      bn.weight!.data.set(w.data);
      bn.bias!.data.set(b.data);
      return bn.call(t).mul(maps([3, 2, 3, 5], 4));
    }, [x, bn.weight!, bn.bias!], { eps: 1e-5 });
    expect(r.worst).toBeUndefined();
  });

  it("refuses anything but [N, C, H, W] with its channel count", () => {
    expect(() => new nn.BatchNorm2d(3).call(randn([4, 3, 5]))).toThrow(/\[BatchNorm2d\] expected 4-D input \[N, C, H, W\], got \[4,3,5\]/);
    expect(() => new nn.BatchNorm2d(3).call(randn([4, 2, 5, 5]))).toThrow(/\[BatchNorm2d\] expected 3 channels on axis 1, got input \[4,2,5,5\]/);
    expect(() => new nn.BatchNorm2d(0)).toThrow(/\[BatchNorm2d\] Invalid numFeatures: 0 \(must be a positive integer\)/);
  });
});

describe("InstanceNorm2d, GroupNorm and LayerNorm on [N, C, H, W]", () => {
  const x = maps([2, 4, 3, 5], 5);

  it("InstanceNorm2d standardizes each (sample, channel) over H, W", () => {
    expectStandardized(new nn.InstanceNorm2d(4, { dtype: "float64" }).call(x), [2, 3]);
  });

  it("GroupNorm(2, 4) standardizes each (sample, group of 2 channels) over C/G, H, W", () => {
    const y = new nn.GroupNorm(2, 4, { dtype: "float64" }).call(x);
    expectStandardized(y.reshape([2, 2, 2 * 3 * 5]), [2]);
  });

  it("LayerNorm([C, H, W]) standardizes each sample over C, H, W", () => {
    expectStandardized(new nn.LayerNorm([4, 3, 5], { dtype: "float64" }).call(x), [1, 2, 3]);
  });

  it("gradchecks", () => {
    const t = maps([2, 4, 3, 3], 6).requiresGrad_();
    const weight = maps([1, 4, 1, 1], 7).reshape([4]);
    const r = maps([2, 4, 3, 3], 8);
    const inorm = new nn.InstanceNorm2d(4, { dtype: "float64", affine: true });
    const gnorm = new nn.GroupNorm(2, 4, { dtype: "float64" });
    inorm.weight!.data.set(weight.data);
    gnorm.weight!.data.set(weight.data);
    expect(gradcheck((u) => inorm.call(u).mul(r), [t], { eps: 1e-5 }).worst).toBeUndefined();
    expect(gradcheck((u) => gnorm.call(u).mul(r), [t], { eps: 1e-5 }).worst).toBeUndefined();
  });

  it("InstanceNorm2d refuses a 3-D input", () => {
    expect(() => new nn.InstanceNorm2d(4).call(randn([2, 4, 5]))).toThrow(/\[InstanceNorm2d\] expected 4-D input \[N, C, H, W\]/);
  });
});
