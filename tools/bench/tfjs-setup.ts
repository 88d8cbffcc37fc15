import path from "node:path";
import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs-core";
// The CommonJS build of tfjs-core that Node loads registers no gradients
// (the @tensorflow/tfjs bundle normally does it); this side-effect module
// adds them to tfjs's global registry, so tf.variableGrads works.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-backend-cpu";
import { getThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

/**
 * Loads TensorFlow.js (tfjs-core with its pure-JavaScript `cpu` backend and
 * the WebAssembly `wasm` backend) for Node, offline.
 *
 * The wasm backend fetches its .wasm binary when first selected; in Node it
 * reads it from disk, so we point it at the files shipped in
 * node_modules/@tensorflow/tfjs-backend-wasm/dist. It picks
 * tfjs-backend-wasm-simd.wasm when the engine validates SIMD (Node 20 does),
 * and would pick the threaded build only where WASM_HAS_MULTITHREAD_SUPPORT
 * is true, which tfjs 4.22 hard-codes to false under Node: XNNPACK runs
 * single-threaded here. `wasmInfo()` reports what was actually chosen.
 */

export type TfjsBackend = "cpu" | "wasm";
export const TFJS_BACKENDS: readonly TfjsBackend[] = ["cpu", "wasm"];

const localRequire = createRequire(__filename);
/** The folder holding the .wasm binaries, with a trailing separator (setWasmPaths takes a prefix). */
export const WASM_DIR = path.dirname(localRequire.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm")) + path.sep;

// Must happen before anything initializes a backend: tf.ready() would start
// wasm (the highest-priority registered backend) with the default, wrong path.
setWasmPaths(WASM_DIR);
// Production mode silences tfjs's console warnings, among them the
// "looks like you are running TensorFlow.js in Node.js" banner.
tf.enableProdMode();

export { tf };

/** Makes `name` the active tfjs backend, initializing it on first use. */
export async function useTfjsBackend(name: TfjsBackend): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs backend "${name}" failed to initialize (wasm binaries looked up in ${WASM_DIR})`);
  await tf.ready();
}

export interface WasmInfo {
  simd: boolean;
  multithreadSupported: boolean;
  threads: number;
  binary: string;
}

/** Which wasm build runs and with how many threads (initializes the wasm backend). */
export async function wasmInfo(): Promise<WasmInfo> {
  const previous = tf.getBackend() as TfjsBackend | undefined;
  await useTfjsBackend("wasm");
  const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true;
  const multithreadSupported = (await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) === true;
  const binary = simd && multithreadSupported ? "tfjs-backend-wasm-threaded-simd.wasm" : simd ? "tfjs-backend-wasm-simd.wasm" : "tfjs-backend-wasm.wasm";
  const info = { simd, multithreadSupported, threads: getThreadsCount(), binary };
  if (previous && previous !== "wasm") await useTfjsBackend(previous);
  return info;
}
