import { promote } from "../core/dtype";
import { fail, fmtShape } from "../core/errors";
import { kernels } from "../backend";
import type { ConvShape } from "../backend/conv";
import { record } from "../autograd/record";
import { astype, empty, requireFloat } from "../ops/convert";
import { sum } from "../ops/reduce";
import { reshape } from "../ops/shape";
import type { Tensor } from "../tensor";
import { type ConvPadding, type Pair, outputSize, pair, sidePadding } from "./conv-geometry";
import { checkPositiveInteger } from "../core/validate";

export type { ConvPadding, Pair } from "./conv-geometry";

export interface Conv2dOptions {
  /** Step between window positions; default 1. */
  stride?: Pair;
  /** Zeros around the input: a size per side (default 0), "valid" (none) or "same" (output as large as the input; stride 1 only). */
  padding?: ConvPadding;
  /** Spacing between the kernel's taps (à trous); default 1. */
  dilation?: Pair;
  /** Split input and output channels into this many independent groups; default 1 (groups = C_in: depthwise). */
  groups?: number;
}

/**
 * 2-D convolution (strictly, cross-correlation, as in every framework), like
 * torch.nn.functional.conv2d: for x [N, C_in, H, W], weight
 * [C_out, C_in/groups, kH, kW] and bias [C_out],
 *
 *   out[n, co, oh, ow] = bias[co] + Σ_{c, ki, kj} weight[co, c, ki, kj] ·
 *                        x[n, g·C_in/groups + c, oh·sH − pT + ki·dH, ow·sW − pL + kj·dW]
 *
 * with g = co's group and zeros outside x. The output is [N, C_out, outH, outW],
 * outH = ⌊(H + padding − dH·(kH − 1) − 1) / sH⌋ + 1 (likewise outW).
 * Every output channel applies the same small kernel at every position:
 * weight sharing, C_out·C_in·kH·kW weights whatever the image size.
 * Lesson: notebooks/src/11-convolutional-networks.ts §1 (convolution as weight sharing), §2 (output sizes)
 *
 *   conv2d(x, weight, bias, { stride: 2, padding: 1 })   // [N, 3, 32, 32] → [N, C_out, 16, 16]
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  return convolution("conv2d", x, weight, bias ?? null, options);
}

export interface Conv1dOptions {
  stride?: number;
  padding?: number | "valid" | "same";
  dilation?: number;
  groups?: number;
}

/**
 * 1-D convolution over x [N, C_in, L] with weight [C_out, C_in/groups, k], like
 * torch.nn.functional.conv1d: conv2d on [N, C_in, 1, L] with a 1 × k kernel.
 */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv1dOptions = {}): Tensor {
  if (x.ndim !== 3) fail("conv1d", `input must be 3-D [N, C, L], got ${fmtShape(x.shape)}; for one sequence use x.unsqueeze(0)`);
  if (weight.ndim !== 3) fail("conv1d", `weight must be 3-D [C_out, C_in/groups, k], got ${fmtShape(weight.shape)}`);
  const padding = options.padding ?? 0;
  const out = convolution("conv1d", reshape(x, [x.shape[0], x.shape[1], 1, x.shape[2]]), reshape(weight, [weight.shape[0], weight.shape[1], 1, weight.shape[2]]), bias ?? null, {
    stride: [1, options.stride ?? 1],
    padding: typeof padding === "number" ? [0, padding] : padding,
    dilation: [1, options.dilation ?? 1],
    groups: options.groups,
  });
  return reshape(out, [out.shape[0], out.shape[1], out.shape[3]]);
}

/** Checks the shapes and options and works out where every window sits. */
function geometry(op: string, x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): ConvShape {
  if (x.ndim !== 4) fail(op, `input must be 4-D [N, C, H, W], got ${fmtShape(x.shape)}; for one image use x.unsqueeze(0)`);
  if (weight.ndim !== 4) fail(op, `weight must be 4-D [C_out, C_in/groups, kH, kW], got ${fmtShape(weight.shape)}`);
  requireFloat(op, x);
  const groups = options.groups ?? 1;
  const [batch, channels, height, width] = x.shape;
  const [outChannels, perGroup, kernelH, kernelW] = weight.shape;
  checkPositiveInteger(op, "groups", groups);
  if (channels % groups !== 0 || outChannels % groups !== 0) {
    fail(op, `groups (${groups}) must divide both the input channels (${channels}) and the output channels (${outChannels})`);
  }
  if (perGroup * groups !== channels) {
    fail(op, `input ${fmtShape(x.shape)} has ${channels} channels but weight ${fmtShape(weight.shape)} with groups=${groups} expects ${perGroup * groups} (weight.shape[1] · groups)`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outChannels)) fail(op, `bias must be [${outChannels}] (one per output channel), got ${fmtShape(bias.shape)}`);
  const padding = options.padding ?? 0;
  const [strideH, strideW] = pair(op, "stride", options.stride ?? 1, 1);
  const [dilationH, dilationW] = pair(op, "dilation", options.dilation ?? 1, 1);
  if (padding === "same" && (strideH !== 1 || strideW !== 1)) fail(op, `padding "same" needs stride 1, got stride [${strideH},${strideW}]; pad explicitly for strided convolutions`);
  if (typeof padding === "string" && padding !== "same" && padding !== "valid") fail(op, `padding must be a number, a pair, "valid" or "same", got "${padding}"`);
  const [padTop, padBottom] = sidePadding(padding, 0, kernelH, dilationH, op);
  const [padLeft, padRight] = sidePadding(padding, 1, kernelW, dilationW, op);
  const outH = outputSize(op, "the height", height, padTop, padBottom, kernelH, dilationH, strideH);
  const outW = outputSize(op, "the width", width, padLeft, padRight, kernelW, dilationW, strideW);
  return {
    batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW, groups, outChannels,
  };
}

/**
 * NOTE: a primitive (its own backward) for speed: convolution is computed as
 * matrix products, x unfolded into columns (im2col) so that forward, input
 * gradient and weight gradient are each one product per group, on the SIMD
 * matrix kernels with their helper threads. The kernels (backend/conv.ts for
 * the reference, which spells the products out; backend/wasm/conv.ts) take
 * the tensors' flat arrays; the backward rule below only routes gradients.
 */
function convolution(op: string, x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): Tensor {
  const g = geometry(op, x, weight, bias, options);
  const dtype = promote(promote(x.dtype, weight.dtype), bias?.dtype ?? weight.dtype);
  // Tensors, not their arrays, for the backward rule: reading one that tidy() has freed since throws, never shows stale values.
  const xs = astype(x, dtype);
  const ws = astype(weight, dtype);
  const B = bias === null ? null : astype(bias, dtype).data;
  const out = empty([g.batch, g.outChannels, g.outH, g.outW], dtype);
  kernels().conv2d(xs.data, ws.data, B, g, out.data);

  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(op, inputs, out, (grad) => {
    const dWeight = weight.requiresGrad ? empty(weight.shape, dtype) : null;
    const dx = x.requiresGrad ? empty(x.shape, dtype) : null;
    if (dWeight || dx) kernels().conv2dBackward(xs.data, ws.data, grad.data, g, dx?.data ?? null, dWeight?.data ?? null);
    const dBias = bias?.requiresGrad ? sum(grad, [0, 2, 3]) : null;
    return bias ? [dx, dWeight, dBias] : [dx, dWeight];
  });
}
