/**
 * The convolution and pooling kernels: im2col and col2im are adjoint
 * (⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for any geometry: a fast-check property),
 * and the whole convolution on the fast kernels (WebAssembly products with
 * helper threads) equals the reference kernels (cpu.ts) to float32 rounding,
 * on odd sizes that leave SIMD tails and split products unevenly; and the
 * kernels conv2d / conv2dBackward themselves, float32 and float64, with the
 * images split over two threads (odd batches), bias, 1×1 and strided cases;
 * and the weight gradient's bits do not depend on the thread count.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { F, Generator, type Tensor, backend, randn } from "kernel-lib";
import { F32_EPS, expectWithinRounding } from "../../helpers/backend-oracle";
import { setAdaptiveThreads, setNumThreads, getNumThreads, setThreadMinWork } from "../../../kernel-lib/src/backend/wasm";

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

describe.skipIf(fast === null)("conv2d and conv2dBackward kernels, images split across threads, equal the reference", () => {
  /** Every array of one conv on the given kernels: out, dx, dW. */
  function run(k: backend.Kernels, arrays: { x: Float64Array; w: Float64Array; b: Float64Array | null; r: Float64Array }, g: backend.ConvShape, f32: boolean) {
    const cast = (a: Float64Array) => (f32 ? Float32Array.from(a) : a);
    const x = cast(arrays.x), w = cast(arrays.w), r = cast(arrays.r);
    const out = f32 ? new Float32Array(arrays.r.length) : new Float64Array(arrays.r.length);
    k.conv2d(x, w, arrays.b && cast(arrays.b), g, out);
    // dx and dW start as garbage: the kernels overwrite them.
    const dx = (f32 ? new Float32Array(x.length) : new Float64Array(x.length)).fill(7);
    const dW = (f32 ? new Float32Array(w.length) : new Float64Array(w.length)).fill(7);
    k.conv2dBackward(x, w, r, g, dx, dW);
    return [out, dx, dW];
  }

  function shape(batch: number, channels: number, side: [number, number], outChannels: number, kernel: [number, number], o: Partial<backend.ConvShape> = {}): backend.ConvShape {
    const base = { strideH: 1, strideW: 1, padTop: 0, padLeft: 0, dilationH: 1, dilationW: 1, groups: 1, ...o };
    const outH = Math.floor((side[0] + 2 * base.padTop - base.dilationH * (kernel[0] - 1) - 1) / base.strideH) + 1;
    const outW = Math.floor((side[1] + 2 * base.padLeft - base.dilationW * (kernel[1] - 1) - 1) / base.strideW) + 1;
    return { batch, channels, height: side[0], width: side[1], kernelH: kernel[0], kernelW: kernel[1], outH, outW, outChannels, ...base };
  }

  it.each([
    ["3 images on 2 threads, 3×3 padding 1, with bias", shape(3, 5, [9, 7], 6, [3, 3], { padTop: 1, padLeft: 1 }), true],
    ["1×1, stride 1, no padding: the planes are the columns", shape(5, 7, [5, 3], 9, [1, 1]), true],
    ["1×1 with stride 2 (not pointwise)", shape(4, 3, [7, 6], 5, [1, 1], { strideH: 2, strideW: 2 }), false],
    ["stride [2, 3], dilation [2, 1], padding [2, 1], 2×3 kernel", shape(3, 2, [11, 13], 4, [2, 3], { strideH: 2, strideW: 3, dilationH: 2, padTop: 2, padLeft: 1 }), true],
    ["groups 2, depthwise-like rows", shape(3, 4, [6, 5], 6, [3, 3], { groups: 2, padTop: 1, padLeft: 1 }), false],
    ["padding wider than the kernel reach", shape(2, 1, [3, 2], 3, [2, 2], { padTop: 3, padLeft: 2 }), false],
  ] as const)("%s", (_, g, withBias) => {
    const threads = getNumThreads();
    const minWork = setThreadMinWork(0);
    const adaptive = setAdaptiveThreads(false);
    setNumThreads(2);
    try {
      const gen = new Generator(g.batch * 31 + g.channels);
      const rand = (n: number) => Float64Array.from({ length: n }, () => 2 * gen.uniform() - 1);
      const rows = (g.channels / g.groups) * g.kernelH * g.kernelW;
      const arrays = {
        x: rand(g.batch * g.channels * g.height * g.width), w: rand(g.outChannels * rows),
        b: withBias ? rand(g.outChannels) : null, r: rand(g.batch * g.outChannels * g.outH * g.outW),
      };
      const abs = { x: arrays.x.map(Math.abs), w: arrays.w.map(Math.abs), b: arrays.b && arrays.b.map(Math.abs), r: arrays.r.map(Math.abs) };
      const k = Math.max(rows, g.outChannels * g.kernelH * g.kernelW, g.batch * g.outH * g.outW) + 1;
      for (const f32 of [true, false]) {
        const want = run(cpu, arrays, g, f32);
        const got = run(fast!, arrays, g, f32);
        const scale = run(cpu, abs, g, f32);
        want.forEach((ref, i) => expectWithinRounding(got[i], ref, scale[i], 2 * k * (f32 ? F32_EPS : 2 ** -53)));
      }
    } finally {
      setNumThreads(threads);
      setThreadMinWork(minWork);
      setAdaptiveThreads(adaptive);
    }
  });
});

