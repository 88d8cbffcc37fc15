import { type DType, allocate, floatType } from "../core/dtype";
import { fail, fmtShape } from "../core/errors";
import { sameShape, type Shape } from "../core/shape";
import { add, div, mul, sub } from "../ops/elementwise";
import { Tensor } from "../tensor";
import { invalid } from "../core/validate";

/**
 * Feature scaling, as in scikit-learn's `preprocessing`. Statistics are taken
 * per feature over the sample axis (axis 0): x of shape [n, …featureShape]
 * gives statistics of shape featureShape (one per column of a table, one per
 * pixel of an image set).
 *
 * Fit on the training split only, then transform every split with those
 * numbers. Fitting on all the data would leak: the test set's mean and spread
 * would shape the inputs the model trains on, and the test score would no
 * longer measure performance on unseen data
 * (Lesson: notebooks/src/04-batch-normalization.ts §1 (why we normalize inputs)).
 */

/** Unit roundoff of the storage type: spreads below n·ε·|mean| are rounding noise, not signal. */
function epsilonOf(dtype: DType): number {
  return dtype === "float64" ? 2 ** -52 : 2 ** -23;
}

/** Per-feature mean, population standard deviation, min and max, accumulated in float64. */
function featureStats(op: string, x: Tensor): { featureShape: Shape; mean: Float64Array; std: Float64Array; min: Float64Array; max: Float64Array } {
  if (x.ndim === 0 || x.shape[0] === 0) fail(op, `needs samples along axis 0, got shape ${fmtShape(x.shape)}`);
  const n = x.shape[0];
  const d = x.size / n;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  const v = x.data;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const value = v[i * d + j];
      mean[j] += value;
      if (value < min[j]) min[j] = value;
      if (value > max[j]) max[j] = value;
    }
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  // Two passes (Σ (x − mean)² rather than Σ x² − n·mean²) so a large mean does not swamp a small spread.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = v[i * d + j] - mean[j];
      sq[j] += c * c;
    }
  }
  const std = sq.map((s) => Math.sqrt(s / n));
  return { featureShape: x.shape.slice(1), mean, std, min, max };
}

function toTensor(values: Float64Array, shape: Shape, dtype: DType): Tensor {
  const data = allocate(dtype, values.length);
  data.set(values);
  return new Tensor(data, shape);
}

function checkFitted(op: string, fitted: Shape | null, x: Tensor): void {
  if (fitted === null) fail(op, "the scaler is not fitted yet; call fit(xTrain) first");
  if (!sameShape(x.shape.slice(1), fitted)) {
    fail(op, `x has shape ${fmtShape(x.shape)} but the scaler was fitted on features of shape ${fmtShape(fitted)}`);
  }
}

/**
 * Standardizes each feature to mean 0 and standard deviation 1:
 *   z = (x − mean) / std,  mean = (1/n) Σᵢ xᵢ,  std = √((1/n) Σᵢ (xᵢ − mean)²)
 * (the population std, as scikit-learn's `StandardScaler`). A feature that is
 * constant on the training set (std 0, up to rounding) gets std = 1, so it is
 * centred but never divided by zero.
 *
 *   const scaler = new StandardScaler().fit(xTrain);
 *   const zTrain = scaler.transform(xTrain), zTest = scaler.transform(xTest);
 */
export class StandardScaler {
  /** Per-feature mean of the training data (shape: x.shape without axis 0); null until fitted. */
  mean: Tensor | null = null;
  /** Per-feature standard deviation of the training data, 1 where it was 0; null until fitted. */
  std: Tensor | null = null;
  private featureShape: Shape | null = null;

  /** Learns mean and std from `x` (the training split). */
  fit(x: Tensor): this {
    const stats = featureStats("StandardScaler.fit", x);
    const n = x.shape[0];
    const eps = epsilonOf(x.dtype);
    const std = stats.std.map((s, j) => (s <= n * eps * Math.abs(stats.mean[j]) ? 1 : s));
    const dtype = floatType(x.dtype);
    this.mean = toTensor(stats.mean, stats.featureShape, dtype);
    this.std = toTensor(std, stats.featureShape, dtype);
    this.featureShape = stats.featureShape;
    return this;
  }

  /** (x − mean) / std with the fitted statistics; differentiable in x. */
  transform(x: Tensor): Tensor {
    checkFitted("StandardScaler.transform", this.featureShape, x);
    return div(sub(x, this.mean as Tensor), this.std as Tensor);
  }

  /** fit(x) then transform(x). */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Back to the original units: z · std + mean. */
  inverseTransform(z: Tensor): Tensor {
    checkFitted("StandardScaler.inverseTransform", this.featureShape, z);
    return add(mul(z, this.std as Tensor), this.mean as Tensor);
  }
}

export interface MinMaxScalerOptions {
  /** The interval [lo, hi] the training data are mapped onto. Default [0, 1]. */
  featureRange?: readonly [number, number];
}

/**
 * Maps each feature linearly so the training data span `featureRange` = [lo, hi]:
 *   z = (x − dataMin) · scale + lo,  scale = (hi − lo) / (dataMax − dataMin)
 * A constant feature (dataMax = dataMin) is treated as having range 1. Test
 * data may fall outside [lo, hi]; that is expected, not clipped.
 */
export class MinMaxScaler {
  readonly featureRange: readonly [number, number];
  dataMin: Tensor | null = null;
  dataMax: Tensor | null = null;
  private scale: Tensor | null = null;
  private featureShape: Shape | null = null;

  constructor(options: MinMaxScalerOptions = {}) {
    this.featureRange = options.featureRange ?? [0, 1];
    const [lo, hi] = this.featureRange;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
      invalid("MinMaxScaler", "featureRange", [lo, hi], "finite with lo < hi");
    }
  }

  fit(x: Tensor): this {
    const stats = featureStats("MinMaxScaler.fit", x);
    const [lo, hi] = this.featureRange;
    const scale = stats.max.map((mx, j) => (hi - lo) / (mx - stats.min[j] || 1));
    const dtype = floatType(x.dtype);
    this.dataMin = toTensor(stats.min, stats.featureShape, dtype);
    this.dataMax = toTensor(stats.max, stats.featureShape, dtype);
    this.scale = toTensor(scale, stats.featureShape, dtype);
    this.featureShape = stats.featureShape;
    return this;
  }

  transform(x: Tensor): Tensor {
    checkFitted("MinMaxScaler.transform", this.featureShape, x);
    return add(mul(sub(x, this.dataMin as Tensor), this.scale as Tensor), this.featureRange[0]);
  }

  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** x = (z − lo) / scale + dataMin. */
  inverseTransform(z: Tensor): Tensor {
    checkFitted("MinMaxScaler.inverseTransform", this.featureShape, z);
    return add(div(sub(z, this.featureRange[0]), this.scale as Tensor), this.dataMin as Tensor);
  }
}
