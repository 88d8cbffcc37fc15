import { type DType, floatType, promote } from "../core/dtype";
import { fail } from "../core/errors";
import { broadcastShapes } from "../core/shape";
import { kernels, type BinaryOp, type UnaryOp } from "../backend";
import { record } from "../autograd/record";
import { Tensor, type TensorLike } from "../tensor";
import { empty } from "./convert";
import { sumToShape } from "./reduce";

/**
 * Elementwise operations with NumPy broadcasting. Each forward is a kernel
 * call; its backward, right below, multiplies the upstream gradient by the
 * local derivative and sums over broadcast axes (`sumToShape`).
 */

/** A plain number becomes a 0-d tensor of the other operand's dtype (no promotion, as in PyTorch). */
function lift(x: TensorLike, like: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== "number") fail("elementwise", `expected a Tensor or a number, got ${typeof x}`);
  const t = empty([], floatType(like.dtype));
  t.data[0] = x;
  return t;
}

function binaryForward(op: BinaryOp, a: Tensor, b: Tensor, dtype: DType = promote(a.dtype, b.dtype)): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = empty(shape, dtype);
  const k = kernels();
  k.binary(op, a.data, k.broadcastIndex(a.shape, shape), b.data, k.broadcastIndex(b.shape, shape), out.data);
  return out;
}

export function add(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y);
  const out = binaryForward("add", a, b);
  return record("add", [a, b], out, (g) => [sumToShape(g, a.shape), sumToShape(g, b.shape)]);
}

export function sub(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y);
  const out = binaryForward("sub", a, b);
  return record("sub", [a, b], out, (g) => [sumToShape(g, a.shape), b.requiresGrad ? sumToShape(neg(g), b.shape) : null]);
}

export function mul(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y);
  const out = binaryForward("mul", a, b);
  return record("mul", [a, b], out, (g) => [
    a.requiresGrad ? sumToShape(mul(g, b), a.shape) : null,
    b.requiresGrad ? sumToShape(mul(g, a), b.shape) : null,
  ]);
}

/** a / b; d/da = 1/b, d/db = −a/b² = −out/b. */
export function div(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y);
  const out = binaryForward("div", a, b);
  return record("div", [a, b], out, (g) => [
    a.requiresGrad ? sumToShape(div(g, b), a.shape) : null,
    b.requiresGrad ? sumToShape(neg(div(mul(g, out), b)), b.shape) : null,
  ]);
}

/** aᵇ; d/da = b·a^(b−1), d/db = aᵇ·ln a (only computed when b needs it: ln of a negative base is NaN). */
export function pow(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y);
  const out = binaryForward("pow", a, b);
  return record("pow", [a, b], out, (g) => [
    a.requiresGrad ? sumToShape(mul(g, mul(b, pow(a, sub(b, 1)))), a.shape) : null,
    b.requiresGrad ? sumToShape(mul(g, mul(out, log(a))), b.shape) : null,
  ]);
}

/** Elementwise larger value; on ties the gradient is split evenly, as in torch.maximum. */
export function maximum(x: TensorLike, y: TensorLike): Tensor {
  return extremum("maximum", x, y);
}

export function minimum(x: TensorLike, y: TensorLike): Tensor {
  return extremum("minimum", x, y);
}

function extremum(op: "maximum" | "minimum", x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y);
  const out = binaryForward(op, a, b);
  return record(op, [a, b], out, (g) => {
    // share_a = 1 where a wins, 0.5 on a tie, 0 where b wins.
    const shareA = mul(add(compare("eq", a, out), compare("ne", b, out)), 0.5);
    return [
      a.requiresGrad ? sumToShape(mul(g, shareA), a.shape) : null,
      b.requiresGrad ? sumToShape(mul(g, sub(1, shareA)), b.shape) : null,
    ];
  });
}

/** Comparisons give 1 where true and 0 where false (float); they are not differentiable. */
export function compare(op: "eq" | "ne" | "lt" | "le" | "gt" | "ge", x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y);
  return binaryForward(op, a, b);
}

