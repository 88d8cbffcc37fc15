import type { Repetitions } from "./config";

/** One line of the results: which workload, which implementation, its median time. */
export interface Row {
  case: string;
  impl: string;
  ms: number;
  gflops?: number;
  /** The varied quantity of a scaling case (hidden width, batch size, matrix side). */
  size?: number;
  /** A remark printed after the figures (the heap case's memory readings). */
  note?: string;
}

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Times `fn` as described by `reps`: warm-up calls first, then timed calls,
 * and returns the median in milliseconds. `fn` must finish its work before
 * returning (tfjs results are read back with dataSync for that reason).
 * The median, not the mean, so that a garbage-collection pause in one call
 * does not move the figure.
 */
export function timeMedian(fn: () => void, reps: Repetitions): number {
  let last = 0;
  const warmStart = performance.now();
  for (let i = 0; i < reps.warmup || performance.now() - warmStart < reps.warmupMs; i++) last = timeOnce(fn);
  const affordable = last > 0 ? Math.floor(reps.budgetMs / last) : reps.reps;
  const count = Math.max(reps.minReps, Math.min(reps.reps, affordable));
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(timeOnce(fn));
  return median(samples);
}

function timeOnce(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Floating-point operations per second, in billions, for an n×n by n×n product (2n³ flops: one multiply and one add each). */
export function matmulGflops(n: number, ms: number): number {
  return (2 * n * n * n) / (ms * 1e6);
}
