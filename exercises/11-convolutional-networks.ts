import { notImplemented } from "./support";
/**
 * Lesson 11 exercises: convolution, pooling and spatial batch norm from
 * scratch, on plain arrays. Replace each `notImplemented(…)` with your code,
 * then run `npm run check -- 11`.
 *
 * Layout: a batch of images `x` is indexed x[n][c][h][w] (sample, channel,
 * row, column), like an [N, C, H, W] tensor; a conv weight w[co][ci][i][j]
 * like PyTorch's [C_out, C_in, kH, kW]. No function changes its arguments:
 * each one builds new arrays for its results.
 */
/*
 * Write these yourself: the grader checks, and a function that takes a shortcut scores 0.
 * - Without kernel-lib (plain numbers and arrays; its types are fine): convOutputSize, conv2dForward, maxPool2dForward, maxPool2dBackward, batchNorm2dStats, convStackSummary.
 */

export type Images = number[][][][];

/** [row, column] positions in the input, one per pooled output: [N][C][outH][outW]. */
export type Positions = [number, number][][][][];

/**
 * 11.1 Output length of a convolution or pooling along one axis:
 *
 *   out = ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1
 *
 * (dilation defaults to 1, so the span of the kernel is just `kernel`).
 * Example: size 28, kernel 3, padding 1, stride 1 → 28; then a 2×2 pool with
 * stride 2 → 14. A window that does not fit entirely is dropped (floor).
 *
 * Throws an Error, naming the sizes, when the window is larger than the
 * padded input (there would be no output at all), as PyTorch refuses it.
 */
export function convOutputSize(size: number, kernel: number, stride = 1, padding = 0, dilation = 1): number {
  return notImplemented("convOutputSize", "the window's span is dilation·(kernel − 1) + 1; refuse a span larger than size + 2·padding, else count how many stride steps fit after the first window");
}

/**
 * 11.2 2-D convolution (cross-correlation, as in every framework) with zero padding:
 *
 *   out[n][co][oh][ow] = bias[co] + Σ_{ci, i, j} w[co][ci][i][j] · x[n][ci][oh·stride − padding + i][ow·stride − padding + j]
 *
 * where positions outside the image count as 0. bias may be null (no bias).
 * The output is [N][C_out][outH][outW] with outH = convOutputSize(H, kH,
 * stride, padding) and outW likewise. Kernels and images need not be square.
 *
 * Throws an Error when w's input channels (w[co].length) differ from x's
 * channels (x[n].length), and (as convOutputSize) when the kernel does not
 * fit in the padded image.
 */
export function conv2dForward(x: Images, w: Images, bias: readonly number[] | null, stride = 1, padding = 0): Images {
  return notImplemented("conv2dForward", "check the channels first; then six nested loops (n, co, oh, ow, then ci, i, j), skipping the terms whose row or column falls outside [0, H) or [0, W)");
}

export interface MaxPoolForward {
  out: Images;
  /** For each output, the [row, column] in the INPUT where its maximum was found (the first one on ties). */
  argmax: Positions;
}

/**
 * 11.3 Max pooling without padding: out[n][c][oh][ow] is the largest value of
 * the kernel × kernel window starting at row oh·stride, column ow·stride
 * (stride defaults to kernel: windows side by side). The output size is
 * convOutputSize(H, kernel, stride) (a window that does not fit is dropped).
 *
 * argmax records where each maximum came from. Ties: the window is read row
 * by row, top to bottom, each row left to right, and the FIRST position
 * holding the maximum wins (as in PyTorch), e.g. [[0, 7], [7, 7]] → [0, 1].
 * Throws an Error (as convOutputSize) when the kernel is larger than the image.
 */
export function maxPool2dForward(x: Images, kernel: number, stride = kernel): MaxPoolForward {
  return notImplemented("maxPool2dForward", "for each window, keep the best value and its [ih, iw]; read rows in the outer loop and replace only on a strictly larger value, so the first maximum wins");
}

/**
 * 11.4 Max pooling's backward: each output gradient dout[n][c][oh][ow] flows
 * to the input position that won its window, argmax[n][c][oh][ow] = [row,
 * column] (as maxPool2dForward returns it); every other input gets 0. With
 * overlapping windows (stride < kernel) one position can win several
 * windows: it receives the SUM of their gradients.
 * `inputShape` is [N, C, H, W] of the pooled input; dx has that shape.
 */
export function maxPool2dBackward(dout: Images, argmax: Positions, inputShape: readonly [number, number, number, number]): Images {
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
 *
 * Both arrays have C entries. A batch of one image (N = 1) is fine: each
 * channel still has H·W values; a constant channel has variance 0.
 */
export function batchNorm2dStats(x: Images): ChannelStats {
  return notImplemented("batchNorm2dStats", "one pass to sum each channel over n, h and w, divide by N·H·W; a second pass for the squared deviations");
}

/** One layer of a conv stack: a square convolution (bias by default) or a square max pool (stride = kernel by default). */
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
 * input of shape [C, H, W] (one image). A convolution (stride 1, padding 0
 * and a bias unless the layer says otherwise) changes the channels to
 * outChannels and each spatial size by convOutputSize; its C_in is the
 * channel count reaching it. A pool keeps the channels and has no
 * parameters. Throws an Error naming the layer (its index) when a layer's
 * window does not fit the input it receives.
 */
export function convStackSummary(input: readonly [number, number, number], layers: readonly StackLayer[]): StackSummary {
  return notImplemented("convStackSummary", "walk the layers keeping the current [C, H, W]; a conv adds outChannels·C·k·k weights plus outChannels biases (unless bias is false)");
}
