import { fail, fmtShape } from "../core/errors";
import { Tensor } from "../tensor";
import { noGrad } from "./grad-mode";

export interface GradcheckOptions {
  /** Finite-difference step h in (f(x+h) − f(x−h)) / 2h. */
  eps?: number;
  /** Accept when |analytic − numeric| ≤ atol + rtol·|numeric| for every entry. */
  atol?: number;
  rtol?: number;
  /** Throw with the details instead of returning a failed result. */
  raiseOnFailure?: boolean;
}

export interface GradcheckResult {
  ok: boolean;
  /** Largest relative error |a − n| / max(|a|, |n|, tiny) over all entries (CS231n's measure). */
  maxRelativeError: number;
  maxAbsoluteError: number;
  /** Where the worst entry is, when a check failed. */
  worst?: { input: number; index: number; analytic: number; numeric: number };
}

/**
 * Compares the gradients autograd computes with central finite differences,
 * like torch.autograd.gradcheck. `fn` maps the inputs to a tensor; the check
 * differentiates the sum of its outputs weighted by fixed pseudo-random
 * numbers (so every output entry matters, not just their plain sum).
 * Inputs must be float64 leaves with requiresGrad: float32 is too coarse for
 * finite differences.
 *
 *   const x = randn([3, 4], { dtype: "float64", requiresGrad: true });
 *   gradcheck((x) => x.tanh().sum(), [x]).ok  // true
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  inputs.forEach((x, i) => {
    if (x.dtype !== "float64") fail("gradcheck", `input ${i} is ${x.dtype}; finite differences need float64 (create it with dtype: "float64" or call .double())`);
    if (!x.requiresGrad || !x.isLeaf) fail("gradcheck", `input ${i} must be a leaf with requiresGrad: true`);
  });

  const probe = noGrad(() => fn(...inputs));
  const weights = new Float64Array(probe.size).map((_, i) => 0.5 + ((i * 7919) % 101) / 101);
  const scalar = (out: Tensor): number => {
    if (out.size !== weights.length) fail("gradcheck", `fn's output changed size from ${weights.length} to ${out.size} (shape ${fmtShape(out.shape)})`);
    let s = 0;
    for (let i = 0; i < out.size; i++) s += weights[i] * out.data[i];
    return s;
  };

  // Analytic: backward with the weights as the upstream gradient.
  inputs.forEach((x) => x.zeroGrad());
  const out = fn(...inputs);
  if (!out.requiresGrad) fail("gradcheck", "fn's output does not depend on any input that requires grad");
  out.backward(new Tensor(Float64Array.from(weights), out.shape).to(out.dtype));

  let result: GradcheckResult = { ok: true, maxRelativeError: 0, maxAbsoluteError: 0 };
  noGrad(() => {
    inputs.forEach((x, which) => {
      const analytic = x.grad?.data ?? new Float64Array(x.size);
      for (let i = 0; i < x.size; i++) {
        const saved = x.data[i];
        x.data[i] = saved + eps;
        const plus = scalar(fn(...inputs));
        x.data[i] = saved - eps;
        const minus = scalar(fn(...inputs));
        x.data[i] = saved;
        const numeric = (plus - minus) / (2 * eps);
        const a = analytic[i];
        const absErr = Math.abs(a - numeric);
        const relErr = absErr / Math.max(Math.abs(a), Math.abs(numeric), 1e-12);
        const bad = !(absErr <= atol + rtol * Math.abs(numeric));
        result.maxAbsoluteError = Math.max(result.maxAbsoluteError, absErr);
        if (Math.abs(a) > 1e-10 || Math.abs(numeric) > 1e-10) result.maxRelativeError = Math.max(result.maxRelativeError, relErr);
        if (bad && result.ok) result = { ...result, ok: false, worst: { input: which, index: i, analytic: a, numeric } };
      }
    });
  });
  inputs.forEach((x) => x.zeroGrad());
  if (!result.ok && options.raiseOnFailure) {
    const w = result.worst!;
    fail("gradcheck", `input ${w.input}, element ${w.index}: autograd gives ${w.analytic}, finite differences give ${w.numeric}`);
  }
  return result;
}
