import { type DType } from "../core/dtype";
import type { Generator } from "../core/random";
import { relu } from "../ops/elementwise";
import type { Tensor } from "../tensor";
import { Sequential } from "./containers";
import { Conv2d } from "./conv";
import { Module } from "./module";
import { BatchNorm2d } from "./normalization-2d";
import { Residual } from "./residual";
import { ReLU } from "./activation";
import { checkOneOf } from "../core/validate";

export interface ResidualBlockOptions {
  /** Stride of the first convolution (2 halves H and W); default 1. */
  stride?: number;
  /**
   * The skip path: "auto" (default) projects with a 1×1 convolution and
   * BatchNorm2d only when the shape changes (stride ≠ 1 or new channel count),
   * "always" projects every time; with the identity the shapes must match.
   */
  projection?: "auto" | "always";
  /** false builds the same layers without the skip connection (for comparing); default true. */
  skip?: boolean;
  dtype?: DType;
  generator?: Generator;
}

/**
 * ResNet's basic block (He et al., 2016):
 *
 *   y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))
 *
 * with 3×3 convolutions (padding 1, no bias: batch norm's shift replaces it)
 * and shortcut(x) = x, or bn(conv1×1(x)) with the block's stride when the
 * shape changes. The skip gives the gradient a path around both
 * convolutions (∂y/∂x = I + …), which is what lets deep stacks train.
 * Lesson: notebooks/src/11-convolutional-networks.ts §4 (residual networks)
 *
 *   new ResidualBlock(32, 64, { stride: 2 })   // [N, 32, 28, 28] → [N, 64, 14, 14]
 */
export class ResidualBlock extends Module {
  readonly body: Module;
  readonly skip: boolean;

  constructor(readonly inChannels: number, readonly outChannels: number, options: ResidualBlockOptions = {}) {
    super();
    const stride = options.stride ?? 1;
    const projection = options.projection ?? "auto";
    checkOneOf("ResidualBlock", "projection", projection, ["auto", "always"]);
    const { dtype, generator } = options;
    const inner = new Sequential(
      new Conv2d(inChannels, outChannels, 3, { stride, padding: 1, bias: false, dtype, generator }),
      new BatchNorm2d(outChannels, { dtype }),
      new ReLU(),
      new Conv2d(outChannels, outChannels, 3, { padding: 1, bias: false, dtype, generator }),
      new BatchNorm2d(outChannels, { dtype }),
    );
    this.skip = options.skip ?? true;
    const project = projection === "always" || stride !== 1 || inChannels !== outChannels;
    this.body = !this.skip
      ? inner
      : new Residual(inner, {
        projection: project
          ? new Sequential(new Conv2d(inChannels, outChannels, 1, { stride, bias: false, dtype, generator }), new BatchNorm2d(outChannels, { dtype }))
          : undefined,
      });
  }

  forward(x: Tensor): Tensor {
    return relu(this.body.call(x));
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, skip=${this.skip}`;
  }
}
