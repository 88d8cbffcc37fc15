import type { DType, TypedArray } from "../core/dtype";
import type { Arena } from "./wasm/arena";

/**
 * Where the tensors computed inside tidy() (../memory/tidy.ts) keep their
 * values: an arena in the WebAssembly runtime's shared memory, the memory the
 * kernels compute in. A kernel then reads its operands and writes its result
 * where they are: no copy in, no copy out, no fresh typed array for the
 * garbage collector. Scopes nest; closing one frees, in one step, everything
 * allocated since it opened.
 *
 * Without the WebAssembly runtime (KERNEL_LIB_BACKEND=js, or no binary)
 * there is no arena: tensors get ordinary typed arrays, and tidy() changes
 * nothing.
 */

/** What a scope tracks of a tensor: its storage (a Tensor, seen structurally to keep this module below tensor.ts). */
export interface Stored {
  readonly data: TypedArray;
}

let arena: Arena | null = null;
/** The arena's first free address when each open scope began, innermost last. */
const marks: number[] = [];
/**
 * Tensors created inside open scopes whose storage is in the arena, by
 * storage array: a tensor and its views (reshape, detach) share one, and
 * keep() moves them together. A tensor whose storage has been replaced since
 * (kept) no longer matches its key and is skipped.
 */
let byStorage = new Map<TypedArray, Stored[]>();

/** Called once by the backend when the runtime has loaded. */
export function setScopeArena(next: Arena | null): void {
  arena = next;
}

/** Zero-filled storage in the innermost scope, or null outside tidy() (or when the arena is full): allocate normally then. */
export function scopedAllocate(dtype: DType, size: number): TypedArray | null {
  // Not an empty one: it would sit at the arena's top, where an inner scope opened next begins, and be freed by it.
  return marks.length > 0 && arena !== null && size > 0 ? arena.allocate(dtype, size) : null;
}

/** Whether `data` lives in the arena (a tensor computed inside a tidy() that is still open). */
export function isScoped(data: TypedArray): boolean {
  return arena !== null && arena.owns(data);
}

/** The Tensor constructor's note: remember tensors whose storage the arena holds, to release them with their scope. */
export function noteTensor(t: Stored): void {
  if (marks.length > 0 && arena !== null && arena.owns(t.data)) {
    const views = byStorage.get(t.data);
    if (views === undefined) byStorage.set(t.data, [t]);
    else views.push(t);
  }
}

/** Whether `array` is freed when the innermost scope closes: arena memory allocated since it opened. */
export function freedOnClose(array: ArrayBufferView): boolean {
  const mark = marks[marks.length - 1];
  return mark !== undefined && arena !== null && arena.owns(array) && array.byteOffset >= mark;
}

/** The tracked tensors whose storage is `data` (keep() moves them together). */
export function sharing(data: TypedArray): Stored[] {
  return (byStorage.get(data) ?? []).filter((t) => t.data === data);
}

/** How many scopes are open. */
export function openScopes(): number {
  return marks.length;
}

export function openScope(): void {
  marks.push(arena?.mark() ?? 0);
}

/**
 * Closes the innermost scope and frees its storage. Returns the tensors that
 * still point into it, which the caller must stop from being read.
 * Tensors whose storage an outer scope allocated stay tracked by that scope.
 */
export function closeScope(): Stored[] {
  const mark = marks.pop();
  if (mark === undefined || arena === null) return [];
  const released: Stored[] = [];
  const outer = new Map<TypedArray, Stored[]>();
  for (const [data, views] of byStorage) {
    const still = views.filter((t) => t.data === data); // the others were moved out (returned or kept)
    if (still.length === 0) continue;
    if (data.byteOffset >= mark) released.push(...still);
    else outer.set(data, still);
  }
  byStorage = outer;
  arena.release(mark);
  return released;
}
