import type { WasmInstance } from "./runtime";

type Floats = Float32Array | Float64Array | Int32Array;

/**
 * What a kernel call places in linear memory: an array to copy in, a number
 * of bytes to leave for an output, or an output array (`into`).
 */
export type Slot = Floats | number | Into;

/** An output the kernel writes: where it lives when it is in the instance's memory, else scratch of its size (copied out by copyOut). */
export interface Into {
  readonly into: Floats;
}

export function into(array: Floats): Into {
  return { into: array };
}

/**
 * Lays the slots out one after another in the scratch area (each on a 64-byte
 * boundary), copies the arrays in, and returns their byte addresses. An
 * array that already lives in the instance's memory (a tensor computed inside
 * tidy(), an optimizer's state) is neither placed nor copied: its address is
 * where it is. The addresses in scratch are valid until the next call that
 * reserves scratch.
 */
export function stage(rt: WasmInstance, slots: readonly Slot[]): number[] {
  const arrays = slots.map((s) => (typeof s === "number" ? null : "into" in s ? s.into : s));
  const resident = arrays.map((a) => a !== null && rt.owns(a));
  const sizes = slots.map((s, i) => (resident[i] ? 0 : align(typeof s === "number" ? s : arrays[i]!.byteLength)));
  const base = rt.reserve(sizes.reduce((sum, n) => sum + n, 0));
  const addresses: number[] = [];
  let at = base;
  slots.forEach((slot, i) => {
    if (resident[i]) {
      addresses.push(arrays[i]!.byteOffset);
      return;
    }
    addresses.push(at);
    if (typeof slot !== "number" && !("into" in slot)) copyIn(rt, slot, at);
    at += sizes[i];
  });
  return addresses;
}

/** Copies `src` into linear memory at byte address `at`. */
export function copyIn(rt: WasmInstance, src: Floats, at: number): void {
  if (src instanceof Float32Array) rt.f32().set(src, at / 4);
  else if (src instanceof Float64Array) rt.f64().set(src, at / 8);
  else new Int32Array(rt.f32().buffer, at, src.length).set(src);
}

/**
 * Copies dst.length values from linear memory at byte address `at` into
 * `dst`; nothing to do when `dst` is that memory (stage gave it its own address).
 */
export function copyOut(rt: WasmInstance, at: number, dst: Floats): void {
  if (rt.owns(dst) && dst.byteOffset === at) return;
  if (dst instanceof Float32Array) dst.set(rt.f32().subarray(at / 4, at / 4 + dst.length));
  else if (dst instanceof Float64Array) dst.set(rt.f64().subarray(at / 8, at / 8 + dst.length));
  else dst.set(new Int32Array(rt.f32().buffer, at, dst.length));
}

/** 64-byte alignment keeps every block on its own cache lines (and SIMD loads aligned). */
export function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
