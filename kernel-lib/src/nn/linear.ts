import { type DType, DEFAULT_DTYPE } from "../core/dtype";
import type { Generator } from "../core/random";
import { empty } from "../ops/convert";
import { flatten } from "../ops/shape";
import type { Tensor } from "../tensor";
import { linear } from "../functional/linear";
import { kaimingUniform_ } from "../init/variance-scaling";
import { uniform_ } from "../init/fill";
import { calculateFans } from "../init/gain";
import { Module } from "./module";
import { Parameter } from "./parameter";
import { checkInteger, checkPositiveInteger } from "../core/validate";

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  dtype?: DType;
  /** Source of the initial weights (default: the default generator). */
  generator?: Generator;
}

/** PyTorch's default init of Linear and Conv layers: weight by kaimingUniform_(a = √5), bias from U(−1/√fanIn, 1/√fanIn). */
export function torchDefaultInit(weight: Tensor, bias: Tensor | null, generator?: Generator): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias) {
    const bound = 1 / Math.sqrt(calculateFans(weight).fanIn);
    uniform_(bias, -bound, bound, { generator });
  }
}

/**
 * A fully connected layer y = x · weightᵀ + bias, like torch.nn.Linear, with
 * weight [outFeatures, inFeatures] and bias [outFeatures].
 *
 * Default initialization (PyTorch's): weight by kaimingUniform_ with
 * a = √5, which works out to U(−1/√inFeatures, 1/√inFeatures)
 * (gain √(2/(1+5)) = √(1/3), times √(3/fanIn)), and bias from the same
 * U(−1/√fanIn, 1/√fanIn). Re-initialize with `init` for deep ReLU nets
 * (kaimingNormal_) or tanh nets (xavierUniform_).
 * Lesson: notebooks/src/02-initialization.ts §5 (the default initialization of Linear)
 *
 *   const layer = new Linear(784, 256);
 *   layer.call(X);   // [N, 784] → [N, 256]
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: LinearOptions = {}) {
    super();
    checkPositiveInteger("Linear", "inFeatures", inFeatures);
    checkPositiveInteger("Linear", "outFeatures", outFeatures);
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    this.weight = new Parameter(empty([outFeatures, inFeatures], dtype));
    this.bias = options.bias ?? true ? new Parameter(empty([outFeatures], dtype)) : null;
    this.resetParameters(options.generator);
  }

  /** Draws fresh initial values (the default init described above). */
  resetParameters(generator?: Generator): void {
    torchDefaultInit(this.weight, this.bias, generator);
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/** Returns its input unchanged: a placeholder, e.g. for an optional layer. */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Merges axes startDim..endDim into one (defaults 1 and −1: [N, C, H, W] → [N, C·H·W]), like torch.nn.Flatten. */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
    checkInteger("Flatten", "startDim", startDim);
    checkInteger("Flatten", "endDim", endDim);
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}
