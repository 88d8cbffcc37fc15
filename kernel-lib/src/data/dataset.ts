import { fail } from "../core/errors";
import { indexSelect, select } from "../ops/indexing";
import type { Tensor } from "../tensor";
import { checkPaired } from "./sampling";

/**
 * Inputs and targets travelling together, as a tuple like PyTorch's
 * `(x, y)`: one sample from `Dataset.get`, one mini-batch from a `DataLoader`.
 *
 *   for (const [xb, yb] of loader) { … }
 */
export type Batch = [x: Tensor, y: Tensor];

/**
 * Anything with a length and a way to fetch sample i, like
 * `torch.utils.data.Dataset`. A dataset that can also gather many samples
 * at once implements `getBatch`; the `DataLoader` then uses it instead of
 * fetching and stacking samples one by one.
 */
export interface Dataset {
  /** Number of samples. */
  readonly length: number;
  /** Sample `index` (negative counts from the end): x[index] and y[index], sample axis removed. */
  get(index: number): Batch;
  /** The samples at `indices`, in that order, stacked along a new axis 0. */
  getBatch?(indices: ArrayLike<number>): Batch;
}

/**
 * A dataset backed by two tensors that share their first (sample) axis:
 * sample i is `[x[i], y[i]]`. Mirrors `torch.utils.data.TensorDataset(x, y)`.
 *
 *   const ds = new TensorDataset(xTrain, yTrain); // xTrain [n, 784], yTrain [n]
 *   ds.length;     // n
 *   ds.get(0);     // [x [784], y []]
 */
export class TensorDataset implements Dataset {
  constructor(
    readonly x: Tensor,
    readonly y: Tensor,
  ) {
    checkPaired("TensorDataset", x, y);
  }

  get length(): number {
    return this.x.shape[0];
  }

  get(index: number): Batch {
    const n = this.length;
    if (!Number.isInteger(index) || index < -n || index >= n) {
      fail("TensorDataset.get", `index ${index} is out of range for a dataset of ${n} samples (use -${n}..${n - 1})`);
    }
    return [select(this.x, 0, index), select(this.y, 0, index)];
  }

  /** Rows of x and y at `indices` via `indexSelect(0, indices)`: one copy per batch, no per-sample work. */
  getBatch(indices: ArrayLike<number>): Batch {
    return [indexSelect(this.x, 0, indices), indexSelect(this.y, 0, indices)];
  }
}
