import { tf } from "./tfjs-setup";
import type { BenchConfig } from "./config";
import type { Batch, ReferenceWeights } from "./weights";

/**
 * The reference network written directly with tfjs-core ops (no tfjs-layers),
 * mirroring kernel-lib/PyTorch semantics so that both compute the same thing:
 *
 *   per hidden block:  z = h · kernel                    (kernel = weightᵀ, [in, out])
 *     training:        μ, σ² = tf.moments(z, 0)           (biased variance)
 *                      running ← (1 − 0.1)·running + 0.1·(μ, σ²·m/(m − 1))
 *     evaluation:      μ, σ² = running statistics
 *                      h = dropout(relu(tf.batchNorm2d(z, μ, σ², β, γ, 1e-5)), p)
 *   logits = h · outKernel + outBias
 *   loss   = tf.losses.softmaxCrossEntropy(oneHot(labels), logits)   (mean over the batch)
 *
 * and Adam through tf.train.adam(lr, 0.9, 0.999, 1e-8).minimize.
 */

const BN_EPS = 1e-5;
const BN_MOMENTUM = 0.1;

interface TfjsBlock {
  kernel: tf.Variable<tf.Rank.R2>;
  gamma: tf.Variable<tf.Rank.R1>;
  beta: tf.Variable<tf.Rank.R1>;
  runningMean: tf.Variable<tf.Rank.R1>;
  runningVar: tf.Variable<tf.Rank.R1>;
}

export interface TfjsMlp {
  /** The trainable variables, in the order kernel-lib's parameters() lists them. */
  readonly trainable: tf.Variable[];
  /** Logits [batch, classes]; in training mode also updates the running statistics. Call inside a tidy. */
  forward(x: tf.Tensor2D, training: boolean): tf.Tensor2D;
  /** The running statistics, block by block (for comparisons). */
  runningStats(): { mean: Float32Array; variance: Float32Array }[];
  dispose(): void;
}

/** [rows, cols] row-major → [cols, rows] row-major: PyTorch's [out, in] weight to tfjs's [in, out] kernel. */
function transposed(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
  return t;
}

export function buildTfjsMlp(weights: ReferenceWeights, config: BenchConfig): TfjsMlp {
  const blocks: TfjsBlock[] = weights.hidden.map((h) => ({
    kernel: tf.variable(tf.tensor2d(transposed(h.weight, h.outFeatures, h.inFeatures), [h.inFeatures, h.outFeatures])),
    gamma: tf.variable(tf.tensor1d(h.gamma)),
    beta: tf.variable(tf.tensor1d(h.beta)),
    runningMean: tf.variable(tf.tensor1d(h.runningMean), false),
    runningVar: tf.variable(tf.tensor1d(h.runningVar), false),
  }));
  const outKernel = tf.variable(tf.tensor2d(transposed(weights.outWeight, weights.classes, weights.outInFeatures), [weights.outInFeatures, weights.classes]));
  const outBias = tf.variable(tf.tensor1d(weights.outBias));
  const all = [...blocks.flatMap((b) => [b.kernel, b.gamma, b.beta, b.runningMean, b.runningVar]), outKernel, outBias];

  const normalize = (z: tf.Tensor2D, b: TfjsBlock, training: boolean): tf.Tensor2D => {
    if (!training) return tf.batchNorm2d(z, b.runningMean, b.runningVar, b.beta, b.gamma, BN_EPS);
    const { mean, variance } = tf.moments(z, 0) as { mean: tf.Tensor1D; variance: tf.Tensor1D };
    const m = z.shape[0];
    // assign keeps its own reference, so the tidy around forward may free the temporaries.
    b.runningMean.assign(tf.add(tf.mul(b.runningMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
    b.runningVar.assign(tf.add(tf.mul(b.runningVar, 1 - BN_MOMENTUM), tf.mul(variance, (BN_MOMENTUM * m) / (m - 1))));
    return tf.batchNorm2d(z, mean, variance, b.beta, b.gamma, BN_EPS);
  };

  return {
    trainable: [...blocks.flatMap((b) => [b.kernel, b.gamma, b.beta]), outKernel, outBias],
    forward(x, training) {
      let h: tf.Tensor2D = x;
      for (const b of blocks) {
        h = tf.relu(normalize(tf.matMul(h, b.kernel), b, training));
        if (training && config.dropout > 0) h = tf.dropout(h, config.dropout) as tf.Tensor2D;
      }
      return tf.add(tf.matMul(h, outKernel), outBias);
    },
    runningStats: () => blocks.map((b) => ({ mean: b.runningMean.dataSync() as Float32Array, variance: b.runningVar.dataSync() as Float32Array })),
    dispose: () => all.forEach((v) => v.dispose()),
  };
}

/** The batch as tfjs tensors: inputs [batch, features] and one-hot float32 labels [batch, classes]. */
export function tfjsBatch(batch: Batch): { x: tf.Tensor2D; oneHot: tf.Tensor2D; dispose(): void } {
  const x = tf.tensor2d(batch.x, [batch.batch, batch.features]);
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(batch.labels, "int32"), batch.classes), "float32") as tf.Tensor2D);
  return { x, oneHot, dispose: () => tf.dispose([x, oneHot]) };
}

export interface TfjsTrainer {
  mlp: TfjsMlp;
  /** One Adam step on the fixed batch; returns the loss before the step. */
  step(): number;
  /** Mean cross-entropy in evaluation mode. */
  evalLoss(): number;
  dispose(): void;
}

/** The model, Adam and the batch on the current backend. */
export function tfjsTrainer(weights: ReferenceWeights, batch: Batch, config: BenchConfig): TfjsTrainer {
  const mlp = buildTfjsMlp(weights, config);
  const data = tfjsBatch(batch);
  const optimizer = tf.train.adam(config.lr, 0.9, 0.999, 1e-8);
  const readScalar = (t: tf.Scalar): number => {
    const value = t.dataSync()[0];
    t.dispose();
    return value;
  };
  return {
    mlp,
    step: () => {
      // tfjs has no zeroGrad: variableGrads computes fresh gradients on every call.
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(data.oneHot, mlp.forward(data.x, true)) as tf.Scalar, true, mlp.trainable);
      return readScalar(loss!);
    },
    evalLoss: () => readScalar(tf.tidy(() => tf.losses.softmaxCrossEntropy(data.oneHot, mlp.forward(data.x, false)) as tf.Scalar)),
    dispose: () => {
      optimizer.dispose();
      mlp.dispose();
      data.dispose();
    },
  };
}

/** Inference in evaluation mode; the logits are read back (dataSync) so the work is finished when it returns. */
export function tfjsForward(weights: ReferenceWeights, batch: Batch, config: BenchConfig): { run(): void; dispose(): void } {
  const mlp = buildTfjsMlp(weights, config);
  const data = tfjsBatch(batch);
  return {
    run: () => {
      const logits = tf.tidy(() => mlp.forward(data.x, false));
      logits.dataSync();
      logits.dispose();
    },
    dispose: () => {
      mlp.dispose();
      data.dispose();
    },
  };
}

/** tf.matMul of n×n matrices, read back with dataSync to force completion. */
export function tfjsMatmul(a: Float32Array, b: Float32Array, n: number): { run(): void; dispose(): void } {
  const A = tf.tensor2d(a, [n, n]);
  const B = tf.tensor2d(b, [n, n]);
  return {
    run: () => {
      const c = tf.matMul(A, B);
      c.dataSync();
      c.dispose();
    },
    dispose: () => tf.dispose([A, B]),
  };
}
