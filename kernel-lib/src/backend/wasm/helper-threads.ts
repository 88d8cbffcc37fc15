import { Worker } from "node:worker_threads";
import { fail } from "../../core/errors";
import type { WasmRuntime } from "./runtime";

/**
 * Helper threads for large matrix products and convolutions. The engine's API is synchronous,
 * so the hand-off is too: the main thread writes a job into a shared control
 * block, wakes the helpers (Atomics.notify), computes its own share, then
 * blocks (Atomics.wait) until every helper has reported its share done.
 *
 * Each helper runs the same WebAssembly module on the same shared memory, so
 * a job is just the arguments of one kernel call: up to 13 integers, plus
 * which kernel (its index in HELPER_KERNELS).
 */

/** The exports a helper can run. */
const HELPER_KERNELS = ["gemm", "gemmF64", "conv2dF32", "conv2dF64", "conv2dBackwardF32", "conv2dBackwardF64"] as const;

/** The number that names `name` in a job (its last argument). */
export function helperKernel(name: (typeof HELPER_KERNELS)[number]): number {
  return HELPER_KERNELS.indexOf(name);
}

/**
 * Control block layout (Int32Array): the job's sequence number, the last
 * finished one, a failure flag, a started flag (set once the helper runs),
 * then the kernel's arguments and its number.
 */
const SEQ = 0;
const DONE = 1;
const FAILED = 2;
const STARTED = 3;
const ARGS = 4;
const ARG_COUNT = 14;
/**
 * How long a helper polls for the next job before blocking (milliseconds).
 * Waking a blocked helper took 0.1–0.4 ms on the 2-core reference machine,
 * as long as half of one of the training step's products; the gaps between
 * products within a step are up to a few milliseconds. Polling through them
 * made the reference step 10–20% faster than polling for 2 ms (interleaved
 * runs of 300 steps, medians 8.7 against 10.8 ms). The cost:
 * a helper keeps one core busy for at most this long after the last product.
 */
const SPIN_MS = 20;
/** How many times the main thread polls for the result before blocking. */
const MAIN_POLLS = 20000;
/** A helper that has not started after this long never will (the thread could not be created). */
const START_TIMEOUT_MS = 30_000;

/** Plain JavaScript, run with `eval: true` so the same code works from src/ (tests) and dist/ (users). */
const HELPER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control } = workerData;
const exported = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = ${JSON.stringify(HELPER_KERNELS)}.map((name) => exported[name]);
const ctl = new Int32Array(control);
Atomics.store(ctl, ${STARTED}, 1);
let seen = 0;
for (;;) {
  // The clock is read every 1024 polls: each read allocates a number, and reading it
  // on every poll made this thread collect garbage about a hundred times a second.
  const until = performance.now() + ${SPIN_MS};
  for (let polls = 1; Atomics.load(ctl, ${SEQ}) === seen; polls++) {
    if ((polls & 1023) === 0 && performance.now() >= until) break;
  }
  Atomics.wait(ctl, ${SEQ}, seen);
  seen = Atomics.load(ctl, ${SEQ});
  const a = ctl.subarray(${ARGS}, ${ARGS + ARG_COUNT});
  try {
    kernels[a[13]](a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]);
  } catch (e) {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;

interface Helper {
  worker: Worker;
  control: Int32Array;
  seq: number;
}

const helpers: Helper[] = [];

/** Starts helpers until there are `count` (they are never stopped; they do not keep the process alive). */
export function ensureHelpers(runtime: WasmRuntime, count: number): void {
  while (helpers.length < count) {
    const control = new Int32Array(new SharedArrayBuffer(4 * (ARGS + ARG_COUNT)));
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { module: runtime.sharedModule, memory: runtime.shared.memory, control: control.buffer },
    });
    worker.unref();
    helpers.push({ worker, control, seq: 0 });
  }
}

/** Hands a job (arguments, then the kernel's number) to helper `i`; it starts at once. */
export function startOnHelper(i: number, args: readonly number[]): void {
  const h = helpers[i];
  h.control.set(args, ARGS);
  h.seq++;
  Atomics.store(h.control, SEQ, h.seq);
  Atomics.notify(h.control, SEQ);
}

/** Whether helpers 0 … count−1 have all finished the jobs last given to them (without waiting). */
export function helpersFinished(count: number): boolean {
  for (let i = 0; i < count; i++) if (Atomics.load(helpers[i].control, DONE) !== helpers[i].seq) return false;
  return true;
}

/** Blocks until helper `i` has finished the job last given to it. */
export function waitForHelper(i: number): void {
  const h = helpers[i];
  for (let poll = 0; poll < MAIN_POLLS && Atomics.load(h.control, DONE) !== h.seq; poll++);
  const since = performance.now();
  for (;;) {
    const done = Atomics.load(h.control, DONE);
    if (done === h.seq) break;
    Atomics.wait(h.control, DONE, done, 1000);
    if (Atomics.load(h.control, STARTED) === 0 && performance.now() - since > START_TIMEOUT_MS) {
      fail("gemm", "a helper thread did not start within 30 s; set KERNEL_LIB_THREADS=1 to compute on one thread");
    }
  }
  if (Atomics.exchange(h.control, FAILED, 0) !== 0) fail("gemm", "a helper thread failed (WebAssembly trap); set KERNEL_LIB_THREADS=1 to compute on one thread");
}
