import type { WasmInstance } from "./runtime";

/** What a kernel call places in linear memory: an array to copy in, or a number of bytes to leave for an output. */
export type Slot = Float32Array | Float64Array | Int32Array | number;

/**
 * Lays the slots out one after another in the scratch area (each on a 64-byte
 * boundary), copies the arrays in, and returns their byte addresses. The
 * addresses are valid until the next call that reserves scratch.
 */
export function stage(rt: WasmInstance, slots: readonly Slot[]): number[] {
  const sizes = slots.map((s) => align(typeof s === "number" ? s : s.byteLength));
  const base = rt.reserve(sizes.reduce((sum, n) => sum + n, 0));
  const addresses: number[] = [];
  let at = base;
  slots.forEach((slot, i) => {
    addresses.push(at);
    if (typeof slot !== "number") copyIn(rt, slot, at);
    at += sizes[i];
  });
  return addresses;
}

/** Copies `src` into linear memory at byte address `at`. */
export function copyIn(rt: WasmInstance, src: Float32Array | Float64Array | Int32Array, at: number): void {
  if (src instanceof Float32Array) rt.f32().set(src, at / 4);
  else if (src instanceof Float64Array) rt.f64().set(src, at / 8);
  else new Int32Array(rt.f32().buffer, at, src.length).set(src);
}

/** Copies dst.length values from linear memory at byte address `at` into `dst`. */
export function copyOut(rt: WasmInstance, at: number, dst: Float32Array | Float64Array | Int32Array): void {
  if (dst instanceof Float32Array) dst.set(rt.f32().subarray(at / 4, at / 4 + dst.length));
  else if (dst instanceof Float64Array) dst.set(rt.f64().subarray(at / 8, at / 8 + dst.length));
  else dst.set(new Int32Array(rt.f32().buffer, at, dst.length));
}

/** 64-byte alignment keeps every block on its own cache lines (and SIMD loads aligned). */
export function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
