import { fail } from "../core/errors";
import { enableGrad } from "../autograd/grad-mode";
import type { Tensor } from "../tensor";
import { linspace } from "../ops/creation";
import { short, spec, type VegaLiteSpec } from "./spec";
import { checkIntegerIn } from "../core/validate";

/** An elementwise function to plot, e.g. { name: "tanh", f: (x) => x.tanh() }. */
export interface NamedFunction {
  name: string;
  f: (x: Tensor) => Tensor;
}

export interface ActivationFunctionsOptions {
  /** Interval of x (default [-5, 5]). */
  range?: [number, number];
  /** Also plot f′(x) in a second panel (default true). */
  derivative?: boolean;
  /** Sample points (default 201, so x = 0 is one of them on a symmetric range). */
  points?: number;
  title?: string;
}

/**
 * Activation functions and their derivatives, side by side (lesson 1: the
 * sigmoid's derivative never exceeds 1/4, so a product of many of them
 * vanishes; ReLU's is 0 or 1). Derivatives come from kernel-lib's own
 * autograd: for an elementwise f, ∂(Σᵢ f(xᵢ))/∂xᵢ = f′(xᵢ), so one
 * `backward()` of the sum gives every f′(xᵢ) in `x.grad`. At a kink the value
 * is the one autograd uses (ReLU′(0) = 0). An f built only from
 * non-differentiable operations (a step made of comparisons) has f′ = 0.
 *
 *   show(charts.activationFunctions([{ name: "sigmoid", f: (x) => x.sigmoid() }, { name: "relu", f: (x) => x.relu() }]))
 */
export function activationFunctions(fns: readonly NamedFunction[], options: ActivationFunctionsOptions = {}): VegaLiteSpec {
  const op = "charts.activationFunctions";
  const [lo, hi] = options.range ?? [-5, 5];
  const points = options.points ?? 201;
  const withDerivative = options.derivative ?? true;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) fail(op, `range must be [low, high] with low < high, got [${lo}, ${hi}]`);
  checkIntegerIn(op, "points", points, 2, 5000);
  if (fns.length === 0) fail(op, "no functions given");

  // One row per x with both f(x) and f′(x); a fold makes the two panels (half the JSON of long rows).
  const values = fns.flatMap(({ name, f }) => {
    const { x, fx, dfx } = evaluate(op, name, f, lo, hi, points, withDerivative);
    return Array.from(x, (xi, i) => ({ name, x: short(xi), [F]: finiteOrNull(fx[i]), ...(dfx === null ? {} : { [DF]: finiteOrNull(dfx[i]) }) }));
  });
  const inner = {
    mark: { type: "line", strokeWidth: 2 },
    encoding: {
      x: { field: "x", type: "quantitative", title: "x" },
      y: { field: withDerivative ? "value" : F, type: "quantitative", title: withDerivative ? null : F },
      color: { field: "name", type: "nominal", sort: fns.map((f) => f.name), title: null },
    },
  };
  const title = options.title ?? (withDerivative ? "Activation functions and their derivatives" : "Activation functions");
  if (!withDerivative) return spec({ width: 320, height: 220, data: { values }, ...inner }, title);
  return spec(
    {
      data: { values },
      transform: [{ fold: [F, DF], as: ["panel", "value"] }],
      facet: { column: { field: "panel", type: "nominal", sort: [F, DF], title: null } },
      spec: { width: 280, height: 220, ...inner },
      resolve: { scale: { y: "independent" } },
    },
    title,
  );
}

const F = "f(x)";
const DF = "f′(x)";

/** JSON has no NaN or ±∞; a missing value leaves a gap in the line. */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? short(v) : null;
}

/** f and f′ on `points` evenly spaced x in [lo, hi], in float64. */
function evaluate(op: string, name: string, f: (x: Tensor) => Tensor, lo: number, hi: number, points: number, derivative: boolean) {
  return enableGrad(() => {
    const x = linspace(lo, hi, points, { dtype: "float64", requiresGrad: derivative });
    const fx = f(x);
    if (fx.size !== points) fail(op, `"${name}" returned ${fx.size} values for ${points} inputs; f must act elementwise`);
    let dfx: Float64Array | null = null;
    if (derivative) {
      if (fx.requiresGrad) fx.sum().backward();
      dfx = x.grad === null ? new Float64Array(points) : Float64Array.from(x.grad.data);
    }
    return { x: Float64Array.from(x.data), fx: Float64Array.from(fx.data), dfx };
  });
}
