import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as v8 from "node:v8";
import { fail } from "../../core/errors";

/**
 * The WebAssembly side of the fast backend: the kernels (built from
 * kernel-lib/wasm/assembly by `npm run build`) instantiated twice on this
 * thread, each with its own linear memory:
 *   - `shared`: on a shared memory, which the helper threads instantiate the
 *     same module on, so all of them see the operands copied in once; used
 *     by matrix products split across threads;
 *   - `local`: on an ordinary memory, used by every single-thread call.
 *     Copying into and out of a SharedArrayBuffer goes through V8's
 *     race-safe copy, 2.6× slower than memcpy (measured: 10 against
 *     27 GB/s), which matters for the kernels that do little work per value.
 *
 * Outside tidy(), linear memory is a scratch area, not tensor storage:
 * tensors keep their own typed arrays, and a kernel copies its operands in,
 * computes, and copies the result out, and memory is freed by JavaScript's
 * garbage collector as usual. Inside tidy(), results live at the bottom of
 * the shared memory (arena.ts), scratch above them, and a kernel uses them
 * where they are (staging.ts). The memory keeps the size it grew to.
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
  /** The float64 instance of the same generic kernel (kernel-lib/wasm/assembly/gemm.ts), same arguments. */
  gemmF64(
    a: number, lda: number, transA: number,
    b: number, ldb: number, transB: number,
    c: number, ldc: number,
    m: number, n: number, k: number, accumulate: number, scratch: number,
  ): void;
  gemmF64ScratchBytes(m: number, n: number, k: number): number;
  /**
   * kernel-lib/wasm/assembly/conv.ts: a convolution's forward and backward for images
   * n0 … n1−1 (geometry: 16 int32 at `geo`; null pointers are 0), F32 and F64 alike.
   */
  conv2dF32(x: number, w: number, bias: number, out: number, geo: number, n0: number, n1: number, scratch: number): void;
  conv2dF64(x: number, w: number, bias: number, out: number, geo: number, n0: number, n1: number, scratch: number): void;
  conv2dBackwardF32(x: number, w: number, dOut: number, dx: number, dW: number, geo: number, n0: number, n1: number, scratch: number, chunk: number): void;
  conv2dBackwardF64(x: number, w: number, dOut: number, dx: number, dW: number, geo: number, n0: number, n1: number, scratch: number, chunk: number): void;
  conv2dScratchBytesF32(geo: number): number;
  conv2dScratchBytesF64(geo: number): number;
  /** kernel-lib/wasm/assembly/adam.ts: Adam over n float32 values (vMax 0 without AMSGrad). */
  adamF32(
    p: number, grad: number, m: number, v: number, vMax: number, n: number,
    beta1: number, a1: number, beta2: number, a2: number, stepSize: number, invSqrtBc2: number, eps: number, l2: number, shrink: number,
  ): void;
  /** kernel-lib/wasm/assembly/sgd.ts: SGD over n float32 values (buf 0 without momentum). */
  sgdF32(
    p: number, grad: number, buf: number, n: number,
    lr: number, weightDecay: number, momentum: number, bufDecay: number, gScale: number, nesterov: number,
  ): void;
  /** kernel-lib/wasm/assembly/batch-norm.ts: passes over a float32 [outer, channels] matrix. */
  channelMomentsF32(x: number, outer: number, channels: number, mean: number, variance: number): void;
  channelAffineF32(x: number, outer: number, channels: number, scale: number, shift: number, out: number): void;
  channelGradSumsF32(g: number, x: number, outer: number, channels: number, mean: number, sumG: number, sumGXc: number): void;
  channelAffine2F32(g: number, x: number, outer: number, channels: number, k: number, a: number, b: number, out: number): void;
  /** kernel-lib/wasm/assembly/elementwise.ts: n float32 values, op codes as listed there. */
  binaryF32(op: number, a: number, b: number, out: number, n: number): void;
  unaryF32(op: number, x: number, out: number, n: number): void;
  /** kernel-lib/wasm/assembly/elementwise.ts: n bytes at `at` set to zero (memory.fill). */
  zeroBytes(at: number, n: number): void;
  /** kernel-lib/wasm/assembly/bernoulli.ts: four u32 state words at `state`, n float32 outputs. */
  bernoulliMaskF32(state: number, p: number, value: number, out: number, n: number): void;
}

/**
 * The few parts of the WebAssembly JavaScript API used here, typed locally:
 * Node 20's type definitions do not declare the global `WebAssembly`.
 */
export interface WasmModule {
  readonly __brand?: "WebAssembly.Module";
}
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** One instance of the kernels with its memory. */
export interface WasmInstance {
  readonly memory: WasmMemory;
  readonly exports: WasmExports;
  /** A float32 view of the whole memory, valid until the next `reserve`. */
  f32(): Float32Array;
  /** The same for float64. */
  f64(): Float64Array;
  /**
   * Makes sure `bytes` bytes of scratch are available and returns the address
   * where they start: `scratchBase`.
   */
  reserve(bytes: number): number;
  /**
   * Where scratch starts: SCRATCH_BASE, or above the tensors a tidy() scope
   * keeps in this memory (arena.ts moves it), or above an optimizer store's
   * state buffers.
   */
  scratchBase: number;
  /** Grows the memory so that addresses below `end` are valid. */
  ensure(end: number): void;
  /** Whether `array` is a view of this memory (then its byteOffset is its address here). */
  owns(array: ArrayBufferView): boolean;
}

