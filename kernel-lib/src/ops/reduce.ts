import { floatType } from "../core/dtype";
import { fail, fmtShape } from "../core/errors";
import { type Shape, normalizeAxes, normalizeAxis, sameShape } from "../core/shape";
import { kernels } from "../backend";
import { record } from "../autograd/record";
import type { ReduceOptions, Tensor, VarOptions } from "../tensor";
import { empty } from "./convert";
import { compare, div, log, mul, sqrt, sub, exp, add } from "./elementwise";
import { expand, reshape } from "./shape";

/**
 * Reductions along axes. The kernels scatter each input element into its
 * output slot through an index map; the shape with reduced axes kept as 1 is
 * what makes that map (and every backward here) a plain broadcast.
 */

type Axes = number | readonly number[] | undefined;

/** The input shape with every reduced axis set to 1. */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function finalShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  return keepdims ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

/** Σ over `axis` (all axes by default). Backward: the gradient is copied to every summed element. */
export function sum(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  const axes = normalizeAxes("sum", axis, x.ndim);
  const kept = keptShape(x.shape, axes);
  const out = empty(finalShape(x.shape, axes, options.keepdims ?? false), floatType(x.dtype));
  kernels().sumInto(x.data, kernels().broadcastIndex(kept, x.shape), out.data);
  return record("sum", [x], out, (g) => [expand(reshape(g, kept), x.shape)]);
}

/** How many elements each output of a reduction over `axes` combines. */
function countOf(shape: Shape, axes: readonly number[]): number {
  return axes.reduce((n, a) => n * shape[a], 1);
}

export function mean(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  const axes = normalizeAxes("mean", axis, x.ndim);
  const n = countOf(x.shape, axes);
  if (n === 0) fail("mean", `cannot average over an empty axis of ${fmtShape(x.shape)}`);
  return div(sum(x, axes, options), n);
}

/**
 * Variance (1/(N − c)) Σ (x − mean)², with c = 1 when `unbiased` (PyTorch's
 * default) and c = 0 for the biased estimate that batch norm uses.
 */
export function variance(x: Tensor, axis?: Axes, options: VarOptions = {}): Tensor {
  const axes = normalizeAxes("var", axis, x.ndim);
  const n = countOf(x.shape, axes);
  const correction = options.unbiased ?? true ? 1 : 0;
  if (n - correction <= 0) fail("var", `needs more than ${correction} element(s) along the reduced axes of ${fmtShape(x.shape)}; use unbiased: false for a single element`);
  const centered = sub(x, mean(x, axes, { keepdims: true }));
  return div(sum(mul(centered, centered), axes, { keepdims: options.keepdims }), n - correction);
}

export function std(x: Tensor, axis?: Axes, options: VarOptions = {}): Tensor {
  return sqrt(variance(x, axis, options));
}

/** Largest value along `axis`; the gradient goes to the maximal elements (split evenly on ties, like torch.amax). */
export function max(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  return extreme("max", x, axis, options, 1);
}

export function min(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  return extreme("min", x, axis, options, -1);
}

function extreme(op: "max" | "min", x: Tensor, axis: Axes, options: ReduceOptions, sign: 1 | -1): Tensor {
  const axes = normalizeAxes(op, axis, x.ndim);
  if (countOf(x.shape, axes) === 0) fail(op, `cannot take the ${op} over an empty axis of ${fmtShape(x.shape)}`);
  const kept = keptShape(x.shape, axes);
  const out = empty(finalShape(x.shape, axes, options.keepdims ?? false), x.dtype);
  kernels().maxInto(x.data, kernels().broadcastIndex(kept, x.shape), out.data, null, sign);
  return record(op, [x], out, (g) => {
    const winners = compare("eq", x, reshape(out, kept));
    const ties = sum(winners, axes, { keepdims: true });
    return [div(mul(winners, reshape(g, kept)), ties)];
  });
}

/** Position of the largest value along `axis` (over the flattened tensor when omitted); int32, first on ties. */
export function argmax(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argExtreme("argmax", x, axis, options, 1);
}

export function argmin(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argExtreme("argmin", x, axis, options, -1);
}

function argExtreme(op: string, x: Tensor, axis: number | undefined, options: ReduceOptions, sign: 1 | -1): Tensor {
  if (x.size === 0) fail(op, "cannot take the position of an extreme in an empty tensor");
  const flat = axis === undefined;
  const input = flat ? reshape(x, [x.size]) : x;
  const axes = [normalizeAxis(op, flat ? 0 : axis, input.ndim)];
  const kept = keptShape(input.shape, axes);
  const values = empty(kept, x.dtype);
  const positions = empty(finalShape(input.shape, axes, options.keepdims ?? false), "int32");
  kernels().maxInto(input.data, kernels().broadcastIndex(kept, input.shape), values.data, positions.data as Int32Array, sign);
  return positions;
}

/** log Σ exp(x), computed as m + log Σ exp(x − m) with m the max, so exp never overflows. */
export function logsumexp(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  const axes = normalizeAxes("logsumexp", axis, x.ndim);
  const m = max(x, axes, { keepdims: true }).detach();
  // NOTE: an all −∞ row has m = −∞; shifting by 0 instead keeps exp(−∞) = 0 and the result −∞.
  for (let i = 0; i < m.size; i++) if (!Number.isFinite(m.data[i])) m.data[i] = 0;
  const s = log(sum(exp(sub(x, m)), axes, { keepdims: true }));
  const out = add(s, m);
  return options.keepdims ? out : reshape(out, finalShape(x.shape, axes, false));
}

/**
 * Undoes broadcasting in a gradient: sums `g` over the axes along which an
 * operand of shape `shape` was stretched. The one helper every broadcasting
 * op's backward uses.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return reshape(sum(g, axes, { keepdims: true }), shape);
}
