import { F, Generator, matmul, nn, noGrad, optim, tensor, type DType, type Tensor } from "kernel-lib";
import type { BenchConfig } from "./config";
import type { Batch, ReferenceWeights } from "./weights";

/**
 * The reference network in kernel-lib, written the way a student would:
 * nn layers in a Sequential, F.crossEntropy on the logits, optim.Adam.
 */

export interface OurMlpOptions {
  /** float32 (the default, what is compared) or float64. */
  dtype?: DType;
  /** Source of the dropout masks. */
  generator?: Generator;
}

/**
 * [Linear(no bias) → BatchNorm1d → ReLU → Dropout(p)] per hidden width → Linear,
 * with every parameter and running statistic copied from `weights`.
 */
export function buildOurMlp(weights: ReferenceWeights, config: BenchConfig, options: OurMlpOptions = {}): nn.Sequential {
  const dtype = options.dtype ?? "float32";
  const generator = options.generator ?? new Generator(config.seed + 2);
  const layers: nn.Module[] = [];
  for (const h of weights.hidden) {
    // The constructors draw a default init that is overwritten below; our generator keeps the global one untouched.
    const linear = new nn.Linear(h.inFeatures, h.outFeatures, { bias: false, dtype, generator });
    const norm = new nn.BatchNorm1d(h.outFeatures, { dtype });
    noGrad(() => {
      linear.weight.data.set(h.weight);
      norm.weight!.data.set(h.gamma);
      norm.bias!.data.set(h.beta);
      norm.runningMean!.data.set(h.runningMean);
      norm.runningVar!.data.set(h.runningVar);
    });
    layers.push(linear, norm, new nn.ReLU(), new nn.Dropout(config.dropout, { generator }));
  }
  const out = new nn.Linear(weights.outInFeatures, weights.classes, { dtype, generator });
  noGrad(() => {
    out.weight.data.set(weights.outWeight);
    out.bias!.data.set(weights.outBias);
  });
  return new nn.Sequential(...layers, out);
}

/** The batch as kernel-lib tensors: inputs [batch, features] in `dtype`, labels int32 [batch]. */
export function ourBatch(batch: Batch, dtype: DType = "float32"): { x: Tensor; y: Tensor } {
  return {
    x: tensor(batch.x, { shape: [batch.batch, batch.features], dtype }),
    y: tensor(batch.labels, { dtype: "int32" }),
  };
}

export interface OurTrainer {
  model: nn.Sequential;
  optimizer: optim.Adam;
  /** zeroGrad, forward, loss, backward, optimizer step; returns the loss before the step. */
  step(): number;
}

/** A model in training mode with its Adam optimizer, and one training step on the fixed batch. */
export function ourTrainer(weights: ReferenceWeights, batch: Batch, config: BenchConfig, options: OurMlpOptions = {}): OurTrainer {
  const dtype = options.dtype ?? "float32";
  const model = buildOurMlp(weights, config, options).train();
  const optimizer = new optim.Adam(model.parameters(), { lr: config.lr, betas: [0.9, 0.999], eps: 1e-8 });
  const { x, y } = ourBatch(batch, dtype);
  const step = (): number => {
    optimizer.zeroGrad();
    const loss = F.crossEntropy(model.call(x), y);
    loss.backward();
    optimizer.step();
    return loss.item();
  };
  return { model, optimizer, step };
}

/** Inference: evaluation mode (running statistics, no dropout) without recording gradients. */
export function ourForward(weights: ReferenceWeights, batch: Batch, config: BenchConfig): () => Tensor {
  const model = buildOurMlp(weights, config).eval();
  const { x } = ourBatch(batch);
  return () => noGrad(() => model.call(x));
}

/** The mean cross-entropy of `model` on the batch in evaluation mode. */
export function ourEvalLoss(model: nn.Sequential, batch: Batch): number {
  const wasTraining = model.training;
  model.eval();
  const { x, y } = ourBatch(batch, model.parameters()[0].dtype);
  const loss = noGrad(() => F.crossEntropy(model.call(x), y).item());
  model.train(wasTraining);
  return loss;
}

/** C = A·B for n×n float32 matrices given row-major. */
export function ourMatmul(a: Float32Array, b: Float32Array, n: number): () => Tensor {
  const A = tensor(a, { shape: [n, n] });
  const B = tensor(b, { shape: [n, n] });
  return () => matmul(A, B);
}
