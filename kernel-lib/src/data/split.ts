import { fail, fmtShape } from "../core/errors";
import type { Generator } from "../core/random";
import { indexSelect } from "../ops/indexing";
import type { Tensor } from "../tensor";
import { apportion, checkPaired, groupByLabel, pickGenerator, resolveCount, shuffled } from "./sampling";

/**
 * Holding data out: the model is fitted on the training split, its settings
 * are chosen on the validation split, and the test split is touched once, at
 * the end, to estimate how it does on data it has never seen
 * (Lesson: notebooks/src/01-why-deep-is-hard.ts §1 (the recipe so far)). Names follow scikit-learn's
 * `train_test_split`.
 */

export interface SplitOptions {
  /** Draws the random order; defaults to the default generator. */
  generator?: Generator;
  /** Shuffle before splitting (default true). With false the held-out samples are the last ones, e.g. for time series. */
  shuffle?: boolean;
  /**
   * Keep the class proportions of every split equal to the whole set's (to
   * within one sample per class): `true` stratifies by `y` (which must then
   * be 1-D labels), or pass the labels to stratify by. Needs `shuffle`.
   */
  stratify?: boolean | Tensor;
}

export interface TrainTestSplitOptions extends SplitOptions {
  /** A fraction in (0, 1) of the samples (rounded up) or an integer count. Default 0.25, as in scikit-learn. */
  testSize?: number;
}

export interface TrainValTestSplitOptions extends SplitOptions {
  /** Fraction (of all samples) or count for validation. Default 0.2. */
  valSize?: number;
  /** Fraction (of all samples) or count for testing. Default 0.2, leaving 60% for training. */
  testSize?: number;
}

export interface TrainTestSplit {
  xTrain: Tensor;
  xTest: Tensor;
  yTrain: Tensor;
  yTest: Tensor;
}

export interface TrainValTestSplit extends TrainTestSplit {
  xVal: Tensor;
  yVal: Tensor;
}

/**
 * Splits paired samples (rows of x and y) into a training and a test set.
 * Without stratification, one permutation p of 0..n−1 is drawn and the test
 * set is p[0 .. nTest), the training set the rest.
 *
 *   const { xTrain, xTest, yTrain, yTest } = trainTestSplit(x, y, { testSize: 0.2, generator: new Generator(0) });
 */
export function trainTestSplit(x: Tensor, y: Tensor, options: TrainTestSplitOptions = {}): TrainTestSplit {
  checkPaired("trainTestSplit", x, y);
  const n = x.shape[0];
  const nTest = resolveCount("trainTestSplit", "testSize", options.testSize ?? 0.25, n);
  const [test, train] = drawParts("trainTestSplit", n, [nTest], y, options);
  return { xTrain: rows(x, train), xTest: rows(x, test), yTrain: rows(y, train), yTest: rows(y, test) };
}

/**
 * Splits paired samples into training, validation and test sets in one go;
 * both sizes are relative to the whole set (defaults: 60/20/20).
 *
 *   const s = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.1, generator: g, stratify: true });
 *   s.xTrain, s.yTrain, s.xVal, s.yVal, s.xTest, s.yTest
 */
export function trainValTestSplit(x: Tensor, y: Tensor, options: TrainValTestSplitOptions = {}): TrainValTestSplit {
  checkPaired("trainValTestSplit", x, y);
  const n = x.shape[0];
  const nTest = resolveCount("trainValTestSplit", "testSize", options.testSize ?? 0.2, n);
  const nVal = resolveCount("trainValTestSplit", "valSize", options.valSize ?? 0.2, n);
  if (nTest + nVal > n) fail("trainValTestSplit", `valSize (${nVal} samples) + testSize (${nTest}) exceed the ${n} samples available`);
  const [test, val, train] = drawParts("trainValTestSplit", n, [nTest, nVal], y, options);
  return {
    xTrain: rows(x, train), xVal: rows(x, val), xTest: rows(x, test),
    yTrain: rows(y, train), yVal: rows(y, val), yTest: rows(y, test),
  };
}

function rows(t: Tensor, indices: readonly number[]): Tensor {
  return indexSelect(t, 0, indices);
}

/**
 * Index lists of the held-out parts (sizes `counts`, in order) followed by the
 * training part (everything left).
 */
function drawParts(op: string, n: number, counts: readonly number[], y: Tensor, options: SplitOptions): number[][] {
  const shuffle = options.shuffle ?? true;
  const g = pickGenerator(options.generator);
  const stratify = options.stratify ?? false;
  if (stratify !== false) {
    if (!shuffle) fail(op, "stratify needs shuffle: true (a stratified split draws samples at random within each class)");
    const labels = stratify === true ? y : stratify;
    if (labels.shape[0] !== n) fail(op, `stratify labels ${fmtShape(labels.shape)} do not match the ${n} samples`);
    return stratifiedParts(op, counts, labels, g);
  }
  const order = shuffle ? Array.from(g.permutation(n)) : Array.from({ length: n }, (_, i) => i);
  // Unshuffled, the held-out parts come last (test at the very end), so training keeps the earliest samples.
  const parts: number[][] = [];
  let end = n;
  for (const c of counts) {
    parts.push(order.slice(end - c, end));
    end -= c;
  }
  parts.push(order.slice(0, end));
  return parts;
}

/**
 * Each class's samples are shuffled, then every held-out part takes from each
 * class a share proportional to what that class still has (largest-remainder
 * rounding); the training part keeps the rest. Each part is shuffled at the
 * end so classes are interleaved.
 */
function stratifiedParts(op: string, counts: readonly number[], labels: Tensor, g: Generator): number[][] {
  const { groups } = groupByLabel(op, labels);
  const pools = groups.map((members) => shuffled(members, g));
  const taken = pools.map(() => 0);
  const parts: number[][] = [];
  for (const c of counts) {
    const shares = apportion(c, pools.map((p, k) => p.length - taken[k]));
    const part: number[] = [];
    pools.forEach((p, k) => {
      part.push(...p.slice(taken[k], taken[k] + shares[k]));
      taken[k] += shares[k];
    });
    parts.push(part);
  }
  parts.push(pools.flatMap((p, k) => p.slice(taken[k])));
  return parts.map((part) => shuffled(part, g));
}
