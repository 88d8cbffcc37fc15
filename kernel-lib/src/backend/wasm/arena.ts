import type { DType, TypedArray } from "../../core/dtype";
import type { WasmInstance } from "./runtime";
import { align } from "./staging";

/**
 * Typed arrays laid out one after another from the bottom of an instance's
 * memory, with the instance's scratch space moved up above them: a bump
 * allocator. Kernels find such an array where it is (its byteOffset is its
 * address), so nothing is copied in or out for it.
 *
 * Used for the tensors computed inside tidy() (the runtime's shared memory;
 * released together when the scope ends: ../scoped-storage.ts) and for an
 * optimizer's state (a memory of its own, never released: state-store.ts).
 * Only a shared memory can hold them: growing it leaves the views made
 * earlier valid, where an unshared memory's old buffer would be detached.
 */
export class Arena {
  constructor(readonly inst: WasmInstance) {}

  /** A zero-filled array of `length` elements here, or null when the memory cannot grow that far (1 GiB). */
  allocate(dtype: DType, length: number): TypedArray | null {
    const bytesPer = dtype === "float64" ? 8 : 4;
    const at = this.inst.scratchBase;
    const bytes = align(bytesPer * length);
    try {
      this.inst.ensure(at + bytes);
    } catch {
      return null;
    }
    this.inst.scratchBase = at + bytes;
    // Zeroed like a new typed array: the space has served as scratch (and as older tensors) before.
    this.inst.exports.zeroBytes(at, bytes);
    const buffer = this.inst.memory.buffer;
    if (dtype === "float64") return new Float64Array(buffer, at, length);
    return dtype === "int32" ? new Int32Array(buffer, at, length) : new Float32Array(buffer, at, length);
  }

  /** The first free address: everything allocated later lies at or above it. */
  mark(): number {
    return this.inst.scratchBase;
  }

  /** Frees everything allocated since `mark` (their views must no longer be used). */
  release(mark: number): void {
    this.inst.scratchBase = mark;
  }

  /** Whether `array` lives in this arena's memory. */
  owns(array: ArrayBufferView): boolean {
    return this.inst.owns(array);
  }
}
