/**
 * The fused primitives against the compositions they replace, in float32 on
 * random shapes (odd sizes 1, 3, 17, 129; [N, C] and [N, C, L]):
 * batch norm forward and backward (training and evaluation), relu's backward,
 * and the fast kernels object against the reference one on every fused kernel
 * (elementwise, dropout masks). Adam's and SGD's kernels: optim/fast-path.test.ts.
 * Gradient checks of the fused paths (float64) are in functional/normalization.test.ts.
 */
import { describe, expect, it } from "vitest";
import { F, Generator, type Tensor, backend, noGrad, randn, tensor } from "kernel-lib";
import { F32_EPS, expectWithinRounding, randomF32 } from "../../helpers/backend-oracle";

const SHAPES: number[][] = [[2, 1], [3, 17], [17, 3], [129, 3], [2, 3, 1], [3, 17, 5], [4, 1, 129]];

function leaf32(shape: number[], seed: number, scale = 1, shift = 0): Tensor {
  const t = randn(shape, { generator: new Generator(seed) });
  for (let i = 0; i < t.size; i++) t.data[i] = t.data[i] * scale + shift;
  return t.requiresGrad_();
}

/** Values and gradients of out·r (a fixed random direction r) by both paths. */
function both(shape: number[], training: boolean, seed: number) {
  const c = shape[1];
  const run = (fused: boolean) => {
    const x = leaf32(shape, seed, 2, 0.5);
    const w = leaf32([c], seed + 1);
    const b = leaf32([c], seed + 2);
    const rm = tensor(randomF32(c, seed + 3));
    const rv = tensor(randomF32(c, seed + 4).map((v) => v * v + 0.5));
    const batchNorm = fused ? F.batchNorm : F.batchNormComposed;
    const out = batchNorm(x, rm, rv, w, b, { training });
    const r = randn(out.shape, { generator: new Generator(seed + 5) });
    out.mul(r).sum().backward();
    return { out: out.data, dx: x.grad!.data, dw: w.grad!.data, db: b.grad!.data, rm: rm.data, rv: rv.data, m: x.size / c };
  };
  return { fused: run(true), composed: run(false) };
}

describe("fused batch norm matches the composed equations (float32)", () => {
  for (const training of [true, false]) {
    it.each(SHAPES.filter((s) => !training || s[0] * (s[2] ?? 1) > 1))(`${training ? "training" : "evaluation"}, shape [%s]`, (...shape) => {
      const { fused, composed } = both(shape, training, shape.reduce((a, b) => a * 31 + b, 7));
      // Every output is a short chain of float32 operations on sums of m terms.
      const slack = 64 * F32_EPS;
      const ones = (n: number, s: number) => new Float64Array(n).fill(s);
      expectWithinRounding(fused.out, composed.out, ones(fused.out.length, 10), slack);
      expectWithinRounding(fused.db, composed.db, ones(fused.db.length, 4 * fused.m), slack);
      expectWithinRounding(fused.dw, composed.dw, ones(fused.dw.length, 10 * fused.m), slack);
      expectWithinRounding(fused.dx, composed.dx, ones(fused.dx.length, 1e3), slack);
      // Training updates the running statistics in place, the same on both paths.
      expectWithinRounding(fused.rm, composed.rm, ones(fused.rm.length, 10), slack);
      expectWithinRounding(fused.rv, composed.rv, ones(fused.rm.length, 10), slack);
    });
  }
});

describe("fused kernels: the active backend against the reference", () => {
  it("channelMoments, channelNormalize and batchNormBackward give the reference's results", () => {
    const fast = backend.kernels();
    const ref = backend.cpuKernels;
    // [N, C] with inner = 1 runs on the SIMD kernels (C = 17 and 257 leave a tail of channels); the others on the reference.
    for (const [outer, channels, inner] of [[1, 1, 1], [3, 17, 1], [17, 3, 129], [129, 1, 3], [128, 256, 1], [33, 257, 1]]) {
      const n = outer * channels * inner;
      const x = randomF32(n, n);
      const g = randomF32(n, n + 1);
      const w = randomF32(channels, n + 2);
      const results = [fast, ref].map((k) => {
        const mean = new Float64Array(channels);
        const variance = new Float64Array(channels);
        k.channelMoments(x, channels, inner, mean, variance);
        const invStd = variance.map((v) => 1 / Math.sqrt(v + 1e-5));
        const out = new Float32Array(n);
        k.channelNormalize(x, channels, inner, mean, invStd, w, null, out);
        const dx = new Float32Array(n);
        const dw = new Float32Array(channels);
        k.batchNormBackward(g, x, channels, inner, mean, invStd, w, true, dx, dw, null);
        return { mean, variance, out, dx, dw };
      });
      const [got, want] = results;
      // [N, C] moments sum in the reference's order in float64: equal. [N, C, L] ones sum four
      // values at a time in float64: equal to float64 rounding (m = N·L terms, 2⁻⁵³ each, of Σ|terms|).
      // The SIMD passes apply float32 coefficients where the reference applies float64 ones: equal to float32 rounding.
      const sums = [[got.mean, want.mean], [got.variance, want.variance], [got.dw, want.dw]] as const;
      if (inner === 1) sums.forEach(([a, b]) => expect([...a]).toEqual([...b]));
      else {
        const m = outer * inner;
        sums.forEach(([a, b], j) => a.forEach((v, i) =>
          expect(Math.abs(v - b[i]), `sum ${j}, channel ${i}`).toBeLessThanOrEqual((j === 2 ? 2 ** -24 : 4 * m * 2 ** -53) * (1 + Math.abs(b[i])) * 4)));
      }
      for (const key of ["out", "dx"] as const) {
        const scale = Math.max(...want[key].map(Math.abs));
        got[key].forEach((v, i) => expect(Math.abs(v - want[key][i]), `${key}[${i}] of [${outer}, ${channels}, ${inner}]`).toBeLessThanOrEqual(4e-7 * scale));
      }
    }
  });

  it("relu's fused backward equals g · step(x), NaN and ±0 included", () => {
    const x = tensor([-2, -0, 0, 1e-30, 3, NaN, -Infinity, Infinity]).requiresGrad_();
    const g = tensor([1, 2, 3, 4, 5, 6, 7, NaN]);
    F.relu(x).backward(g);
    const expected = noGrad(() => g.mul(x.gt(0)));
    expect(x.grad!.toFlatArray()).toEqual(expected.toFlatArray());
  });
});

