import { type DType } from "../core/dtype";
import { fail } from "../core/errors";
import { empty } from "../ops/convert";
import { Tensor } from "../tensor";
import { invalid } from "../core/validate";

/**
 * One-hot encoding: label k becomes a vector of `numClasses` zeros with a 1
 * at position k, so out[…, k] = 1 exactly where labels[…] = k. The result has
 * shape [...labels.shape, numClasses].
 *
 * Unlike `torch.nn.functional.one_hot` (int64) the default dtype is float32,
 * because the usual use is as a regression target (e.g. MSE against softmax
 * outputs; cross-entropy on class indices needs no one-hot).
 * `numClasses` defaults to max(labels) + 1.
 *
 *   oneHot(tensor([2, 0], { dtype: "int32" }), 3)  // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(labels: Tensor | ArrayLike<number>, numClasses?: number, options: { dtype?: DType } = {}): Tensor {
  const values = labels instanceof Tensor ? labels.data : labels;
  const shape = labels instanceof Tensor ? labels.shape : [values.length];
  let k = numClasses;
  if (k === undefined) {
    k = 0;
    for (let i = 0; i < values.length; i++) k = Math.max(k, values[i] + 1);
  }
  if (!Number.isInteger(k) || k <= 0) invalid("oneHot", "numClasses", numClasses, "a positive integer");
  const out = empty([...shape, k], options.dtype ?? "float32");
  for (let i = 0; i < values.length; i++) {
    const label = values[i];
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      fail("oneHot", `label ${label} at position ${i} is not an integer class in 0..${k - 1}; pass the right numClasses or fix the labels`);
    }
    out.data[i * k + label] = 1;
  }
  return out;
}
