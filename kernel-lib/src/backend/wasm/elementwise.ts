import type { TypedArray } from "../../core/dtype";
import type { BinaryOp, UnaryOp } from "../kernels";
import type { WasmInstance } from "./runtime";
import { copyOut, into, stage } from "./staging";

/**
 * Elementwise float32 ops on the SIMD kernels (kernel-lib/wasm/assembly/
 * elementwise.ts), for same-shape operands of at least MIN_LENGTH values;
 * callers fall back to the JavaScript loops otherwise. The results are
 * identical to the reference loops' (see the AssemblyScript file).
 */

/** Below this many values the JavaScript loop wins: the call and copies cost about a microsecond. */
export const MIN_LENGTH = 2048;

/** The ops with a kernel, and their codes in elementwise.ts. */
const BINARY_CODES: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, reluBackward: 4 };
const UNARY_CODES: Partial<Record<UnaryOp, number>> = { relu: 0, step: 1 };

/** Runs a·op·b on the kernel and returns true, or returns false when it does not apply. */
export function binaryWasm(rt: WasmInstance, op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray): boolean {
  const code = BINARY_CODES[op];
  if (code === undefined || out.length < MIN_LENGTH || !(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) {
    return false;
  }
  const [aAt, bAt, outAt] = stage(rt, [a, b, into(out)]);
  rt.exports.binaryF32(code, aAt, bAt, outAt, out.length);
  copyOut(rt, outAt, out);
  return true;
}

/** The same for the unary ops. */
export function unaryWasm(rt: WasmInstance, op: UnaryOp, x: TypedArray, out: TypedArray): boolean {
  const code = UNARY_CODES[op];
  if (code === undefined || out.length < MIN_LENGTH || !(x instanceof Float32Array && out instanceof Float32Array)) return false;
  const [xAt, outAt] = stage(rt, [x, into(out)]);
  rt.exports.unaryF32(code, xAt, outAt, out.length);
  copyOut(rt, outAt, out);
  return true;
}

