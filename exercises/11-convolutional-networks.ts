import { notImplemented } from "./support";
/**
 * Lesson 11 exercises: convolution, pooling and spatial batch norm from
 * scratch, on plain arrays. Replace each `notImplemented(…)` with your code,
 * then run `npm run check -- 11`.
 *
 * Layout: a batch of images `x` is indexed x[n][c][h][w] (sample, channel,
 * row, column), like an [N, C, H, W] tensor; a conv weight w[co][ci][i][j]
 * like PyTorch's [C_out, C_in, kH, kW].
 */

export type Images = number[][][][];

/**
 * 11.1 Output length of a convolution or pooling along one axis:
 *
 *   out = ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1
 *
 * (dilation defaults to 1, so the span of the kernel is just `kernel`).
 * Example: size 28, kernel 3, padding 1, stride 1 → 28; then a 2×2 pool with
 * stride 2 → 14.
 */
export function convOutputSize(size: number, kernel: number, stride = 1, padding = 0, dilation = 1): number {
  return notImplemented("convOutputSize", "the window's span is dilation·(kernel − 1) + 1; count how many stride steps fit in the padded input after the first window");
}

/**
 * 11.2 2-D convolution (cross-correlation, as in every framework) with zero padding:
 *
 *   out[n][co][oh][ow] = bias[co] + Σ_{ci, i, j} w[co][ci][i][j] · x[n][ci][oh·stride − padding + i][ow·stride − padding + j]
 *
 * where positions outside the image count as 0. bias may be null (no bias).
 * The output is [N][C_out][outH][outW] with outH from convOutputSize.
 * Do not modify the inputs.
 */
export function conv2dForward(x: Images, w: Images, bias: readonly number[] | null, stride = 1, padding = 0): Images {
  return notImplemented("conv2dForward", "six nested loops (n, co, oh, ow, then ci, i, j); skip the terms whose row or column falls outside [0, H) or [0, W)");
}

export interface MaxPoolForward {
  out: Images;
  /** For each output, the [row, column] in the input where its maximum was found (the first one on ties). */
  argmax: [number, number][][][][];
}

/**
 * 11.3 Max pooling without padding: out[n][c][oh][ow] is the largest value of
 * the kernel × kernel window starting at row oh·stride, column ow·stride
 * (stride defaults to kernel: windows side by side). Record where each
 * maximum came from (the first position in row-major order on ties).
 */
export function maxPool2dForward(x: Images, kernel: number, stride = kernel): MaxPoolForward {
  return notImplemented("maxPool2dForward", "for each window, keep the best value and its [ih, iw]; replace only on a strictly larger value so the first maximum wins");
}

/**
 * 11.4 Max pooling's backward: each output gradient dout[n][c][oh][ow] flows
 * to the input position that won its window (argmax); every other input gets
 * 0. A position that won several overlapping windows receives the sum.
 * `inputShape` is [N, C, H, W] of the pooled input.
 */
export function maxPool2dBackward(dout: Images, argmax: [number, number][][][][], inputShape: readonly [number, number, number, number]): Images {
  return notImplemented("maxPool2dBackward", "start from zeros of inputShape and ADD (+=) each dout value at its argmax position");
}

export interface ChannelStats {
  mean: number[];
  variance: number[];
}

/**
 * 11.5 BatchNorm2d's training statistics: for each channel c, the mean and
 * the BIASED variance (divide by m) over all m = N·H·W values of that channel,
 * i.e. over the batch AND every position:
 *
 *   mean[c]     = (1/m) Σ_{n,h,w} x[n][c][h][w]
 *   variance[c] = (1/m) Σ_{n,h,w} (x[n][c][h][w] − mean[c])²
 */
export function batchNorm2dStats(x: Images): ChannelStats {
  return notImplemented("batchNorm2dStats", "one pass to sum each channel over n, h and w, divide by N·H·W; a second pass for the squared deviations");
}

/** One layer of a conv stack: a convolution (bias by default) or a max pool (stride = kernel by default). */
export type StackLayer =
  | { kind: "conv"; outChannels: number; kernel: number; stride?: number; padding?: number; bias?: boolean }
  | { kind: "pool"; kernel: number; stride?: number };

export interface StackSummary {
  /** [C, H, W] after each layer, in order. */
  shapes: [number, number, number][];
  /** Learnable numbers in all the convolutions: C_out·C_in·k·k (+ C_out with a bias) each. */
  parameters: number;
}

/**
 * 11.6 Shapes and parameter count of a stack of convolutions and pools on an
 * input of shape [C, H, W] (one image). A convolution changes the channels to
 * outChannels and each spatial size by convOutputSize; a pool keeps the
 * channels. Pools have no parameters.
 */
export function convStackSummary(input: readonly [number, number, number], layers: readonly StackLayer[]): StackSummary {
  return notImplemented("convStackSummary", "walk the layers keeping the current [C, H, W]; a conv adds outChannels·C·k·k weights plus outChannels biases");
}
