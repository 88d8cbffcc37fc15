/**
 * F.linear with a bias runs as one fused primitive (functional/linear-fused.ts).
 * Here it is checked against the composition it replaces, F.linearComposed
 * (x·Wᵀ, then a broadcast add), on random shapes with odd sizes (1, 3, 17, 129),
 * leading batch axes and a 1-D input: values and all three
 * gradients. Gradient checks of linear and nn.Linear are in the layer tests.
 */
import { describe, expect, it } from "vitest";
import { F, Generator, type DType, type Tensor, randn } from "kernel-lib";

function leaf(shape: number[], seed: number, dtype: DType): Tensor {
  return randn(shape, { generator: new Generator(seed), dtype }).requiresGrad_();
}

function compare(xShape: number[], outF: number, dtype: DType, wDtype: DType = dtype): void {
  const inF = xShape[xShape.length - 1];
  const seed = xShape.reduce((a, b) => a * 31 + b, outF);
  const run = (fused: boolean) => {
    const x = leaf(xShape, seed, dtype);
    const w = leaf([outF, inF], seed + 1, wDtype);
    const b = leaf([outF], seed + 2, wDtype);
    const y = fused ? F.linear(x, w, b) : F.linearComposed(x, w, b);
    // A fixed direction r, so every output's gradient matters.
    const r = randn(y.shape, { generator: new Generator(seed + 3), dtype: y.dtype });
    y.mul(r).sum().backward();
    return { y, grads: [x.grad!, w.grad!, b.grad!] };
  };
  const fused = run(true);
  const composed = run(false);
  const tol = fused.y.dtype === "float64" ? 1e-12 : 1e-5;
  expect(fused.y.shape).toEqual(composed.y.shape);
  expect(fused.y.dtype).toBe(composed.y.dtype);
  const close = (a: Tensor, b: Tensor, what: string) => {
    expect(a.shape, what).toEqual(b.shape);
    let worst = 0;
    let at = -1;
    a.data.forEach((v, i) => {
      const err = Math.abs(v - b.data[i]) / Math.max(1, Math.abs(b.data[i]));
      if (!(err <= worst)) [worst, at] = [err, i]; // NaN counts as worst
    });
    expect(worst, `${what}: largest relative difference at ${at}`).toBeLessThanOrEqual(tol);
  };
  close(fused.y, composed.y, "y");
  ["dx", "dweight", "dbias"].forEach((what, i) => close(fused.grads[i], composed.grads[i], what));
}

describe("fused linear against matmul + add", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const [xShape, outF] of [
      [[1, 1], 1], [[3, 17], 3], [[17, 3], 129], [[129, 17], 1], [[2, 3, 17], 5], [[17], 3], [[4, 0], 3], [[0, 5], 3],
    ] as [number[], number][]) {
      it(`${dtype}: x ${JSON.stringify(xShape)}, ${outF} outputs`, () => compare(xShape, outF, dtype));
    }
  }

  it("a float32 input with float64 weights is refused, as in PyTorch (no silent promotion)", () => {
    expect(() => compare([5, 3], 4, "float32", "float64")).toThrow(/\[linear\] input is float32 but the layer's weight is float64/);
  });

  it("products large enough for the fast kernels (and their helper threads): [128, 784] × [256, 784]ᵀ", () => compare([128, 784], 256, "float32"));

  it("only the inputs that require grad get gradients", () => {
    const x = randn([4, 3]);
    const w = randn([2, 3]).requiresGrad_();
    const b = randn([2]);
    F.linear(x, w, b).sum().backward();
    expect(w.grad?.shape).toEqual([2, 3]);
    expect(x.grad).toBeNull();
    expect(b.grad).toBeNull();
  });
});
