import * as os from "node:os";
import { ensureHelpers, helpersFinished, startOnHelper, waitForHelper } from "./helper-threads";
import type { WasmRuntime } from "./runtime";

/**
 * When and how work is split across the helper threads, for every kernel
 * that splits (matrix products in gemm.ts, convolutions in conv.ts): how
 * many threads, which share the main thread takes, and the back-off when
 * splitting stops paying on a busy machine.
 */

/**
 * Below this many multiply-adds (m·n·k, here 2²², about 160³) one thread is
 * faster: handing a job to a helper and waiting for it costs tens of
 * microseconds, and both threads pack the shared operand. Measured with
 * `npm run bench -- --case threads` on the 2-core reference machine when
 * otherwise idle: 128³ lost (0.37 ms against 0.25), 256³ gained 1.8×.
 */
let threadMinWork = 1 << 22;
let threadCount = defaultThreads();

function defaultThreads(): number {
  const fromEnv = Number(process.env.KERNEL_LIB_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  return Math.min(4, os.availableParallelism?.() ?? os.cpus().length);
}

/** How many threads large matrix products use (default: the cores, at most 4; env KERNEL_LIB_THREADS). */
export function getNumThreads(): number {
  return threadCount;
}

export function setNumThreads(n: number): void {
  threadCount = Math.max(1, Math.floor(n));
}

/** Sets the smallest m·n·k that is split across threads (for measuring the threshold); returns the previous. */
export function setThreadMinWork(work: number): number {
  const previous = threadMinWork;
  threadMinWork = work;
  return previous;
}

/**
 * Whether the helpers are paying off. On a busy machine a woken helper may
 * wait milliseconds for a core, and the main thread with it; then splitting
 * is slower than computing alone. After a split that took longer than the
 * whole product would have taken on one thread (estimated as the main
 * thread's own compute time × the number of blocks), the next `backoff`
 * large products run on one thread, and `backoff` doubles (up to 8);
 * a split that pays resets it.
 */
let adaptive = true;
let backoff = 1;
let singleUntil = 0;
let calls = 0;

/** Turns the back-off above on or off (tests switch it off to always exercise the helpers); returns the previous. */
export function setAdaptiveThreads(on: boolean): boolean {
  const previous = adaptive;
  adaptive = on;
  singleUntil = 0;
  backoff = 1;
  mainShareOffset = 0;
  return previous;
}

function recordSplit(totalMs: number, singleEstimateMs: number): void {
  if (!adaptive) return;
  if (totalMs > singleEstimateMs) {
    singleUntil = calls + backoff;
    backoff = Math.min(8, backoff * 2);
  } else {
    backoff = 1;
  }
}

/**
 * Cuts `units` panels into `count` contiguous, non-empty ranges [from, to):
 * the first (the main thread's) about `share` of them, the rest in equal parts.
 */
export function partition(units: number, count: number, share: number): [number, number][] {
  if (count <= 1) return [[0, units]];
  const mine = Math.min(units - (count - 1), Math.max(1, Math.round(units * share)));
  const ranges: [number, number][] = [[0, mine]];
  for (let t = 1; t < count; t++) {
    ranges.push([mine + Math.round(((units - mine) * (t - 1)) / (count - 1)), mine + Math.round(((units - mine) * t) / (count - 1))]);
  }
  return ranges;
}

/**
 * How much of a split product the main thread takes: 1/threads at first, then
 * nudged after every split towards whichever side finished first. A helper
 * starts later than the main thread (it has to be woken, and on a busy
 * machine it waits for a core), so an even split leaves the main thread
 * waiting; giving it a little more evens out the finish. Only the boundary
 * moves: every value of C is computed the same way whichever thread does it.
 */
let mainShareOffset = 0;
const SHARE_STEP = 0.02;

export function mainShare(count: number): number {
  return 1 / count + mainShareOffset;
}

function recordBalance(count: number, mainWaited: boolean): void {
  if (!adaptive) return;
  // Within [½, 1½] of an even share.
  const limit = 0.5 / count;
  mainShareOffset = Math.max(-limit, Math.min(limit, mainShareOffset + (mainWaited ? SHARE_STEP : -SHARE_STEP)));
}

/** How many parts `work` multiply-adds are cut into: all threads above the threshold, unless backing off. */
export function threadsFor(work: number): number {
  calls++;
  return work >= threadMinWork && calls > singleUntil ? threadCount : 1;
}

/**
 * Runs jobs[0] on this thread and the others on helpers at the same time
 * (each job: the kernel's arguments, its index among HELPER_KERNELS at
 * position 13), then waits for all. `mainFraction` is the share of the work
 * in jobs[0], for the back-off's estimate of the one-thread time.
 */
export function runSplit(rt: WasmRuntime, kernel: (...args: number[]) => void, jobs: readonly number[][], mainFraction: number): void {
  if (jobs.length > 1) ensureHelpers(rt, jobs.length - 1);
  const started = performance.now();
  for (let t = 1; t < jobs.length; t++) startOnHelper(t - 1, jobs[t]);
  const ownStart = performance.now();
  const j = jobs[0];
  kernel(j[0], j[1], j[2], j[3], j[4], j[5], j[6], j[7], j[8], j[9], j[10], j[11], j[12]);
  if (jobs.length > 1) {
    const ownEnd = performance.now();
    recordBalance(jobs.length, !helpersFinished(jobs.length - 1));
    for (let t = 1; t < jobs.length; t++) waitForHelper(t - 1);
    // One thread would have taken about the main thread's time over its fraction of the work.
    recordSplit(performance.now() - started, (ownEnd - ownStart) / mainFraction);
  }
}
