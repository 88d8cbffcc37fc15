/**
 * Double-precision matrix product, the float64 twin of gemm.ts (same
 * arguments, same plan: blocks of KC along k and MC along m, packed panels,
 * a register-tiled micro-kernel). A 128-bit register holds two float64
 * (f64x2), so the tile is MR×NR = 4×4: eight accumulators, as in gemm.ts.
 * Packing is written with plain scalar loads here: it is O(m·k + k·n)
 * against the product's O(m·n·k), and float64 is the gradient-check dtype,
 * not the training one.
 */

const MR: i32 = 4;
const NR: i32 = 4;
const KC: i32 = 256;
const MC: i32 = 64;

/** Bytes of scratch one call needs for its packed blocks. */
export function gemmF64ScratchBytes(m: i32, n: i32, k: i32): i32 {
  const kc = min(k, KC);
  const mc = roundUp(min(m, MC), MR);
  const nc = roundUp(n, NR);
  return (mc * kc + kc * nc + MR * NR) * 8;
}

/** C = op(A)·op(B) (+ C), float64; see gemm.ts for the arguments. */
export function gemmF64(
  a: usize, lda: i32, transA: bool,
  b: usize, ldb: i32, transB: bool,
  c: usize, ldc: i32,
  m: i32, n: i32, k: i32, accumulate: bool, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>(i * ldc) * 8, 0, <usize>n * 8);
    return;
  }
  const kcMax = min(k, KC);
  const packedA = scratch;
  const packedB = packedA + <usize>(roundUp(min(m, MC), MR) * kcMax) * 8;
  const tile = packedB + <usize>(kcMax * roundUp(n, NR)) * 8;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const add = accumulate || pc > 0;
    pack(b, ldb, transB, pc, kc, 0, n, NR, packedB);
    for (let ic = 0; ic < m; ic += MC) {
      const mc = min(MC, m - ic);
      pack(a, lda, !transA, pc, kc, ic, mc, MR, packedA);
      for (let jr = 0; jr < n; jr += NR) {
        const bPanel = packedB + <usize>(jr * kc) * 8;
        for (let ir = 0; ir < mc; ir += MR) {
          const aPanel = packedA + <usize>(ir * kc) * 8;
          const cTile = c + (<usize>(ic + ir) * ldc + jr) * 8;
          const rows = min(MR, mc - ir);
          const cols = min(NR, n - jr);
          if (rows === MR && cols === NR) {
            microKernel(kc, aPanel, bPanel, cTile, ldc, add);
          } else {
            microKernel(kc, aPanel, bPanel, tile, NR, false);
            copyEdge(tile, cTile, ldc, rows, cols, add);
          }
        }
      }
    }
  }
}

/**
 * Packs `count` lines (rows of op(A), or columns of op(B)) starting at line
 * `first`, entries pc..pc+kc along k, as panels of `width` lines:
 * out[panel][p][w] = line (first + panel·width + w) at depth pc + p, zero past the end.
 * `alongK` says whether consecutive p are adjacent in memory (op(A) not
 * transposed, or op(B) transposed); otherwise consecutive lines are.
 */
function pack(src: usize, ld: i32, alongK: bool, pc: i32, kc: i32, first: i32, count: i32, width: i32, out: usize): void {
  for (let start = 0; start < count; start += width) {
    const panel = out + <usize>(start * kc) * 8;
    for (let w = 0; w < width; w++) {
      const line = first + start + w;
      const inside = start + w < count;
      for (let p = 0; p < kc; p++) {
        const at = alongK ? <usize>line * ld + pc + p : <usize>(pc + p) * ld + line;
        store<f64>(panel + <usize>(p * width + w) * 8, inside ? load<f64>(src + at * 8) : 0);
      }
    }
  }
}

/** tile(4×4) = Σ_p a[p][0..4) ⊗ b[p][0..4) (+ tile when `add`); row r in cr0 (columns 0–1) and cr1 (2–3). */
// @ts-ignore: decorator
@inline
function microKernel(kc: i32, a: usize, b: usize, c: usize, ldc: i32, add: bool): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load64_splat(a);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load64_splat(a, 8);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load64_splat(a, 16);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load64_splat(a, 24);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    a += MR * 8;
    b += NR * 8;
  }
  const row = <usize>ldc * 8;
  storeRow(c, c00, c01, add);
  storeRow(c + row, c10, c11, add);
  storeRow(c + 2 * row, c20, c21, add);
  storeRow(c + 3 * row, c30, c31, add);
}

/** a·b + c, fused in the relaxed build (see gemm.ts). */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

// @ts-ignore: decorator
@inline
function storeRow(c: usize, lo: v128, hi: v128, add: bool): void {
  if (add) {
    lo = f64x2.add(lo, v128.load(c));
    hi = f64x2.add(hi, v128.load(c, 16));
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

function copyEdge(tile: usize, c: usize, ldc: i32, rows: i32, cols: i32, add: bool): void {
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const dst = c + (<usize>r * ldc + q) * 8;
      const v = load<f64>(tile + <usize>(r * NR + q) * 8);
      store<f64>(dst, add ? load<f64>(dst) + v : v);
    }
  }
}

// @ts-ignore: decorator
@inline
function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}
