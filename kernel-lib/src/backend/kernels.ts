import type { TypedArray } from "../core/dtype";
import type { Shape } from "../core/shape";
import type { ConvGeometry, ConvShape } from "./conv";
import type { PoolWindows } from "./pool";

export type { ConvGeometry, ConvShape } from "./conv";
export type { PoolWindows } from "./pool";

/**
 * The narrow interface between the tensor layer and the number crunching.
 *
 * Autograd and layers never loop over elements themselves: they call these
 * kernels on flat typed arrays. A faster backend (WebAssembly SIMD, threads)
 * replaces this object without touching anything above it.
 *
 * Index maps: where shapes broadcast, `index[i]` is the flat position in the
 * operand that feeds output position `i`; `null` means "the same position".
 */
export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "eq" | "ne" | "lt" | "le" | "gt" | "ge"
  /** a · (b > 0 ? 1 : 0): relu's backward, g · step(x), in one pass. */
  | "reluBackward";

export type UnaryOp =
  | "neg" | "exp" | "log" | "sqrt" | "abs" | "sign" | "sin" | "cos"
  | "tanh" | "sigmoid" | "relu" | "step" | "erf" | "log1p" | "expm1" | "softplus"
  | "isnan" | "floor" | "round";

export interface Kernels {
  /** For each output position, the source position of an operand broadcast from `from` to `to`. */
  broadcastIndex(from: Shape, to: Shape): Int32Array | null;
  binary(op: BinaryOp, a: TypedArray, ia: Int32Array | null, b: TypedArray, ib: Int32Array | null, out: TypedArray): void;
  unary(op: UnaryOp, x: TypedArray, out: TypedArray): void;
  /** out = clamp(x, lo, hi); either bound may be ±Infinity. */
  clamp(x: TypedArray, lo: number, hi: number, out: TypedArray): void;
  /** out = cond ≠ 0 ? a : b, each read through its index map. */
  where(cond: TypedArray, ic: Int32Array | null, a: TypedArray, ia: Int32Array | null, b: TypedArray, ib: Int32Array | null, out: TypedArray): void;
  /** out[map[i]] += x[i]; `out` must start at zero. */
  sumInto(x: TypedArray, map: Int32Array | null, out: TypedArray): void;
  /** out[map[i]] = max(out[map[i]], x[i]) and argOut records the winning position along the reduced axes. */
  maxInto(x: TypedArray, map: Int32Array | null, out: TypedArray, arg: Int32Array | null, sign: 1 | -1): void;
  /**
   * General matrix product out[m×n] = op(A)[m×k] · op(B)[k×n] (+ out when accumulate),
   * where op(A) reads A transposed when `transA`. Offsets select a matrix in a batch.
   */
  gemm(
    a: TypedArray, aOff: number, transA: boolean,
    b: TypedArray, bOff: number, transB: boolean,
    out: TypedArray, outOff: number,
    m: number, k: number, n: number, accumulate: boolean,
  ): void;
  /** For every position of `shape` (row-major), the flat offset offset + Σ index·strides into a strided source. */
  stridedIndex(offset: number, strides: readonly number[], shape: Shape): Int32Array;
  /** Copies a strided view (offset, strides, shape) of `src` into contiguous `out`. */
  stridedCopy(src: TypedArray, offset: number, strides: readonly number[], shape: Shape, out: TypedArray): void;

  // ---- fused primitives (see fused.ts); x is viewed as [outer, channels, inner] ----
  /** Per-channel mean and biased variance. */
  channelMoments(x: TypedArray, channels: number, inner: number, mean: Float64Array, variance: Float64Array): void;
  /** out = (x − mean[c])·invStd[c]·weight[c] + bias[c] (null weight: 1, null bias: 0). */
  channelNormalize(
    x: TypedArray, channels: number, inner: number, mean: Float64Array, invStd: Float64Array,
    weight: TypedArray | null, bias: TypedArray | null, out: TypedArray,
  ): void;
  /** Batch norm's input, weight and bias gradients in two passes (null outputs are skipped). */
  batchNormBackward(
    g: TypedArray, x: TypedArray, channels: number, inner: number, mean: Float64Array, invStd: Float64Array,
    weight: TypedArray | null, training: boolean, dx: TypedArray | null, dWeight: TypedArray | null, dBias: TypedArray | null,
  ): void;

  // ---- convolution and pooling (conv.ts, pool.ts); images are [N, C, H, W] ----
  /** Unfolds x into columns [C·kH·kW, N·outH·outW] (zeros in the padding): convolution becomes one product. */
  im2col(x: TypedArray, geometry: ConvGeometry, cols: TypedArray): void;
  /** The adjoint of im2col: adds columns back onto the positions they were read from; dx starts at zero. */
  col2im(cols: TypedArray, geometry: ConvGeometry, dx: TypedArray): void;
  /** out [N, C_out, outH, outW] = the convolution of x with weight (+ bias, null for none); all one dtype. */
  conv2d(x: TypedArray, weight: TypedArray, bias: TypedArray | null, geometry: ConvShape, out: TypedArray): void;
  /** Its input and weight gradients from dOut (overwritten; null ones are skipped). */
  conv2dBackward(x: TypedArray, weight: TypedArray, dOut: TypedArray, geometry: ConvShape, dx: TypedArray | null, dWeight: TypedArray | null): void;
  /** Max of each window of x [planes, H, W]; `arg` gets the winner's position ih·W + iw. */
  maxPool2d(x: TypedArray, planes: number, height: number, width: number, rows: PoolWindows, cols: PoolWindows, out: TypedArray, arg: Int32Array): void;
  /** Routes each output gradient to its argmax; dx starts at zero. */
  maxPool2dBackward(g: TypedArray, arg: Int32Array, planes: number, height: number, width: number, dx: TypedArray): void;
  /** Mean of each window of x [planes, H, W] (divisors per axis). */
  avgPool2d(x: TypedArray, planes: number, height: number, width: number, rows: PoolWindows, cols: PoolWindows, out: TypedArray): void;
  /** Spreads each output gradient over its window; dx starts at zero. */
  avgPool2dBackward(g: TypedArray, planes: number, height: number, width: number, rows: PoolWindows, cols: PoolWindows, dx: TypedArray): void;

  /** out[i] = value if u_i ≥ p else 0, u_i the next uniform() draws of the xoshiro128** state `words`, advanced in place (bernoulli.ts). */
  bernoulliMask(words: Uint32Array, p: number, value: number, out: TypedArray): void;
}
