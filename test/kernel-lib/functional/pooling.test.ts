/**
 * F.maxPool2d, F.avgPool2d, F.adaptiveAvgPool2d: values that PyTorch 1.13
 * printed for the same inputs (hard-coded below; the script is in each
 * case's comment), gradients by central differences in float64, argmax
 * routing, and the errors.
 */
import { describe, expect, it } from "vitest";
import { F, Generator, type Tensor, arange, gradcheck, randn } from "kernel-lib";

const f64 = { dtype: "float64" as const };

/** 1…25 as [1, 1, 5, 5] with a 30 at (1, 1): a maximum that several overlapping windows share. */
function grid(): Tensor {
  const x = arange(1, 26, 1, f64).reshape([1, 1, 5, 5]);
  x.data[6] = 30;
  return x;
}

function expectValues(actual: Tensor, expected: number[], shape: number[]): void {
  expect(actual.shape).toEqual(shape);
  actual.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
}

describe("maxPool2d", () => {
  it("kernel 2 halves H and W (28 → 14), each output the max of its 2×2 tile", () => {
    const x = randn([2, 3, 28, 28], { generator: new Generator(1) });
    const y = F.maxPool2d(x, 2);
    expect(y.shape).toEqual([2, 3, 14, 14]);
    const at = (n: number, c: number, h: number, w: number) => x.data[((n * 3 + c) * 28 + h) * 28 + w];
    for (const [n, c, h, w] of [[0, 0, 0, 0], [1, 2, 13, 13], [1, 1, 5, 9]]) {
      const want = Math.max(at(n, c, 2 * h, 2 * w), at(n, c, 2 * h + 1, 2 * w), at(n, c, 2 * h, 2 * w + 1), at(n, c, 2 * h + 1, 2 * w + 1));
      expect(y.data[((n * 3 + c) * 14 + h) * 14 + w]).toBe(want);
    }
  });

  // torch: F.max_pool2d(x, 3, 2, 1, ceil_mode=True)
  it("kernel 3, stride 2, padding 1, ceilMode: torch's values", () => {
    expectValues(F.maxPool2d(grid(), 3, { stride: 2, padding: 1, ceilMode: true }), [30, 30, 10, 30, 30, 20, 22, 24, 25], [1, 1, 3, 3]);
  });

  // torch: F.max_pool2d(x, 3, 2, 1).sum().backward(); x.grad
  it("backward routes each window's gradient to its argmax (the 30 wins four windows)", () => {
    const x = grid().requiresGrad_();
    F.maxPool2d(x, 3, { stride: 2, padding: 1 }).sum().backward();
    expect(x.grad!.toFlatArray()).toEqual([0, 0, 0, 0, 0, 0, 4, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1]);
  });

  it("ties go to the first position, NaN wins (as in torch)", () => {
    const x = arange(0, 4, 1, f64).reshape([1, 1, 2, 2]).mul(0).add(1).requiresGrad_();
    F.maxPool2d(x, 2).sum().backward();
    expect(x.grad!.toFlatArray()).toEqual([1, 0, 0, 0]);
    const withNan = arange(0, 4, 1, f64).reshape([1, 2, 2]);
    withNan.data[2] = NaN;
    expect(Number.isNaN(F.maxPool2d(withNan, 2).item())).toBe(true);
  });

  it.each([
    ["kernel 2", 2, {}],
    ["kernel 3, stride 2, padding 1", 3, { stride: 2, padding: 1 }],
    ["kernel [2, 3], stride [1, 2], ceilMode", [2, 3] as [number, number], { stride: [1, 2] as [number, number], ceilMode: true }],
  ])("%s: gradcheck on an odd-sized input", (_, kernel, options) => {
    const x = randn([2, 3, 7, 9], { ...f64, generator: new Generator(2) }).requiresGrad_();
    expect(gradcheck((t) => F.maxPool2d(t, kernel, options), [x]).worst).toBeUndefined();
  });

  it("accepts [C, H, W] as torch does", () => {
    expect(F.maxPool2d(randn([3, 6, 6]), 2).shape).toEqual([3, 3, 3]);
  });
});

