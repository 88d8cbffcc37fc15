import type { TypedArray } from "../../core/dtype";
import type { WasmInstance } from "./runtime";
import { WasmStateStore } from "./state-store";
import { copyOut, stage } from "./staging";

/**
 * Runs a float32 optimizer kernel on one parameter: `call` gets the
 * instance and the byte addresses of p, grad and each state buffer (0 for a
 * null one), and updates them in place. Returns false, having done nothing,
 * unless every array is float32 (the caller then runs the reference loop).
 *
 * When the state lives in one WasmStateStore's memory, as an optimizer's
 * does, the kernel runs there: the state is read and written where it is,
 * and only p and grad are copied in and p out. Otherwise everything is
 * copied into `rt`'s scratch and back.
 */
export function optimizerUpdateWasm(
  rt: WasmInstance, p: TypedArray, grad: TypedArray, state: readonly (TypedArray | null)[],
  call: (inst: WasmInstance, pAt: number, gradAt: number, stateAt: number[]) => void,
): boolean {
  if (!(p instanceof Float32Array && grad instanceof Float32Array && state.every((s) => s === null || s instanceof Float32Array))) return false;
  const buffers = state.filter((s): s is Float32Array => s !== null);
  const store = buffers.length > 0 ? WasmStateStore.of(buffers[0]) : undefined;
  const inst = store !== undefined && buffers.every((s) => WasmStateStore.of(s) === store) ? store.instance : rt;
  const [pAt, gAt, ...at] = stage(inst, [p, grad, ...buffers]);
  let next = 0;
  call(inst, pAt, gAt, state.map((s) => (s === null ? 0 : at[next++])));
  copyOut(inst, pAt, p);
  buffers.forEach((s, i) => copyOut(inst, at[i], s));
  return true;
}
