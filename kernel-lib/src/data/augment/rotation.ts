import { floatType } from "../../core/dtype";
import { fail } from "../../core/errors";
import type { Generator } from "../../core/random";
import type { Tensor } from "../../tensor";
import { pickGenerator } from "../sampling";
import { type PlaneTransform, mapImages } from "./images";
import { invalid } from "../../core/validate";

/**
 * Rotation about the image centre (cx, cy) = ((W − 1)/2, (H − 1)/2) by
 * `degrees`, counter-clockwise as the image is displayed (row 0 at the top),
 * like torchvision. Each output pixel (r, c) looks up where it came from,
 * rotating back by θ = degrees · π/180 (rows grow downwards, hence the signs):
 *   sx = cx + cos θ · (c − cx) − sin θ · (r − cy)
 *   sy = cy + sin θ · (c − cx) + cos θ · (r − cy)
 * and reads x there by bilinear interpolation between the four neighbouring
 * pixels, taking 0 (background) outside the image. Rotating by 0 returns the
 * image unchanged; by 90 a square image matches np.rot90: out[r][c] = x[c][W − 1 − r].
 */
function rotatePlane(degrees: number): PlaneTransform {
  const theta = (degrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  return (src, dst, offset, h, w) => {
    const cx = (w - 1) / 2;
    const cy = (h - 1) / 2;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const sx = cx + cos * (c - cx) - sin * (r - cy);
        const sy = cy + sin * (c - cx) + cos * (r - cy);
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        // Weighted sum of the 2×2 neighbourhood; neighbours outside the image count as 0.
        let value = 0;
        if (y0 >= 0 && y0 < h) {
          const row = offset + y0 * w;
          if (x0 >= 0 && x0 < w) value += (1 - fx) * (1 - fy) * src[row + x0];
          if (x0 + 1 >= 0 && x0 + 1 < w) value += fx * (1 - fy) * src[row + x0 + 1];
        }
        if (y0 + 1 >= 0 && y0 + 1 < h) {
          const row = offset + (y0 + 1) * w;
          if (x0 >= 0 && x0 < w) value += (1 - fx) * fy * src[row + x0];
          if (x0 + 1 >= 0 && x0 + 1 < w) value += fx * fy * src[row + x0 + 1];
        }
        dst[offset + r * w + c] = value;
      }
    }
  };
}

/**
 * Every image rotated by `degrees` (counter-clockwise) with bilinear
 * interpolation; see `rotatePlane` above for the mapping. Float output.
 *
 *   rotate(images, 90)
 */
export function rotate(x: Tensor, degrees: number): Tensor {
  if (!Number.isFinite(degrees)) fail("rotate", `degrees must be a finite number, got ${degrees}`);
  const transform = rotatePlane(degrees);
  return mapImages("rotate", x, () => transform, floatType(x.dtype));
}

export interface RandomRotationOptions {
  /** Largest rotation either way, in degrees. Default 10 (more, and a 6 starts to look like a 9). */
  maxDegrees?: number;
  generator?: Generator;
}

/**
 * Rotates each image by its own angle drawn uniformly from
 * [−maxDegrees, maxDegrees] (one draw per image), as `rotate` does,
 * like torchvision's RandomRotation.
 *
 *   const xb2 = randomRotation(xb, { maxDegrees: 10, generator: g });
 */
export function randomRotation(x: Tensor, options: RandomRotationOptions = {}): Tensor {
  const maxDegrees = options.maxDegrees ?? 10;
  if (!(Number.isFinite(maxDegrees) && maxDegrees >= 0)) invalid("randomRotation", "maxDegrees", maxDegrees, "a finite number ≥ 0");
  const g = pickGenerator(options.generator);
  return mapImages("randomRotation", x, () => rotatePlane((2 * g.uniform() - 1) * maxDegrees), floatType(x.dtype));
}
