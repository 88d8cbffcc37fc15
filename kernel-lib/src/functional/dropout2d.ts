import { fail, fmtShape } from "../core/errors";
import { defaultGenerator } from "../core/random";
import { mul } from "../ops/elementwise";
import { empty, zerosLike } from "../ops/convert";
import type { Tensor } from "../tensor";
import { type DropoutOptions, checkDropoutProbability, keepMask } from "./dropout";

/**
 * Channel dropout (Tompson et al., 2015), like torch.nn.functional.dropout2d:
 * for x [N, C, H, W] (or [C, H, W]) each whole channel of each sample is
 * zeroed with probability p (default 0.5) and the kept ones scaled by
 * 1/(1 − p). Neighbouring pixels of a feature map are strongly correlated, so
 * dropping single pixels regularizes little: the rest of the map carries the
 * same information. Identity when training = false (default true) or p = 0.
 */
export function dropout2d(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  checkDropoutProbability("dropout2d", p);
  if (x.ndim !== 3 && x.ndim !== 4) fail("dropout2d", `input must be 4-D [N, C, H, W] or 3-D [C, H, W], got ${fmtShape(x.shape)}`);
  if (!(options.training ?? true) || p === 0) return x;
  if (p === 1) return mul(x, zerosLike(x));
  // One draw per (sample, channel): a mask [N, C, 1, 1] broadcast over the positions.
  const maskShape = [...x.shape.slice(0, -2), 1, 1];
  const mask = keepMask(empty(maskShape, x.dtype), p, options.generator ?? defaultGenerator, 1 / (1 - p));
  return mul(x, mask);
}
