import { type DType, DEFAULT_DTYPE } from "../core/dtype";
import { fail } from "../core/errors";
import type { Generator } from "../core/random";
import { empty } from "../ops/convert";
import { Tensor } from "../tensor";
import { type ConvPadding, type Pair, conv1d, conv2d } from "../functional/conv";
import { pair } from "../functional/conv-geometry";
import { torchDefaultInit } from "./linear";
import { Module } from "./module";
import { Parameter } from "./parameter";
import { checkPositiveInteger } from "../core/validate";

export interface Conv2dModuleOptions {
  /** Step between window positions; default 1. */
  stride?: Pair;
  /** Zeros around the input per side (default 0), "valid" or "same" (stride 1 only). */
  padding?: ConvPadding;
  /** Spacing between kernel taps; default 1. */
  dilation?: Pair;
  /** Independent channel groups; default 1 (inChannels: depthwise). */
  groups?: number;
  /** Learn an additive bias per output channel (default true; false before a BatchNorm2d, which has its own shift). */
  bias?: boolean;
  dtype?: DType;
  /** Source of the initial weights (default: the default generator). */
  generator?: Generator;
}

function checkConvArguments(op: string, inChannels: number, outChannels: number, groups: number): void {
  checkPositiveInteger(op, "inChannels", inChannels);
  checkPositiveInteger(op, "outChannels", outChannels);
  checkPositiveInteger(op, "groups", groups);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    fail(op, `groups (${groups}) must divide inChannels (${inChannels}) and outChannels (${outChannels})`);
  }
}

/**
 * A 2-D convolution layer, like torch.nn.Conv2d: weight
 * [outChannels, inChannels/groups, kH, kW] and bias [outChannels]; the math is
 * in F.conv2d. Default initialization is PyTorch's (as nn.Linear):
 * kaimingUniform_ with a = √5, i.e. U(−1/√fanIn, 1/√fanIn) for weight and
 * bias, where fanIn = inChannels/groups · kH · kW (each output sees that many
 * inputs). Lesson: notebooks/src/11-convolutional-networks.ts §1 (convolution), §2 (output sizes)
 *
 *   const conv = new Conv2d(1, 32, 3, { padding: 1 });
 *   conv.call(x);   // [N, 1, 28, 28] → [N, 32, 28, 28]
 */
export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: Pair;
  readonly padding: ConvPadding;
  readonly dilation: Pair;
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, options: Conv2dModuleOptions = {}) {
    super();
    this.groups = options.groups ?? 1;
    checkConvArguments("Conv2d", inChannels, outChannels, this.groups);
    this.kernelSize = pair("Conv2d", "kernelSize", kernelSize, 1);
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    this.weight = new Parameter(empty([outChannels, inChannels / this.groups, ...this.kernelSize], dtype));
    this.bias = options.bias ?? true ? new Parameter(empty([outChannels], dtype)) : null;
    this.resetParameters(options.generator);
  }

  /** Draws fresh initial values (the default init described above). */
  resetParameters(generator?: Generator): void {
    torchDefaultInit(this.weight, this.bias, generator);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    const [kH, kW] = this.kernelSize;
    const show = (v: ConvPadding) => (typeof v === "string" ? `"${v}"` : JSON.stringify(v));
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${kH},${kW}], stride=${show(this.stride)}, padding=${show(this.padding)}` +
      (this.dilation !== 1 ? `, dilation=${show(this.dilation)}` : "") + (this.groups !== 1 ? `, groups=${this.groups}` : "") + `, bias=${this.bias !== null}`;
  }
}

export interface Conv1dModuleOptions {
  stride?: number;
  padding?: number | "valid" | "same";
  dilation?: number;
  groups?: number;
  bias?: boolean;
  dtype?: DType;
  generator?: Generator;
}

/** A 1-D convolution layer over [N, C, L], like torch.nn.Conv1d: weight [outChannels, inChannels/groups, kernelSize]; init as Conv2d. */
export class Conv1d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(readonly inChannels: number, readonly outChannels: number, readonly kernelSize: number, readonly options: Conv1dModuleOptions = {}) {
    super();
    checkConvArguments("Conv1d", inChannels, outChannels, options.groups ?? 1);
    checkPositiveInteger("Conv1d", "kernelSize", kernelSize);
    // The same initialization as a 1 × k Conv2d, whose parameters we take (reshaped).
    const conv = new Conv2d(inChannels, outChannels, [1, kernelSize], { ...options, stride: undefined, padding: undefined, dilation: undefined });
    this.weight = new Parameter(new Tensor(conv.weight.data, [outChannels, inChannels / conv.groups, kernelSize]));
    this.bias = conv.bias ? new Parameter(conv.bias) : null;
  }

  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, groups } = this.options;
    return conv1d(x, this.weight, this.bias, { stride, padding, dilation, groups });
  }

  override extraRepr(): string {
    const { stride = 1, padding = 0, groups = 1 } = this.options;
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}, stride=${stride}, padding=${JSON.stringify(padding)}` +
      (groups !== 1 ? `, groups=${groups}` : "") + `, bias=${this.bias !== null}`;
  }
}
