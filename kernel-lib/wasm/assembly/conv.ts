/**
 * 2-D convolution, forward and backward, as matrix products one image at a
 * time (float32 `conv2dF32`, float64 `conv2dF64`; the reference is
 * src/backend/conv.ts, which does the same over the whole batch at once).
 *
 * For image n and group g, with R = C_in/groups·kH·kW column rows and
 * P = outH·outW positions, im2col unfolds the image into cols [R, P]
 * (row r = (c, ki, kj) holds x[n, c, oh·sH − pT + ki·dH, ow·sW − pL + kj·dW],
 * zero in the padding) and
 *
 *   out_n [G, P] = weight_g [G, R] · cols [R, P]        (forward)
 *   dW_g [G, R] += dOut_n [G, P] · colsᵀ               (weight gradient)
 *   dcols [R, P] = weight_gᵀ · dOut_n,  dx_n = col2im(dcols)   (input gradient)
 *
 * Why per image rather than one product over the batch: out_n and dOut_n are
 * already contiguous in the tensors' [N, C, H, W] layout (no reordering
 * between [C_out, N·P] and [N, C_out, P]); cols for one image (288 × 196
 * floats for the cnn-step's second convolution, 225 KB) stays in the cache
 * between im2col and the product that reads it; and threads take whole
 * images. Measured on that convolution (forward + both gradients, one
 * thread, CPU time of the bench's conv case, three alternating runs of 15
 * calls each on the busy 2-core machine): 66–73 ms with im2col over the batch
 * in JavaScript and the products on gemm.ts (its columns copied into
 * WebAssembly memory for each product), 41–46 ms here. Of the kernel's own
 * time (about 35 ms), the products take about 32: gemm.ts runs them at
 * 40–42 GFLOPS, as fast as a 512³ product.
 *
 * A 1×1 convolution with stride 1 and no padding reads x's planes as they
 * are: they already are the columns.
 */
import { gemmOf, scratchBytesOf } from "./gemm";

/** The geometry, as JavaScript writes it into memory (16 int32, src/backend/wasm/conv.ts). */
// @ts-ignore: decorator
@unmanaged
class Geometry {
  batch: i32;
  channels: i32;
  height: i32;
  width: i32;
  kernelH: i32;
  kernelW: i32;
  strideH: i32;
  strideW: i32;
  padTop: i32;
  padLeft: i32;
  dilationH: i32;
  dilationW: i32;
  outH: i32;
  outW: i32;
  groups: i32;
  outChannels: i32;
}

// @ts-ignore: decorator
@inline
function align64(bytes: i32): i32 {
  return ((bytes + 63) >> 6) << 6;
}

/** Column rows per group (C_in/groups·kH·kW). */
// @ts-ignore: decorator
@inline
function rowsOf(g: Geometry): i32 {
  return (g.channels / g.groups) * g.kernelH * g.kernelW;
}

/** A 1×1 kernel with stride 1 and no padding: the input planes are the columns. */
function pointwise(g: Geometry): bool {
  return g.kernelH === 1 && g.kernelW === 1 && g.strideH === 1 && g.strideW === 1
    && g.padTop === 0 && g.padLeft === 0 && g.outH === g.height && g.outW === g.width;
}

/** Bytes of scratch one thread needs: cols, dcols, and the largest of the three products' packed blocks. */
function scratchOf<T>(geo: usize): i32 {
  const g = changetype<Geometry>(geo);
  const S = <i32>sizeof<T>();
  const R = rowsOf(g);
  const P = g.outH * g.outW;
  const G = g.outChannels / g.groups;
  const products = max(scratchBytesOf<T>(G, P, R), max(scratchBytesOf<T>(G, R, P), scratchBytesOf<T>(R, P, G)));
  return 2 * align64(R * P * S) + products;
}

export function conv2dScratchBytesF32(geo: usize): i32 {
  return scratchOf<f32>(geo);
}

export function conv2dScratchBytesF64(geo: usize): i32 {
  return scratchOf<f64>(geo);
}

/**
 * The output positions o in [0, out) whose input index o·stride + shift lies
 * in [0, size), as lo | hi << 16 (one contiguous range, found by arithmetic).
 */
function validRange(out: i32, stride: i32, shift: i32, size: i32): i32 {
  const lo = shift >= 0 ? 0 : min(out, (-shift + stride - 1) / stride);
  const last = size - 1 - shift;
  const hi = last < 0 ? lo : max(lo, min(out, last / stride + 1));
  return lo | (hi << 16);
}