export interface WasmRuntime {
  /** Whether the relaxed-SIMD builds were loaded (fused multiply-add in the matrix products). */
  readonly relaxedSimd: boolean;
  /** The shared-memory build, compiled once: helper threads instantiate it on `shared.memory`. */
  readonly sharedModule: WasmModule;
  /** The instance on shared memory, for work split across threads. */
  readonly shared: WasmInstance;
  /** The instance on this thread's own memory, for single-thread calls. */
  readonly local: WasmInstance;
}

/** Below this address the module may keep its own data; kernels use the memory above it. */
export const SCRATCH_BASE = 65536;
const PAGE = 65536;
/** 1 GiB: shared memories must declare a maximum; only address space is reserved up front. */
const MAX_PAGES = 16384;

/** Where the build puts the binaries: kernel-lib/dist/wasm (the same path from src/ and from dist/). */
export const WASM_DIR = path.resolve(__dirname, "..", "..", "..", "dist", "wasm");
/** The plain SIMD build for shared memory; the other three builds sit beside it (scripts/build-wasm.mjs). */
export const WASM_PATH = path.join(WASM_DIR, "kernels.wasm");

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

/**
 * The relaxed-SIMD builds when this engine validates them, else the plain ones.
 * Node 20's V8 (11.3) implements relaxed SIMD behind a flag; setting it before
 * the first compilation is enough, and newer engines have it on already.
 * KERNEL_LIB_RELAXED_SIMD=0 forces the plain builds (for comparing the two).
 */
function chooseBinaries(): { shared: Uint8Array; local: Uint8Array; relaxedSimd: boolean } {
  const read = (name: string) => readFileSync(path.join(WASM_DIR, name));
  const relaxedFiles = ["kernels-relaxed.wasm", "kernels-unshared-relaxed.wasm"];
  if (process.env.KERNEL_LIB_RELAXED_SIMD !== "0" && relaxedFiles.every((f) => existsSync(path.join(WASM_DIR, f)))) {
    const [shared, local] = relaxedFiles.map(read);
    if (!WebAssemblyApi.validate(shared)) v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
    if (WebAssemblyApi.validate(shared) && WebAssemblyApi.validate(local)) return { shared, local, relaxedSimd: true };
  }
  return { shared: read("kernels.wasm"), local: read("kernels-unshared.wasm"), relaxedSimd: false };
}

function load(): WasmRuntime {
  const binaries = chooseBinaries();
  const sharedModule = new WebAssemblyApi.Module(binaries.shared);
  return {
    relaxedSimd: binaries.relaxedSimd,
    sharedModule,
    shared: instantiate(sharedModule, true),
    local: instantiate(new WebAssemblyApi.Module(binaries.local), false),
  };
}

/** A new instance of `module` on a memory of its own (shared or not). */
export function instantiate(module: WasmModule, shared: boolean): WasmInstance {
  const memory = new WebAssemblyApi.Memory({ initial: 32, maximum: MAX_PAGES, shared });
  const instance = new WebAssemblyApi.Instance(module, { env: { memory } });
  let view = new Float32Array(memory.buffer);
  let view64 = new Float64Array(memory.buffer);
  // Every buffer object this memory has had: growing a shared memory gives a new
  // one, and the views made on the old ones stay valid (they are only shorter).
  const buffers = new WeakSet<ArrayBufferLike>([memory.buffer]);
  return {
    memory,
    exports: instance.exports as unknown as WasmExports,
    f32: () => view,
    f64: () => view64,
    scratchBase: SCRATCH_BASE,
    ensure(end: number): void {
      const have = memory.buffer.byteLength;
      if (end > have) {
        try {
          memory.grow(Math.ceil((end - have) / PAGE));
        } catch {
          const mib = (bytes: number): string => `${Math.ceil(bytes / 2 ** 20)} MiB`;
          fail("kernels", `the WebAssembly memory is full: a call needs ${mib(end)} of it, its limit is ${mib(MAX_PAGES * PAGE)}, ` +
            `and ${mib(this.scratchBase - SCRATCH_BASE)} hold tensors computed inside an open tidy() (or an optimizer's state). ` +
            "Compute less inside one tidy() (one training step per tidy()), or use smaller batches");
        }
      }
      // Growing replaces the buffer object: a shared memory's old views stay valid but short,
      // an unshared memory's old buffer is detached (length 0). Either way, new views.
      if (view.buffer.byteLength !== memory.buffer.byteLength) {
        view = new Float32Array(memory.buffer);
        view64 = new Float64Array(memory.buffer);
        buffers.add(memory.buffer);
      }
    },
    reserve(bytes: number): number {
      this.ensure(this.scratchBase + bytes);
      return this.scratchBase;
    },
    owns: (array: ArrayBufferView): boolean => buffers.has(array.buffer),
  };
}

/**
 * The instance a call runs on when one thread does it: the shared memory's
 * when any operand lives there (a tensor computed inside tidy(): nothing to
 * copy then), else this thread's own memory (faster to copy into).
 */
export function instanceFor(rt: WasmRuntime, arrays: readonly (ArrayBufferView | null)[]): WasmInstance {
  return arrays.some((a) => a !== null && rt.shared.owns(a)) ? rt.shared : rt.local;
}
