import type { TypedArray } from "../../core/dtype";
import { maxPool2d, maxPool2dBackward } from "../pool";
import type { PoolWindows } from "../pool";
import type { WasmInstance } from "./runtime";
import { copyOut, into, stage } from "./staging";

/**
 * Max pooling on WebAssembly SIMD for the common case, float32 2×2 windows
 * side by side (kernel 2, stride 2, no padding: kernel-lib/wasm/assembly/pool.ts);
 * everything else runs the reference loops (../pool.ts). Measured on the
 * cnn-step bench, the reference's 2×2 loop took 7% of the step's CPU time.
 * The backward pass (for any float32 windows: it only follows `arg`) is a
 * scalar scatter in WebAssembly: the reference's loop took 3.2 ms of the
 * cnn-step's main thread, its random writes into a fresh 6.4 MB array
 * (tools/bench/profile-step.ts --cnn under --cpu-prof).
 */

interface PoolExports {
  maxPool2x2F32(x: number, planes: number, height: number, width: number, outH: number, outW: number, out: number, arg: number): void;
  maxPoolBackwardF32(g: number, arg: number, planes: number, per: number, size: number, dx: number): void;
}

/** Whether the windows are [2o, 2o + 2) for every o (divisors aside). */
function pairs(w: PoolWindows): boolean {
  for (let o = 0; o < w.start.length; o++) if (w.start[o] !== 2 * o || w.end[o] !== 2 * o + 2) return false;
  return true;
}

export function maxPool2dWasm(
  rt: WasmInstance, x: TypedArray, planes: number, height: number, width: number, rows: PoolWindows, cols: PoolWindows, out: TypedArray, arg: Int32Array,
): void {
  if (!(x instanceof Float32Array) || !(out instanceof Float32Array) || !pairs(rows) || !pairs(cols)) {
    maxPool2d(x, planes, height, width, rows, cols, out, arg);
    return;
  }
  const outH = rows.start.length;
  const outW = cols.start.length;
  const [xAt, outAt, argAt] = stage(rt, [x, into(out), into(arg)]);
  (rt.exports as unknown as PoolExports).maxPool2x2F32(xAt, planes, height, width, outH, outW, outAt, argAt);
  copyOut(rt, outAt, out);
  copyOut(rt, argAt, arg);
}

export function maxPool2dBackwardWasm(rt: WasmInstance, g: TypedArray, arg: Int32Array, planes: number, height: number, width: number, dx: TypedArray): void {
  if (!(g instanceof Float32Array) || !(dx instanceof Float32Array)) {
    maxPool2dBackward(g, arg, planes, height, width, dx);
    return;
  }
  const [gAt, argAt, dxAt] = stage(rt, [g, arg, into(dx)]);
  (rt.exports as unknown as PoolExports).maxPoolBackwardF32(gAt, argAt, planes, g.length / planes, height * width, dxAt);
  copyOut(rt, dxAt, dx);
}
