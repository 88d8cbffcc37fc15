import { accuracy } from "../diagnostics/metrics";
import { fail } from "../core/errors";
import type { Tensor } from "../tensor";
import type { MetricFn } from "./types";

/** Metrics known by name in `fit({ metrics: ["accuracy"] })`. */
const NAMED: Record<string, MetricFn> = {
  /** Multi-class: argmax of [N, C] scores; binary: a single logit per sample, positive ⇔ class 1. */
  accuracy: (yHat: Tensor, y: Tensor) => {
    if (yHat.ndim === 2 && yHat.shape[1] > 1) return accuracy(yHat, y);
    const predicted = Array.from(yHat.data, (v) => (v > 0 ? 1 : 0));
    return accuracy(predicted, y);
  },
};

/** Resolves `["accuracy"]` or `{ name: fn }` into named metric functions. */
export function resolveMetrics(metrics: readonly string[] | Record<string, MetricFn> | undefined): Record<string, MetricFn> {
  if (metrics === undefined) return {};
  if (!Array.isArray(metrics)) return { ...(metrics as Record<string, MetricFn>) };
  const out: Record<string, MetricFn> = {};
  for (const name of metrics as readonly string[]) {
    const fn = NAMED[name];
    if (fn === undefined) fail("fit", `unknown metric "${name}"; known: ${Object.keys(NAMED).join(", ")}, or pass { name: (yHat, y) => number }`);
    out[name] = fn;
  }
  return out;
}
