import type { TypedArray } from "../../core/dtype";
import { type Shape, sizeOf } from "../../core/shape";
import type { BinaryOp } from "../kernels";

/**
 * The commonest broadcasts without the index map: an operand whose shape
 * (leading 1s aside) is a suffix of the output's, such as a bias row [C]
 * against [N, C] or a scalar, repeats every `period` values, index[i] =
 * i mod period. The reference loops (../cpu.ts) read it through the map, one
 * indirection per value; these read it block by block.
 *
 * `notePeriod` remembers which index maps are periodic when the fast kernels
 * make them (`broadcastIndex`); the maps are cached and reused every step.
 */
const periods = new WeakMap<Int32Array, number>();

export function notePeriod(index: Int32Array | null, from: Shape, to: Shape): Int32Array | null {
  if (index === null) return null;
  let start = 0;
  while (start < from.length && from[start] === 1) start++;
  const suffix = from.slice(start);
  const offset = to.length - suffix.length;
  if (offset >= 0 && suffix.every((d, i) => d === to[offset + i])) periods.set(index, sizeOf(suffix));
  return index;
}

/**
 * out = a op b for the four arithmetic ops, when one operand is full (null
 * map) and the other periodic; false, having done nothing, otherwise.
 */
export function periodicBinary(op: BinaryOp, a: TypedArray, ia: Int32Array | null, b: TypedArray, ib: Int32Array | null, out: TypedArray): boolean {
  const n = out.length;
  const pa = ia === null ? n : periods.get(ia);
  const pb = ib === null ? n : periods.get(ib);
  if (pa === undefined || pb === undefined) return false;
  if (pa === n) {
    // b repeats: block s of out is a[s … s+pb) op b[0 … pb).
    switch (op) {
      case "add": for (let s = 0; s < n; s += pb) for (let j = 0; j < pb; j++) out[s + j] = a[s + j] + b[j]; return true;
      case "sub": for (let s = 0; s < n; s += pb) for (let j = 0; j < pb; j++) out[s + j] = a[s + j] - b[j]; return true;
      case "mul": for (let s = 0; s < n; s += pb) for (let j = 0; j < pb; j++) out[s + j] = a[s + j] * b[j]; return true;
      case "div": for (let s = 0; s < n; s += pb) for (let j = 0; j < pb; j++) out[s + j] = a[s + j] / b[j]; return true;
      default: return false;
    }
  }
  if (pb === n) {
    switch (op) {
      case "add": for (let s = 0; s < n; s += pa) for (let j = 0; j < pa; j++) out[s + j] = a[j] + b[s + j]; return true;
      case "sub": for (let s = 0; s < n; s += pa) for (let j = 0; j < pa; j++) out[s + j] = a[j] - b[s + j]; return true;
      case "mul": for (let s = 0; s < n; s += pa) for (let j = 0; j < pa; j++) out[s + j] = a[j] * b[s + j]; return true;
      case "div": for (let s = 0; s < n; s += pa) for (let j = 0; j < pa; j++) out[s + j] = a[j] / b[s + j]; return true;
      default: return false;
    }
  }
  return false;
}

/** out[i mod p] += x[i] when `map` is periodic (a [N, C] gradient summed down to a bias [C]); false otherwise. */
export function periodicSumInto(x: TypedArray, map: Int32Array | null, out: TypedArray): boolean {
  const p = map === null ? undefined : periods.get(map);
  if (p === undefined) return false;
  for (let s = 0; s < x.length; s += p) for (let j = 0; j < p; j++) out[j] += x[s + j];
  return true;
}
