import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { backend, version as kernelLibVersion } from "kernel-lib";
import type { BenchConfig, Repetitions } from "./config";
import { ALL_CASE_NAMES, CASE_NAMES, type CaseName, caseTitle, runCases } from "./cases";
import type { Row } from "./harness";
import { TFJS_BACKENDS, type TfjsBackend, tf, wasmInfo } from "./tfjs-setup";

/**
 * Runs the benchmark in-process: what `npm run bench` does after its
 * argument parsing and build check, and what the test calls directly.
 */

export interface BenchOptions {
  config: BenchConfig;
  reps: Repetitions;
  /** Default: every case. */
  cases?: readonly CaseName[];
  backends?: readonly TfjsBackend[];
  log?: (message: string) => void;
}

export async function runBench(options: BenchOptions): Promise<Row[]> {
  return runCases(options.cases ?? CASE_NAMES, {
    config: options.config,
    reps: options.reps,
    backends: options.backends ?? TFJS_BACKENDS,
    log: options.log ?? (() => {}),
  });
}

export function titles(config: BenchConfig): Record<CaseName, string> {
  return Object.fromEntries(ALL_CASE_NAMES.map((c) => [c, caseTitle(c, config)])) as Record<CaseName, string>;
}

/** Where "kernel-lib" was loaded from: the built package (what users get) or the TypeScript sources. */
export function kernelLibEntry(): string {
  const resolved = createRequire(__filename).resolve("kernel-lib");
  const relative = path.relative(path.resolve(__dirname, "../.."), resolved);
  return `${relative} (${resolved.includes(`${path.sep}dist${path.sep}`) ? "built package" : "sources"})`;
}

/**
 * How many cores other processes kept busy over the last `ms` milliseconds
 * (this process sleeps meanwhile). Unlike the load average, which lags by a
 * minute, this says whether the figures about to be taken share the machine.
 */
export async function busyCores(ms = 500): Promise<number> {
  const totals = () => os.cpus().reduce((acc, c) => {
    const t = c.times;
    return { idle: acc.idle + t.idle, all: acc.all + t.user + t.nice + t.sys + t.idle + t.irq };
  }, { idle: 0, all: 0 });
  const before = totals();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = totals();
  const all = after.all - before.all;
  return all > 0 ? (os.cpus().length * (all - (after.idle - before.idle))) / all : 0;
}

/** Which kernels kernel-lib runs: WebAssembly SIMD with threads, or the reference JavaScript loops (and why). */
function describeKernels(): string {
  const info = backend.backendInfo();
  if (info.name === "wasm") {
    const simd = info.relaxedSimd ? "WebAssembly SIMD with fused multiply-add (relaxed SIMD)" : "WebAssembly SIMD";
    return `${simd} matrix products (up to ${backend.getNumThreads()} threads), JavaScript loops elsewhere`;
  }
  return `reference JavaScript kernels (${info.reason})`;
}

/** A few lines on what ran where, printed above the table. */
export async function describeEnvironment(reps: Repetitions): Promise<string> {
  const wasm = await wasmInfo();
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const cores = os.cpus().length;
  const busy = await busyCores();
  return [
    `kernel-lib ${kernelLibVersion}: ${kernelLibEntry()}, ${describeKernels()}`,
    `tfjs-core ${tf.version_core}: backends cpu (JavaScript) and wasm (${wasm.binary}, SIMD ${wasm.simd ? "on" : "off"}, threads ${wasm.threads}${wasm.multithreadSupported ? "" : ": tfjs disables wasm threads under Node"})`,
    `node ${process.version}, ${cores} × ${cpu}, ${busy.toFixed(1)} core(s) busy with other work${busy > 0.5 ? " — WARNING: the machine is shared right now; figures will be slower and noisier" : ""}`,
    `timing: warm-up calls (at least ${reps.warmup}, for at least ${reps.warmupMs / 1000} s), then the median of up to ${reps.reps} timed calls (at least ${reps.minReps}, about ${reps.budgetMs / 1000} s per row)`,
  ].join("\n");
}
