import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * The WebAssembly side of the fast backend: the compiled module (built from
 * kernel-lib/wasm/assembly by `npm run build`), one shared linear memory and
 * the instance on this thread. Helper threads instantiate the same module on
 * the same memory, so all of them see the operands copied in once.
 *
 * Linear memory is a scratch area, not tensor storage: tensors keep their own
 * typed arrays, and a kernel copies its operands in, computes, and copies the
 * result out. The copies are memcpy-fast and cost a few percent of a matrix
 * product; in exchange nothing above the backend knows WebAssembly exists.
 */

/** The functions exported by kernel-lib/wasm/assembly (byte pointers, element counts). */
export interface WasmExports {
  gemm(
    a: number, lda: number, transA: number,
    b: number, ldb: number, transB: number,
    c: number, ldc: number,
    m: number, n: number, k: number, accumulate: number, scratch: number,
  ): void;
  gemmScratchBytes(m: number, n: number, k: number): number;
  /** The float64 twin of gemm (kernel-lib/wasm/assembly/gemm-f64.ts), same arguments. */
  gemmF64(
    a: number, lda: number, transA: number,
    b: number, ldb: number, transB: number,
    c: number, ldc: number,
    m: number, n: number, k: number, accumulate: number, scratch: number,
  ): void;
  gemmF64ScratchBytes(m: number, n: number, k: number): number;
}

/**
 * The few parts of the WebAssembly JavaScript API used here, typed locally:
 * Node 20's type definitions do not declare the global `WebAssembly`.
 */
export interface WasmModule {
  readonly __brand?: "WebAssembly.Module";
}
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface WasmRuntime {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly exports: WasmExports;
  /** A float32 view of the whole memory, valid until the next `reserve`. */
  f32(): Float32Array;
  /** The same for float64. */
  f64(): Float64Array;
  /** Makes sure `bytes` bytes are available from SCRATCH_BASE and returns SCRATCH_BASE. */
  reserve(bytes: number): number;
}

/** Below this address the module may keep its own data; kernels use the memory above it. */
export const SCRATCH_BASE = 65536;
const PAGE = 65536;
/** 1 GiB: shared memories must declare a maximum; only address space is reserved up front. */
const MAX_PAGES = 16384;

/** Where the build puts the binary: kernel-lib/dist/wasm (the same path from src/ and from dist/). */
export const WASM_PATH = path.resolve(__dirname, "..", "..", "..", "dist", "wasm", "kernels.wasm");

let runtime: WasmRuntime | null | undefined;
let loadError: string | null = null;

/** The runtime, loaded on first use; null when the binary is missing or this engine lacks WebAssembly SIMD. */
export function wasmRuntime(): WasmRuntime | null {
  if (runtime === undefined) {
    try {
      runtime = load();
    } catch (e) {
      loadError = e instanceof Error ? e.message : String(e);
      runtime = null;
    }
  }
  return runtime;
}

/** Why the runtime could not be loaded (null if it was, or was not tried yet). */
export function wasmLoadError(): string | null {
  return loadError;
}

function load(): WasmRuntime {
  const module = new WebAssemblyApi.Module(readFileSync(WASM_PATH));
  const memory = new WebAssemblyApi.Memory({ initial: 32, maximum: MAX_PAGES, shared: true });
  const instance = new WebAssemblyApi.Instance(module, { env: { memory } });
  const kernels = instance.exports as unknown as WasmExports;
  let view = new Float32Array(memory.buffer);
  let view64 = new Float64Array(memory.buffer);
  return {
    module,
    memory,
    exports: kernels,
    f32: () => view,
    f64: () => view64,
    reserve(bytes: number): number {
      const needed = SCRATCH_BASE + bytes;
      const have = memory.buffer.byteLength;
      if (needed > have) memory.grow(Math.ceil((needed - have) / PAGE));
      // A shared memory's buffer object changes when it grows; old views stay valid but short.
      if (view.buffer.byteLength !== memory.buffer.byteLength) {
        view = new Float32Array(memory.buffer);
        view64 = new Float64Array(memory.buffer);
      }
      return SCRATCH_BASE;
    },
  };
}