/**
 * im2col (fold false): writes cols [R, P] of one image's `channels` planes
 * at x, zeros in the padding. col2im (fold true), its adjoint: adds cols
 * back onto the planes at x (which the caller zeroed). Both walk the same
 * windows: row r = (c, ki, kj) of cols, then each output row oh whose
 * input row exists, then the output columns [owLo, owHi) whose input
 * column exists.
 */
function unfold<T>(x: usize, channels: i32, g: Geometry, cols: usize, fold: bool): void {
  const S = <usize>sizeof<T>();
  const outW = g.outW;
  const P = g.outH * outW;
  let row = cols;
  for (let c = 0; c < channels; c++) {
    const plane = x + <usize>(c * g.height * g.width) * S;
    for (let ki = 0; ki < g.kernelH; ki++) {
      const rowShift = ki * g.dilationH - g.padTop;
      const rows = validRange(g.outH, g.strideH, rowShift, g.height);
      const ohLo = rows & 0xffff, ohHi = rows >>> 16;
      for (let kj = 0; kj < g.kernelW; kj++) {
        const colShift = kj * g.dilationW - g.padLeft;
        const span = validRange(outW, g.strideW, colShift, g.width);
        const owLo = span & 0xffff, owHi = span >>> 16;
        if (!fold) {
          memory.fill(row, 0, <usize>(ohLo * outW) * S);
          memory.fill(row + <usize>(ohHi * outW) * S, 0, <usize>((g.outH - ohHi) * outW) * S);
        }
        for (let oh = ohLo; oh < ohHi; oh++) {
          const colsRow = row + <usize>(oh * outW) * S;
          const image = plane + <usize>((oh * g.strideH + rowShift) * g.width + colShift) * S;
          if (fold) addRow<T>(image, colsRow, owLo, owHi, g.strideW);
          else copyRow<T>(colsRow, image, owLo, owHi, outW, g.strideW);
        }
        row += <usize>P * S;
      }
    }
  }
}

/**
 * dst[ow] = src[ow·stride] for ow in [lo, hi), zero elsewhere in [0, outW).
 * Rows are short (14 values in the cnn-step's second convolution), so plain
 * loads and stores, a vector at a time, rather than memory.copy and
 * memory.fill: measured, those took a third of the forward pass's time.
 */
// @ts-ignore: decorator
@inline
function copyRow<T>(dst: usize, src: usize, lo: i32, hi: i32, outW: i32, stride: i32): void {
  const S = <usize>sizeof<T>();
  for (let ow = 0; ow < lo; ow++) store<T>(dst + <usize>ow * S, <T>0);
  let ow = lo;
  if (stride === 1) {
    const lanes = 16 / <i32>S;
    for (; ow + lanes <= hi; ow += lanes) v128.store(dst + <usize>ow * S, v128.load(src + <usize>ow * S));
    for (; ow < hi; ow++) store<T>(dst + <usize>ow * S, load<T>(src + <usize>ow * S));
  } else {
    for (; ow < hi; ow++) store<T>(dst + <usize>ow * S, load<T>(src + <usize>(ow * stride) * S));
  }
  for (ow = hi; ow < outW; ow++) store<T>(dst + <usize>ow * S, <T>0);
}

/** dst[ow·stride] += src[ow] for ow in [lo, hi); with stride 1 a vector (four float32 or two float64) at a time. */
// @ts-ignore: decorator
@inline
function addRow<T>(dst: usize, src: usize, lo: i32, hi: i32, stride: i32): void {
  const S = <usize>sizeof<T>();
  let ow = lo;
  if (stride === 1) {
    const lanes = 16 / <i32>S;
    for (; ow + lanes <= hi; ow += lanes) {
      const at = <usize>ow * S;
      v128.store(dst + at, v128.add<T>(v128.load(dst + at), v128.load(src + at)));
    }
    for (; ow < hi; ow++) store<T>(dst + <usize>ow * S, load<T>(dst + <usize>ow * S) + load<T>(src + <usize>ow * S));
  } else {
    for (; ow < hi; ow++) {
      const d = dst + <usize>(ow * stride) * S;
      store<T>(d, load<T>(d) + load<T>(src + <usize>ow * S));
    }
  }
}

/**
 * out = conv(x, w) (+ bias) for images n0 … n1−1; all tensors in their
 * natural layouts (x [N, C, H, W], w [C_out, C_in/groups, kH, kW],
 * out [N, C_out, outH, outW]); bias 0 for none; scratch: conv2dScratchBytes.
 */
