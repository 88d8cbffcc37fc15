import { fail, fmtShape } from "../core/errors";
import type { GradFn, Tensor } from "../tensor";
import { isAnomalyEnabled, isGradEnabled } from "./grad-mode";

/**
 * Attaches an operation's backward rule to its freshly computed output, if
 * any input requires a gradient and recording is on. Every differentiable op
 * ends with this call, so its backward sits right under its forward.
 */
export function record(
  op: string,
  inputs: readonly Tensor[],
  out: Tensor,
  backward: GradFn["backward"],
): Tensor {
  if (isAnomalyEnabled()) checkFinite(op, "forward", out, inputs);
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.gradFn = { op, inputs, backward };
  }
  return out;
}

/** Anomaly mode: names the op and the inputs' shapes when a result holds NaN or ±Infinity. */
export function checkFinite(op: string, phase: "forward" | "backward", t: Tensor, inputs: readonly Tensor[]): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      const shapes = inputs.map((x) => (x.name ? `${x.name} ` : "") + fmtShape(x.shape)).join(", ");
      fail(
        "anomaly",
        `${op} produced ${d[i]} in its ${phase} pass (element ${i} of ${fmtShape(t.shape)}; inputs ${shapes}). ` +
          (phase === "forward"
            ? "Check this op's inputs (log of 0 or a negative, division by 0, overflow of exp)."
            : "The gradient blew up here: check the learning rate, clip gradients, or look for 0 in a division."),
      );
    }
  }
}
