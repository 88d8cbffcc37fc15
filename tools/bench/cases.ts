import { Generator } from "kernel-lib";
import type { BenchConfig, Repetitions } from "./config";
import { type Row, matmulGflops, timeMedian } from "./harness";
import { naiveMatmul } from "./naive";
import { ourForward, ourMatmul, ourTrainer } from "./ours";
import { type TfjsBackend, useTfjsBackend } from "./tfjs-setup";
import { tfjsForward, tfjsMatmul, tfjsTrainer } from "./tfjs-mlp";
import { randomMatrix, referenceBatch, referenceWeights } from "./weights";

/**
 * The workloads. Each case times kernel-lib ("ours") first, then each tfjs
 * backend on the same weights and batch, and returns one row per implementation.
 */

export const CASE_NAMES = ["train-step", "forward", "matmul"] as const;
export type CaseName = (typeof CASE_NAMES)[number];

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
};

/** Runs the named cases in order and returns all their rows. */
export async function runCases(names: readonly CaseName[], ctx: CaseContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of names) rows.push(...(await RUNNERS[name](ctx)));
  return rows;
}
