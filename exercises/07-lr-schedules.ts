import { notImplemented } from "./support";
/**
 * Lesson 7 exercises: learning-rate schedules as pure functions of the step.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 07`.
 *
 * Every function returns the learning rate to use at step (or epoch) t,
 * counted from 0. `lr0` is the starting rate η₀. Plain `Math` is all you need;
 * the grader compares your numbers with closed forms and with kernel-lib's
 * `optim.schedules` and `optim.lrScheduler`.
 */
/*
 * Write these yourself: the grader checks, and a function that takes a shortcut scores 0.
 * - Without kernel-lib (plain numbers and arrays; its types are fine): stepDecay, exponentialDecay, inverseTimeDecay, cosineAnnealing, warmupCosine, oneCycle.
 */

/**
 * 7.1 Step decay: multiply the rate by `gamma` every `stepSize` epochs.
 *
 *   lr = lr0 · gamma^⌊epoch / stepSize⌋
 *
 * e.g. stepDecay(0.001, 30, 30, 0.5) = 0.0005. `epoch` may be fractional
 * (mid-epoch): only whole steps of `stepSize` count.
 */
export function stepDecay(lr0: number, epoch: number, stepSize: number, gamma: number): number {
  return notImplemented("stepDecay", "count the completed steps with Math.floor(epoch / stepSize), then raise gamma to that power");
}

/**
 * 7.2 Exponential decay with rate k:
 *
 *   lr = lr0 · e^(−k·t)
 *
 * The rate is divided by e every 1/k steps. k = 0 keeps it constant.
 */
export function exponentialDecay(lr0: number, t: number, k: number): number {
  return notImplemented("exponentialDecay", "Math.exp of a negative number");
}

/**
 * 7.3 Inverse-time decay with rate k:
 *
 *   lr = lr0 / (1 + k·t)
 *
 * Halves the rate at t = 1/k, thirds it at t = 2/k: slower than exponential.
 */
export function inverseTimeDecay(lr0: number, t: number, k: number): number {
  return notImplemented("inverseTimeDecay", "the denominator grows linearly in t");
}

/**
 * 7.4 Cosine annealing from lr0 down to lrMin over T steps:
 *
 *   lr = lrMin + ½ · (lr0 − lrMin) · (1 + cos(π · t / T))    for 0 ≤ t ≤ T
 *   lr = lrMin                                                for t > T
 *
 * So lr(0) = lr0, lr(T/2) is the midpoint, lr(T) = lrMin, and the rate stays
 * at lrMin afterwards (it does not come back up).
 */
export function cosineAnnealing(lr0: number, t: number, T: number, lrMin = 0): number {
  return notImplemented("cosineAnnealing", "clamp t to at most T before taking the cosine of π·t/T");
}

/**
 * 7.5 Linear warmup, then cosine annealing (the seeds' `warmup_cosine`):
 *
 *   lr = lr0 · t / warmupSteps                                        for t < warmupSteps
 *   lr = cosineAnnealing(lr0, t − warmupSteps, totalSteps − warmupSteps, lrMin)   otherwise
 *
 * The warmup starts at 0 and reaches lr0 exactly at t = warmupSteps, where
 * the cosine starts. With warmupSteps = 0 it is a plain cosine over
 * totalSteps. Assume totalSteps > warmupSteps ≥ 0.
 */
export function warmupCosine(lr0: number, t: number, warmupSteps: number, totalSteps: number, lrMin = 0): number {
  return notImplemented("warmupCosine", "two cases; in the second, restart the clock at warmupSteps and reuse cosineAnnealing");
}

export interface OneCycleOptions {
  /** Fraction of the cycle spent increasing the rate. Default 0.3. */
  pctStart?: number;
  /** The cycle starts at maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** It ends at maxLr / (divFactor · finalDivFactor). Default 1e4. */
  finalDivFactor?: number;
}

/**
 * 7.6 The 1cycle policy with cosine phases, exactly as PyTorch's OneCycleLR
 * (two phases), for steps t = 0 … totalSteps − 1:
 *
 *   initialLr = maxLr / divFactor,   minLr = initialLr / finalDivFactor
 *   riseEnd   = pctStart · totalSteps − 1,   fallEnd = totalSteps − 1
 *   t ≤ riseEnd:  go from initialLr to maxLr with pct = t / riseEnd
 *   t > riseEnd:  go from maxLr to minLr with pct = (t − riseEnd) / (fallEnd − riseEnd)
 *   cosine interpolation from a to b:  b + ½ · (a − b) · (1 + cos(π · pct))
 *
 * So oneCycle(0, …) = maxLr/25 and the peak maxLr is reached at step riseEnd.
 * riseEnd need not be a whole number (totalSteps = 10, pctStart 0.25 gives
 * 1.5). Assume pctStart · totalSteps ≥ 2, so that the rise has at least one step.
 */
export function oneCycle(t: number, maxLr: number, totalSteps: number, options: OneCycleOptions = {}): number {
  return notImplemented("oneCycle", "write a helper anneal(a, b, pct); pick the phase by comparing t with riseEnd");
}
