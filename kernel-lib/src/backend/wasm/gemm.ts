import { helperKernel } from "./helper-threads";
import { type WasmRuntime, instanceFor } from "./runtime";
import { copyOut, into, stage } from "./staging";
import { mainShare, partition, runSplit, threadsFor } from "./thread-split";

/**
 * Matrix product on the WebAssembly SIMD kernels (kernel-lib/wasm/assembly/
 * gemm.ts: `gemm` for float32, `gemmF64` for float64), split over threads when it
 * is large enough to pay for the hand-off.
 *
 * Steps: copy op(A)'s and op(B)'s storage into linear memory (and C's when
 * accumulating), cut C into one block per thread along its longer side,
 * compute the blocks, copy C out. Cutting the longer side means each thread
 * packs only its part of the larger operand; the smaller one is packed by all.
 */

/** Panel sizes of the kernel: blocks of C start on multiples of these. */
const MR = 4;
const NR = 8;

/** One thread's block of C: rows i0..i1, columns j0..j1. */
interface Block {
  i0: number;
  i1: number;
  j0: number;
  j1: number;
}

function blocks(m: number, n: number, k: number): Block[] {
  const parts = threadsFor(m * n * k);
  const alongN = n >= m;
  const side = alongN ? n : m;
  const unit = alongN ? NR : MR;
  const units = Math.ceil(side / unit);
  const count = Math.max(1, Math.min(parts, units));
  return partition(units, count, mainShare(count)).map(([from, to]) => {
    const lo = Math.min(side, from * unit);
    const hi = Math.min(side, to * unit);
    return alongN ? { i0: 0, i1: m, j0: lo, j1: hi } : { i0: lo, i1: hi, j0: 0, j1: n };
  });
}

/** Same-typed operands: all float32 or all float64. */
type Floats = Float32Array | Float64Array;

export function gemmWasm<T extends Floats>(
  rt: WasmRuntime,
  a: T, aOff: number, transA: boolean,
  b: T, bOff: number, transB: boolean,
  out: T, outOff: number,
  m: number, k: number, n: number, accumulate: boolean,
): void {
  const double = out instanceof Float64Array;
  const size = double ? 8 : 4;
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const plan = blocks(m, n, k);
  // Split products need the memory the helpers share; one thread copies faster into its own,
  // unless an operand lives in the shared one already (computed inside tidy()).
  const inst = plan.length > 1 ? rt.shared : instanceFor(rt, [a, b, out]);
  const kernel = double ? inst.exports.gemmF64 : inst.exports.gemm;
  const scratchBytes = double ? inst.exports.gemmF64ScratchBytes : inst.exports.gemmScratchBytes;
  const scratch = plan.map((p) => scratchBytes(p.i1 - p.i0, p.j1 - p.j0, k));
  const cView = out.subarray(outOff, outOff + m * n);
  const [aPtr, bPtr, cPtr, ...scratchPtrs] = stage(inst, [
    a.subarray(aOff, aOff + m * k), b.subarray(bOff, bOff + k * n), accumulate ? cView : into(cView), ...scratch,
  ]);
  const jobs = plan.map((p, t) => [
    aPtr + size * (transA ? p.i0 : p.i0 * lda), lda, transA ? 1 : 0,
    bPtr + size * (transB ? p.j0 * ldb : p.j0), ldb, transB ? 1 : 0,
    cPtr + size * (p.i0 * n + p.j0), n,
    p.i1 - p.i0, p.j1 - p.j0, k, accumulate ? 1 : 0, scratchPtrs[t], helperKernel(double ? "gemmF64" : "gemm"),
  ]);
  const fraction = ((plan[0].i1 - plan[0].i0) * (plan[0].j1 - plan[0].j0)) / (m * n);
  runSplit(rt, kernel, jobs, fraction);
  copyOut(inst, cPtr, cView);
}
