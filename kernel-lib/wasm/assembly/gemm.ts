/**
 * Single-precision matrix product for the WebAssembly backend, written in
 * AssemblyScript (TypeScript syntax, WebAssembly types: f32, usize, v128).
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
 *      (KC×NR, 8 KB) in L1 while it is reused;
 *   2. pack: copy each block into the exact order the inner loop reads it,
 *      MR rows of A (or NR columns of B) interleaved, zero-padded at the edges,
 *      whatever the transposition; the inner loop then reads memory linearly;
 *   3. the micro-kernel keeps an MR×NR = 4×8 tile of C in eight 128-bit
 *      registers (f32x4) and adds one rank-1 update per step of k:
 *      tile += A[:, p] ⊗ B[p, :], that is 8 multiplies and 8 adds of 4 lanes.
 * 4×8 is the largest tile whose 8 accumulators, 2 B vectors and one
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
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;

/** Bytes of scratch one call needs for its packed blocks (see `gemm`'s `scratch`). */
export function gemmScratchBytes(m: i32, n: i32, k: i32): i32 {
  const kc = min(k, KC);
  const mc = roundUp(min(m, MC), MR);
  const nc = roundUp(n, NR);
  return (mc * kc + kc * nc + MR * NR) * 4;
}

/**
 * C = op(A)·op(B) (+ C). Pointers are byte addresses in this module's memory;
 * `scratch` points at gemmScratchBytes(m, n, k) bytes this call may overwrite.
 */
export function gemm(
  a: usize, lda: i32, transA: bool,
  b: usize, ldb: i32, transB: bool,
  c: usize, ldc: i32,
  m: i32, n: i32, k: i32, accumulate: bool, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>(i * ldc) * 4, 0, <usize>n * 4);
    return;
  }
  const kcMax = min(k, KC);
  const packedA = scratch;
  const packedB = packedA + <usize>(roundUp(min(m, MC), MR) * kcMax) * 4;
  const tile = packedB + <usize>(kcMax * roundUp(n, NR)) * 4;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    // The first block of k writes C (or adds to it when accumulating); later blocks add.
    const add = accumulate || pc > 0;
    packB(b, ldb, transB, pc, kc, n, packedB);
    for (let ic = 0; ic < m; ic += MC) {
      const mc = min(MC, m - ic);
      packA(a, lda, transA, ic, mc, pc, kc, packedA);
      for (let jr = 0; jr < n; jr += NR) {
        const bPanel = packedB + <usize>(jr * kc) * 4;
        for (let ir = 0; ir < mc; ir += MR) {
          const aPanel = packedA + <usize>(ir * kc) * 4;
          const cTile = c + (<usize>(ic + ir) * ldc + jr) * 4;
          const rows = min(MR, mc - ir);
          const cols = min(NR, n - jr);
          if (rows === MR && cols === NR) {
            microKernel(kc, aPanel, bPanel, cTile, ldc, add);
          } else {
            // Edge tile: compute the full 4×8 into `tile`, then copy the part that exists.
            microKernel(kc, aPanel, bPanel, tile, NR, false);
            copyEdge(tile, cTile, ldc, rows, cols, add);
          }
        }
      }
    }
  }
}

/** Packs rows ic..ic+mc of op(A), columns pc..pc+kc, as panels of MR rows: out[panel][p][r]. */
function packA(a: usize, lda: i32, transA: bool, ic: i32, mc: i32, pc: i32, kc: i32, out: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = out + <usize>(ir * kc) * 4;
    if (transA) {
      // op(A)[i][p] = A[p][i]: the MR values of one p are adjacent in A.
      const src = a + (<usize>pc * lda + ic + ir) * 4;
      if (rows === MR) {
        for (let p = 0; p < kc; p++) v128.store(panel + <usize>(p * MR) * 4, v128.load(src + <usize>(p * lda) * 4));
      } else {
        for (let p = 0; p < kc; p++) {
          for (let r = 0; r < MR; r++) {
            const v: f32 = r < rows ? load<f32>(src + <usize>(p * lda + r) * 4) : 0;
            store<f32>(panel + <usize>(p * MR + r) * 4, v);
          }
        }
      }
    } else {
      // op(A)[i][p] = A[i][p]: each of the MR rows is read along p.
      for (let r = 0; r < MR; r++) {
        if (r < rows) {
          const src = a + (<usize>(ic + ir + r) * lda + pc) * 4;
          for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * MR + r) * 4, load<f32>(src + <usize>p * 4));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * MR + r) * 4, 0);
        }
      }
    }
  }
}

/** Packs rows pc..pc+kc of op(B), all n columns, as panels of NR columns: out[panel][p][c]. */
function packB(b: usize, ldb: i32, transB: bool, pc: i32, kc: i32, n: i32, out: usize): void {
  for (let jr = 0; jr < n; jr += NR) {
    const cols = min(NR, n - jr);
    const panel = out + <usize>(jr * kc) * 4;
    if (!transB) {
      // op(B)[p][j] = B[p][j]: the NR values of one p are adjacent in B.
      const src = b + (<usize>pc * ldb + jr) * 4;
      if (cols === NR) {
        for (let p = 0; p < kc; p++) {
          const row = src + <usize>(p * ldb) * 4;
          const dst = panel + <usize>(p * NR) * 4;
          v128.store(dst, v128.load(row));
          v128.store(dst, v128.load(row, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let q = 0; q < NR; q++) {
            const v: f32 = q < cols ? load<f32>(src + <usize>(p * ldb + q) * 4) : 0;
            store<f32>(panel + <usize>(p * NR + q) * 4, v);
          }
        }
      }
    } else {
      // op(B)[p][j] = B[j][p]: each of the NR columns is a row of B, read along p.
      for (let q = 0; q < NR; q++) {
        if (q < cols) {
          const src = b + (<usize>(jr + q) * ldb + pc) * 4;
          for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * NR + q) * 4, load<f32>(src + <usize>p * 4));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * NR + q) * 4, 0);
        }
      }
    }
  }
}

/**
 * tile(4×8 at c, row stride ldc) = Σ_p a[p][0..4) ⊗ b[p][0..8)  (+ tile when `add`).
 * Row r of the tile lives in two registers: cr0 (columns 0–3) and cr1 (4–7).
 */
// @ts-ignore: decorator
@inline
function microKernel(kc: i32, a: usize, b: usize, c: usize, ldc: i32, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(a, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(a, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    a += MR * 4;
    b += NR * 4;
  }
  const row = <usize>ldc * 4;
  storeRow(c, c00, c01, add);
  storeRow(c + row, c10, c11, add);
  storeRow(c + 2 * row, c20, c21, add);
  storeRow(c + 3 * row, c30, c31, add);
}

/** a·b + c, fused into one rounding when the relaxed build has FMA, else two. */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// @ts-ignore: decorator
@inline
function storeRow(c: usize, lo: v128, hi: v128, add: bool): void {
  if (add) {
    lo = f32x4.add(lo, v128.load(c));
    hi = f32x4.add(hi, v128.load(c, 16));
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

function copyEdge(tile: usize, c: usize, ldc: i32, rows: i32, cols: i32, add: bool): void {
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const dst = c + (<usize>r * ldc + q) * 4;
      const v = load<f32>(tile + <usize>(r * NR + q) * 4);
      store<f32>(dst, add ? load<f32>(dst) + v : v);
    }
  }
}

// @ts-ignore: decorator
@inline
function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}
