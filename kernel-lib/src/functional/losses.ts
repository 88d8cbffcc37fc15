import { fail, fmtShape } from "../core/errors";
import { checkNonNegative, checkOneOf, checkPositive, checkUnitInterval } from "../core/validate";
import { broadcastShapes, sameShape } from "../core/shape";
import { noGrad } from "../autograd/grad-mode";
import { record } from "../autograd/record";
import { Tensor } from "../tensor";
import { empty, requireFloat } from "../ops/convert";
import { abs, add, clamp, compare, div, log, minimum, mul, neg, softplus, sub } from "../ops/elementwise";
import { gather, indexSelect } from "../ops/indexing";
import { logsumexp, mean, sum } from "../ops/reduce";
import { reshape, unsqueeze } from "../ops/shape";
import { type IndexTarget, fusedCrossEntropy } from "./cross-entropy-fused";

/**
 * Loss functions with PyTorch's names (camelCase), defaults and formulas,
 * composed from the differentiable primitives so autograd needs nothing new
 * (cross-entropy on class indices also runs as one fused op, for speed; the
 * composition below is its reference).
 * Lesson: notebooks/src/01-why-deep-is-hard.ts §1 (the recipe so far: the training loss)
 */

/** How per-element losses are combined: averaged (default), added up, or returned as they are. */
export type Reduction = "mean" | "sum" | "none";

export interface LossOptions {
  /** Default "mean". */
  reduction?: Reduction;
}
export interface HuberLossOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear; default 1, must be > 0. */
  delta?: number;
}
export interface SmoothL1LossOptions extends LossOptions {
  /** Default 1; 0 gives the plain L1 loss. */
  beta?: number;
}
export interface NllLossOptions extends LossOptions {
  /** A rescaling weight per class, shape [C]. */
  weight?: Tensor;
  /** Samples whose target equals this contribute nothing (default −100, PyTorch's). */
  ignoreIndex?: number;
}
export interface CrossEntropyOptions extends NllLossOptions {
  /** ε in [0, 1]: the target becomes (1 − ε)·onehot + ε/C. Default 0. */
  labelSmoothing?: number;
}
export interface BinaryCrossEntropyOptions extends LossOptions {
  /** A rescaling weight per element, broadcast to the input's shape. */
  weight?: Tensor;
}
export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** Weight of the positive term per class (broadcast along the last axis), e.g. #negatives / #positives. */
  posWeight?: Tensor;
}

/** Class indices (int32 tensor, plain numbers) or, for crossEntropy, class probabilities (a float [N, C] tensor). */
export type ClassTarget = Tensor | readonly number[] | Int32Array | number;

// ---- regression -----------------------------------------------------------

/** Mean squared error: reduce((input − target)²). Input and target must have the same shape. */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = reductionOf("mseLoss", options.reduction);
  checkSameShape("mseLoss", input, target);
  const diff = sub(input, target);
  return reduce(mul(diff, diff), reduction);
}

/** Mean absolute error: reduce(|input − target|). Its gradient at 0 is 0 (sign(0)). */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = reductionOf("l1Loss", options.reduction);
  checkSameShape("l1Loss", input, target);
  return reduce(abs(sub(input, target)), reduction);
}

/**
 * Huber loss, quadratic near 0 and linear beyond `delta` (default 1), so outliers
 * pull with a bounded force: with d = input − target,
 *   loss = 0.5·d²               where |d| < delta
 *          delta·(|d| − 0.5·delta) otherwise.
 * Written as 0.5·q² + delta·(|d| − q) with q = min(|d|, delta), one formula for both pieces.
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  const reduction = reductionOf("huberLoss", options.reduction);
  const delta = options.delta ?? 1;
  checkPositive("huberLoss", "delta", delta);
  checkSameShape("huberLoss", input, target);
  return reduce(huber(sub(input, target), delta), reduction);
}

/** Smooth L1 = Huber / beta: 0.5·d²/beta where |d| < beta, |d| − 0.5·beta otherwise (default beta 1). */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1LossOptions = {}): Tensor {
  const reduction = reductionOf("smoothL1Loss", options.reduction);
  const beta = options.beta ?? 1;
  checkNonNegative("smoothL1Loss", "beta", beta);
  checkSameShape("smoothL1Loss", input, target);
  const d = sub(input, target);
  return reduce(beta === 0 ? abs(d) : div(huber(d, beta), beta), reduction);
}

function huber(d: Tensor, delta: number): Tensor {
  const a = abs(d);
  const q = minimum(a, delta);
  return add(mul(mul(q, q), 0.5), mul(sub(a, q), delta));
}

