import { fail } from "../../core/errors";
import { checkIntegerIn, checkPositive } from "../validate";
import { checkTime } from "./check";

/**
 * Cosine annealing (Loshchilov & Hutter, SGDR 2017), over T steps:
 *
 *   lr = lrMin + ½·(lr0 − lrMin)·(1 + cos(π·t/T))      for t ≤ T, then lrMin
 *
 * Starts flat (long at a high lr), falls fastest mid-way, and lands softly on
 * lrMin. A good default decay when the training length T is known; no
 * milestones to tune. (`lrScheduler.CosineAnnealingLR` continues the cosine
 * past T as PyTorch does; this function stays at lrMin.)
 *
 * Lesson: notebooks/src/07-lr-schedules.ts §3 (the schedules)
 */
export function cosine(lr0: number, t: number, T: number, lrMin = 0): number {
  checkTime("cosine", t);
  checkPositive("cosine", "T", T);
  const progress = Math.min(t, T) / T;
  return lrMin + 0.5 * (lr0 - lrMin) * (1 + Math.cos(Math.PI * progress));
}

export interface WarmupCosineOptions {
  /** Steps of linear warmup. */
  warmupSteps: number;
  /** Length of the whole schedule, warmup included. */
  totalSteps: number;
  /** Where the cosine ends. Default 0. */
  lrMin?: number;
  /** Where the warmup starts. Default 0. */
  warmupStartLr?: number;
}

/**
 * Linear warmup, then cosine decay (the usual recipe for transformers and
 * large batches, where a full lr at step 0, with Adam's moments still
 * unreliable, can blow training up):
 *
 *   lr = warmupStartLr + (lr0 − warmupStartLr)·t / warmupSteps                     for t < warmupSteps
 *   lr = cosine(lr0, t − warmupSteps, totalSteps − warmupSteps, lrMin)             afterwards
 *
 * Defaults: lrMin 0, warmupStartLr 0. Equals SequentialLR(LinearLR, CosineAnnealingLR).
 */
export function warmupCosine(lr0: number, t: number, options: WarmupCosineOptions): number {
  checkTime("warmupCosine", t);
  const { warmupSteps, totalSteps, lrMin = 0, warmupStartLr = 0 } = options;
  checkIntegerIn("warmupCosine", "warmupSteps", warmupSteps, 0);
  if (!(totalSteps > warmupSteps)) fail("warmupCosine", `totalSteps (${totalSteps}) must be larger than warmupSteps (${warmupSteps})`);
  if (t < warmupSteps) return warmupStartLr + ((lr0 - warmupStartLr) * t) / warmupSteps;
  return cosine(lr0, t - warmupSteps, totalSteps - warmupSteps, lrMin);
}
