import { Generator } from "kernel-lib";
import type { BenchConfig } from "./config";

/**
 * The fixed starting point every implementation is built from, so that all
 * of them train the same network on the same batch: plain Float32Arrays
 * drawn from kernel-lib's seeded Generator, copied into each framework.
 */

/** One hidden block: Linear(no bias) → BatchNorm1d → ReLU → Dropout. */
export interface HiddenBlockWeights {
  /** [outFeatures, inFeatures], PyTorch's layout (tfjs gets the transpose). */
  readonly weight: Float32Array;
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Batch norm's γ, β and running statistics, one per feature. */
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
}

export interface ReferenceWeights {
  readonly hidden: readonly HiddenBlockWeights[];
  /** The output Linear: weight [classes, lastHidden] and bias [classes]. */
  readonly outWeight: Float32Array;
  readonly outBias: Float32Array;
  readonly outInFeatures: number;
  readonly classes: number;
}

/** A batch of inputs x [batch, features] (row-major) with class labels in [0, classes). */
export interface Batch {
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly batch: number;
  readonly features: number;
  readonly classes: number;
}

function uniformArray(n: number, low: number, high: number, g: Generator): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = low + (high - low) * g.uniform();
  return out;
}

/**
 * Linear weights from PyTorch's default range U(−1/√fanIn, 1/√fanIn).
 * Batch-norm parameters and running statistics are drawn away from their
 * initial 1/0 so that an evaluation-mode comparison really exercises them:
 * γ, runningVar ∈ U(0.5, 1.5), β, runningMean ∈ U(−0.5, 0.5).
 */
export function referenceWeights(config: BenchConfig, generator = new Generator(config.seed)): ReferenceWeights {
  const { sizes } = config;
  if (sizes.length < 2) throw new Error(`sizes needs at least input and output widths, got [${sizes.join(", ")}]`);
  const hidden: HiddenBlockWeights[] = [];
  for (let i = 0; i + 2 < sizes.length; i++) {
    const [inFeatures, outFeatures] = [sizes[i], sizes[i + 1]];
    const bound = 1 / Math.sqrt(inFeatures);
    hidden.push({
      inFeatures,
      outFeatures,
      weight: uniformArray(outFeatures * inFeatures, -bound, bound, generator),
      gamma: uniformArray(outFeatures, 0.5, 1.5, generator),
      beta: uniformArray(outFeatures, -0.5, 0.5, generator),
      runningMean: uniformArray(outFeatures, -0.5, 0.5, generator),
      runningVar: uniformArray(outFeatures, 0.5, 1.5, generator),
    });
  }
  const outInFeatures = sizes[sizes.length - 2];
  const classes = sizes[sizes.length - 1];
  const bound = 1 / Math.sqrt(outInFeatures);
  return {
    hidden,
    outInFeatures,
    classes,
    outWeight: uniformArray(classes * outInFeatures, -bound, bound, generator),
    outBias: uniformArray(classes, -bound, bound, generator),
  };
}

/** Standard-normal inputs and uniformly drawn labels. */
export function referenceBatch(config: BenchConfig, generator = new Generator(config.seed + 1)): Batch {
  const features = config.sizes[0];
  const classes = config.sizes[config.sizes.length - 1];
  const x = new Float32Array(config.batch * features);
  for (let i = 0; i < x.length; i++) x[i] = generator.normal();
  const labels = new Int32Array(config.batch);
  for (let i = 0; i < labels.length; i++) labels[i] = generator.randint(0, classes);
  return { x, labels, batch: config.batch, features, classes };
}

/** A random n×n float32 matrix, entries U(−1, 1). */
export function randomMatrix(n: number, generator: Generator): Float32Array {
  return uniformArray(n * n, -1, 1, generator);
}
