import { type TypedArray, allocate, dtypeOf } from "../core/dtype";
import type { Kernels } from "./kernels";

/**
 * The geometry of a 2-D convolution (or a pooling window) over x [N, C, H, W]:
 * output position (oh, ow) reads input rows ih = oh·strideH − padTop + ki·dilationH
 * (ki < kH) and columns iw = ow·strideW − padLeft + kj·dilationW (kj < kW);
 * positions outside the input read 0 (the zero padding).
 */
export interface ConvGeometry {
  batch: number;
  channels: number;
  height: number;
  width: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
  dilationH: number;
  dilationW: number;
  outH: number;
  outW: number;
}

/** A convolution's geometry with its channel grouping: weight is [outChannels, channels/groups, kH, kW]. */
export interface ConvShape extends ConvGeometry {
  groups: number;
  outChannels: number;
}

/**
 * The output positions o in [0, out) whose input index o·stride − pad + offset
 * lies in [0, size): one contiguous range [lo, hi), found by arithmetic instead
 * of a test per position.
 */
function validRange(out: number, stride: number, pad: number, offset: number, size: number): [number, number] {
  const shift = offset - pad;
  const lo = shift >= 0 ? 0 : Math.ceil(-shift / stride);
  const hi = Math.min(out, Math.max(lo, Math.floor((size - 1 - shift) / stride) + 1));
  return [Math.min(lo, out), hi];
}

/**
 * im2col: unfolds x [N, C, H, W] into columns [C·kH·kW, N·outH·outW] so that a
 * convolution becomes one matrix product, out[co, (n, oh, ow)] =
 * Σ_r weight[co, r] · cols[r, (n, oh, ow)] with r = (c, ki, kj) (row-major).
 * Row r, column (n, oh, ow) holds x[n, c, oh·sH − pT + ki·dH, ow·sW − pL + kj·dW],
 * or 0 in the padding.
 */
export function im2col(x: TypedArray, g: ConvGeometry, cols: TypedArray): void {
  const { batch, channels, height, width, kernelH, kernelW, outH, outW, strideH, strideW, padTop, padLeft, dilationH, dilationW } = g;
  const plane = outH * outW;
  const span = batch * plane;
  for (let c = 0; c < channels; c++) {
    for (let ki = 0; ki < kernelH; ki++) {
      const [ohLo, ohHi] = validRange(outH, strideH, padTop, ki * dilationH, height);
      for (let kj = 0; kj < kernelW; kj++) {
        const [owLo, owHi] = validRange(outW, strideW, padLeft, kj * dilationW, width);
        const row = ((c * kernelH + ki) * kernelW + kj) * span;
        const colShift = kj * dilationW - padLeft;
        for (let n = 0; n < batch; n++) {
          const src = (n * channels + c) * height * width;
          const dst = row + n * plane;
          cols.fill(0, dst, dst + plane);
          for (let oh = ohLo; oh < ohHi; oh++) {
            const s = src + (oh * strideH - padTop + ki * dilationH) * width + colShift;
            const d = dst + oh * outW;
            if (strideW === 1) for (let ow = owLo; ow < owHi; ow++) cols[d + ow] = x[s + ow];
            else for (let ow = owLo; ow < owHi; ow++) cols[d + ow] = x[s + ow * strideW];
          }
        }
      }
    }
  }
}

/**
 * col2im, the adjoint of im2col: adds each column entry back onto the input
 * position it was read from (positions read by several windows receive the
 * sum), giving the input gradient dx from dcols = weightᵀ · dOut.
 * `dx` must start at zero.
 */
export function col2im(cols: TypedArray, g: ConvGeometry, dx: TypedArray): void {
  const { batch, channels, height, width, kernelH, kernelW, outH, outW, strideH, strideW, padTop, padLeft, dilationH, dilationW } = g;
  const plane = outH * outW;
  const span = batch * plane;
  for (let c = 0; c < channels; c++) {
    for (let ki = 0; ki < kernelH; ki++) {
      const [ohLo, ohHi] = validRange(outH, strideH, padTop, ki * dilationH, height);
      for (let kj = 0; kj < kernelW; kj++) {
        const [owLo, owHi] = validRange(outW, strideW, padLeft, kj * dilationW, width);
        const row = ((c * kernelH + ki) * kernelW + kj) * span;
        const colShift = kj * dilationW - padLeft;
        for (let n = 0; n < batch; n++) {
          const dst = (n * channels + c) * height * width;
          const src = row + n * plane;
          for (let oh = ohLo; oh < ohHi; oh++) {
            const d = dst + (oh * strideH - padTop + ki * dilationH) * width + colShift;
            const s = src + oh * outW;
            if (strideW === 1) for (let ow = owLo; ow < owHi; ow++) dx[d + ow] += cols[s + ow];
            else for (let ow = owLo; ow < owHi; ow++) dx[d + ow * strideW] += cols[s + ow];
          }
        }
      }
    }
  }
}