// ---- classification over C classes -----------------------------------------

/**
 * Cross-entropy between the softmax of `logits` [N, C] (or [C]) and the targets:
 *
 *   logp = logits − logsumexp(logits, 1)          (log-softmax, stable: no exp overflows)
 *   class indices y:   loss_n = −w[y_n] · logp[n, y_n]
 *   probabilities p:   loss_n = −Σ_c w[c] · p[n, c] · logp[n, c]
 *
 * With label smoothing ε (default 0) the target is (1 − ε)·onehot(y) + ε/C, which for
 * class indices PyTorch computes as (1 − ε)·loss_n + (ε/C)·(−Σ_c w[c]·logp[n, c]).
 * "mean" divides by Σ_n w[y_n] over the samples not ignored (by N for probabilities);
 * samples whose target is `ignoreIndex` (default −100) count 0 in both sums.
 *
 *   crossEntropy(tensor([[2, 0, 0]]), [0])   // −log(e²/(e² + 2)) ≈ 0.2395
 *
 * Class indices run as one fused primitive (cross-entropy-fused.ts), tested
 * against `crossEntropyComposed`, these equations composed from primitives.
 *
 * Lesson: notebooks/src/01-why-deep-is-hard.ts §1 (the recipe so far)
 */
export function crossEntropy(logits: Tensor, target: ClassTarget, options: CrossEntropyOptions = {}): Tensor {
  const args = checkCrossEntropy(logits, target, options);
  const { input, single, weight, parsed, eps, reduction } = args;
  if (parsed instanceof Tensor || weight?.requiresGrad) return composedCrossEntropy(args);
  const loss = fusedCrossEntropy(input, parsed, weight, eps, reduction);
  return single && reduction === "none" ? reshape(loss, []) : loss;
}

/**
 * `crossEntropy`'s equations composed from logsumexp, gather and reductions
 * (autograd derives the backward): the reference the fused primitive is
 * tested against, and the path for probability targets and weights that
 * require grad. Same arguments and results as `crossEntropy`.
 */
export function crossEntropyComposed(logits: Tensor, target: ClassTarget, options: CrossEntropyOptions = {}): Tensor {
  return composedCrossEntropy(checkCrossEntropy(logits, target, options));
}

interface CrossEntropyArgs {
  input: Tensor;
  single: boolean;
  weight: Tensor | undefined;
  parsed: Tensor | IndexTarget;
  eps: number;
  reduction: Reduction;
}

function checkCrossEntropy(logits: Tensor, target: ClassTarget, options: CrossEntropyOptions): CrossEntropyArgs {
  const op = "crossEntropy";
  const reduction = reductionOf(op, options.reduction);
  const eps = options.labelSmoothing ?? 0;
  checkUnitInterval(op, "labelSmoothing", eps);
  const { input, single } = asBatch(op, logits);
  const weight = checkWeight(op, options.weight, input.shape[1]);
  const parsed = parseTarget(op, target, input, single, options.ignoreIndex ?? -100);
  return { input, single, weight, parsed, eps, reduction };
}

function composedCrossEntropy({ input, single, weight, parsed, eps, reduction }: CrossEntropyArgs): Tensor {
  const [n, c] = input.shape;
  const logp = sub(input, logsumexp(input, 1, { keepdims: true }));

  if (parsed instanceof Tensor) {
    const p = eps > 0 ? add(mul(parsed, 1 - eps), eps / c) : parsed;
    const terms = weight ? mul(mul(logp, p), weight) : mul(logp, p);
    const perSample = neg(sum(terms, 1));
    if (reduction === "mean") return div(sum(perSample), n);
    return reduction === "sum" ? sum(perSample) : single ? reshape(perSample, []) : perSample;
  }
  const { perSample, sampleWeight } = pickedNll(logp, parsed, weight);
  let loss = perSample;
  if (eps > 0) {
    // −Σ_c w[c]·logp[n, c], zero for ignored samples.
    const smooth = mul(neg(sum(weight ? mul(logp, weight) : logp, 1)), parsed.keep);
    loss = add(mul(perSample, 1 - eps), mul(smooth, eps / c));
  }
  return finishNll(loss, sampleWeight, reduction, single);
}

/**
 * Negative log-likelihood of class indices given log-probabilities [N, C] (or [C]):
 * loss_n = −w[y_n] · logProbs[n, y_n]; "mean" divides by Σ_n w[y_n] (non-ignored).
 * crossEntropy(x, y) equals nllLoss(logSoftmax(x), y).
 */
