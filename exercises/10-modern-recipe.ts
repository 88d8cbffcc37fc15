/**
 * Lesson 10 exercises: the modern recipe and the training doctor.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 10`.
 */
/*
 * Write these yourself: the grader checks, and a function that takes a shortcut scores 0.
 * - Without kernel-lib (plain numbers and arrays; its types are fine): diagnose.
 * - warmupCosineSchedule without kernel-lib's optim.schedules.*, kernel-lib's optim.lrScheduler.*.
 */
import { F, Generator, init, nn, noGrad, optim, tensor } from "kernel-lib";
import { notImplemented } from "./support";

/** What the doctor reads about one training run (all numbers measured by you or by `Monitor`). */
export interface TrainingReport {
  /** Mean training loss of each epoch, in order. */
  trainLoss: readonly number[];
  /** Validation loss of each epoch; [] when the run had no validation set. */
  valLoss: readonly number[];
  /** Number of classes C: a model that guesses uniformly has cross-entropy ln C. */
  numClasses: number;
  /** ‖gradient‖ of each layer that has parameters, from the input side to the output side, at the last epoch. */
  gradientNorms: readonly number[];
  /** Fraction of dead units (never > 0 on a probe batch) of each ReLU layer at the last epoch; [] if none. */
  deadFractions: readonly number[];
}

/** What the doctor can find. */
export type Finding =
  | "diverged"
  | "unstable"
  | "exploding-gradients"
  | "vanishing-gradients"
  | "dead-units"
  | "not-learning"
  | "lr-too-low"
  | "overfitting"
  | "healthy";

/** The usual fix for each finding (used by the lesson to print a prescription). */
export const FIXES: Readonly<Record<Finding, string>> = {
  diverged: "lower the learning rate, clip the gradient norm, check the initialization and the inputs for NaN",
  unstable: "the loss went above chance level: lower the learning rate or add warmup",
  "exploding-gradients": "clip gradients by norm, lower the learning rate, use He/Glorot initialization or normalization",
  "vanishing-gradients": "ReLU-family activations, He initialization, batch normalization, residual connections",
  "dead-units": "lower the learning rate, use LeakyReLU/ELU, He initialization, batch normalization",
  "not-learning": "the model is no better than guessing: check data, labels, the loss and the items above",
  "lr-too-low": "gradients flow but steps are too small: raise the learning rate (run an LR range test)",
  overfitting: "more data or augmentation, dropout, weight decay, early stopping, a smaller model",
  healthy: "nothing to fix: keep monitoring train and validation loss",
};

/**
 * 10.1 The training doctor. Read a report and return every finding that
 * applies, in the order of the list below, or ["healthy"] if none does.
 * Let L = ln(numClasses), n = trainLoss.length, and
 * ratio = gradientNorms[0] / gradientNorms[last] (first layer over last; when
 * the last norm is 0 the ratio is 0 if the first is 0 too, +∞ otherwise).
 *
 *  1. "diverged" — some trainLoss, valLoss or gradient norm is NaN or ±∞.
 *     Return ["diverged"] ALONE: after a NaN the other numbers mean nothing.
 *  2. "unstable" — some epoch's trainLoss exceeds 1.5·L (worse than guessing).
 *  3. "exploding-gradients" — some gradient norm exceeds 100, or ratio > 100.
 *  4. "vanishing-gradients" — ratio < 0.01.
 *  5. "dead-units" — some deadFraction ≥ 0.5.
 *  6. "not-learning" — the last trainLoss ≥ 0.9·L.
 *  7. "lr-too-low" — "not-learning" was found and none of 2–5 was: the
 *     gradients are fine, the steps are just too small.
 *  8. "overfitting" — valLoss has at least 2 values; with b the FIRST epoch of
 *     the smallest valLoss: b is not the last epoch, the last valLoss exceeds
 *     1.1·valLoss[b], and the last trainLoss is below trainLoss[b] (training
 *     kept improving while validation got worse).
 *
 * The ratio rules (3's ratio part and 4) need at least 2 gradient norms.
 * Throw an Error when trainLoss is empty or numClasses < 2.
 */
