/**
 * Lesson 8 exercises: regularization from scratch, on plain arrays.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 08`.
 */
import type { Generator } from "kernel-lib";

export interface DropoutResult {
  /** The layer's output: out[i] = x[i] · mask[i]. */
  out: number[];
  /** What each element was multiplied by: 0 (dropped) or 1/(1 − p) (kept). */
  mask: number[];
}

/**
 * 8.1 Inverted dropout, forward, in training mode. For each element i, in
 * order, draw u = generator.uniform() (one draw per element) and
 *
 *   mask[i] = 0            if u < p     (dropped, probability p)
 *   mask[i] = 1 / (1 − p)  otherwise    (kept, scaled up so that E[out[i]] = x[i])
 *   out[i]  = x[i] · mask[i]
 *
 * Edge cases, without drawing anything: p = 0 keeps everything (mask all 1);
 * p = 1 drops everything (mask all 0; do not divide by 1 − p = 0).
 * With the same generator state this gives exactly what kernel-lib's
 * `F.dropout(x, p, { generator })` gives.
 */
export function dropoutForward(x: readonly number[], p: number, generator: Generator): DropoutResult {
  // BEGIN SOLUTION hint: handle p = 0 and p = 1 first; then one generator.uniform() per element, dropped when u < p
  if (p === 0) return { out: [...x], mask: x.map(() => 1) };
  if (p === 1) return { out: x.map(() => 0), mask: x.map(() => 0) };
  const scale = 1 / (1 - p);
  const mask = x.map(() => (generator.uniform() < p ? 0 : scale));
  return { out: x.map((v, i) => v * mask[i]), mask };
  // END SOLUTION
}

/**
 * 8.2 Inverted dropout, backward: given dL/dout and the mask the forward pass
 * used, return dL/dx. Since out[i] = x[i] · mask[i], the gradient passes
 * through kept units (scaled by the same 1/(1 − p)) and is 0 for dropped ones.
 */
export function dropoutBackward(dOut: readonly number[], mask: readonly number[]): number[] {
  // BEGIN SOLUTION hint: differentiate out[i] = x[i] · mask[i] with respect to x[i]
  return dOut.map((g, i) => g * mask[i]);
  // END SOLUTION
}

export interface PenaltyResult {
  /** The penalty added to the loss. */
  value: number;
  /** Its gradient with respect to each weight, same shape as `weights`. */
  grads: number[][];
}

/**
 * 8.3 The L2 penalty of the weight matrices W⁽¹⁾ … W⁽ᴸ⁾ in the slides'
 * per-sample form, and its gradient:
 *
 *   value = (λ / n) · Σ_l ‖W⁽ˡ⁾‖²_F        (‖W‖²_F = sum of the squared entries)
 *   ∂value/∂w = (2λ / n) · w               for every entry w
 *
 * `weights[l]` holds the entries of W⁽ˡ⁾ flattened into one array (any
 * order). n is the number of training samples (default 1: the plain λΣw²).
 * No weights at all give value 0.
 */
export function l2PenaltyWithGrad(weights: readonly (readonly number[])[], lambda: number, n = 1): PenaltyResult {
  // BEGIN SOLUTION hint: one pass over every entry: add w² to a running sum, and write the gradient 2λw/n
  let sumSq = 0;
  const grads = weights.map((w) =>
    w.map((v) => {
      sumSq += v * v;
      return (2 * lambda * v) / n;
    }),
  );
  return { value: (lambda / n) * sumSq, grads };
  // END SOLUTION
}

/**
 * 8.4 Early stopping, as the tutorial's `EarlyStopping` class (and kernel-lib's
 * callback, `kernel-lib/src/train/callbacks.ts`). Call `step(valLoss, weights)`
 * once per epoch (epochs count from 0); it returns true when training should stop.
 *
 * - An epoch *improves* when valLoss < bestLoss − minDelta (the first epoch
 *   always improves; NaN never does). Then bestLoss, bestEpoch and bestWeights
 *   are updated and `wait` goes back to 0.
 * - Otherwise `wait` grows by 1, and step returns true once wait ≥ patience.
 * - `bestWeights` must be a deep copy: changing the arrays passed in later must
 *   not change it. `restore()` returns (a copy of) the best weights, or null
 *   before the first step.
 *
 * Example: patience 2, losses 5, 4, 4.5, 4.2 → improves, improves, wait 1,
 * wait 2 → the 4th step returns true; bestEpoch = 1, bestLoss = 4.
 */
export class EarlyStopper {
  readonly patience: number;
  readonly minDelta: number;
  bestLoss = Infinity;
  bestEpoch = -1;
  wait = 0;
  epoch = -1;
  bestWeights: number[][] | null = null;

  constructor(options: { patience?: number; minDelta?: number } = {}) {
    this.patience = options.patience ?? 10;
    this.minDelta = options.minDelta ?? 0;
  }

  step(valLoss: number, weights: readonly (readonly number[])[] = []): boolean {
    // BEGIN SOLUTION hint: count the epoch first; compare with bestLoss - minDelta; copy each inner array with [...w]
    this.epoch++;
    if (valLoss < this.bestLoss - this.minDelta) {
      this.bestLoss = valLoss;
      this.bestEpoch = this.epoch;
      this.bestWeights = weights.map((w) => [...w]);
      this.wait = 0;
      return false;
    }
    this.wait++;
    return this.wait >= this.patience;
    // END SOLUTION
  }

  restore(): number[][] | null {
    // BEGIN SOLUTION hint: return a fresh copy of bestWeights so the caller cannot change the saved one
    return this.bestWeights === null ? null : this.bestWeights.map((w) => [...w]);
    // END SOLUTION
  }
}

