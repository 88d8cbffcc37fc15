import { fail, fmtShape } from "../core/errors";
import { kernels } from "../backend";
import type { PoolWindows } from "../backend/pool";
import { record } from "../autograd/record";
import { empty, requireFloat } from "../ops/convert";
import type { Tensor } from "../tensor";
import { type Pair, pair } from "./conv-geometry";

/**
 * Pooling over the last two axes of [N, C, H, W] (or [C, H, W]): each output
 * summarizes one window of its channel, so a feature map shrinks while
 * its channels stay separate. Lesson: notebooks/src/11-convolutional-networks.ts §1 (pooling), §2 (receptive fields)
 */

export interface PoolOptions {
  /** Step between windows; default the kernel size (windows side by side). */
  stride?: Pair;
  /** Implicit padding on both sides (−∞ for max, 0 for average); at most half the kernel. Default 0. */
  padding?: Pair;
  /** Round the output size up instead of down (a last, partial window); default false. */
  ceilMode?: boolean;
}

export interface AvgPoolOptions extends PoolOptions {
  /** Count padded zeros in each window's divisor (default true, as torch). */
  countIncludePad?: boolean;
}

/** Planes (every leading axis), height and width of a pooling input. */
function planesOf(op: string, x: Tensor): [number, number, number] {
  if (x.ndim !== 3 && x.ndim !== 4) fail(op, `input must be 4-D [N, C, H, W] or 3-D [C, H, W], got ${fmtShape(x.shape)}`);
  requireFloat(op, x);
  const [height, width] = x.shape.slice(-2);
  return [x.size / (height * width), height, width];
}

/**
 * The windows along one axis of a size-`size` input: window o starts at
 * o·stride − padding and spans `kernel` positions. Its divisor counts the
 * positions inside the padded input (countIncludePad) or inside the input.
 * With ceilMode a last partial window is kept if it starts inside the input
 * or the left padding (torch's rule).
 */
function windows(op: string, axisName: string, size: number, kernel: number, stride: number, padding: number, ceilMode: boolean, countIncludePad: boolean): PoolWindows {
  if (2 * padding > kernel) fail(op, `padding ${padding} must be at most half the kernel size ${kernel} along ${axisName}`);
  const room = size + 2 * padding - kernel;
  if (room < 0) fail(op, `the kernel (${kernel}) is larger than the padded input along ${axisName} (${size} + 2·${padding}); use a smaller kernel or more padding`);
  let count = (ceilMode ? Math.ceil(room / stride) : Math.floor(room / stride)) + 1;
  if (ceilMode && (count - 1) * stride >= size + padding) count--;
  const w: PoolWindows = { start: new Int32Array(count), end: new Int32Array(count), divisor: new Float64Array(count) };
  for (let o = 0; o < count; o++) {
    const from = o * stride - padding;
    const to = Math.min(from + kernel, size + padding);
    w.start[o] = Math.max(from, 0);
    w.end[o] = Math.min(to, size);
    w.divisor[o] = countIncludePad ? to - from : w.end[o] - w.start[o];
  }
  return w;
}

/** Refuses a bad kernel size, stride or padding at construction, before any input is seen. */
export function checkPoolArguments(op: string, kernelSize: Pair, options: PoolOptions): void {
  const [kH, kW] = pair(op, "kernelSize", kernelSize, 1);
  pair(op, "stride", options.stride ?? kernelSize, 1);
  const [pH, pW] = pair(op, "padding", options.padding ?? 0, 0);
  if (2 * pH > kH || 2 * pW > kW) fail(op, `padding ${JSON.stringify(options.padding)} must be at most half the kernel size ${JSON.stringify(kernelSize)}`);
}