function forwardOf<T>(x: usize, w: usize, bias: usize, out: usize, geo: usize, n0: i32, n1: i32, scratch: usize): void {
  const g = changetype<Geometry>(geo);
  const S = <usize>sizeof<T>();
  const R = rowsOf(g);
  const P = g.outH * g.outW;
  const perGroup = g.channels / g.groups;
  const G = g.outChannels / g.groups;
  const direct = pointwise(g);
  const cols = scratch;
  const packing = scratch + <usize>(2 * align64(R * P * <i32>S));
  for (let n = n0; n < n1; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xg = x + <usize>((n * g.channels + gi * perGroup) * g.height * g.width) * S;
      if (!direct) unfold<T>(xg, perGroup, g, cols, false);
      const o = out + <usize>((n * g.outChannels + gi * G) * P) * S;
      if (bias !== 0) {
        // Start each output row at its bias; the product then accumulates onto it.
        for (let co = 0; co < G; co++) {
          const b = load<T>(bias + <usize>(gi * G + co) * S);
          const r = o + <usize>(co * P) * S;
          for (let p = 0; p < P; p++) store<T>(r + <usize>p * S, b);
        }
      }
      gemmOf<T>(w + <usize>(gi * G * R) * S, R, false, direct ? xg : cols, P, false, o, P, G, P, R, bias !== 0, packing);
    }
  }
}

/**
 * For images n0 … n1−1: dx (overwritten), and the weight gradient as partial
 * sums over runs of `chunk` images, dW_c = Σ_{n in run c} dOut_n · cols_nᵀ,
 * written one after another from dW (n0 starts a run). JavaScript adds the
 * partials in run order, so the sum does not depend on how the images were
 * split across threads. dx or dW 0: not computed.
 */
function backwardOf<T>(x: usize, w: usize, dOut: usize, dx: usize, dW: usize, geo: usize, n0: i32, n1: i32, scratch: usize, chunk: i32): void {
  const g = changetype<Geometry>(geo);
  const S = <usize>sizeof<T>();
  const R = rowsOf(g);
  const P = g.outH * g.outW;
  const perGroup = g.channels / g.groups;
  const G = g.outChannels / g.groups;
  const plane = g.height * g.width;
  const direct = pointwise(g);
  const cols = scratch;
  const dcols = scratch + <usize>align64(R * P * <i32>S);
  const packing = dcols + <usize>align64(R * P * <i32>S);
  // No images (an empty batch): the sum over them is zero.
  if (dW !== 0 && n1 <= n0) memory.fill(dW, 0, <usize>(g.outChannels * R) * S);
  for (let n = n0; n < n1; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xg = x + <usize>((n * g.channels + gi * perGroup) * plane) * S;
      const dO = dOut + <usize>((n * g.outChannels + gi * G) * P) * S;
      const wg = w + <usize>(gi * G * R) * S;
      if (dW !== 0) {
        if (!direct) unfold<T>(xg, perGroup, g, cols, false);
        const run = dW + <usize>(((n - n0) / chunk) * g.outChannels * R) * S;
        gemmOf<T>(dO, P, false, direct ? xg : cols, P, true, run + <usize>(gi * G * R) * S, R, G, R, P, (n - n0) % chunk !== 0, packing);
      }
      if (dx !== 0) {
        const dxg = dx + <usize>((n * g.channels + gi * perGroup) * plane) * S;
        if (direct) {
          gemmOf<T>(wg, R, true, dO, P, false, dxg, P, R, P, G, false, packing);
        } else {
          gemmOf<T>(wg, R, true, dO, P, false, dcols, P, R, P, G, false, packing);
          memory.fill(dxg, 0, <usize>(perGroup * plane) * S);
          unfold<T>(dxg, perGroup, g, dcols, true);
        }
      }
    }
  }
}

export function conv2dF32(x: usize, w: usize, bias: usize, out: usize, geo: usize, n0: i32, n1: i32, scratch: usize): void {
  forwardOf<f32>(x, w, bias, out, geo, n0, n1, scratch);
}

export function conv2dF64(x: usize, w: usize, bias: usize, out: usize, geo: usize, n0: i32, n1: i32, scratch: usize): void {
  forwardOf<f64>(x, w, bias, out, geo, n0, n1, scratch);
}

export function conv2dBackwardF32(x: usize, w: usize, dOut: usize, dx: usize, dW: usize, geo: usize, n0: i32, n1: i32, scratch: usize, chunk: i32): void {
  backwardOf<f32>(x, w, dOut, dx, dW, geo, n0, n1, scratch, chunk);
}

export function conv2dBackwardF64(x: usize, w: usize, dOut: usize, dx: usize, dW: usize, geo: usize, n0: i32, n1: i32, scratch: usize, chunk: i32): void {
  backwardOf<f64>(x, w, dOut, dx, dW, geo, n0, n1, scratch, chunk);
}