export interface McDropoutStats {
  /** mean[i][c]: the average over the T passes of predictions[t][i][c]. */
  mean: number[][];
  /** std[i][c]: the population standard deviation over the T passes (divide by T, not T − 1). */
  std: number[][];
  /** The class with the highest mean for each sample i (the first one on ties). */
  predicted: number[];
}

/**
 * 8.5 Monte-Carlo dropout: `predictions[t][i][c]` is the output (e.g. the
 * softmax probability of class c) for sample i in the t-th stochastic forward
 * pass with dropout on, t = 0 … T − 1. Average over the passes and measure
 * their spread:
 *
 *   mean[i][c] = (1/T) Σ_t predictions[t][i][c]
 *   std[i][c]  = √( (1/T) Σ_t (predictions[t][i][c] − mean[i][c])² )
 *
 * A large std means the thinned networks disagree: the model is unsure.
 * Assume T ≥ 1 and that every pass has the same shape.
 */
export function mcDropoutStats(predictions: readonly (readonly (readonly number[])[])[]): McDropoutStats {
  // BEGIN SOLUTION hint: loop over samples i and classes c, and inside over passes t; two passes: mean, then squared deviations
  const T = predictions.length;
  const first = predictions[0];
  const mean = first.map((row, i) => row.map((_, c) => predictions.reduce((s, pass) => s + pass[i][c], 0) / T));
  const std = first.map((row, i) =>
    row.map((_, c) => Math.sqrt(predictions.reduce((s, pass) => s + (pass[i][c] - mean[i][c]) ** 2, 0) / T)),
  );
  const predicted = mean.map((row) => row.reduce((best, v, c) => (v > row[best] ? c : best), 0));
  return { mean, std, predicted };
  // END SOLUTION
}

/**
 * 8.6 Inverted dropout at evaluation time (model.eval()): every unit is
 * kept and NOTHING is scaled, because training already divided the kept
 * units by 1 − p. Returns a new array equal to x, whatever p is (p is taken
 * only to say it does not matter). Scaling by (1 − p) here is the classic
 * mistake: that belongs to the original, non-inverted dropout.
 */
export function dropoutEval(x: readonly number[], p: number): number[] {
  // BEGIN SOLUTION hint: at eval time inverted dropout is the identity: return a copy of x
  void p; // the scaling happened during training
  return x.slice();
  // END SOLUTION
}

/**
 * 8.7 The L1 penalty and its subgradient, in the same per-sample form as 8.3:
 *
 *   value = (λ / n) · Σ |w|
 *   ∂value/∂w = (λ / n) · sign(w),    with sign(0) = 0
 *
 * |w| has no derivative at 0; any number in [−λ/n, λ/n] is a subgradient
 * there, and 0 (PyTorch's and kernel-lib's choice: sign(0) = 0) is the one
 * to return, so that weights already at 0 stay there. No weights give 0.
 */
export function l1PenaltyWithGrad(weights: readonly (readonly number[])[], lambda: number, n = 1): PenaltyResult {
  // BEGIN SOLUTION hint: Math.sign(0) is already 0; add |w| to a running sum and write (λ/n)·Math.sign(w)
  const scale = lambda / n;
  let total = 0;
  const grads = weights.map((row) => row.map((v) => {
    total += Math.abs(v);
    return scale * Math.sign(v);
  }));
  return { value: scale * total, grads };
  // END SOLUTION
}

export interface SmoothedLoss {
  /** The mean loss over the N samples. */
  loss: number;
  /** ∂loss/∂logits[i][k], same shape as logits. */
  dlogits: number[][];
}

/**
 * 8.8 Softmax cross-entropy with label smoothing (Szegedy et al., 2016), the
 * mean over N samples of K classes. The one-hot target of sample i is
 * softened to q[i][k] = (1 − ε)·1[k = labels[i]] + ε/K, and
 *
 *   loss = −(1/N) Σᵢ Σₖ q[i][k] · log softmax(logits[i])[k]
 *   dlogits[i][k] = (softmax(logits[i])[k] − q[i][k]) / N
 *
 * Compute log softmax stably: with M = maxₖ logits[i][k],
 * log softmax[k] = (logits[i][k] − M) − log Σⱼ exp(logits[i][j] − M), so
 * logits of 1000 give finite results. ε = 0 is the plain cross-entropy.
 * Matches F.crossEntropy(logits, labels, { labelSmoothing: ε }). Throws
 * an Error for ε outside [0, 1] or a label outside 0 … K − 1.
 */
export function labelSmoothingCrossEntropy(logits: readonly (readonly number[])[], labels: readonly number[], smoothing = 0): SmoothedLoss {
  // BEGIN SOLUTION hint: per row: subtract the max, log-sum-exp, then q·logp for the loss and softmax − q for the gradient
  if (!(smoothing >= 0 && smoothing <= 1)) throw new Error(`labelSmoothingCrossEntropy: smoothing must be in [0, 1], got ${smoothing}`);
  const n = logits.length;
  let loss = 0;
  const dlogits = logits.map((row, i) => {
    const k = row.length;
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= k) throw new Error(`labelSmoothingCrossEntropy: label ${label} of sample ${i} is not a class 0 … ${k - 1}`);
    const top = Math.max(...row);
    const logSum = Math.log(row.reduce((s, z) => s + Math.exp(z - top), 0));
    return row.map((z, c) => {
      const logp = z - top - logSum;
      const q = (c === label ? 1 - smoothing : 0) + smoothing / k;
      loss -= (q * logp) / n;
      return (Math.exp(logp) - q) / n;
    });
  });
  return { loss, dlogits };
  // END SOLUTION
}
