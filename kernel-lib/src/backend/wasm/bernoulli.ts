import type { TypedArray } from "../../core/dtype";
import { bernoulliMask } from "../bernoulli";
import type { WasmInstance } from "./runtime";
import { copyOut, into, stage } from "./staging";

/**
 * Dropout's mask on the kernel that reproduces the generator (kernel-lib/wasm/assembly/bernoulli.ts):
 * the same values and final state as the reference, without the buffer of
 * float64 draws in between. Float64 masks use the reference.
 */
export function bernoulliMaskWasm(rt: WasmInstance, words: Uint32Array, p: number, value: number, out: TypedArray): void {
  if (!(out instanceof Float32Array)) {
    bernoulliMask(words, p, value, out);
    return;
  }
  const [stateAt, outAt] = stage(rt, [16, into(out)]);
  new Uint32Array(rt.f32().buffer, stateAt, 4).set(words);
  rt.exports.bernoulliMaskF32(stateAt, p, value, outAt, out.length);
  words.set(new Uint32Array(rt.f32().buffer, stateAt, 4));
  copyOut(rt, outAt, out);
}
