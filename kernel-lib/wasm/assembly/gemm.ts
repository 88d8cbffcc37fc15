/**
 * Matrix products for the WebAssembly backend, float32 (`gemm`) and float64
 * (`gemmF64`), written in AssemblyScript (TypeScript syntax, WebAssembly
 * types: f32, f64, usize, v128). One generic source, `gemmOf<T>`, compiled
 * once per element type (AssemblyScript instantiates generics like C++
 * templates, so sizeof<T>() and the tile sizes below are constants in each).
 *
 *   C[m×n] = op(A)[m×k] · op(B)[k×n]  (+ C when `accumulate`)
 *
 * op(A) reads A transposed when `transA` (A stored k×m), and likewise for B.
 * `lda`, `ldb`, `ldc` are row strides in elements, so a thread can be given
 * a block of columns of C by offsetting the pointers.
 *
 * The plan (Goto & van de Geijn, "Anatomy of high-performance matrix
 * multiplication", 2008), the same one as in BLAS libraries:
 *   1. cut k into blocks of KC and m into blocks of MC, so that a packed block
 *      of A (MC×KC, 128 KB) stays in the L2 cache and a packed sliver of B
 *      (KC×NR, 8 KB) in L1 while it is reused (MC is 128 rows in float32,
 *      64 in float64: the same bytes);
 *   2. pack: copy each block into the exact order the inner loop reads it,
 *      MR rows of A (or NR columns of B) interleaved, zero-padded at the edges,
 *      whatever the transposition; the inner loop then reads memory linearly;
 *   3. the micro-kernel keeps an MR×NR tile of C in eight 128-bit registers,
 *      two per row (4×8 in float32, f32x4; 4×4 in float64, f64x2), and adds
 *      one rank-1 update per step of k: tile += A[:, p] ⊗ B[p, :], that is
 *      8 vector multiply-adds.
 * In float32, 4×8 is the largest tile whose 8 accumulators, 2 B vectors and one
 * broadcast A value fit the vector registers V8 leaves free on x86-64
 * (measured: 5×8 and 6×8 spill and run 40% slower).
 *
 * The build compiles this file twice (scripts/build-wasm.mjs): plain SIMD,
 * where a multiply-add is a multiply then an add, and relaxed SIMD, where
 * `madd` is one fused multiply-add instruction (vfmadd on x86 with FMA3):
 * 1.35× faster here. Node 20 has relaxed SIMD behind a V8 flag, which the
 * runtime sets before compiling (src/backend/wasm/runtime.ts).
 */

const MR: i32 = 4;
const KC: i32 = 256;

/** Bytes in one element. */
// @ts-ignore: decorator
@inline
function size<T>(): i32 {
  return <i32>sizeof<T>();
}

/** Columns in a tile: two 128-bit vectors' worth (8 float32, 4 float64). */
// @ts-ignore: decorator
@inline
function nr<T>(): i32 {
  return 32 / size<T>();
}

/** Rows of A per packed block: 128 KB of it at KC deep (128 float32 rows, 64 float64). */
// @ts-ignore: decorator
@inline
function mc<T>(): i32 {
  return (128 * 1024) / (KC * size<T>());
}

/** Bytes of scratch one float32 call needs for its packed blocks (see `gemm`'s `scratch`). */
export function gemmScratchBytes(m: i32, n: i32, k: i32): i32 {
  return scratchBytesOf<f32>(m, n, k);
}

/** The same for float64. */
export function gemmF64ScratchBytes(m: i32, n: i32, k: i32): i32 {
  return scratchBytesOf<f64>(m, n, k);
}

/**
 * C = op(A)·op(B) (+ C) in float32. Pointers are byte addresses in this
 * module's memory; `scratch` points at gemmScratchBytes(m, n, k) bytes this
 * call may overwrite.
 */
export function gemm(
  a: usize, lda: i32, transA: bool,
  b: usize, ldb: i32, transB: bool,
  c: usize, ldc: i32,
  m: i32, n: i32, k: i32, accumulate: bool, scratch: usize,
): void {
  gemmOf<f32>(a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate, scratch);
}

