import { type DType, DEFAULT_DTYPE } from "../core/dtype";
import { fail, fmtShape } from "../core/errors";
import { checkPositive, checkPositiveInteger, invalid } from "../core/validate";
import { noGrad } from "../autograd/grad-mode";
import { ones, zeros } from "../ops/creation";
import type { Tensor } from "../tensor";
import { batchNorm } from "../functional/batch-norm";
import { groupNorm, instanceNorm, layerNorm } from "../functional/normalization";
import { Module } from "./module";
import { Parameter } from "./parameter";

/**
 * Normalization layers (Lessons: notebooks/src/04-batch-normalization.ts §3 (the algorithm), §10). The math is in
 * `F.batchNorm`, `F.layerNorm`, `F.groupNorm`, `F.instanceNorm`; these hold
 * the learned scale (weight, γ, initialized to 1) and shift (bias, β,
 * initialized to 0) and, for batch norm, the running statistics.
 */

function positiveInt(op: string, name: string, n: number): void {
  checkPositiveInteger(op, name, n);
}

function positiveEps(op: string, eps: number): void {
  checkPositive(op, "eps", eps);
}

function checkChannels(op: string, x: Tensor, numFeatures: number, ranks: string): void {
  if (x.ndim < 2 || x.shape[1] !== numFeatures) {
    fail(op, `expected input ${ranks} with ${numFeatures} channels on axis 1, got ${fmtShape(x.shape)}`);
  }
}

export interface BatchNormModuleOptions {
  /** Added to the variance; default 1e-5. */
  eps?: number;
  /** Weight of each new batch in the running averages (default 0.1); null = cumulative average over all batches seen. */
  momentum?: number | null;
  /** Learn weight (γ) and bias (β); default true. */
  affine?: boolean;
  /** Keep running mean and variance for evaluation; default true. If false, batch statistics are used in eval too. */
  trackRunningStats?: boolean;
  dtype?: DType;
}

/**
 * Batch normalization over [N, C] or [N, C, L] inputs, like torch.nn.BatchNorm1d.
 * Training mode normalizes with the batch's statistics and updates the
 * buffers runningMean (starts at 0) and runningVar (starts at 1, updated
 * with the unbiased variance); evaluation mode normalizes with them.
 * numBatchesTracked counts training batches.
 */
export class BatchNorm1d extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;

  constructor(readonly numFeatures: number, options: BatchNormModuleOptions = {}) {
    super();
    const name = new.target.name; // BatchNorm2d shares this constructor
    positiveInt(name, "numFeatures", numFeatures);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    positiveEps(name, this.eps);
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1)) invalid(name, "momentum", this.momentum, "in [0, 1], or null for a cumulative average");
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    const affine = options.affine ?? true;
    this.weight = affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    const track = options.trackRunningStats ?? true;
    this.runningMean = track ? this.registerBuffer("runningMean", zeros([numFeatures], { dtype })) : null;
    this.runningVar = track ? this.registerBuffer("runningVar", ones([numFeatures], { dtype })) : null;
    this.numBatchesTracked = track ? this.registerBuffer("numBatchesTracked", zeros([], { dtype: "int32" })) : null;
  }

  /** Running mean back to 0, running variance to 1, the batch count to 0. */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.data.fill(0);
      this.runningVar?.data.fill(1);
      this.numBatchesTracked?.data.fill(0);
    });
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 2 && x.ndim !== 3) fail("BatchNorm1d", `expected 2-D [N, C] or 3-D [N, C, L] input, got ${fmtShape(x.shape)}`);
    checkChannels("BatchNorm1d", x, this.numFeatures, "[N, C] or [N, C, L]");
    const updating = this.training && this.numBatchesTracked !== null;
    // momentum null: the k-th batch gets weight 1/k, giving the plain average of all batch statistics.
    const momentum = this.momentum ?? (updating ? 1 / (this.numBatchesTracked!.data[0] + 1) : 0);
    const y = batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, {
      training: this.training || this.runningMean === null,
      momentum,
      eps: this.eps,
    });
    if (updating) this.numBatchesTracked!.data[0] += 1;
    return y;
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== null}, trackRunningStats=${this.runningMean !== null}`;
  }
}

export interface LayerNormOptions {
  eps?: number;
  /** Learn a weight and bias of shape normalizedShape; default true. */
  elementwiseAffine?: boolean;
  dtype?: DType;
}

/** Layer normalization over the last axes, those of `normalizedShape`, like torch.nn.LayerNorm. */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    if (this.normalizedShape.length === 0) fail("LayerNorm", "normalizedShape must have at least one size");
    this.normalizedShape.forEach((d) => positiveInt("LayerNorm", "each size of normalizedShape", d));
    this.eps = options.eps ?? 1e-5;
    positiveEps("LayerNorm", this.eps);
    const affine = options.elementwiseAffine ?? true;
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    this.weight = affine ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = affine ? new Parameter(zeros(this.normalizedShape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${fmtShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}

export interface GroupNormOptions {
  eps?: number;
  /** Learn one weight and bias per channel; default true. */
  affine?: boolean;
  dtype?: DType;
}

/** Group normalization over [N, C, ...]: channels split into numGroups groups, like torch.nn.GroupNorm. */
export class GroupNorm extends Module {
  readonly eps: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(readonly numGroups: number, readonly numChannels: number, options: GroupNormOptions = {}) {
    super();
    positiveInt("GroupNorm", "numGroups", numGroups);
    positiveInt("GroupNorm", "numChannels", numChannels);
    if (numChannels % numGroups !== 0) fail("GroupNorm", `numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    this.eps = options.eps ?? 1e-5;
    positiveEps("GroupNorm", this.eps);
    const affine = options.affine ?? true;
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    this.weight = affine ? new Parameter(ones([numChannels], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numChannels], { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    checkChannels("GroupNorm", x, this.numChannels, "[N, C, ...]");
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.weight !== null}`;
  }
}

/** Instance normalization of [N, C, L]: each sample's channel over its positions, like torch.nn.InstanceNorm1d (no running stats). */
export class InstanceNorm1d extends Module {
  readonly eps: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(readonly numFeatures: number, options: GroupNormOptions = {}) {
    super();
    const name = new.target.name; // InstanceNorm2d shares this constructor
    positiveInt(name, "numFeatures", numFeatures);
    this.eps = options.eps ?? 1e-5;
    positiveEps(name, this.eps);
    const affine = options.affine ?? false;
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    this.weight = affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 3) fail("InstanceNorm1d", `expected 3-D input [N, C, L], got ${fmtShape(x.shape)}`);
    checkChannels("InstanceNorm1d", x, this.numFeatures, "[N, C, L]");
    return instanceNorm(x, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, affine=${this.weight !== null}`;
  }
}