describe("Generator.fillUniform (the dropout masks' draws)", () => {
  it.each([0, 1, 17, 129, 4099])("%i draws: the numbers and the final state of as many uniform() calls", (n) => {
    const fast = new Generator(42);
    const slow = new Generator(42);
    fast.normal(); // a pending Box–Muller spare must survive too
    slow.normal();
    const got = fast.fillUniform(new Float64Array(n));
    const want = Float64Array.from({ length: n }, () => slow.uniform());
    expect([...got]).toEqual([...want]);
    expect(fast.getState()).toEqual(slow.getState());
    expect(fast.uniform()).toBe(slow.uniform());
  });
});

describe("branch-free relu, relu backward and step equal the reference loops", () => {
  const SPECIAL = [0, -0, 1e-45, -1e-45, 5e-324, -5e-324, 1, -1, 3.4e38, -3.4e38, 1e308, -1e308, 1.7976931348623157e308, Infinity, -Infinity, NaN];
  const sample = (seed: number, n: number) => [...SPECIAL, ...Array.from(randomF32(n, seed), (v) => v * 10)];
  for (const Type of [Float32Array, Float64Array]) {
    it(`${Type.name}: relu and step on random values and the special ones (±0, subnormals, huge, ±Infinity, NaN)`, () => {
      const x = Type.from(sample(1, 1000));
      for (const op of ["relu", "step"] as const) {
        const got = new Type(x.length);
        const want = new Type(x.length);
        backend.kernels().unary(op, x, got);
        backend.cpuKernels.unary(op, x, want);
        // toEqual tells +0 from −0 and matches NaN with NaN.
        expect([...got]).toEqual([...want]);
      }
    });
    it(`${Type.name}: reluBackward (g · step(x)) including −0 products and NaN gradients`, () => {
      const x = Type.from(sample(2, 1000));
      const g = Type.from(sample(3, 1000).reverse());
      const got = new Type(x.length);
      const want = new Type(x.length);
      backend.kernels().binary("reluBackward", g, null, x, null, got);
      backend.cpuKernels.binary("reluBackward", g, null, x, null, want);
      expect([...got]).toEqual([...want]);
    });
  }
});

describe("SIMD elementwise kernels (float32, 2048 values and more) equal the reference loops", () => {
  const SPECIAL = [0, -0, 1e-45, -1e-45, 1.2e-38, -1.2e-38, 1, -1, 3.4e38, -3.4e38, Infinity, -Infinity, NaN];
  // 4099 and 2051 leave a tail after the four-lane loop; special values sit at both ends.
  const sample = (seed: number, n: number) => Float32Array.from([...SPECIAL, ...Array.from(randomF32(n, seed), (v) => v * 10), ...SPECIAL]);
  for (const n of [2051 - 2 * 13, 4099 - 2 * 13]) {
    it(`${n + 26} values: relu and step`, () => {
      const x = sample(n, n);
      for (const op of ["relu", "step"] as const) {
        const got = new Float32Array(x.length);
        const want = new Float32Array(x.length);
        backend.kernels().unary(op, x, got);
        backend.cpuKernels.unary(op, x, want);
        expect([...got]).toEqual([...want]);
      }
    });
    it(`${n + 26} values: add, sub, mul, div and reluBackward, special values against each other`, () => {
      const a = sample(n, n + 1);
      const b = sample(n, n + 2).reverse();
      for (const op of ["add", "sub", "mul", "div", "reluBackward"] as const) {
        const got = new Float32Array(a.length);
        const want = new Float32Array(a.length);
        backend.kernels().binary(op, a, null, b, null, got);
        backend.cpuKernels.binary(op, a, null, b, null, want);
        expect([...got], op).toEqual([...want]);
      }
    });
  }
});

describe("dropout's mask kernel reproduces the generator", () => {
  it.each([1, 3, 17, 129, 4099])("%i values: the reference's mask and final generator state, bit for bit", (n) => {
    for (const [p, value] of [[0.3, 1 / 0.7], [0.5, 2], [0, 1], [1, 1]]) {
      const results = [backend.kernels(), backend.cpuKernels].map((k) => {
        const words = Uint32Array.from(new Generator(n).getState().s);
        const out = new Float32Array(n);
        k.bernoulliMask(words, p, value, out);
        return { out: [...out], words: [...words] };
      });
      expect(results[0]).toEqual(results[1]);
    }
    // And the reference is what uniform() gives: keep where u ≥ p.
    const g = new Generator(n);
    const words = Uint32Array.from(g.getState().s);
    const out = new Float32Array(n);
    backend.kernels().bernoulliMask(words, 0.3, 2, out);
    expect([...out]).toEqual(Array.from({ length: n }, () => (g.uniform() >= 0.3 ? 2 : 0)));
    expect([...words]).toEqual(g.getState().s);
  });
});
