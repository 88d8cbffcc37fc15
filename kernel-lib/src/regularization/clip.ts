import { fail } from "../core/errors";
import type { Tensor } from "../tensor";

/**
 * Gradient clipping (lesson 5), applied between `backward()` and `step()`.
 *
 * By global norm: with ‖g‖ the norm of all gradients taken together, every
 * gradient is scaled by min(1, maxNorm / (‖g‖ + 1e-6)). The update keeps its
 * direction and only gets shorter. Returns ‖g‖ *before* clipping, which is
 * worth logging: it is the exploding-gradient alarm. (torch.nn.utils.clip_grad_norm_)
 */
export function clipGradNorm_(
  params: Iterable<Tensor>,
  maxNorm: number,
  options: { normType?: number; errorIfNonfinite?: boolean } = {},
): number {
  const normType = options.normType ?? 2;
  if (!(maxNorm > 0)) fail("clipGradNorm_", `maxNorm must be > 0, got ${maxNorm}`);
  if (!(normType > 0)) fail("clipGradNorm_", `normType must be > 0 (or Infinity), got ${normType}`);
  const grads = gradsOf(params);
  let total: number;
  if (normType === Infinity) {
    total = 0;
    for (const g of grads) for (let i = 0; i < g.length; i++) total = Math.max(total, Math.abs(g[i]));
  } else {
    let acc = 0;
    for (const g of grads) for (let i = 0; i < g.length; i++) acc += Math.abs(g[i]) ** normType;
    total = acc ** (1 / normType);
  }
  if (!Number.isFinite(total) && options.errorIfNonfinite) {
    fail("clipGradNorm_", `the total norm of the gradients is ${total}; a NaN or Inf gradient cannot be clipped (find its source with detectAnomaly)`);
  }
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= coef;
  return total;
}

/**
 * By value: every gradient entry is clamped into [−clipValue, clipValue].
 * Cheap, but it changes the direction of the update when only some entries
 * are large. (torch.nn.utils.clip_grad_value_)
 */
export function clipGradValue_(params: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue > 0)) fail("clipGradValue_", `clipValue must be > 0, got ${clipValue}`);
  for (const g of gradsOf(params)) {
    for (let i = 0; i < g.length; i++) g[i] = Math.min(clipValue, Math.max(-clipValue, g[i]));
  }
}

function gradsOf(params: Iterable<Tensor>): Array<Tensor["data"]> {
  const out: Array<Tensor["data"]> = [];
  for (const p of params) if (p.grad !== null) out.push(p.grad.data);
  return out;
}