/** The same in float64 (scratch: gemmF64ScratchBytes). */
export function gemmF64(
  a: usize, lda: i32, transA: bool,
  b: usize, ldb: i32, transB: bool,
  c: usize, ldc: i32,
  m: i32, n: i32, k: i32, accumulate: bool, scratch: usize,
): void {
  gemmOf<f64>(a, lda, transA, b, ldb, transB, c, ldc, m, n, k, accumulate, scratch);
}

export function scratchBytesOf<T>(m: i32, n: i32, k: i32): i32 {
  const kc = min(k, KC);
  const rows = roundUp(min(m, mc<T>()), MR);
  const cols = roundUp(n, nr<T>());
  return (rows * kc + kc * cols + MR * nr<T>()) * size<T>();
}

export function gemmOf<T>(
  a: usize, lda: i32, transA: bool,
  b: usize, ldb: i32, transB: bool,
  c: usize, ldc: i32,
  m: i32, n: i32, k: i32, accumulate: bool, scratch: usize,
): void {
  const S = size<T>();
  const NR = nr<T>();
  const MC = mc<T>();
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>(i * ldc * S), 0, <usize>(n * S));
    return;
  }
  const kcMax = min(k, KC);
  const packedA = scratch;
  const packedB = packedA + <usize>(roundUp(min(m, MC), MR) * kcMax * S);
  const tile = packedB + <usize>(kcMax * roundUp(n, NR) * S);
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    // The first block of k writes C (or adds to it when accumulating); later blocks add.
    const add = accumulate || pc > 0;
    packB<T>(b, ldb, transB, pc, kc, n, packedB);
    for (let ic = 0; ic < m; ic += MC) {
      const rowsInBlock = min(MC, m - ic);
      packA<T>(a, lda, transA, ic, rowsInBlock, pc, kc, packedA);
      for (let jr = 0; jr < n; jr += NR) {
        const bPanel = packedB + <usize>(jr * kc * S);
        for (let ir = 0; ir < rowsInBlock; ir += MR) {
          const aPanel = packedA + <usize>(ir * kc * S);
          const cTile = c + (<usize>(ic + ir) * ldc + jr) * S;
          const rows = min(MR, rowsInBlock - ir);
          const cols = min(NR, n - jr);
          if (rows === MR && cols === NR) {
            microKernel<T>(kc, aPanel, bPanel, cTile, ldc, add);
          } else {
            // Edge tile: compute the full tile into `tile`, then copy the part that exists.
            microKernel<T>(kc, aPanel, bPanel, tile, NR, false);
            copyEdge<T>(tile, cTile, ldc, rows, cols, add);
          }
        }
      }
    }
  }
}

