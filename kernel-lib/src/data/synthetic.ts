import { fail } from "../core/errors";
import type { Generator } from "../core/random";
import { Tensor } from "../tensor";
import { apportion, pickGenerator } from "./sampling";
import { checkNonNegative, checkPositiveInteger, invalid } from "../core/validate";

/**
 * Small 2-D classification sets whose decision boundaries a student can see:
 * what a linear model cannot separate and a hidden layer can. Each returns x: float32 [n, d] and
 * y: int32 [n] class labels, with the samples grouped by class (class 0
 * first); the class sizes differ by at most one. Shuffle with a DataLoader or
 * trainTestSplit. Names and geometry follow scikit-learn's `make_*`.
 */

export interface ClassificationData {
  /** Points, float32 [n, d]. */
  x: Tensor;
  /** Class of each point, int32 [n]. */
  y: Tensor;
}

export interface SyntheticOptions {
  /** Total number of points. */
  n?: number;
  /** Standard deviation of the Gaussian noise (what it perturbs is in each function's doc). */
  noise?: number;
  generator?: Generator;
}

/** Fills x [n, d] and y [n] class by class; `point(c, i, m, out)` writes the i-th of the m points of class c. */
function build(n: number, d: number, sizes: readonly number[], point: (c: number, i: number, m: number, out: Float64Array) => void): ClassificationData {
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  const p = new Float64Array(d);
  let row = 0;
  sizes.forEach((m, c) => {
    for (let i = 0; i < m; i++, row++) {
      point(c, i, m, p);
      x.set(p, row * d);
      y[row] = c;
    }
  });
  return { x: new Tensor(x, [n, d]), y: new Tensor(y, [n]) };
}

function checkCommon(op: string, n: number, noise: number, classes: number): void {
  checkPositiveInteger(op, "n", n);
  checkNonNegative(op, "noise", noise);
  if (n < classes) fail(op, `n = ${n} is too small for ${classes} classes (need at least one point per class)`);
}

export interface SpiralOptions extends SyntheticOptions {
  /** Number of arms, one per class. Default 3. */
  classes?: number;
  /** Revolutions each arm makes from the centre to radius 1. Default 1. */
  turns?: number;
}

/**
 * Interleaved spiral arms, the CS231n "spiral data" a linear classifier
 * cannot separate. Point i of the m in class c sits at radius r = i/(m−1) and
 * angle
 *   t = 2π (c / classes + turns · r) + noise · ε,  ε ~ N(0, 1),
 *   x = (r cos t, r sin t).
 * The noise perturbs the angle (radians), so it grows with the radius. The
 * arms start evenly spaced; CS231n's picture is close to turns ≈ 0.64.
 * Defaults: n = 300, classes = 3, turns = 1, noise = 0.2.
 *
 *   const { x, y } = makeSpirals({ n: 300, generator: new Generator(0) });
 */
export function makeSpirals(options: SpiralOptions = {}): ClassificationData {
  const { n = 300, classes = 3, turns = 1, noise = 0.2 } = options;
  checkPositiveInteger("makeSpirals", "classes", classes);
  checkCommon("makeSpirals", n, noise, classes);
  if (!Number.isFinite(turns) || turns <= 0) invalid("makeSpirals", "turns", turns, "a positive number");
  const g = pickGenerator(options.generator);
  return build(n, 2, apportion(n, new Array<number>(classes).fill(1)), (c, i, m, out) => {
    const r = m > 1 ? i / (m - 1) : 0;
    const t = 2 * Math.PI * (c / classes + turns * r) + noise * g.normal();
    out[0] = r * Math.cos(t);
    out[1] = r * Math.sin(t);
  });
}

/**
 * Two interleaving half circles (scikit-learn's `make_moons`). With
 * t = π·i/(m−1) over the m points of a class:
 *   class 0: (cos t, sin t),   class 1: (1 − cos t, 0.5 − sin t),
 * then Gaussian noise of std `noise` is added to both coordinates.
 * Defaults: n = 200, noise = 0.1.
 */
export function makeMoons(options: SyntheticOptions = {}): ClassificationData {
  const { n = 200, noise = 0.1 } = options;
  checkCommon("makeMoons", n, noise, 2);
  const g = pickGenerator(options.generator);
  return build(n, 2, apportion(n, [1, 1]), (c, i, m, out) => {
    const t = m > 1 ? (Math.PI * i) / (m - 1) : 0;
    out[0] = (c === 0 ? Math.cos(t) : 1 - Math.cos(t)) + noise * g.normal();
    out[1] = (c === 0 ? Math.sin(t) : 0.5 - Math.sin(t)) + noise * g.normal();
  });
}