export function nllLoss(logProbs: Tensor, target: ClassTarget, options: NllLossOptions = {}): Tensor {
  const op = "nllLoss";
  const reduction = reductionOf(op, options.reduction);
  const { input, single } = asBatch(op, logProbs);
  const weight = checkWeight(op, options.weight, input.shape[1]);
  const parsed = parseTarget(op, target, input, single, options.ignoreIndex ?? -100);
  if (parsed instanceof Tensor) {
    fail(op, "takes class indices (int32), not probabilities; for soft targets use crossEntropy(logits, probs)");
  }
  const { perSample, sampleWeight } = pickedNll(input, parsed, weight);
  return finishNll(perSample, sampleWeight, reduction, single);
}

function pickedNll(logp: Tensor, t: IndexTarget, weight: Tensor | undefined): { perSample: Tensor; sampleWeight: Tensor } {
  const n = logp.shape[0];
  const column = new Tensor(t.safe, [n, 1]);
  const picked = reshape(gather(logp, 1, column), [n]);
  const sampleWeight = weight ? mul(indexSelect(weight, 0, t.safe), t.keep) : t.keep;
  return { perSample: neg(mul(picked, sampleWeight)), sampleWeight };
}

function finishNll(perSample: Tensor, sampleWeight: Tensor, reduction: Reduction, single: boolean): Tensor {
  if (reduction === "mean") return div(sum(perSample), sum(sampleWeight));
  if (reduction === "sum") return sum(perSample);
  return single ? reshape(perSample, []) : perSample;
}

/** [N, C] stays; [C] (one sample) becomes [1, C]. */
function asBatch(op: string, x: Tensor): { input: Tensor; single: boolean } {
  requireFloat(op, x);
  if (x.ndim !== 1 && x.ndim !== 2) {
    fail(op, `expects input of shape [N, C] (or [C] for one sample), got ${fmtShape(x.shape)}; ` +
      `for a sequence [N, T, C] flatten first: input.reshape(-1, C) with target.reshape(-1)`);
  }
  if (x.shape[x.ndim - 1] === 0) fail(op, `input ${fmtShape(x.shape)} has no classes`);
  return x.ndim === 1 ? { input: unsqueeze(x, 0), single: true } : { input: x, single: false };
}

function checkWeight(op: string, weight: Tensor | undefined, c: number): Tensor | undefined {
  if (weight !== undefined && (weight.ndim !== 1 || weight.shape[0] !== c)) {
    fail(op, `weight must have one entry per class, shape [${c}], got ${fmtShape(weight.shape)}`);
  }
  return weight;
}

/** Float targets of the input's shape are probabilities; anything else must be valid class indices. */
function parseTarget(op: string, target: ClassTarget, input: Tensor, single: boolean, ignoreIndex: number): Tensor | IndexTarget {
  const [n, c] = input.shape;
  const shown = single ? [c] : [n, c];
  if (target instanceof Tensor && target.dtype !== "int32") {
    if (sameShape(target.shape, shown)) return single ? reshape(target, [1, c]) : target;
    fail(op, `float target of shape ${fmtShape(target.shape)} fits neither form: class probabilities need the input's shape ` +
      `${fmtShape(shown)}; class indices need an int32 tensor of shape ${single ? "[]" : `[${n}]`} (convert with .int())`);
  }
  if (target instanceof Tensor && target.ndim > 1) {
    fail(op, `class indices must be ${single ? "a single index" : `1-D [${n}]`}, got an int32 tensor of shape ${fmtShape(target.shape)}`);
  }
  const values: ArrayLike<number> = typeof target === "number" ? [target] : target instanceof Tensor ? target.data : target;
  if (values.length !== n) {
    fail(op, `got ${values.length} class indices for ${single ? "one sample (input [C])" : `${n} samples (input ${fmtShape(input.shape)})`}`);
  }
  const safe = new Int32Array(n);
  const keep = empty([n], input.dtype);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) fail(op, `target ${v} at position ${i} is not an integer class index`);
    if (v === ignoreIndex) continue; // safe 0, keep 0
    if (v < 0 || v >= c) fail(op, `target ${v} at position ${i} is out of range for ${c} classes (0..${c - 1})`);
    safe[i] = v;
    keep.data[i] = 1;
  }
  return { safe, keep };
}

// ---- binary classification ----------------------------------------------------

