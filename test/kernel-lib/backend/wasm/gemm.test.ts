/**
 * The WebAssembly matrix products (float32 and float64) against the reference
 * kernel (cpuKernels.gemm): every transposition, odd sizes around the
 * kernels' 4×8 / 4×4 tiles and 256-deep blocks, accumulation, offsets into a
 * batch, and the split over helper threads (forced on small products here).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { backend, matmul, tensor } from "kernel-lib";
import { getNumThreads, partition, setAdaptiveThreads, setNumThreads, setThreadMinWork } from "../../../../kernel-lib/src/backend/wasm";
import { F32_EPS, expectWithinRounding, randomF32 } from "../../../helpers/backend-oracle";

const F64_EPS = 2 ** -53;

const fast = backend.wasmKernels;
const reference = backend.cpuKernels;

interface Case {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
  /** Offsets of the matrices inside their arrays (as in a batch). */
  offset: number;
  /** Default float32. */
  double?: boolean;
}

/** Runs one product through both kernels and compares within float32 rounding. */
function check(c: Case, seed: number): void {
  const { m, k, n, transA, transB, accumulate, offset } = c;
  const random = (size: number, s: number) => (c.double ? Float64Array.from(randomF32(size, s), (v, i) => v + i * 1e-12) : randomF32(size, s));
  const a = random(offset + m * k, seed);
  const b = random(offset + k * n, seed + 1);
  const start = random(offset + m * n, seed + 2);
  const got = start.slice();
  const want = start.slice();
  fast!.gemm(a, offset, transA, b, offset, transB, got, offset, m, k, n, accumulate);
  reference.gemm(a, offset, transA, b, offset, transB, want, offset, m, k, n, accumulate);
  // Σ|a_ip·b_pj| ≤ k for entries in [-1, 1]; plus |c| when accumulating.
  const scale = new Float64Array(got.length).fill(k + (accumulate ? 1 : 0));
  expectWithinRounding(got, want, scale, 4 * (c.double ? F64_EPS : F32_EPS));
  // Outside the matrix nothing was touched.
  for (let i = 0; i < offset; i++) expect(got[i]).toBe(start[i]);
}

const ODD = [1, 3, 17, 129];
const FLAGS = [false, true];

describe("wasm gemm matches the reference kernel", () => {
  it("the WebAssembly backend is built and active", () => {
    expect(fast, `kernel-lib/dist/wasm/kernels.wasm missing? ${backend.backendInfo().reason}`).not.toBeNull();
    expect(backend.backendInfo().name).toBe("wasm");
  });

  describe.each(FLAGS)("transA=%s", (transA) => {
    it.each(FLAGS)("transB=%s: every m, k, n in {1, 3, 17, 129}", (transB) => {
      let seed = 1;
      for (const m of ODD) for (const k of ODD) for (const n of ODD) {
        check({ m, k, n, transA, transB, accumulate: false, offset: 0 }, seed++);
      }
    });
  });

  it("sizes that cross the kernel's blocks (k > 256, m > 128) and its tile edges", () => {
    const shapes = [[4, 8, 8], [5, 257, 9], [131, 300, 7], [128, 512, 16], [33, 513, 65], [260, 40, 130]];
    let seed = 100;
    for (const [m, k, n] of shapes) for (const transA of FLAGS) for (const transB of FLAGS) {
      check({ m, k, n, transA, transB, accumulate: false, offset: 0 }, seed++);
    }
  });

  it("accumulates into the output (out += op(A)·op(B)) and respects offsets", () => {
    check({ m: 17, k: 33, n: 19, transA: false, transB: true, accumulate: true, offset: 0 }, 7);
    check({ m: 17, k: 33, n: 19, transA: true, transB: false, accumulate: false, offset: 11 }, 8);
    check({ m: 40, k: 300, n: 24, transA: true, transB: true, accumulate: true, offset: 5 }, 9);
  });

  it("k = 0 gives zeros (or leaves the output when accumulating)", () => {
    const out = new Float32Array([5, 5, 5, 5]);
    fast!.gemm(new Float32Array(0), 0, false, new Float32Array(0), 0, false, out, 0, 2, 0, 2, true);
    expect([...out]).toEqual([5, 5, 5, 5]);
    fast!.gemm(new Float32Array(0), 0, false, new Float32Array(0), 0, false, out, 0, 2, 0, 2, false);
    expect([...out]).toEqual([0, 0, 0, 0]);
  });

  it("random shapes and flags (property)", () => {
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 70 }),
          k: fc.integer({ min: 1, max: 300 }),
          n: fc.integer({ min: 1, max: 70 }),
          transA: fc.boolean(),
          transB: fc.boolean(),
          accumulate: fc.boolean(),
          offset: fc.integer({ min: 0, max: 9 }),
        }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (c, seed) => check(c, seed),
      ),
      { numRuns: 60 },
    );
  });

  it("float64: every transposition, odd sizes, blocks of k and m, accumulation, offsets", () => {
    let seed = 300;
    for (const [m, k, n] of [[1, 1, 1], [3, 17, 129], [129, 3, 17], [17, 129, 3], [65, 300, 33], [130, 257, 5]]) {
      for (const transA of FLAGS) for (const transB of FLAGS) {
        check({ m, k, n, transA, transB, accumulate: seed % 2 === 1, offset: seed % 4, double: true }, seed++);
      }
    }
  });

  it("mixed dtypes take the reference loop (float32 A with float64 B)", () => {
    const a = randomF32(40 * 40, 1);
    const b = Float64Array.from(randomF32(40 * 40, 2));
    const got = new Float64Array(1600);
    const want = new Float64Array(1600);
    fast!.gemm(a, 0, false, b, 0, false, got, 0, 40, 40, 40, false);
    reference.gemm(a, 0, false, b, 0, false, want, 0, 40, 40, 40, false);
    expect([...got]).toEqual([...want]);
  });
});