describe("avgPool2d", () => {
  // torch: F.avg_pool2d(x, 3, 2, 1) and count_include_pad=False
  it("padding counts in the divisor by default, not with countIncludePad: false (torch's values)", () => {
    expectValues(F.avgPool2d(grid(), 3, { stride: 2, padding: 1 }), [4.333333, 6.222222, 3.111111, 10.222222, 15.555556, 9.666667, 8.444444, 13.666667, 9.777778], [1, 1, 3, 3]);
    expectValues(F.avgPool2d(grid(), 3, { stride: 2, padding: 1, countIncludePad: false }), [9.75, 9.333333, 7, 15.333333, 15.555556, 14.5, 19, 20.5, 22], [1, 1, 3, 3]);
  });

  // torch: F.avg_pool2d(x, 2, ceil_mode=True)
  it("ceilMode: a last partial window divides by the positions it covers", () => {
    expectValues(F.avgPool2d(grid(), 2, { ceilMode: true }), [9.75, 6, 7.5, 14, 16, 17.5, 21.5, 23.5, 25], [1, 1, 3, 3]);
  });

  it.each([
    ["kernel 2", 2, {}],
    ["kernel 3, stride 2, padding 1", 3, { stride: 2, padding: 1 }],
    ["kernel 3, padding 1, countIncludePad false", 3, { stride: 1, padding: 1, countIncludePad: false }],
  ])("%s: gradcheck", (_, kernel, options) => {
    const x = randn([2, 2, 7, 5], { ...f64, generator: new Generator(3) }).requiresGrad_();
    expect(gradcheck((t) => F.avgPool2d(t, kernel, options), [x]).worst).toBeUndefined();
  });
});

describe("adaptiveAvgPool2d", () => {
  // torch: F.adaptive_avg_pool2d(x, (3, 2))
  it("windows ⌊o·H/out⌋ … ⌈(o+1)·H/out⌉ overlap when H is not a multiple (torch's values)", () => {
    expectValues(F.adaptiveAvgPool2d(grid(), [3, 2]), [8.333333, 6.5, 14.555556, 14, 19.5, 21.5], [1, 1, 3, 2]);
  });

  it("outputSize 1 is the global average; null keeps a size", () => {
    const x = randn([2, 3, 5, 7], { ...f64, generator: new Generator(4) });
    const g = F.adaptiveAvgPool2d(x, 1);
    expect(g.shape).toEqual([2, 3, 1, 1]);
    expect(g.toFlatArray()[4]).toBeCloseTo(x.mean([2, 3]).toFlatArray()[4], 12);
    expect(F.adaptiveAvgPool2d(x, [null, 2]).shape).toEqual([2, 3, 5, 2]);
  });

  it("gradcheck", () => {
    const x = randn([1, 2, 7, 5], { ...f64, generator: new Generator(5) }).requiresGrad_();
    expect(gradcheck((t) => F.adaptiveAvgPool2d(t, [3, 4]), [x]).worst).toBeUndefined();
  });
});

describe("pooling errors", () => {
  it.each([
    ["input not 3-D or 4-D", () => F.maxPool2d(randn([4, 4]), 2), /\[maxPool2d\] input must be 4-D \[N, C, H, W\] or 3-D \[C, H, W\], got \[4,4\]/],
    ["padding over half the kernel", () => F.maxPool2d(randn([1, 1, 6, 6]), 2, { padding: 2 }), /padding 2 must be at most half the kernel size 2/],
    ["kernel larger than the input", () => F.avgPool2d(randn([1, 1, 3, 3]), 4), /kernel \(4\) is larger than the padded input along the height/],
    ["zero kernel", () => F.maxPool2d(randn([1, 1, 3, 3]), 0), /Invalid kernelSize: 0 \(must be a positive integer or a pair of them\)/],
    ["bad output size", () => F.adaptiveAvgPool2d(randn([1, 1, 3, 3]), 0), /outputSize must be positive integers/],
  ])("%s", (_, call, message) => {
    expect(call).toThrow(message);
  });
});
