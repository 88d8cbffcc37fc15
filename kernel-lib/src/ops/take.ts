import type { Shape } from "../core/shape";
import { kernels } from "../backend";
import { record } from "../autograd/record";
import type { Tensor } from "../tensor";
import { empty } from "./convert";

/**
 * The one primitive behind transpose, expand, slicing and gathering: the
 * output's element i is x's element positions[i]. Its backward scatters the
 * gradient back, adding where a position was read more than once (which is
 * exactly how expand's gradient sums over the broadcast axes).
 */
export function take(op: string, x: Tensor, positions: Int32Array, shape: Shape): Tensor {
  const out = empty(shape, x.dtype);
  const src = x.data;
  const dst = out.data;
  for (let i = 0; i < positions.length; i++) dst[i] = src[positions[i]];
  return record(op, [x], out, (g) => {
    const gx = empty(x.shape, g.dtype);
    kernels().sumInto(g.data, positions, gx.data);
    return [gx];
  });
}