/** Picks `a` where `cond` is non-zero, else `b`; all three broadcast together. */
export function where(cond: Tensor, x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y);
  const shape = broadcastShapes("where", broadcastShapes("where", cond.shape, a.shape), b.shape);
  const out = empty(shape, promote(a.dtype, b.dtype));
  const k = kernels();
  k.where(cond.data, k.broadcastIndex(cond.shape, shape), a.data, k.broadcastIndex(a.shape, shape), b.data, k.broadcastIndex(b.shape, shape), out.data);
  return record("where", [a, b], out, (g) => {
    const zero = empty([], g.dtype);
    return [
      a.requiresGrad ? sumToShape(where(cond, g, zero), a.shape) : null,
      b.requiresGrad ? sumToShape(where(cond, zero, g), b.shape) : null,
    ];
  });
}

/** Limits values to [min, max]; the gradient passes where min ≤ x ≤ max, as in torch.clamp. */
export function clamp(x: Tensor, min = -Infinity, max = Infinity): Tensor {
  if (Number.isNaN(min) || Number.isNaN(max) || min > max) fail("clamp", `need min ≤ max, got min=${min}, max=${max}`);
  const out = empty(x.shape, floatType(x.dtype));
  kernels().clamp(x.data, min, max, out.data);
  return record("clamp", [x], out, (g) => [mul(g, mul(compare("ge", x, min), compare("le", x, max)))]);
}

function operands(x: TensorLike, y: TensorLike): [Tensor, Tensor] {
  if (!(x instanceof Tensor) && !(y instanceof Tensor)) fail("elementwise", "at least one operand must be a Tensor");
  const a = x instanceof Tensor ? x : lift(x, y as Tensor);
  const b = y instanceof Tensor ? y : lift(y, a);
  return [a, b];
}

// ---- unary functions ------------------------------------------------------

function unaryForward(op: UnaryOp, x: Tensor): Tensor {
  const out = empty(x.shape, floatType(x.dtype));
  kernels().unary(op, x.data, out.data);
  return out;
}

/** Defines a unary op from its kernel and its derivative rule dOut/dx · g. */
function unaryOp(op: UnaryOp, derivative: ((x: Tensor, out: Tensor, g: Tensor) => Tensor) | null): (x: Tensor) => Tensor {
  return (x: Tensor) => {
    const out = unaryForward(op, x);
    if (derivative === null) return out;
    return record(op, [x], out, (g) => [derivative(x, out, g)]);
  };
}

export const neg = unaryOp("neg", (_x, _out, g) => unaryForward("neg", g));
export const exp = unaryOp("exp", (_x, out, g) => mul(g, out));
export const log = unaryOp("log", (x, _out, g) => div(g, x));
/** d√x/dx = 1/(2√x). */
export const sqrt = unaryOp("sqrt", (_x, out, g) => div(g, mul(out, 2)));
/** NOTE: |x|' is taken as sign(x), so 0 at x = 0, as PyTorch does. */
export const abs = unaryOp("abs", (x, _out, g) => mul(g, sign(x)));
export const sign = unaryOp("sign", null);
export const sin = unaryOp("sin", (x, _out, g) => mul(g, cos(x)));
export const cos = unaryOp("cos", (x, _out, g) => neg(mul(g, sin(x))));
/** tanh' = 1 − tanh². */
export const tanh = unaryOp("tanh", (_x, out, g) => mul(g, sub(1, mul(out, out))));
/** σ' = σ(1 − σ): at most 0.25, the root of vanishing gradients in deep sigmoid nets. */
export const sigmoid = unaryOp("sigmoid", (_x, out, g) => mul(g, mul(out, sub(1, out))));
/** NOTE: the backward g · step(x) is one fused kernel pass ("reluBackward") instead of a step and a mul. */
export const relu = unaryOp("relu", (x, _out, g) => binaryForward("reluBackward", g, x));
/** erf'(x) = 2/√π · e^(−x²). */
export const erf = unaryOp("erf", (x, _out, g) => mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI))));
export const log1p = unaryOp("log1p", (x, _out, g) => div(g, add(x, 1)));
export const expm1 = unaryOp("expm1", (_x, out, g) => mul(g, add(out, 1)));
/** softplus(x) = ln(1 + eˣ); its derivative is σ(x). */
export const softplus = unaryOp("softplus", (x, _out, g) => mul(g, sigmoid(x)));
export const floor = unaryOp("floor", null);
export const round = unaryOp("round", null);
export const isnan = unaryOp("isnan", null);
