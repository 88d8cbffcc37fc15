import type { TypedArray } from "../core/dtype";

/**
 * Which storage buffers a backward pass may hand to a leaf's `.grad` as they
 * are, instead of copying them: those allocated during that pass (by an op
 * inside a backward rule, through `empty`) and wrapped by exactly one Tensor
 * object. Anything else (a user's array, a forward result, a buffer two
 * tensors share as views) is copied, so `.grad` always owns its storage.
 *
 * NOTE: for speed: copying every parameter's gradient cost 2–6% of a training
 * step (a 270K-parameter net: 0.3 ms of 10).
 */

/** Marks a buffer allocated during the pass that no Tensor wraps yet. */
const UNWRAPPED = Symbol("unwrapped");

/**
 * Buffers allocated during the current backward pass, each mapped to the
 * first Tensor made on it (UNWRAPPED before that, null once a second one is).
 * It exists only while a pass runs: outside one the bookkeeping costs a null
 * check. (A WeakMap entry per Tensor, kept across passes, cost 15% of a small
 * loss's forward and backward plus garbage-collector work on every tensor.)
 */
let owners: Map<TypedArray, object | null | typeof UNWRAPPED> | null = null;
let depth = 0;

/** The engine's backward pass brackets its work with these (nested passes share the outer one's map). */
export function beginFresh(): void {
  if (depth++ === 0) owners = new Map();
}

export function endFresh(): void {
  if (--depth === 0) owners = null;
}

/** Called by `empty` for every buffer it allocates. */
export function noteAllocated(data: TypedArray): void {
  if (owners !== null) owners.set(data, UNWRAPPED);
}

/** Called by the Tensor constructor. */
export function noteWrapped(data: TypedArray, tensor: object): void {
  if (owners === null) return;
  const first = owners.get(data);
  if (first !== undefined) owners.set(data, first === UNWRAPPED ? tensor : null);
}

/** Whether `tensor` is the only tensor on a buffer allocated during the current backward pass. */
export function ownsFreshBuffer(tensor: { data: TypedArray }): boolean {
  return owners !== null && owners.get(tensor.data) === tensor;
}