/** Packs rows ic..ic+rowsInBlock of op(A), columns pc..pc+kc, as panels of MR rows: out[panel][p][r]. */
function packA<T>(a: usize, lda: i32, transA: bool, ic: i32, rowsInBlock: i32, pc: i32, kc: i32, out: usize): void {
  const S = size<T>();
  for (let ir = 0; ir < rowsInBlock; ir += MR) {
    const rows = min(MR, rowsInBlock - ir);
    const panel = out + <usize>(ir * kc * S);
    if (transA) {
      // op(A)[i][p] = A[p][i]: the MR values of one p are adjacent in A (16 bytes in float32, 32 in float64).
      const src = a + (<usize>pc * lda + ic + ir) * S;
      if (rows === MR) {
        for (let p = 0; p < kc; p++) {
          const from = src + <usize>(p * lda * S);
          const to = panel + <usize>(p * MR * S);
          v128.store(to, v128.load(from));
          if (S === 8) v128.store(to, v128.load(from, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let r = 0; r < MR; r++) {
            const v: T = r < rows ? load<T>(src + <usize>((p * lda + r) * S)) : <T>0;
            store<T>(panel + <usize>((p * MR + r) * S), v);
          }
        }
      }
    } else if (rows === MR) {
      // op(A)[i][p] = A[i][p]: the MR rows are read along p, a vector at a time, and transposed.
      const r0 = a + (<usize>(ic + ir) * lda + pc) * S;
      const stride = <usize>(lda * S);
      transposeRows<T>(r0, r0 + stride, r0 + 2 * stride, r0 + 3 * stride, kc, panel, MR * S);
    } else {
      for (let r = 0; r < MR; r++) {
        if (r < rows) {
          const src = a + (<usize>(ic + ir + r) * lda + pc) * S;
          for (let p = 0; p < kc; p++) store<T>(panel + <usize>((p * MR + r) * S), load<T>(src + <usize>(p * S)));
        } else {
          for (let p = 0; p < kc; p++) store<T>(panel + <usize>((p * MR + r) * S), <T>0);
        }
      }
    }
  }
}

/** Packs rows pc..pc+kc of op(B), all n columns, as panels of NR columns: out[panel][p][c]. */
function packB<T>(b: usize, ldb: i32, transB: bool, pc: i32, kc: i32, n: i32, out: usize): void {
  const S = size<T>();
  const NR = nr<T>();
  for (let jr = 0; jr < n; jr += NR) {
    const cols = min(NR, n - jr);
    const panel = out + <usize>(jr * kc * S);
    if (!transB) {
      // op(B)[p][j] = B[p][j]: the NR values of one p are adjacent in B (32 bytes: two vectors).
      const src = b + (<usize>pc * ldb + jr) * S;
      if (cols === NR) {
        for (let p = 0; p < kc; p++) {
          const row = src + <usize>(p * ldb * S);
          const dst = panel + <usize>(p * NR * S);
          v128.store(dst, v128.load(row));
          v128.store(dst, v128.load(row, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let q = 0; q < NR; q++) {
            const v: T = q < cols ? load<T>(src + <usize>((p * ldb + q) * S)) : <T>0;
            store<T>(panel + <usize>((p * NR + q) * S), v);
          }
        }
      }
    } else if (cols === NR) {
      // op(B)[p][j] = B[j][p]: the NR columns are rows of B, read along p four at a time and transposed.
      const r0 = b + (<usize>jr * ldb + pc) * S;
      const stride = <usize>(ldb * S);
      for (let q = 0; q < NR; q += 4) {
        const rq = r0 + <usize>q * stride;
        transposeRows<T>(rq, rq + stride, rq + 2 * stride, rq + 3 * stride, kc, panel + <usize>(q * S), NR * S);
      }
    } else {
      for (let q = 0; q < NR; q++) {
        if (q < cols) {
          const src = b + (<usize>(jr + q) * ldb + pc) * S;
          for (let p = 0; p < kc; p++) store<T>(panel + <usize>((p * NR + q) * S), load<T>(src + <usize>(p * S)));
        } else {
          for (let p = 0; p < kc; p++) store<T>(panel + <usize>((p * NR + q) * S), <T>0);
        }
      }
    }
  }
}

/**
 * Four rows (addresses r0..r3), each read along p for kc values, written
 * transposed: the four values of step p go to out + p·outStride, in row order.
 * One vector (4 float32 or 2 float64) from each row at a time, regrouped by
 * lane shuffles: a 4×4 (or 4×2) transpose in registers instead of one scalar
 * load and store per value (measured 1.4× faster for a whole 128×784·784×256
 * product, whose non-transposed A was packed one value at a time).
 */
function transposeRows<T>(r0: usize, r1: usize, r2: usize, r3: usize, kc: i32, out: usize, outStride: i32): void {
  const S = size<T>();
  const step = 16 / S;
  const stride = <usize>outStride;
  let p = 0;
  for (; p + step <= kc; p += step) {
    const at = <usize>(p * S);
    const v0 = v128.load(r0 + at), v1 = v128.load(r1 + at), v2 = v128.load(r2 + at), v3 = v128.load(r3 + at);
    const dst = out + <usize>p * stride;
    if (S === 4) {
      // t0 = (r0p0 r1p0 r0p1 r1p1), t1 = (r2p0 r3p0 r2p1 r3p1), t2 and t3 the same for p2, p3.
      const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
      const t2 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
      const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
      v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      v128.store(dst + stride, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
      v128.store(dst + 2 * stride, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
      v128.store(dst + 3 * stride, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
    } else {
      // A float64 step is two vectors wide: rows 0, 1 then rows 2, 3.
      v128.store(dst, v128.shuffle<f64>(v0, v1, 0, 2));
      v128.store(dst, v128.shuffle<f64>(v2, v3, 0, 2), 16);
      v128.store(dst + stride, v128.shuffle<f64>(v0, v1, 1, 3));
      v128.store(dst + stride, v128.shuffle<f64>(v2, v3, 1, 3), 16);
    }
  }
  for (; p < kc; p++) {
    const at = <usize>(p * S);
    const dst = out + <usize>p * stride;
    store<T>(dst, load<T>(r0 + at));
    store<T>(dst + S, load<T>(r1 + at));
    store<T>(dst + 2 * S, load<T>(r2 + at));
    store<T>(dst + 3 * S, load<T>(r3 + at));
  }
}

/**
 * tile(MR×NR at c, row stride ldc) = Σ_p a[p][0..MR) ⊗ b[p][0..NR) (+ tile when `add`).
 * Row r of the tile lives in two registers: cr0 (its first half) and cr1 (the second).
 */
// @ts-ignore: decorator
@inline
function microKernel<T>(kc: i32, a: usize, b: usize, c: usize, ldc: i32, add: bool): void {
  const S = size<T>();
  let c00 = v128.splat<T>(0), c01 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0), c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0), c21 = v128.splat<T>(0);
  let c30 = v128.splat<T>(0), c31 = v128.splat<T>(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    // a[p][r] broadcast to every lane; the offsets are immediates, one load instruction each.
    let av = S === 4 ? v128.load32_splat(a) : v128.load64_splat(a);
    c00 = madd<T>(av, b0, c00);
    c01 = madd<T>(av, b1, c01);
    av = S === 4 ? v128.load32_splat(a, 4) : v128.load64_splat(a, 8);
    c10 = madd<T>(av, b0, c10);
    c11 = madd<T>(av, b1, c11);
    av = S === 4 ? v128.load32_splat(a, 8) : v128.load64_splat(a, 16);
    c20 = madd<T>(av, b0, c20);
    c21 = madd<T>(av, b1, c21);
    av = S === 4 ? v128.load32_splat(a, 12) : v128.load64_splat(a, 24);
    c30 = madd<T>(av, b0, c30);
    c31 = madd<T>(av, b1, c31);
    a += MR * S;
    b += 32;
  }
  const row = <usize>(ldc * S);
  storeRow<T>(c, c00, c01, add);
  storeRow<T>(c + row, c10, c11, add);
  storeRow<T>(c + 2 * row, c20, c21, add);
  storeRow<T>(c + 3 * row, c30, c31, add);
}

/** a·b + c, fused into one rounding when the relaxed build has FMA, else two. */
// @ts-ignore: decorator
@inline
function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(c, v128.mul<T>(a, b));
}

// @ts-ignore: decorator
@inline
function storeRow<T>(c: usize, lo: v128, hi: v128, add: bool): void {
  if (add) {
    lo = v128.add<T>(lo, v128.load(c));
    hi = v128.add<T>(hi, v128.load(c, 16));
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

function copyEdge<T>(tile: usize, c: usize, ldc: i32, rows: i32, cols: i32, add: bool): void {
  const S = size<T>();
  const NR = nr<T>();
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const dst = c + (<usize>r * ldc + q) * S;
      const v = load<T>(tile + <usize>((r * NR + q) * S));
      store<T>(dst, add ? load<T>(dst) + v : v);
    }
  }
}

// @ts-ignore: decorator
@inline
function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}