function poolWindows(op: string, x: Tensor, kernelSize: Pair, options: AvgPoolOptions): [PoolWindows, PoolWindows] {
  const [kH, kW] = pair(op, "kernelSize", kernelSize, 1);
  const [sH, sW] = pair(op, "stride", options.stride ?? kernelSize, 1);
  const [pH, pW] = pair(op, "padding", options.padding ?? 0, 0);
  const [height, width] = x.shape.slice(-2);
  const ceil = options.ceilMode ?? false;
  const include = options.countIncludePad ?? true;
  return [windows(op, "the height", height, kH, sH, pH, ceil, include), windows(op, "the width", width, kW, sW, pW, ceil, include)];
}

/**
 * Max pooling, like torch.nn.functional.max_pool2d: the largest value of each
 * window. Backward routes each output's gradient to the position that won
 * (the first, on ties); the others get 0.
 *
 *   maxPool2d(x, 2)   // [N, C, 28, 28] → [N, C, 14, 14]
 */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: PoolOptions = {}): Tensor {
  const [planes, height, width] = planesOf("maxPool2d", x);
  const [rows, cols] = poolWindows("maxPool2d", x, kernelSize, options);
  const out = empty([...x.shape.slice(0, -2), rows.start.length, cols.start.length], x.dtype);
  const arg = new Int32Array(out.size);
  const k = kernels();
  k.maxPool2d(x.data, planes, height, width, rows, cols, out.data, arg);
  return record("maxPool2d", [x], out, (g) => {
    const dx = empty(x.shape, x.dtype);
    k.maxPool2dBackward(g.data, arg, planes, height, width, dx.data);
    return [dx];
  });
}

/** Average of each window of [N, C, H, W], like torch.nn.functional.avg_pool2d; backward spreads g/divisor over the window. */
export function avgPool2d(x: Tensor, kernelSize: Pair, options: AvgPoolOptions = {}): Tensor {
  const [planes, height, width] = planesOf("avgPool2d", x);
  const [rows, cols] = poolWindows("avgPool2d", x, kernelSize, options);
  return averageOver("avgPool2d", x, planes, height, width, rows, cols);
}

/**
 * Adaptive average pooling to a fixed output size, like
 * torch.nn.functional.adaptive_avg_pool2d: output row o averages input rows
 * ⌊o·H/outH⌋ … ⌈(o+1)·H/outH⌉ − 1 (likewise columns), so any input size maps
 * to outputSize; 1 gives global average pooling, as at the end of a ResNet.
 * A null size keeps the input's.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  const [planes, height, width] = planesOf("adaptiveAvgPool2d", x);
  const [oH, oW] = typeof outputSize === "number" ? [outputSize, outputSize] : [outputSize[0] ?? height, outputSize[1] ?? width];
  for (const o of [oH, oW]) {
    if (!Number.isInteger(o) || o < 1) fail("adaptiveAvgPool2d", `outputSize must be positive integers, got ${JSON.stringify(outputSize)}`);
  }
  return averageOver("adaptiveAvgPool2d", x, planes, height, width, adaptiveWindows(height, oH), adaptiveWindows(width, oW));
}

function adaptiveWindows(size: number, count: number): PoolWindows {
  const w: PoolWindows = { start: new Int32Array(count), end: new Int32Array(count), divisor: new Float64Array(count) };
  for (let o = 0; o < count; o++) {
    w.start[o] = Math.floor((o * size) / count);
    w.end[o] = Math.ceil(((o + 1) * size) / count);
    w.divisor[o] = w.end[o] - w.start[o];
  }
  return w;
}

function averageOver(op: string, x: Tensor, planes: number, height: number, width: number, rows: PoolWindows, cols: PoolWindows): Tensor {
  const out = empty([...x.shape.slice(0, -2), rows.start.length, cols.start.length], x.dtype);
  const k = kernels();
  k.avgPool2d(x.data, planes, height, width, rows, cols, out.data);
  return record(op, [x], out, (g) => {
    const dx = empty(x.shape, x.dtype);
    k.avgPool2dBackward(g.data, planes, height, width, rows, cols, dx.data);
    return [dx];
  });
}
