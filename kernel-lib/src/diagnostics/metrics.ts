import { fail, fmtShape } from "../core/errors";
import type { Tensor } from "../tensor";

/** Class predictions from scores: the argmax of each row of [N, C] logits or probabilities. */
export function predictClasses(scores: Tensor): Int32Array {
  if (scores.ndim !== 2) fail("predictClasses", `expects [N, C] scores, got ${fmtShape(scores.shape)}`);
  const [n, c] = scores.shape;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (scores.data[i * c + j] > scores.data[i * c + best]) best = j;
    out[i] = best;
  }
  return out;
}

/**
 * Fraction of correct predictions. `scores` are [N, C] logits/probabilities
 * (argmax taken) or [N] predicted classes; `labels` are N class indices.
 * For a single logit per sample ([N, 1] or binary labels), pass the thresholded predictions.
 */
export function accuracy(scores: Tensor | ArrayLike<number>, labels: Tensor | ArrayLike<number>): number {
  const predicted = isScores(scores) ? predictClasses(scores) : valuesOf(scores);
  const truth = valuesOf(labels);
  if (predicted.length !== truth.length) fail("accuracy", `${predicted.length} predictions but ${truth.length} labels`);
  if (truth.length === 0) fail("accuracy", "no samples");
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) correct++;
  return correct / truth.length;
}

/**
 * counts[t][p] = number of samples of true class t predicted as p.
 * The diagonal holds the correct ones; a heavy off-diagonal cell names the
 * pair of classes the model confuses.
 */
export function confusionMatrix(predicted: Tensor | ArrayLike<number>, labels: Tensor | ArrayLike<number>, numClasses: number): number[][] {
  const p = isScores(predicted) ? predictClasses(predicted) : valuesOf(predicted);
  const t = valuesOf(labels);
  if (p.length !== t.length) fail("confusionMatrix", `${p.length} predictions but ${t.length} labels`);
  const counts = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < t.length; i++) {
    if (!(t[i] >= 0 && t[i] < numClasses && p[i] >= 0 && p[i] < numClasses)) {
      fail("confusionMatrix", `sample ${i} has label ${t[i]} / prediction ${p[i]} outside 0..${numClasses - 1}`);
    }
    counts[t[i]][p[i]]++;
  }
  return counts;
}

function isScores(x: Tensor | ArrayLike<number>): x is Tensor {
  return typeof (x as Tensor).ndim === "number" && (x as Tensor).ndim === 2;
}

function valuesOf(x: Tensor | ArrayLike<number>): ArrayLike<number> {
  return typeof (x as Tensor).ndim === "number" ? (x as Tensor).data : (x as ArrayLike<number>);
}