describe("wasm gemm split over helper threads", () => {
  const threads = getNumThreads();
  let minWork = 0;
  let adaptive = true;
  beforeAll(() => {
    setNumThreads(3);
    minWork = setThreadMinWork(0);
    adaptive = setAdaptiveThreads(false);
  });
  afterAll(() => {
    setNumThreads(threads);
    setThreadMinWork(minWork);
    setAdaptiveThreads(adaptive);
  });

  it("splits along the longer side of C, every transposition, odd sizes", () => {
    let seed = 500;
    for (const [m, k, n] of [[129, 17, 3], [3, 17, 129], [64, 300, 64], [17, 129, 131], [1, 5, 40]]) {
      for (const transA of FLAGS) for (const transB of FLAGS) for (const double of FLAGS) {
        check({ m, k, n, transA, transB, accumulate: seed % 2 === 0, offset: seed % 3, double }, seed++);
      }
    }
  });

  it("the blocks cover C's longer side exactly once, whatever share the main thread takes (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), (units, threads, share) => {
      const count = Math.min(threads, units);
      const ranges = partition(units, count, share);
      expect(ranges.length).toBe(count);
      expect(ranges[0][0]).toBe(0);
      expect(ranges[count - 1][1]).toBe(units);
      ranges.forEach(([from, to], i) => {
        expect(to).toBeGreaterThan(from); // no empty block
        if (i > 0) expect(from).toBe(ranges[i - 1][1]); // contiguous, no overlap
      });
      if (count > 1) expect(Math.abs(ranges[0][1] - units * share)).toBeLessThanOrEqual(Math.max(1, count - 1));
    }), { seed: 7 });
  });

  it("with the balancing on (the default), products are still exact: only the boundary between threads moves", () => {
    setAdaptiveThreads(true);
    try {
      let seed = 900;
      // Enough split products for the main thread's share to move away from an even split.
      for (let rep = 0; rep < 30; rep++) check({ m: 64, k: 40, n: 72 + (rep % 5), transA: rep % 2 === 0, transB: rep % 3 === 0, accumulate: false, offset: 0, double: false }, seed++);
    } finally {
      setAdaptiveThreads(false);
    }
  });

  it("a threaded matmul through the tensor API equals the single-threaded one", () => {
    const a = tensor(randomF32(96 * 80, 3), { shape: [96, 80] });
    const b = tensor(randomF32(80 * 72, 4), { shape: [80, 72] });
    const threaded = matmul(a, b).data;
    setNumThreads(1);
    const single = matmul(a, b).data;
    setNumThreads(3);
    expect([...threaded]).toEqual([...single]);
  });
});
