import type { Tensor } from "../tensor";
import {
  type BinaryCrossEntropyOptions, type BinaryCrossEntropyWithLogitsOptions, type ClassTarget,
  type CrossEntropyOptions, type HuberLossOptions, type LossOptions, type NllLossOptions, type Reduction,
  type SmoothL1LossOptions, binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, huberLoss, l1Loss, mseLoss, nllLoss,
  smoothL1Loss,
} from "../functional/losses";
import { type KlDivOptions, type KlDivReduction, klDiv } from "../functional/kl-div";
import { Module } from "./module";
import { checkNonNegative, checkOneOf, checkPositive, checkUnitInterval } from "../core/validate";

/**
 * Loss functions as modules, like torch.nn.MSELoss and friends: they hold the
 * options (checked here, at construction) and call the function of the same
 * name in `F`, where the formulas are. Called as `lossFn.call(yHat, y)`.
 * Per-class weights are buffers, as in PyTorch, so they follow stateDict().
 */

function checkReduction(op: string, reduction: Reduction | undefined): Reduction {
  const r = reduction ?? "mean";
  checkOneOf(op, "reduction", r, ["mean", "sum", "none"]);
  return r;
}

/** Mean squared error between prediction and target (same shape). */
export class MSELoss extends Module<[Tensor, Tensor]> {
  readonly reduction: Reduction;
  constructor(options: LossOptions = {}) {
    super();
    this.reduction = checkReduction("MSELoss", options.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
  override extraRepr(): string { return `reduction=${this.reduction}`; }
}

/** Mean absolute error between prediction and target (same shape). */
export class L1Loss extends Module<[Tensor, Tensor]> {
  readonly reduction: Reduction;
  constructor(options: LossOptions = {}) {
    super();
    this.reduction = checkReduction("L1Loss", options.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
  override extraRepr(): string { return `reduction=${this.reduction}`; }
}

/** Huber loss: quadratic within `delta` (default 1) of the target, linear beyond. */
export class HuberLoss extends Module<[Tensor, Tensor]> {
  readonly reduction: Reduction;
  readonly delta: number;
  constructor(options: HuberLossOptions = {}) {
    super();
    this.reduction = checkReduction("HuberLoss", options.reduction);
    this.delta = options.delta ?? 1;
    checkPositive("HuberLoss", "delta", this.delta);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
  override extraRepr(): string { return `reduction=${this.reduction}, delta=${this.delta}`; }
}

/** Smooth L1 (Huber divided by beta, so its slope far from 0 is 1 for every beta); see F.smoothL1Loss. */
export class SmoothL1Loss extends Module<[Tensor, Tensor]> {
  readonly reduction: Reduction;
  readonly beta: number;
  constructor(options: SmoothL1LossOptions = {}) {
    super();
    this.reduction = checkReduction("SmoothL1Loss", options.reduction);
    this.beta = options.beta ?? 1;
    checkNonNegative("SmoothL1Loss", "beta", this.beta);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
  override extraRepr(): string { return `reduction=${this.reduction}, beta=${this.beta}`; }
}

/** KL divergence of the target distribution from the input's (log-probabilities first); see F.klDiv. */
export class KLDivLoss extends Module<[Tensor, Tensor]> {
  readonly reduction: KlDivReduction;
  readonly logTarget: boolean;
  constructor(options: KlDivOptions = {}) {
    super();
    this.reduction = options.reduction ?? "mean";
    checkOneOf("KLDivLoss", "reduction", this.reduction, ["mean", "batchmean", "sum", "none"]);
    this.logTarget = options.logTarget ?? false;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
  override extraRepr(): string { return `reduction=${this.reduction}, logTarget=${this.logTarget}`; }
}

/** Cross-entropy of logits [N, C] against class indices or class probabilities; see F.crossEntropy. */
export class CrossEntropyLoss extends Module<[Tensor, ClassTarget]> {
  readonly reduction: Reduction;
  readonly labelSmoothing: number;
  readonly ignoreIndex: number;
  readonly weight: Tensor | undefined;

  constructor(options: CrossEntropyOptions = {}) {
    super();
    this.reduction = checkReduction("CrossEntropyLoss", options.reduction);
    this.labelSmoothing = options.labelSmoothing ?? 0;
    checkUnitInterval("CrossEntropyLoss", "labelSmoothing", this.labelSmoothing);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.weight = options.weight ? this.registerBuffer("weight", options.weight) : undefined;
  }
  forward(input: Tensor, target: ClassTarget): Tensor {
    return crossEntropy(input, target, {
      reduction: this.reduction, labelSmoothing: this.labelSmoothing, ignoreIndex: this.ignoreIndex, weight: this.weight,
    });
  }
  override extraRepr(): string { return `reduction=${this.reduction}, labelSmoothing=${this.labelSmoothing}`; }
}

/** Negative log-likelihood of class indices given log-probabilities (pair with LogSoftmax); see F.nllLoss. */
export class NLLLoss extends Module<[Tensor, ClassTarget]> {
  readonly reduction: Reduction;
  readonly ignoreIndex: number;
  readonly weight: Tensor | undefined;

  constructor(options: NllLossOptions = {}) {
    super();
    this.reduction = checkReduction("NLLLoss", options.reduction);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.weight = options.weight ? this.registerBuffer("weight", options.weight) : undefined;
  }
  forward(input: Tensor, target: ClassTarget): Tensor {
    return nllLoss(input, target, { reduction: this.reduction, ignoreIndex: this.ignoreIndex, weight: this.weight });
  }
  override extraRepr(): string { return `reduction=${this.reduction}`; }
}

/** Binary cross-entropy on logits (stable; the one to use); see F.binaryCrossEntropyWithLogits. */
export class BCEWithLogitsLoss extends Module<[Tensor, Tensor]> {
  readonly reduction: Reduction;
  readonly weight: Tensor | undefined;
  readonly posWeight: Tensor | undefined;

  constructor(options: BinaryCrossEntropyWithLogitsOptions = {}) {
    super();
    this.reduction = checkReduction("BCEWithLogitsLoss", options.reduction);
    this.weight = options.weight ? this.registerBuffer("weight", options.weight) : undefined;
    this.posWeight = options.posWeight ? this.registerBuffer("posWeight", options.posWeight) : undefined;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
  override extraRepr(): string { return `reduction=${this.reduction}`; }
}

/** Binary cross-entropy on probabilities in [0, 1]; see F.binaryCrossEntropy. */
export class BCELoss extends Module<[Tensor, Tensor]> {
  readonly reduction: Reduction;
  readonly weight: Tensor | undefined;

  constructor(options: BinaryCrossEntropyOptions = {}) {
    super();
    this.reduction = checkReduction("BCELoss", options.reduction);
    this.weight = options.weight ? this.registerBuffer("weight", options.weight) : undefined;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
  override extraRepr(): string { return `reduction=${this.reduction}`; }
}
