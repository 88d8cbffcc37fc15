import { fail } from "../core/errors";

/**
 * Hyperparameter checks shared by the optimizers and schedulers. The messages
 * follow PyTorch's ("Invalid learning rate: -1") so that a search for the
 * error finds the same explanations, and add the valid range.
 * `!(x >= 0)` rather than `x < 0` so that NaN is refused too.
 */

export function checkLr(op: string, lr: number): void {
  if (!(lr >= 0) || !Number.isFinite(lr)) fail(op, `Invalid learning rate: ${lr} (must be a finite number ≥ 0)`);
}

export function checkEps(op: string, eps: number): void {
  if (!(eps >= 0)) fail(op, `Invalid epsilon value: ${eps} (must be ≥ 0; it keeps the division away from 0)`);
}

export function checkMomentum(op: string, momentum: number): void {
  if (!(momentum >= 0)) fail(op, `Invalid momentum value: ${momentum} (must be ≥ 0, typically 0.9)`);
}

export function checkWeightDecay(op: string, weightDecay: number): void {
  if (!(weightDecay >= 0)) fail(op, `Invalid weightDecay value: ${weightDecay} (must be ≥ 0)`);
}

/** Exponential-average coefficients live in [0, 1): at 1 the average would never move. */
export function checkBetas(op: string, betas: readonly number[]): void {
  if (!Array.isArray(betas) || betas.length !== 2) fail(op, `betas must be a pair [beta1, beta2], got ${String(betas)}`);
  betas.forEach((beta, i) => {
    if (!(beta >= 0 && beta < 1)) fail(op, `Invalid beta parameter at index ${i}: ${beta} (must be in [0, 1))`);
  });
}

/** A value in the closed interval [0, 1], e.g. RMSprop's alpha or Adadelta's rho. */
export function checkUnitInterval(op: string, name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) fail(op, `Invalid ${name} value: ${value} (must be in [0, 1])`);
}

export function checkNonNegative(op: string, name: string, value: number): void {
  if (!(value >= 0)) fail(op, `Invalid ${name} value: ${value} (must be ≥ 0)`);
}

export function checkPositive(op: string, name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) fail(op, `Invalid ${name}: ${value} (must be a finite number > 0)`);
}

export function checkPositiveInteger(op: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) fail(op, `Invalid ${name}: ${value} (must be a positive integer)`);
}
