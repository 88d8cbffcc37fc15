import { allocate, dtypeOf, type TypedArray } from "../../core/dtype";
import type { StateStore } from "./optimizers";
import { Arena } from "./arena";
import { type WasmInstance, type WasmRuntime, instantiate } from "./runtime";

/**
 * One optimizer's state in WebAssembly memory: its own instance of the
 * kernels on its own shared memory, float32 buffers laid out one after
 * another from the bottom (an Arena that is never released), and above them
 * scratch space for the parameter and gradient copied in at each step. The
 * Adam and SGD kernels then read and write the moments and momentum where
 * they are, instead of copying 4 bytes × 4 arrays in and 3 out per value
 * (measured: Adam on the reference net 1.4 → 0.7 ms per step).
 *
 * Shared memory because its views stay valid when it grows (an unshared
 * memory's old buffer is detached), so the state buffers can be handed out
 * as ordinary Float32Arrays. The memory belongs to the optimizer: garbage
 * collected with it, nothing to free by hand. Buffers are never reused, and
 * an optimizer only allocates at each parameter's first step (and when its
 * state dict is loaded, into a fresh store).
 */
export class WasmStateStore implements StateStore {
  /** The kernels on this store's own shared memory: state at the bottom, scratch above. */
  readonly instance: WasmInstance;
  private readonly arena: Arena;

  constructor(rt: WasmRuntime) {
    this.instance = instantiate(rt.sharedModule, true);
    this.arena = new Arena(this.instance);
  }

  zeros(like: TypedArray, length: number): TypedArray {
    if (!(like instanceof Float32Array)) return allocate(dtypeOf(like), length);
    // When the memory cannot grow further (1 GiB), this buffer lives in JavaScript instead.
    const view = this.arena.allocate("float32", length) ?? new Float32Array(length);
    if (this.arena.owns(view)) owners.set(view, this);
    return view;
  }

  /** The store `a` is a buffer of, if any. */
  static of(a: TypedArray): WasmStateStore | undefined {
    return owners.get(a);
  }
}

const owners = new WeakMap<TypedArray, WasmStateStore>();
