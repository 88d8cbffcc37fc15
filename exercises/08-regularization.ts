/**
 * Lesson 8 exercises: regularization from scratch, on plain arrays.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 08`.
 */
/*
 * Write these yourself: the grader checks, and a function that takes a shortcut scores 0.
 * - Without kernel-lib (plain numbers and arrays; its types are fine): dropoutForward, dropoutBackward, dropoutEval, l2PenaltyWithGrad, l1PenaltyWithGrad, EarlyStopper, mcDropoutStats, labelSmoothingCrossEntropy.
 */
import type { Generator } from "kernel-lib";
import { notImplemented } from "./support";

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
  return notImplemented("dropoutForward", "handle p = 0 and p = 1 first; then one generator.uniform() per element, dropped when u < p");
}

/**
 * 8.2 Inverted dropout, backward: given dL/dout and the mask the forward pass
 * used, return dL/dx. Since out[i] = x[i] · mask[i], the gradient passes
 * through kept units (scaled by the same 1/(1 − p)) and is 0 for dropped ones.
 */
export function dropoutBackward(dOut: readonly number[], mask: readonly number[]): number[] {
  return notImplemented("dropoutBackward", "differentiate out[i] = x[i] · mask[i] with respect to x[i]");
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
  return notImplemented("l2PenaltyWithGrad", "one pass over every entry: add w² to a running sum, and write the gradient 2λw/n");
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
    return notImplemented("step", "count the epoch first; compare with bestLoss - minDelta; copy each inner array with [...w]");
  }

  restore(): number[][] | null {
    return notImplemented("restore", "return a fresh copy of bestWeights so the caller cannot change the saved one");
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
  return notImplemented("mcDropoutStats", "loop over samples i and classes c, and inside over passes t; two passes: mean, then squared deviations");
}

/**
 * 8.6 Inverted dropout at evaluation time (model.eval()): every unit is
 * kept and NOTHING is scaled, because training already divided the kept
 * units by 1 − p. Returns a new array equal to x, whatever p is (p is taken
 * only to say it does not matter). Scaling by (1 − p) here is the classic
 * mistake: that belongs to the original, non-inverted dropout.
 */
export function dropoutEval(x: readonly number[], p: number): number[] {
  return notImplemented("dropoutEval", "at eval time inverted dropout is the identity: return a copy of x");
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
  return notImplemented("l1PenaltyWithGrad", "Math.sign(0) is already 0; add |w| to a running sum and write (λ/n)·Math.sign(w)");
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
  return notImplemented("labelSmoothingCrossEntropy", "per row: subtract the max, log-sum-exp, then q·logp for the loss and softmax − q for the gradient");
}