describe.skipIf(fast === null)("conv2dBackward on an empty batch", () => {
  it("gives a zero weight gradient even when the memory holds an earlier call's values", () => {
    const g: backend.ConvShape = {
      batch: 2, channels: 3, height: 5, width: 5, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1,
      padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, outH: 5, outW: 5, groups: 1, outChannels: 4,
    };
    const w = new Float32Array(4 * 27).fill(1);
    const dW = new Float32Array(w.length);
    fast!.conv2dBackward(new Float32Array(2 * 75).fill(1), w, new Float32Array(2 * 100).fill(1), g, null, dW);
    expect(dW.some((v) => v !== 0)).toBe(true);
    fast!.conv2dBackward(new Float32Array(0), w, new Float32Array(0), { ...g, batch: 0 }, new Float32Array(0), dW);
    expect([...dW]).toEqual(new Array(w.length).fill(0));
  });
});

describe.skipIf(fast === null)("the weight gradient does not depend on how the batch is split", () => {
  // The thread count and the main thread's share move with the machine's load; the sum over images must not.
  it("gives the same bits on 1, 2 and 3 threads, for batches that do and do not divide into runs", () => {
    for (const batch of [1, 7, 13, 64]) {
      const g = {
        batch, channels: 3, height: 9, width: 9, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1,
        padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, outH: 9, outW: 9, groups: 1, outChannels: 5,
      };
      const gen = new Generator(batch);
      const x = Float32Array.from({ length: batch * 3 * 81 }, () => gen.uniform() - 0.5);
      const w = Float32Array.from({ length: 5 * 27 }, () => gen.uniform() - 0.5);
      const dOut = Float32Array.from({ length: batch * 5 * 81 }, () => gen.uniform() - 0.5);
      const dWOn = (threads: number) => {
        const minWork = setThreadMinWork(0);
        const adaptive = setAdaptiveThreads(false);
        const previous = getNumThreads();
        setNumThreads(threads);
        try {
          const dW = new Float32Array(w.length);
          fast!.conv2dBackward(x, w, dOut, g, null, dW);
          return Array.from(dW);
        } finally {
          setNumThreads(previous);
          setThreadMinWork(minWork);
          setAdaptiveThreads(adaptive);
        }
      };
      const one = dWOn(1);
      expect(dWOn(2), `batch ${batch}, 2 threads`).toEqual(one);
      expect(dWOn(3), `batch ${batch}, 3 threads`).toEqual(one);
    }
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

/** Pooling windows along one axis (no ceil mode), as functional/pooling.ts computes them. */
function poolWindows(size: number, kernel: number, stride: number, padding: number) {
  const count = Math.floor((size + 2 * padding - kernel) / stride) + 1;
  const start = Int32Array.from({ length: count }, (_, o) => Math.max(o * stride - padding, 0));
  const end = Int32Array.from({ length: count }, (_, o) => Math.min(o * stride - padding + kernel, size));
  return { start, end, divisor: new Float64Array(count).fill(kernel) };
}

describe.skipIf(fast === null)("max pooling's backward on the fast kernels equals the reference", () => {
  // Overlapping windows (3×3, stride 1) send several gradients to one input: they must add in the same order.
  it.each([
    ["2×2 tiles", 3, 6, 8, 2, 2, 0],
    ["3×3 windows, stride 1 (overlapping)", 2, 7, 9, 3, 1, 0],
    ["3×3 windows, stride 2, padding 1", 4, 11, 5, 3, 2, 1],
    ["one plane, odd sizes", 1, 13, 17, 2, 2, 0],
  ] as const)("%s", (_name, planes, height, width, kernel, stride, padding) => {
    const g = new Generator(height * 31 + width);
    // Ties (few distinct values) and a NaN or two, so the argmax rule matters.
    const x = Float32Array.from({ length: planes * height * width }, () => (g.uniform() < 0.02 ? NaN : Math.floor(g.uniform() * 3)));
    const rows = poolWindows(height, kernel, stride, padding);
    const cols = poolWindows(width, kernel, stride, padding);
    const out = new Float32Array(planes * rows.start.length * cols.start.length);
    const arg = new Int32Array(out.length);
    cpu.maxPool2d(x, planes, height, width, rows, cols, out, arg);
    const dOut = Float32Array.from({ length: out.length }, () => g.uniform() - 0.5);
    const run = (k: backend.Kernels) => {
      const dx = new Float32Array(x.length);
      k.maxPool2dBackward(dOut, arg, planes, height, width, dx);
      return Array.from(dx);
    };
    expect(run(fast!)).toEqual(run(cpu));
    // Overlapping windows do share winners, so a scatter that overwrote instead of adding would differ.
    if (stride < kernel) expect(new Set(arg).size).toBeLessThan(arg.length);
  });
});
