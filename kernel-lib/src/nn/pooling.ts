import type { Tensor } from "../tensor";
import type { Pair } from "../functional/conv-geometry";
import { type AvgPoolOptions, type PoolOptions, adaptiveAvgPool2d, avgPool2d, checkPoolArguments, maxPool2d } from "../functional/pooling";
import { Module } from "./module";

/**
 * Pooling layers (no parameters), like torch.nn's; the math is in
 * F.maxPool2d, F.avgPool2d and F.adaptiveAvgPool2d.
 * Lesson: notebooks/src/11-convolutional-networks.ts §1 (pooling), §2 (receptive fields)
 */

/** The largest value of each kernelSize window (stride defaults to kernelSize): new MaxPool2d(2) halves H and W. */
export class MaxPool2d extends Module {
  constructor(readonly kernelSize: Pair, readonly options: PoolOptions = {}) {
    super();
    checkPoolArguments("MaxPool2d", kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(this.options.stride ?? this.kernelSize)}, padding=${JSON.stringify(this.options.padding ?? 0)}`;
  }
}

/** The mean of each kernelSize window (padding counted in the divisor unless countIncludePad is false). */
export class AvgPool2d extends Module {
  constructor(readonly kernelSize: Pair, readonly options: AvgPoolOptions = {}) {
    super();
    checkPoolArguments("AvgPool2d", kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(this.options.stride ?? this.kernelSize)}, padding=${JSON.stringify(this.options.padding ?? 0)}`;
  }
}

/** Averages down to a fixed outputSize whatever the input size; new AdaptiveAvgPool2d(1) is global average pooling. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | readonly [number | null, number | null]) {
    super();
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}
