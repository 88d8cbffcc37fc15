import v8 from "node:v8";
import vm from "node:vm";
import { Generator, backend, matmul, tensor } from "kernel-lib";
import type { BenchConfig } from "./config";
import { type Row, matmulGflops, timeMedian } from "./harness";
import { ourTrainer } from "./ours";
import { useTfjsBackend } from "./tfjs-setup";
import { tfjsTrainer } from "./tfjs-mlp";
import { randomMatrix, referenceBatch, referenceWeights } from "./weights";
import type { CaseContext } from "./cases";

/**
 * The cases beyond the side-by-side comparison: how the training step grows
 * with the hidden width and the batch size (ours and tfjs-wasm), which matmul
 * sizes gain from a second thread, and whether the heap stays flat over a
 * long training loop. Rows carry `size` (the varied quantity), so the report
 * prints each case as one table with a row per size.
 */

export const WIDTHS = [256, 512, 1024] as const;
export const BATCHES = [32, 64, 128, 256, 512, 1024] as const;
export const THREAD_SIZES = [32, 64, 96, 128, 192, 256, 384, 512, 1024] as const;
/** Steps of the heap case, and how many of them warm up before the first measurement. */
export const HEAP_STEPS = 10_000;
export const HEAP_WARMUP = 200;

/** The reference network with another hidden width or batch size. */
function variant(config: BenchConfig, change: { width?: number; batch?: number }): BenchConfig {
  const sizes = change.width === undefined ? config.sizes : config.sizes.map((s, i) => (i === 0 || i === config.sizes.length - 1 ? s : change.width!));
  return { ...config, sizes, batch: change.batch ?? config.batch };
}

async function stepRows(ctx: CaseContext, name: string, size: number, config: BenchConfig): Promise<Row[]> {
  const weights = referenceWeights(config);
  const batch = referenceBatch(config);
  ctx.log(`${name} ${size}: ours`);
  const rows: Row[] = [{ case: name, impl: "ours", ms: timeMedian(ourTrainer(weights, batch, config).step, ctx.reps), size }];
  if (ctx.backends.includes("wasm")) {
    ctx.log(`${name} ${size}: tfjs-wasm`);
    await useTfjsBackend("wasm");
    const trainer = tfjsTrainer(weights, batch, config);
    rows.push({ case: name, impl: "tfjs-wasm", ms: timeMedian(trainer.step, ctx.reps), size });
    trainer.dispose();
  }
  return rows;
}

/** Training step time for hidden widths 256, 512, 1024 (batch as configured). */
export async function width(ctx: CaseContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const w of WIDTHS) rows.push(...(await stepRows(ctx, "width", w, variant(ctx.config, { width: w }))));
  return rows;
}

/** Training step time for batch sizes 32 … 1024 (widths as configured). */
export async function batchSize(ctx: CaseContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const b of BATCHES) rows.push(...(await stepRows(ctx, "batch", b, variant(ctx.config, { batch: b }))));
  return rows;
}

/** n×n float32 matmul on one thread and on all, to see where a second thread starts to pay. */
export async function threads(ctx: CaseContext): Promise<Row[]> {
  const rows: Row[] = [];
  const all = backend.getNumThreads();
  // Measure the split itself, not the back-off that skips it when it does not pay.
  const adaptive = backend.setAdaptiveThreads(false);
  const generator = new Generator(ctx.config.seed + 4);
  for (const n of THREAD_SIZES) {
    const A = tensor(randomMatrix(n, generator), { shape: [n, n] });
    const B = tensor(randomMatrix(n, generator), { shape: [n, n] });
    // All threads first, so the table's ratio column is the speed-up (1 thread ms / all threads ms).
    for (const count of all > 1 ? [all, 1] : [1]) {
      ctx.log(`threads: ${n}×${n} on ${count}`);
      backend.setNumThreads(count);
      const ms = timeMedian(() => matmul(A, B), ctx.reps);
      rows.push({ case: "threads", impl: `${count} thread${count > 1 ? "s" : ""}`, ms, gflops: matmulGflops(n, ms), size: n });
    }
  }
  backend.setNumThreads(all);
  backend.setAdaptiveThreads(adaptive);
  return rows;
}

/** Heap plus typed-array memory in MB after a full garbage collection. */
function liveMegabytes(gc: () => void): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
}

/**
 * HEAP_STEPS training steps of the reference network: live memory (JS heap
 * plus typed arrays, after a forced GC) once warmed up and at the end. A
 * leak of one tensor per step would add its size × 10,000.
 */
export async function heap(ctx: CaseContext): Promise<Row[]> {
  const gc = exposeGc();
  const { config } = ctx;
  const trainer = ourTrainer(referenceWeights(config), referenceBatch(config), config);
  for (let i = 0; i < HEAP_WARMUP; i++) trainer.step();
  const before = liveMegabytes(gc);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 1; i <= HEAP_STEPS; i++) {
    trainer.step();
    if (i % 1000 === 0) {
      samples.push(liveMegabytes(gc));
      ctx.log(`heap: ${i} steps, ${samples[samples.length - 1].toFixed(1)} MB live`);
    }
  }
  const ms = (performance.now() - started) / HEAP_STEPS;
  const after = samples[samples.length - 1];
  const note = `live heap+typed arrays: ${before.toFixed(1)} MB after ${HEAP_WARMUP} warm-up steps, ${after.toFixed(1)} MB after ${HEAP_STEPS} more ` +
    `(Δ ${(after - before).toFixed(2)} MB; every 1000 steps: ${samples.map((s) => s.toFixed(1)).join(", ")})`;
  return [{ case: "heap", impl: "ours", ms, note }];
}

/** global.gc without restarting node with --expose-gc. */
function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}