/**
 * Binary cross-entropy on logits x with targets y in [0, 1] (same shape):
 *   loss = −w·[pw·y·log σ(x) + (1 − y)·log(1 − σ(x))]
 *        = w·[(1 − y)·x + (1 + (pw − 1)·y)·softplus(−x)]
 * using log σ(x) = −softplus(−x) and log(1 − σ(x)) = −x − softplus(−x). softplus(z) is
 * computed as max(z, 0) + log(1 + e^(−|z|)), so no exp overflows and no log(0) appears
 * even for |x| in the thousands, where log(sigmoid(x)) would give −∞. Without posWeight
 * (pw = 1) this is max(x, 0) − x·y + log(1 + e^(−|x|)). Defaults: reduction "mean", w = pw = 1.
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Tensor, options: BinaryCrossEntropyWithLogitsOptions = {}): Tensor {
  const op = "binaryCrossEntropyWithLogits";
  const reduction = reductionOf(op, options.reduction);
  checkSameShape(op, logits, target);
  const { posWeight, weight } = options;
  if (posWeight) checkBroadcastsTo(op, "posWeight", posWeight, logits);
  if (weight) checkBroadcastsTo(op, "weight", weight, logits);
  const negLogSigmoid = softplus(neg(logits));
  const positive = posWeight ? mul(add(mul(sub(posWeight, 1), target), 1), negLogSigmoid) : negLogSigmoid;
  const loss = add(mul(sub(1, target), logits), positive);
  return reduce(weight ? mul(loss, weight) : loss, reduction);
}

/**
 * Binary cross-entropy on probabilities p in [0, 1] with targets y (same shape):
 *   loss = −w·[y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)]
 * The clamp (PyTorch's) turns a confident wrong answer into a loss of 100 instead of ∞.
 * Prefer binaryCrossEntropyWithLogits: σ rounds to exactly 0 or 1 long before the logits are extreme.
 */
export function binaryCrossEntropy(probs: Tensor, target: Tensor, options: BinaryCrossEntropyOptions = {}): Tensor {
  const op = "binaryCrossEntropy";
  const reduction = reductionOf(op, options.reduction);
  checkSameShape(op, probs, target);
  if (options.weight) checkBroadcastsTo(op, "weight", options.weight, probs);
  const p = probs.data;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) {
      fail(op, `probabilities must lie in [0, 1], got ${p[i]} at position ${i}; apply sigmoid first, or use binaryCrossEntropyWithLogits on the logits`);
    }
  }
  const loss = neg(add(mul(target, clampedLog(probs)), mul(sub(1, target), clampedLog(sub(1, probs)))));
  return reduce(options.weight ? mul(loss, options.weight) : loss, reduction);
}

const LOG_FLOOR = -100;
/** Below e^−100 ≈ 3.7e-44, yet still > 0 in float32 (as a subnormal), so log never sees 0. */
const TINY = 1e-45;
/** PyTorch's BCE backward divides by at least this. */
const GRAD_EPS = 1e-12;

/**
 * max(log x, −100), as PyTorch's BCELoss clamps its logs.
 * NOTE: fused for numerical stability. Composing clamp(log(x), −100) would backpropagate
 * 0·(1/0) = NaN where x = 0; here the gradient is g / max(x, 1e-12) where log x > −100
 * and exactly 0 where the clamp is active.
 */
function clampedLog(x: Tensor): Tensor {
  const out = noGrad(() => clamp(log(clamp(x, TINY)), LOG_FLOOR));
  return record("clampedLog", [x], out, (g) => [mul(div(g, clamp(x, GRAD_EPS)), compare("gt", out, LOG_FLOOR))]);
}

// ---- shared checks --------------------------------------------------------

function reductionOf(op: string, reduction: Reduction | undefined): Reduction {
  const r = reduction ?? "mean";
  checkOneOf(op, "reduction", r, ["mean", "sum", "none"]);
  return r;
}

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === "mean" ? mean(loss) : reduction === "sum" ? sum(loss) : loss;
}

/** NOTE: PyTorch only warns here; a silent broadcast of [N, 1] against [N] would compare every prediction with every target. */
function checkSameShape(op: string, input: Tensor, target: Tensor): void {
  if (!sameShape(input.shape, target.shape)) {
    fail(op, `input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} must have the same shape ` +
      `(broadcasting would compare every prediction with every target); reshape one, e.g. target.reshape(${fmtShape(input.shape)})`);
  }
}

function checkBroadcastsTo(op: string, what: string, w: Tensor, x: Tensor): void {
  if (!sameShape(broadcastShapes(op, w.shape, x.shape), x.shape)) {
    fail(op, `${what} ${fmtShape(w.shape)} must broadcast to the input's shape ${fmtShape(x.shape)} without enlarging it`);
  }
}