export function diagnose(report: TrainingReport): Finding[] {
  return notImplemented("diagnose", "handle \"diverged\" first and return early; compute L, the last losses and the guarded ratio once, then push findings rule by rule");
}

export interface WarmupCosineBudget {
  epochs: number;
  stepsPerEpoch: number;
  /** Fraction of all steps spent warming up (the usual 5–10% is 0.05–0.1); in [0, 1). */
  warmupFraction: number;
  /** Where the cosine ends (default 0). */
  lrMin?: number;
}

/**
 * 10.2 Linear warmup then cosine decay, per optimizer STEP, for a budget of
 * T = epochs · stepsPerEpoch steps. With W = round(warmupFraction · T):
 *
 *   lr_t = lr · t / W                                                  for t < W
 *   lr_t = lrMin + ½(lr − lrMin)(1 + cos(π (t − W) / (T − W)))        for W ≤ t < T
 *
 * Return the T values lr_0 … lr_{T−1}. (Step 0 of the warmup has lr 0, as in
 * `optim.schedules.warmupCosine`.) Throw an Error when epochs or
 * stepsPerEpoch is not a positive integer, lr ≤ 0, warmupFraction is outside
 * [0, 1), or lrMin is outside [0, lr].
 */
export function warmupCosineSchedule(lr: number, budget: WarmupCosineBudget): number[] {
  return notImplemented("warmupCosineSchedule", "compute T and W = Math.round(warmupFraction * T) first; the cosine part runs over the T − W steps after the warmup");
}

export interface RecipeOptions {
  /** Dropout probability after every hidden activation (default 0.3); 0 leaves the Dropout layers out. */
  dropout?: number;
  /** Draws every initial weight (default: the default generator). */
  generator?: Generator;
}

/**
 * 10.3 Assemble the recipe's MLP for layer sizes [inputs, hidden…, classes],
 * e.g. [784, 256, 128, 10]. Every hidden layer is the block
 *
 *   nn.Linear(nIn, nOut, { bias: false })   — no bias: batch norm's β replaces it
 *   nn.BatchNorm1d(nOut)                    — after the linear layer, before the activation
 *   nn.ReLU()
 *   nn.Dropout(dropout)                     — only when dropout > 0
 *
 * with the Linear's weight re-drawn by He initialization
 * (`init.kaimingNormal_(w, { nonlinearity: "relu", generator })`, std √(2/nIn)).
 * The output layer is a plain `nn.Linear(nLast, classes, { generator })` with
 * its bias and default initialization: no batch norm, no activation, no dropout.
 * Return everything in one flat `nn.Sequential`, in this order.
 *
 * Throw an Error when `sizes` has fewer than 2 entries or a non-positive or
 * non-integer size, or when dropout is outside [0, 1).
 */
export function recipeModel(sizes: readonly number[], options: RecipeOptions = {}): nn.Sequential {
  return notImplemented("recipeModel", "loop over the hidden sizes (indices 1 … length − 2) pushing the 3 or 4 modules of each block, then push the output Linear");
}

/**
 * 10.4 End to end: build and train a network on handwritten digits, then
 * predict. `xTrain` holds 7×7 digit images, one row of 49 grey levels 0…16
 * per image (MNIST averaged over 4×4 blocks); `yTrain` their labels 0…9.
 * Train a classifier with kernel-lib (any model and optimizer: the lesson's
 * recipe is a good start) and return the predicted label of every row of
 * `xPredict`.
 *
 * Graded by running it: trained on 1,500 digits with seed 0, it must
 * reach at least 90% accuracy on 500 digits it never saw, and within the
 * grader's limit of 10 s of CPU time for the whole call. Everything random
 * must come from `new Generator(seed)` (initial weights, shuffling,
 * dropout), so the same seed gives the same predictions.
 */
export function trainAndPredict(xTrain: readonly (readonly number[])[], yTrain: readonly number[], xPredict: readonly (readonly number[])[], seed: number): number[] {
  return notImplemented("trainAndPredict", "scale the inputs to [0, 1]; recipeModel([49, 64, 10], { generator }), optim.AdamW, ~15 epochs of shuffled mini-batches with F.crossEntropy; model.eval() before predicting");
}
