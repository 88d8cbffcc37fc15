/**
 * The convolution and pooling kernels: im2col and col2im are adjoint
 * (⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for any geometry: a fast-check property),
 * and the whole convolution on the fast kernels (WebAssembly products with
 * helper threads) equals the reference kernels (cpu.ts) to float32 rounding,
 * on odd sizes that leave SIMD tails and split products unevenly.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { F, Generator, type Tensor, backend, randn } from "kernel-lib";
import { F32_EPS, expectWithinRounding } from "../../helpers/backend-oracle";

const cpu = backend.cpuKernels;

describe("im2col and col2im", () => {
  it("are adjoint for any stride, padding, dilation and size", () => {
    const geometry = fc.record({
      batch: fc.integer({ min: 1, max: 2 }), channels: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 1, max: 7 }), width: fc.integer({ min: 1, max: 7 }),
      kernelH: fc.integer({ min: 1, max: 3 }), kernelW: fc.integer({ min: 1, max: 3 }),
      strideH: fc.integer({ min: 1, max: 3 }), strideW: fc.integer({ min: 1, max: 3 }),
      padTop: fc.integer({ min: 0, max: 2 }), padLeft: fc.integer({ min: 0, max: 2 }),
      dilationH: fc.integer({ min: 1, max: 2 }), dilationW: fc.integer({ min: 1, max: 2 }),
    });
    fc.assert(fc.property(geometry, fc.integer(), (g, seed) => {
      const outH = Math.floor((g.height + 2 * g.padTop - g.dilationH * (g.kernelH - 1) - 1) / g.strideH) + 1;
      const outW = Math.floor((g.width + 2 * g.padLeft - g.dilationW * (g.kernelW - 1) - 1) / g.strideW) + 1;
      fc.pre(outH >= 1 && outW >= 1);
      const geo = { ...g, outH, outW };
      const gen = new Generator(seed);
      const x = Float64Array.from({ length: g.batch * g.channels * g.height * g.width }, () => gen.uniform() - 0.5);
      const c = Float64Array.from({ length: g.channels * g.kernelH * g.kernelW * g.batch * outH * outW }, () => gen.uniform() - 0.5);
      const cols = new Float64Array(c.length);
      cpu.im2col(x, geo, cols);
      const back = new Float64Array(x.length);
      cpu.col2im(c, geo, back);
      const lhs = cols.reduce((s, v, i) => s + v * c[i], 0);
      const rhs = x.reduce((s, v, i) => s + v * back[i], 0);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12 * (1 + Math.abs(lhs)));
    }), { numRuns: 200 });
  });
});

const fast = backend.wasmKernels;

describe.skipIf(fast === null)("convolution on the fast kernels equals the reference", () => {
  /** Output and both gradients of a float32 conv2d on the given kernels. */
  function run(kernels: backend.Kernels, x: Tensor, w: Tensor, r: Tensor, options: F.Conv2dOptions): Float32Array[] {
    const previous = backend.setKernels(kernels);
    try {
      const xs = x.detach().requiresGrad_();
      const ws = w.detach().requiresGrad_();
      const y = F.conv2d(xs, ws, null, options);
      y.backward(r);
      return [y.data, xs.grad!.data, ws.grad!.data] as Float32Array[];
    } finally {
      backend.setKernels(previous);
    }
  }

  it.each([
    ["the cnn-step's second convolution, on 8 images", [8, 32, 14, 14], [64, 32, 3, 3], { padding: 1 }],
    ["odd sizes: 5 images of 3×13×11, 7 filters 3×3", [5, 3, 13, 11], [7, 3, 3, 3], { padding: 1 }],
    ["stride 2, dilation 2, odd channels", [3, 5, 17, 9], [9, 5, 3, 3], { stride: 2, dilation: 2, padding: 2 }],
    ["groups 3 (products of 3 rows)", [2, 9, 7, 7], [6, 3, 3, 3], { groups: 3, padding: "same" }],
  ] as const)("%s", (_, xShape, wShape, options) => {
    const g = new Generator(7);
    const x = randn([...xShape], { generator: g });
    const w = randn([...wShape], { generator: g });
    const probe = F.conv2d(x, w, null, options);
    const r = randn([...probe.shape], { generator: g });
    const want = run(cpu, x, w, r, options);
    const got = run(fast!, x, w, r, options);
    // Each value is a sum of at most K products (K = the longest reduction: C·kH·kW, C_out·kH·kW or N·P), so two
    // summation orders differ by at most 2·K·ε·Σ|terms|; Σ|terms| is the same computation on |x|, |w| and |r|.
    const k = Math.max(x.shape[1] * wShape[2] * wShape[3], w.shape[0] * wShape[2] * wShape[3], probe.shape[0] * probe.shape[2] * probe.shape[3]);
    const scale = run(cpu, x.abs(), w.abs(), r.abs(), options);
    want.forEach((ref, i) => expectWithinRounding(got[i], ref, scale[i], 2 * k * F32_EPS));
  });
});

describe.skipIf(fast === null)("2×2 max pooling on the fast kernels equals the reference", () => {
  it.each([[3, 2, 2], [2, 5, 9], [4, 28, 28], [1, 7, 17], [2, 4, 16]])("%i planes of %i×%i, with ties and NaN", (planes, height, width) => {
    const g = new Generator(height * 100 + width);
    // Few distinct values, so windows tie often; a sprinkle of NaN.
    const x = Float32Array.from({ length: planes * height * width }, () => (g.uniform() < 0.03 ? NaN : Math.floor(g.uniform() * 4)));
    const count = (size: number) => Math.floor(size / 2);
    const windows = (size: number) => ({
      start: Int32Array.from({ length: count(size) }, (_, o) => 2 * o),
      end: Int32Array.from({ length: count(size) }, (_, o) => 2 * o + 2),
      divisor: new Float64Array(count(size)).fill(2),
    });
    const run = (k: backend.Kernels) => {
      const out = new Float32Array(planes * count(height) * count(width));
      const arg = new Int32Array(out.length);
      k.maxPool2d(x, planes, height, width, windows(height), windows(width), out, arg);
      return { out: Array.from(out), arg: Array.from(arg) };
    };
    expect(run(fast!)).toEqual(run(cpu));
  });
});
