import { fail } from "./errors";

/**
 * Argument checks, in one message style for the whole engine:
 *
 *   [op] Invalid <what>: <value> (must be <the valid range>)
 *
 * e.g. "[SGD] Invalid learning rate: -1 (must be a finite number ≥ 0)". The
 * first part follows PyTorch's wording ("Invalid learning rate: -1") so that a
 * search for the error finds the same explanations; the parenthesis says how
 * to fix it. `!(x >= 0)` rather than `x < 0` so that NaN is refused too.
 * Checks of shapes, which need the shapes in the message, live with their op.
 */
export function invalid(op: string, what: string, value: unknown, rule: string): never {
  const shown = typeof value === "string" ? JSON.stringify(value) : Array.isArray(value) ? `[${value.join(", ")}]` : String(value);
  return fail(op, `Invalid ${what}: ${shown} (must be ${rule})`);
}

export function checkFiniteNumber(op: string, name: string, value: number): void {
  if (!Number.isFinite(value)) invalid(op, name, value, "a finite number");
}

export function checkNonNegative(op: string, name: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) invalid(op, name, value, "a finite number ≥ 0");
}

export function checkPositive(op: string, name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) invalid(op, name, value, "a finite number > 0");
}

export function checkPositiveInteger(op: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) invalid(op, name, value, "a positive integer");
}

/** A value in the closed interval [0, 1]: a probability, RMSprop's alpha, Adadelta's rho. */
export function checkUnitInterval(op: string, name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) invalid(op, name, value, "in [0, 1]");
}

// Optimizer hyperparameters, named as PyTorch's messages name them.

export function checkLr(op: string, lr: number): void {
  if (!(lr >= 0) || !Number.isFinite(lr)) invalid(op, "learning rate", lr, "a finite number ≥ 0");
}

export function checkEps(op: string, eps: number): void {
  if (!(eps >= 0)) invalid(op, "epsilon value", eps, "≥ 0; it keeps the division away from 0");
}

export function checkMomentum(op: string, momentum: number): void {
  if (!(momentum >= 0)) invalid(op, "momentum value", momentum, "≥ 0, typically 0.9");
}

export function checkWeightDecay(op: string, weightDecay: number): void {
  if (!(weightDecay >= 0)) invalid(op, "weightDecay value", weightDecay, "≥ 0");
}

/** Exponential-average coefficients live in [0, 1): at 1 the average would never move. */
export function checkBetas(op: string, betas: readonly number[]): void {
  if (!Array.isArray(betas) || betas.length !== 2) invalid(op, "betas", betas, "a pair [beta1, beta2]");
  betas.forEach((beta, i) => {
    if (!(beta >= 0 && beta < 1)) invalid(op, `beta parameter at index ${i}`, beta, "in [0, 1)");
  });
}

export function checkInteger(op: string, name: string, value: number): void {
  if (!Number.isInteger(value)) invalid(op, name, value, "an integer");
}

/** An integer in [low, high] (high omitted: no upper bound), e.g. a patience (≥ 0) or a bin count (≥ 1). */
export function checkIntegerIn(op: string, name: string, value: number, low: number, high?: number): void {
  const inside = Number.isInteger(value) && value >= low && (high === undefined || value <= high);
  if (!inside) invalid(op, name, value, high === undefined ? `an integer ≥ ${low}` : `an integer in [${low}, ${high}]`);
}

/** One of a fixed set of names ("mean", "sum", "none"). */
export function checkOneOf<T extends string>(op: string, name: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (!(allowed as readonly unknown[]).includes(value)) invalid(op, name, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
}
