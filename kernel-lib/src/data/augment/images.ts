import { type DType, type TypedArray } from "../../core/dtype";
import { fail, fmtShape } from "../../core/errors";
import type { Generator } from "../../core/random";
import { empty } from "../../ops/convert";
import type { Tensor } from "../../tensor";
import { pickGenerator } from "../sampling";
import { invalid } from "../../core/validate";

/**
 * Image augmentations: new training images made from old ones by changes
 * that do not change the label, so the model learns to ignore them
 * (Lesson: notebooks/src/08-regularization.ts §9 (data augmentation)). They work on image batches stored as
 *   [N, H·W] (flattened square images such as MNIST's [N, 784]),
 *   [N, H, W], or [N, C, H, W] (every channel of an image moved alike),
 * return a new tensor of the same shape and carry no gradient history: they
 * prepare data, they are not part of the model. Random versions draw one set
 * of parameters per image, image by image, from the generator.
 */

/** Rewrites one H×W plane: reads src[offset …], writes dst[offset …] (dst starts zero-filled). */
export type PlaneTransform = (src: TypedArray, dst: TypedArray, offset: number, height: number, width: number) => void;

interface ImageLayout {
  n: number;
  channels: number;
  height: number;
  width: number;
}

function imageLayout(op: string, x: Tensor): ImageLayout {
  const s = x.shape;
  if (x.ndim === 2) {
    const side = Math.round(Math.sqrt(s[1]));
    if (side * side !== s[1]) fail(op, `a 2-D input must hold flattened square images, but ${s[1]} pixels per row is not a square; reshape to [N, H, W]`);
    return { n: s[0], channels: 1, height: side, width: side };
  }
  if (x.ndim === 3) return { n: s[0], channels: 1, height: s[1], width: s[2] };
  if (x.ndim === 4) return { n: s[0], channels: s[1], height: s[2], width: s[3] };
  return fail(op, `expects images as [N, H·W], [N, H, W] or [N, C, H, W], got ${fmtShape(s)}`);
}

/**
 * Runs `transformFor(i)` (called once per image, in order, so random
 * parameters are drawn image by image) on every channel of image i.
 */
export function mapImages(op: string, x: Tensor, transformFor: (image: number) => PlaneTransform, dtype: DType = x.dtype): Tensor {
  const { n, channels, height, width } = imageLayout(op, x);
  const out = empty(x.shape, dtype);
  const plane = height * width;
  for (let i = 0; i < n; i++) {
    const transform = transformFor(i);
    for (let c = 0; c < channels; c++) transform(x.data, out.data, (i * channels + c) * plane, height, width);
  }
  return out;
}

/** Moves content dx columns right and dy rows down; what enters from the border is 0 (background). */
function shiftPlane(dx: number, dy: number): PlaneTransform {
  return (src, dst, offset, h, w) => {
    for (let r = 0; r < h; r++) {
      const sr = r - dy;
      if (sr < 0 || sr >= h) continue;
      for (let c = Math.max(0, dx); c < Math.min(w, w + dx); c++) dst[offset + r * w + c] = src[offset + sr * w + c - dx];
    }
  };
}

function flipPlane(src: TypedArray, dst: TypedArray, offset: number, h: number, w: number): void {
  for (let r = 0; r < h; r++) {
    const row = offset + r * w;
    for (let c = 0; c < w; c++) dst[row + c] = src[row + w - 1 - c];
  }
}

/**
 * Every image moved by whole pixels: out[r][c] = x[r − dy][c − dx], and 0
 * where that falls outside. dx > 0 moves right, dy > 0 moves down.
 *
 *   translate(images, 1, 0)  // everything one pixel to the right
 */
export function translate(x: Tensor, dx: number, dy: number): Tensor {
  if (!Number.isInteger(dx) || !Number.isInteger(dy)) fail("translate", `shifts must be whole pixels, got dx = ${dx}, dy = ${dy}`);
  const transform = shiftPlane(dx, dy);
  return mapImages("translate", x, () => transform);
}

/** Every image mirrored left to right: out[r][c] = x[r][W − 1 − c]. */
export function flipHorizontal(x: Tensor): Tensor {
  return mapImages("flipHorizontal", x, () => flipPlane);
}

export interface RandomShiftOptions {
  /** Largest shift in pixels along each axis. Default 2 (MNIST digits are centred with a 4-pixel margin). */
  maxShift?: number;
  generator?: Generator;
}

/**
 * Moves each image by its own (dx, dy), both drawn uniformly from the
 * integers −maxShift..maxShift (dx first), as in `translate`. Teaches that
 * a fully connected network, unlike a convolutional one, has to learn every
 * position separately.
 *
 *   const xb2 = randomShift(xb, { maxShift: 2, generator: g });
 */
export function randomShift(x: Tensor, options: RandomShiftOptions = {}): Tensor {
  const maxShift = options.maxShift ?? 2;
  if (!Number.isInteger(maxShift) || maxShift < 0) invalid("randomShift", "maxShift", maxShift, "an integer ≥ 0");
  const g = pickGenerator(options.generator);
  return mapImages("randomShift", x, () => {
    const dx = g.randint(-maxShift, maxShift + 1);
    const dy = g.randint(-maxShift, maxShift + 1);
    return shiftPlane(dx, dy);
  });
}

export interface HorizontalFlipOptions {
  /** Probability that an image is flipped. Default 0.5. */
  p?: number;
  generator?: Generator;
}

/**
 * Mirrors each image left to right with probability p (one uniform draw per
 * image: flipped when u < p), torchvision's RandomHorizontalFlip.
 *
 * A cautionary example for digits: a mirrored 2 looks like a 5 or a
 * backwards S, a mirrored 7 is not a digit at all. An augmentation must not
 * change the label; this one does for MNIST (it is fine for photos of cats).
 */
export function horizontalFlip(x: Tensor, options: HorizontalFlipOptions = {}): Tensor {
  const p = options.p ?? 0.5;
  if (!(p >= 0 && p <= 1)) invalid("horizontalFlip", "probability p", p, "in [0, 1]");
  const g = pickGenerator(options.generator);
  return mapImages("horizontalFlip", x, () => (g.uniform() < p ? flipPlane : copyPlane));
}

function copyPlane(src: TypedArray, dst: TypedArray, offset: number, h: number, w: number): void {
  dst.set(src.subarray(offset, offset + h * w), offset);
}
