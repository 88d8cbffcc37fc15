import { fail } from "../../core/errors";
import { checkInteger, checkNonNegative, checkPositive } from "../validate";
import { checkFinite, checkTime } from "./check";

/**
 * Learning-rate decay schedules as pure functions of the step (or epoch) t:
 * lr = schedule(lr0, t, …). Use them to plot a schedule, inside a `LambdaLR`,
 * or to set `group.lr` by hand; `lrScheduler` has the same shapes bound to an
 * optimizer.
 * Lesson: notebooks/src/07-lr-schedules.ts §3 (the schedules)
 */

/**
 * Step decay: lr = lr0·gamma^⌊t / stepSize⌋, e.g. ÷10 every 30 epochs (the
 * classic ImageNet ResNet recipe). Simple and robust when the number of
 * epochs is fixed in advance. Same as `lrScheduler.StepLR`.
 */
export function stepDecay(lr0: number, t: number, options: { stepSize: number; gamma?: number }): number {
  checkTime("stepDecay", t);
  const { stepSize, gamma = 0.1 } = options;
  checkPositive("stepDecay", "stepSize", stepSize);
  checkPositive("stepDecay", "gamma", gamma);
  return lr0 * gamma ** Math.floor(t / stepSize);
}

/**
 * Exponential decay with rate k: lr = lr0·e^(−k·t). A smooth version of step
 * decay; the lr is divided by e every 1/k steps (by 10 every ln(10)/k).
 */
export function exponential(lr0: number, t: number, k: number): number {
  checkTime("exponential", t);
  checkFinite("exponential", "k", k);
  return lr0 * Math.exp(-k * t);
}

/**
 * Exponential decay by a factor per step: lr = lr0·gammaᵗ, PyTorch's
 * ExponentialLR. The same curve as `exponential` with k = −ln(gamma);
 * gamma > 1 grows the lr, as in a learning-rate range test.
 */
export function exponentialGamma(lr0: number, t: number, gamma: number): number {
  checkTime("exponentialGamma", t);
  checkPositive("exponentialGamma", "gamma", gamma);
  return lr0 * gamma ** t;
}

/**
 * Multiplicative decay: lr = lr0·∏_{i=1..t} factor(i), PyTorch's
 * MultiplicativeLR. For a factor that changes over time (e.g. 0.95 for the
 * first epochs, 0.99 later); t must be an integer.
 */
export function multiplicative(lr0: number, t: number, factor: (i: number) => number): number {
  checkTime("multiplicative", t);
  checkInteger("multiplicative", "step t", t);
  let lr = lr0;
  for (let i = 1; i <= t; i++) lr *= factor(i);
  return lr;
}

/**
 * Inverse-time decay: lr = lr0 / (1 + k·t). Decays like 1/t, the rate that
 * stochastic-approximation theory (Robbins–Monro) asks for on convex problems;
 * slower than exponential, so training keeps making progress late.
 */
export function inverseTime(lr0: number, t: number, k: number): number {
  checkTime("inverseTime", t);
  checkNonNegative("inverseTime", "k", k);
  return lr0 / (1 + k * t);
}

/**
 * Power scheduling (Géron, Keras): lr = lr0 / (1 + t/s)^c. The lr halves
 * (for c = 1) after s steps, then after 3s, 7s, …: fast at first, then
 * slower and slower. c = 1 is inverse-time decay with k = 1/s.
 */
export function power(lr0: number, t: number, options: { s: number; c?: number }): number {
  checkTime("power", t);
  const { s, c = 1 } = options;
  checkPositive("power", "s", s);
  checkNonNegative("power", "c", c);
  return lr0 / (1 + t / s) ** c;
}

/**
 * Piecewise constant: values[0] before boundaries[0], values[i] from
 * boundaries[i−1] on (so values has one more entry than boundaries), e.g.
 * piecewiseConstant(t, [5, 15], [0.5, 0.1, 0.01]). Like MultiStepLR, the new
 * value applies at the boundary itself (Keras switches one step later).
 */
export function piecewiseConstant(t: number, boundaries: readonly number[], values: readonly number[]): number {
  checkTime("piecewiseConstant", t);
  if (values.length !== boundaries.length + 1) {
    fail("piecewiseConstant", `needs one more value than boundaries, got ${boundaries.length} boundaries and ${values.length} values`);
  }
  for (let i = 1; i < boundaries.length; i++) {
    if (!(boundaries[i] > boundaries[i - 1])) fail("piecewiseConstant", `boundaries must increase, got [${boundaries.join(", ")}]`);
  }
  let i = 0;
  while (i < boundaries.length && t >= boundaries[i]) i++;
  return values[i];
}
