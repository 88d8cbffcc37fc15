import { fail, fmtShape } from "../core/errors";
import { type Generator, defaultGenerator } from "../core/random";
import type { Tensor } from "../tensor";
import { invalid } from "../core/validate";

/**
 * Small helpers shared by the splits, the synthetic sets and the MNIST
 * subset: resolving a generator, turning "a fraction or a count" into a
 * count, apportioning a total over classes, and grouping indices by label.
 * Internal to `data`; not exported from the barrel.
 */

/** The generator to draw from: the one passed, else the default (seeded by `manualSeed`). */
export function pickGenerator(generator: Generator | undefined): Generator {
  return generator ?? defaultGenerator;
}

/**
 * How many of `n` samples a size option means, scikit-learn style: a number in
 * (0, 1) is a fraction (rounded up, as sklearn does for the test set), an
 * integer ≥ 0 is a count.
 */
export function resolveCount(op: string, name: string, size: number, n: number): number {
  const count = size > 0 && size < 1 ? Math.ceil(size * n) : size;
  if (!Number.isInteger(count) || count < 0 || count > n) {
    invalid(op, name, size, `a fraction in (0, 1) or an integer count in 0..${n} for ${n} samples`);
  }
  return count;
}

/** Refuses x and y whose first axes (the sample axis) differ. */
export function checkPaired(op: string, x: Tensor, y: Tensor): void {
  if (x.ndim === 0 || y.ndim === 0) fail(op, `x and y need a sample axis; got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  if (x.shape[0] !== y.shape[0]) {
    fail(op, `x has ${x.shape[0]} samples but y has ${y.shape[0]} (shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}); they must match along axis 0`);
  }
}

/**
 * Splits `total` into integer parts proportional to `weights` that add up to
 * `total` exactly (the largest-remainder method): everyone gets the floor of
 * their share, and the leftover units go to the largest fractional parts
 * (ties to the earlier entry). A part never exceeds its weight when
 * total ≤ Σ weights, so it can be used to draw without replacement.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sumW = weights.reduce((a, b) => a + b, 0);
  if (sumW === 0) return weights.map(() => 0);
  const shares = weights.map((w) => (total * w) / sumW);
  const parts = shares.map(Math.floor);
  const left = total - parts.reduce((a, b) => a + b, 0);
  const order = shares.map((s, i) => i).sort((a, b) => shares[b] - parts[b] - (shares[a] - parts[a]) || a - b);
  for (let k = 0; k < left; k++) parts[order[k]]++; // left < weights.length: each floor loses less than 1
  return parts;
}

/** The sample indices of each distinct label, in ascending label order. */
export function groupByLabel(op: string, labels: Tensor): { values: number[]; groups: number[][] } {
  if (labels.ndim !== 1) fail(op, `stratify needs one label per sample (shape [n]), got ${fmtShape(labels.shape)}`);
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < labels.size; i++) {
    const v = labels.data[i];
    let g = byLabel.get(v);
    if (g === undefined) byLabel.set(v, (g = []));
    g.push(i);
  }
  const values = [...byLabel.keys()].sort((a, b) => a - b);
  return { values, groups: values.map((v) => byLabel.get(v) as number[]) };
}

/** `items` in a random order drawn from `g` (Fisher–Yates through `g.permutation`). */
export function shuffled(items: readonly number[], g: Generator): number[] {
  const p = g.permutation(items.length);
  return Array.from(p, (j) => items[j]);
}
