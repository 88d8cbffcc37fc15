/**
 * Lesson 2 exercises: weight initialization.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 02`.
 */
/*
 * Write these yourself: the grader checks, and a function that takes a shortcut scores 0.
 * - Without kernel-lib (plain numbers and arrays; its types are fine): fans, initStd, uniformBound, stackActivationStats.
 * - initialize_ without kernel-lib's init.*, the .uniform_() method, the .normal_() method.
 */
import { noGrad, type Generator, type Tensor } from "kernel-lib";
import { notImplemented } from "./support";

/** The three variance-scaling families of the lesson. */
export type Scheme = "xavier" | "he" | "lecun";

/**
 * 2.1 Fan-in and fan-out of a weight laid out as in PyTorch: [out, in] for a
 * Linear layer, [out, in, k1, k2, …] for a convolution, where every kernel
 * position counts as an input too (the receptive field k1·k2·… multiplies both):
 *
 *   fanIn  = shape[1] · (k1 · k2 · …)      fanOut = shape[0] · (k1 · k2 · …)
 *
 *   fans([128, 256])       // { fanIn: 256, fanOut: 128 }
 *   fans([16, 3, 5, 5])    // { fanIn: 75, fanOut: 400 }
 *
 * Throws an Error for shapes with fewer than 2 dimensions (a bias has no fans).
 */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  return notImplemented("fans", "multiply the sizes from index 2 on (1 for a plain matrix), then scale shape[1] and shape[0] by it");
}

/**
 * 2.2 The standard deviation of the *normal* version of each scheme (Table 11-1):
 *
 *   "xavier" (Glorot, for none / tanh / logistic / softmax)   std = √(2 / (fanIn + fanOut))   i.e. σ² = 1 / fan_avg
 *   "he"     (Kaiming, for ReLU and its variants)              std = √(2 / fanIn)
 *   "lecun"  (for SELU)                                        std = √(1 / fanIn)
 *
 *   initStd("he", 256, 256)   // 0.0884
 */
export function initStd(scheme: Scheme, fanIn: number, fanOut: number): number {
  return notImplemented("initStd", "fan_avg = (fanIn + fanOut) / 2, so 1 / fan_avg = 2 / (fanIn + fanOut)");
}

/**
 * 2.3 The bound a of the *uniform* version U(−a, a) of each scheme: the one
 * with the same variance as the normal version. U(−a, a) has variance a²/3,
 * so a = √3 · std, e.g. Xavier: a = √(6 / (fanIn + fanOut)), He: a = √(6 / fanIn).
 *
 *   uniformBound("xavier", 256, 256)   // 0.1083
 */
export function uniformBound(scheme: Scheme, fanIn: number, fanOut: number): number {
  return notImplemented("uniformBound", "solve a² / 3 = std² for a, with std from initStd");
}

/**
 * 2.4 An initializer: fill `weight` (a float tensor of shape [out, in] or
 * [out, in, k…]) IN PLACE with the chosen scheme and distribution, and
 * return the same tensor (like init.kaimingNormal_). Take the fans from
 * `fans(weight.shape)`. Draw one number per entry, in storage order
 * (weight.data[0], weight.data[1], …), from `generator`:
 *
 *   "uniform":  weight.data[i] = −a + 2a · generator.uniform()      with a = uniformBound(…)
 *   "normal":   weight.data[i] = std · generator.normal()            with std = initStd(…)
 *
 * Then the same seed gives exactly the numbers of kernel-lib's
 * init.xavierUniform_ / xavierNormal_ / kaimingUniform_ / kaimingNormal_ /
 * lecunUniform_ / lecunNormal_. Write inside `noGrad(() => …)`: initializing
 * is not part of the computation to differentiate.
 */
export function initialize_(weight: Tensor, scheme: Scheme, distribution: "uniform" | "normal", generator: Generator): Tensor {
  return notImplemented("initialize_", "loop i from 0 to weight.data.length − 1 and assign weight.data[i]; one generator call per entry");
}

/** Statistics of one layer's output. */
export interface LayerStats {
  mean: number;
  std: number;
  /** Units (columns) whose output is exactly 0 for every sample. */
  deadUnits: number;
}

/**
 * 2.5 Push a batch through a stack of bias-free layers, as in the lesson's
 * 20-layer experiment, and summarize every layer's output:
 *
 *   a_0 = X,   a_l = act(a_{l−1} · W_l)      (l = 1..L)
 *
 * X is [n][d_0] (one row per sample); weights[l] is [d_l][d_{l+1}] (rows =
 * inputs, columns = units: a plain matrix product a · W, as in NumPy's `a @ W`);
 * act is "relu" (max(0, z)), "tanh" or "linear" (identity).
 *
 * For each layer, in order: `mean` and `std` over ALL n·d entries of a_l
 * (population std: divide by the number of entries, like NumPy's std), and
 * `deadUnits`: the number of columns of a_l that are exactly 0 in every row.
 * Returns [] when there are no layers.
 */
export function stackActivationStats(
  X: readonly (readonly number[])[],
  weights: readonly (readonly (readonly number[])[])[],
  activation: "relu" | "tanh" | "linear",
): LayerStats[] {
  return notImplemented("stackActivationStats", "out[r][u] = act(Σ_j a[r][j] · W[j][u]); std = √(mean of squares − mean²), or better √(mean of (v − mean)²)");
}