/**
 * Moves a matrix [rows, outer·inner] to [outer, rows, inner] (or back, with
 * `inverse`): between the product's layout [C_out, N·P] and the tensor's
 * [N, C_out, P], P = outH·outW. Optionally adds bias[row] on the way.
 */
export function swapLeadingAxes(
  src: TypedArray, rows: number, outer: number, inner: number, dst: TypedArray, inverse: boolean, bias: TypedArray | null,
): void {
  for (let r = 0; r < rows; r++) {
    const b = bias ? bias[r] : 0;
    for (let o = 0; o < outer; o++) {
      const a = (r * outer + o) * inner;
      const t = (o * rows + r) * inner;
      if (inverse) dst.set(src.subarray(t, t + inner), a);
      else if (bias === null) dst.set(src.subarray(a, a + inner), t);
      else for (let i = 0; i < inner; i++) dst[t + i] = src[a + i] + b;
    }
  }
}

/**
 * The reference convolution as matrix products over the whole batch (the
 * fast kernels do the same one image at a time: wasm/assembly/conv.ts).
 * im2col unfolds x once into cols [C_in·kH·kW, N·P] (P = outH·outW); then
 * per group g, with G = C_out/groups output channels and R = C_in·kH·kW/groups
 * column rows per group:
 *
 *   out_g [G, N·P] = weight_g [G, R] · cols_g [R, N·P]
 *
 * and the product's [C_out, N, P] is reordered to out's [N, C_out, P] (+ bias).
 */
export function conv2dByProducts(
  gemm: Kernels["gemm"], x: TypedArray, weight: TypedArray, bias: TypedArray | null, g: ConvShape, out: TypedArray,
): void {
  const span = g.batch * g.outH * g.outW;
  const rows = (g.channels / g.groups) * g.kernelH * g.kernelW;
  const perGroup = g.outChannels / g.groups;
  const cols = allocate(dtypeOf(x), rows * g.groups * span);
  im2col(x, g, cols);
  const product = allocate(dtypeOf(x), g.outChannels * span);
  for (let gi = 0; gi < g.groups; gi++) {
    gemm(weight, gi * perGroup * rows, false, cols, gi * rows * span, false, product, gi * perGroup * span, perGroup, rows, span, false);
  }
  swapLeadingAxes(product, g.outChannels, g.batch, g.outH * g.outW, out, false, bias);
}

/**
 * Its gradients, per group:
 *
 *   dW_g    [G, R]   = dOut_g [G, N·P] · cols_gᵀ                 (weight gradient)
 *   dcols_g [R, N·P] = weight_gᵀ · dOut_g,  dx = col2im(dcols)   (input gradient)
 *
 * dx and dWeight are overwritten; null ones are not computed.
 */
export function conv2dBackwardByProducts(
  gemm: Kernels["gemm"], x: TypedArray, weight: TypedArray, dOut: TypedArray, g: ConvShape, dx: TypedArray | null, dWeight: TypedArray | null,
): void {
  const span = g.batch * g.outH * g.outW;
  const rows = (g.channels / g.groups) * g.kernelH * g.kernelW;
  const perGroup = g.outChannels / g.groups;
  const dtype = dtypeOf(x);
  const cols = allocate(dtype, rows * g.groups * span);
  im2col(x, g, cols);
  const grad = allocate(dtype, g.outChannels * span);
  swapLeadingAxes(dOut, g.outChannels, g.batch, g.outH * g.outW, grad, true, null);
  const dCols = dx ? allocate(dtype, cols.length) : null;
  for (let gi = 0; gi < g.groups; gi++) {
    const w0 = gi * perGroup * rows;
    const o0 = gi * perGroup * span;
    const c0 = gi * rows * span;
    if (dWeight) gemm(grad, o0, false, cols, c0, true, dWeight, w0, perGroup, span, rows, false);
    if (dCols) gemm(weight, w0, true, grad, o0, false, dCols, c0, rows, perGroup, span, false);
  }
  if (dx && dCols) {
    dx.fill(0);
    col2im(dCols, g, dx);
  }
}
