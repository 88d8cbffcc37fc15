import { Generator } from "kernel-lib";
import type { BenchConfig, Repetitions } from "./config";
import { type Row, matmulGflops, timeMedian } from "./harness";
import { naiveMatmul } from "./naive";
import { ourForward, ourMatmul, ourTrainer } from "./ours";
import { type TfjsBackend, useTfjsBackend } from "./tfjs-setup";
import { tfjsForward, tfjsMatmul, tfjsTrainer } from "./tfjs-mlp";
import { randomMatrix, referenceBatch, referenceWeights } from "./weights";
import { HEAP_STEPS, batchSize, heap, threads, width } from "./scaling";
import { cnnStep, convCase } from "./cnn";
import { chart } from "./chart";

/**
 * The workloads. Each case times kernel-lib ("ours") first, then each tfjs
 * backend on the same weights and batch, and returns one row per implementation.
 */

/** The side-by-side comparisons (every implementation on the same work); runBench's default. */
export const CASE_NAMES = ["train-step", "forward", "matmul"] as const;
/** Scaling and memory cases (scaling.ts); the CLI runs them after the comparisons. */
export const EXTRA_CASE_NAMES = ["width", "batch", "threads", "heap", "chart"] as const;
/** The convolutional network's step and one convolution (cnn.ts). */
export const CNN_CASE_NAMES = ["cnn-step", "conv"] as const;
export const ALL_CASE_NAMES = [...CASE_NAMES, ...CNN_CASE_NAMES, ...EXTRA_CASE_NAMES] as const;
export type CaseName = (typeof ALL_CASE_NAMES)[number];

export interface CaseContext {
  config: BenchConfig;
  reps: Repetitions;
  /** The tfjs backends to compare with (default both). */
  backends: readonly TfjsBackend[];
  /** Progress messages (to stderr in the CLI). */
  log(message: string): void;
}

function describeMlp(config: BenchConfig): string {
  return `MLP ${config.sizes.join("→")}, batch ${config.batch}`;
}

/** What each case measures, for the table's headings. */
export function caseTitle(name: CaseName, config: BenchConfig): string {
  switch (name) {
    case "train-step":
      return `one training step (zeroGrad, forward, cross-entropy, backward, Adam) — ${describeMlp(config)}, dropout ${config.dropout}, float32`;
    case "forward":
      return `inference (eval mode, no gradients) — ${describeMlp(config)}, float32`;
    case "matmul":
      return `${config.matmulN}×${config.matmulN} float32 matmul`;
    case "cnn-step":
      return "one training step (Adam) of Conv2d(1,32,3)→BN2d→ReLU→MaxPool2d(2)→Conv2d(32,64,3)→BN2d→ReLU→MaxPool2d(2)→Linear(3136,10), batch 64×1×28×28, float32";
    case "conv":
      return "one 3×3 convolution [64,32,14,14] → [64,64,14,14] (padding 1, no bias), forward + input and weight gradients, float32 (GFLOPS: 3 products)";
    case "width":
      return `training step vs hidden width (MLP ${config.sizes[0]}→w→w→${config.sizes[config.sizes.length - 1]}, batch ${config.batch}, float32)`;
    case "batch":
      return `training step vs batch size (${describeMlp(config).split(",")[0]}, float32)`;
    case "threads":
      return "n×n float32 matmul on one thread and on all (where a second thread starts to pay)";
    case "heap":
      return `memory over ${HEAP_STEPS.toLocaleString("en")} training steps of the reference network (ms = mean per step)`;
    case "chart":
      return "one chart drawn for the notebook (show): Vega-Lite spec → SVG → 2× PNG in the renderer worker";
  }
}

async function trainStep(ctx: CaseContext): Promise<Row[]> {
  const { config, reps } = ctx;
  const weights = referenceWeights(config);
  const batch = referenceBatch(config);
  const row = (impl: string, ms: number): Row => ({ case: "train-step", impl, ms });
  ctx.log("train-step: ours (float32)");
  const rows = [row("ours", timeMedian(ourTrainer(weights, batch, config).step, reps))];
  ctx.log("train-step: ours (float64)");
  rows.push(row("ours-float64", timeMedian(ourTrainer(weights, batch, config, { dtype: "float64" }).step, reps)));
  for (const backend of ctx.backends) {
    ctx.log(`train-step: tfjs-${backend}`);
    await useTfjsBackend(backend);
    const trainer = tfjsTrainer(weights, batch, config);
    rows.push(row(`tfjs-${backend}`, timeMedian(trainer.step, reps)));
    trainer.dispose();
  }
  return rows;
}

async function forward(ctx: CaseContext): Promise<Row[]> {
  const { config, reps } = ctx;
  const weights = referenceWeights(config);
  const batch = referenceBatch(config);
  const row = (impl: string, ms: number): Row => ({ case: "forward", impl, ms });
  ctx.log("forward: ours");
  const rows = [row("ours", timeMedian(ourForward(weights, batch, config), reps))];
  for (const backend of ctx.backends) {
    ctx.log(`forward: tfjs-${backend}`);
    await useTfjsBackend(backend);
    const run = tfjsForward(weights, batch, config);
    rows.push(row(`tfjs-${backend}`, timeMedian(run.run, reps)));
    run.dispose();
  }
  return rows;
}

async function matmul(ctx: CaseContext): Promise<Row[]> {
  const { config, reps } = ctx;
  const n = config.matmulN;
  const generator = new Generator(config.seed + 3);
  const a = randomMatrix(n, generator);
  const b = randomMatrix(n, generator);
  const row = (impl: string, ms: number): Row => ({ case: "matmul", impl, ms, gflops: matmulGflops(n, ms) });
  ctx.log("matmul: ours");
  const rows = [row("ours", timeMedian(ourMatmul(a, b, n), reps))];
  ctx.log("matmul: naive JavaScript");
  rows.push(row("naive-js", timeMedian(() => naiveMatmul(a, b, n), reps)));
  for (const backend of ctx.backends) {
    ctx.log(`matmul: tfjs-${backend}`);
    await useTfjsBackend(backend);
    const run = tfjsMatmul(a, b, n);
    rows.push(row(`tfjs-${backend}`, timeMedian(run.run, reps)));
    run.dispose();
  }
  return rows;
}

const RUNNERS: Record<CaseName, (ctx: CaseContext) => Promise<Row[]>> = {
  "train-step": trainStep,
  forward,
  matmul,
  "cnn-step": cnnStep,
  conv: convCase,
  width,
  batch: batchSize,
  threads,
  heap,
  chart,
};

/** Runs the named cases in order and returns all their rows. */
export async function runCases(names: readonly CaseName[], ctx: CaseContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of names) rows.push(...(await RUNNERS[name](ctx)));
  return rows;
}
