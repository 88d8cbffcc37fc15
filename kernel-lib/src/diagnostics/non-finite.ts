import { fail, fmtShape } from "../core/errors";
import type { Module, RemovableHandle } from "../nn/module";
import type { Tensor } from "../tensor";
import { watchOutputs } from "./activations";

export interface NonFiniteReport {
  kind: "parameter" | "gradient";
  name: string;
  index: number;
  value: number;
}

/** The first parameter (or gradient) holding NaN or ±Infinity, by name; null when all are finite. */
export function findNonFinite(model: Module): NonFiniteReport | null {
  for (const [name, p] of model.namedParameters()) {
    const i = firstBad(p.data);
    if (i >= 0) return { kind: "parameter", name, index: i, value: p.data[i] };
    if (p.grad) {
      const j = firstBad(p.grad.data);
      if (j >= 0) return { kind: "gradient", name, index: j, value: p.grad.data[j] };
    }
  }
  return null;
}

/**
 * Checks every leaf layer's output during forward passes and throws, naming
 * the first layer whose output holds NaN or ±Infinity. Returns handles;
 * call `remove()` on each to stop watching.
 */
export function watchNonFinite(model: Module): RemovableHandle[] {
  return watchOutputs(model, undefined, (layer, module, out: Tensor) => {
    const i = firstBad(out.data);
    if (i >= 0) {
      fail("nonFinite", `layer "${layer}" (${module.constructor.name}) produced ${out.data[i]} at element ${i} of its output ${fmtShape(out.shape)}; ` +
        "check the learning rate, the initialization scale and the inputs to this layer");
    }
  });
}

function firstBad(d: Tensor["data"]): number {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return i;
  return -1;
}
