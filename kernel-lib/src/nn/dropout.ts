import type { Generator } from "../core/random";
import type { Tensor } from "../tensor";
import { alphaDropout, checkDropoutProbability, dropout } from "../functional/dropout";
import { dropout2d } from "../functional/dropout2d";
import { Module } from "./module";

export interface DropoutModuleOptions {
  generator?: Generator;
}

/**
 * Inverted dropout while training (zero with probability p, scale the rest by
 * 1/(1 − p)), the identity in evaluation mode; like torch.nn.Dropout.
 * p defaults to 0.5 and must be in [0, 1].
 * Lesson: notebooks/src/08-regularization.ts §5 (dropout)
 */
export class Dropout extends Module {
  private readonly generator: Generator | undefined;

  constructor(readonly p = 0.5, options: DropoutModuleOptions = {}) {
    super();
    checkDropoutProbability("Dropout", p);
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Alpha dropout for SELU networks (keeps mean 0, variance 1) while training; identity in evaluation. See F.alphaDropout. */
export class AlphaDropout extends Module {
  private readonly generator: Generator | undefined;

  constructor(readonly p = 0.5, options: DropoutModuleOptions = {}) {
    super();
    checkDropoutProbability("AlphaDropout", p);
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    return alphaDropout(x, this.p, { training: this.training, generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Zeroes whole channels of [N, C, H, W] while training (probability p, kept ones scaled by 1/(1 − p)); identity in evaluation. See F.dropout2d. */
export class Dropout2d extends Module {
  private readonly generator: Generator | undefined;

  constructor(readonly p = 0.5, options: DropoutModuleOptions = {}) {
    super();
    checkDropoutProbability("Dropout2d", p);
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, { training: this.training, generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