export interface CirclesOptions extends SyntheticOptions {
  /** Radius of the inner circle relative to the outer one (radius 1), in (0, 1). Default 0.8. */
  factor?: number;
}

/**
 * A circle inside a circle (scikit-learn's `make_circles`): class 0 on the
 * unit circle, class 1 on the circle of radius `factor`, the m points of each
 * at angles t = 2π·i/m, plus Gaussian noise of std `noise` on both
 * coordinates. Separable by a network that can represent x₁² + x₂², not by a
 * line. Defaults: n = 200, noise = 0.05, factor = 0.8.
 */
export function makeCircles(options: CirclesOptions = {}): ClassificationData {
  const { n = 200, noise = 0.05, factor = 0.8 } = options;
  checkCommon("makeCircles", n, noise, 2);
  if (!(factor > 0 && factor < 1)) invalid("makeCircles", "factor", factor, "in (0, 1)");
  const g = pickGenerator(options.generator);
  return build(n, 2, apportion(n, [1, 1]), (c, i, m, out) => {
    const t = (2 * Math.PI * i) / m;
    const radius = c === 0 ? 1 : factor;
    out[0] = radius * Math.cos(t) + noise * g.normal();
    out[1] = radius * Math.sin(t) + noise * g.normal();
  });
}

export interface BlobsOptions extends Omit<SyntheticOptions, "noise"> {
  /** How many centres to draw uniformly in `centerBox`, or the centres themselves (k × d). Default 3. */
  centers?: number | readonly (readonly number[])[];
  /** Standard deviation of each cluster: one for all, or one per centre. Default 1. */
  std?: number | readonly number[];
  /** Dimension of the points when the centres are drawn. Default 2. */
  dim?: number;
  /** Interval the drawn centres' coordinates fall in. Default [−10, 10]. */
  centerBox?: readonly [number, number];
}

/**
 * Gaussian clusters (scikit-learn's `make_blobs`): class k holds points
 * x = centers[k] + std[k] · ε with ε ~ N(0, I). Random centres are drawn
 * first, then the points, class by class. Defaults: n = 300, centers = 3,
 * std = 1, dim = 2, centerBox = [−10, 10]. Also returns the centres as a
 * float32 [k, d] tensor.
 *
 *   const { x, y, centers } = makeBlobs({ centers: [[0, 0], [3, 3]], std: 0.5, generator: g });
 */
export function makeBlobs(options: BlobsOptions = {}): ClassificationData & { centers: Tensor } {
  const { n = 300, dim = 2, centerBox = [-10, 10] } = options;
  checkPositiveInteger("makeBlobs", "n", n);
  const g = pickGenerator(options.generator);
  const spec = options.centers ?? 3;
  let centers: number[][];
  if (typeof spec === "number") {
    checkPositiveInteger("makeBlobs", "centers", spec);
    checkPositiveInteger("makeBlobs", "dim", dim);
    const [lo, hi] = centerBox;
    if (!(lo < hi)) invalid("makeBlobs", "centerBox", [lo, hi], "a range with lo < hi");
    centers = Array.from({ length: spec }, () => Array.from({ length: dim }, () => lo + (hi - lo) * g.uniform()));
  } else {
    centers = spec.map((c) => [...c]);
    if (centers.length === 0 || centers.some((c) => c.length === 0 || c.length !== centers[0].length)) {
      fail("makeBlobs", "centers must be a non-empty list of points of one dimension, e.g. [[0, 0], [3, 3]]");
    }
  }
  const k = centers.length;
  const d = centers[0].length;
  const stds = typeof options.std === "object" ? [...options.std] : new Array<number>(k).fill(options.std ?? 1);
  if (stds.length !== k) fail("makeBlobs", `got ${stds.length} standard deviations for ${k} centers`);
  stds.forEach((s) => checkNonNegative("makeBlobs", "std", s));
  checkCommon("makeBlobs", n, 0, k);
  const data = build(n, d, apportion(n, new Array<number>(k).fill(1)), (c, _i, _m, out) => {
    for (let j = 0; j < d; j++) out[j] = centers[c][j] + stds[c] * g.normal();
  });
  return { ...data, centers: new Tensor(Float32Array.from(centers.flat()), [k, d]) };
}
