import { fail } from "../core/errors";
import type { Tensor } from "../tensor";
import { abs, add, mul } from "../ops/elementwise";
import { sum } from "../ops/reduce";
import { checkNonNegative } from "../core/validate";

/**
 * Explicit penalties added to the data loss (lesson 8, regularization):
 *
 *   L2:  loss + λ · Σ w²      gradient 2λw: shrinks every weight smoothly
 *   L1:  loss + λ · Σ |w|     gradient λ·sign(w): pushes small weights to exactly 0
 *
 * Some texts write the L2 term as (λ/2)·‖θ‖² so that its gradient is λθ; pass
 * `{ half: true }` for that convention (it is what SGD's `weightDecay: λ` adds).
 * Usually only weights are penalized, not biases or normalization parameters:
 * pass the tensors you want, e.g. `model.parameters().filter((p) => p.ndim > 1)`.
 */
export function l2Penalty(params: Iterable<Tensor>, lambda: number, options: { half?: boolean } = {}): Tensor {
  checkNonNegative("l2Penalty", "penalty strength λ", lambda);
  const scale = options.half ? lambda / 2 : lambda;
  return penalty("l2Penalty", params, (w) => sum(mul(w, w)), scale);
}

export function l1Penalty(params: Iterable<Tensor>, lambda: number): Tensor {
  checkNonNegative("l1Penalty", "penalty strength λ", lambda);
  return penalty("l1Penalty", params, (w) => sum(abs(w)), lambda);
}

function penalty(op: string, params: Iterable<Tensor>, term: (w: Tensor) => Tensor, scale: number): Tensor {
  let total: Tensor | null = null;
  for (const w of params) total = total === null ? term(w) : add(total, term(w));
  if (total === null) fail(op, "got no parameters to penalize");
  return mul(total, scale);
}

