/**
 * Gradient checks (float64, max relative error ≤ 1e-6) for every
 * differentiable elementwise op, including broadcasting in both directions,
 * plain-number operands and 0-d tensors.
 */
import { describe, expect, it } from "vitest";
import * as K from "kernel-lib";
import { type Tensor, clamp, maximum, minimum, pow, tensor, where } from "kernel-lib";
import { gradOk, leaf, reportGradErrors } from "../../helpers/reference";

reportGradErrors("elementwise gradchecks");

type Binary = (a: Tensor, b: Tensor) => Tensor;
const binaries: [string, Binary][] = [
  ["add", (a, b) => a.add(b)],
  ["sub", (a, b) => a.sub(b)],
  ["mul", (a, b) => a.mul(b)],
  ["div", (a, b) => a.div(b)],
];

/** Shape pairs: same, broadcast either way, both stretched, against a 0-d tensor. */
const shapePairs: [number[], number[]][] = [
  [[3, 4], [3, 4]],
  [[3, 1, 4], [5, 1]],
  [[5, 1], [3, 1, 4]],
  [[2, 3], [3]],
  [[4, 1], [1, 3]],
  [[2, 3], []],
  [[], [2, 3]],
];

describe("binary arithmetic: gradients w.r.t. both operands", () => {
  for (const [op, f] of binaries) {
    for (const [sa, sb] of shapePairs) {
      it(`${op} [${sa}] with [${sb}]`, () => {
        // Divisors stay away from 0, where 1/b explodes.
        gradOk(f, [leaf(sa), leaf(sb, op === "div" ? { lo: 0.5, hi: 2 } : {})]);
      });
    }
  }

  it("pow with both a tensor base and a tensor exponent, broadcast", () => {
    gradOk((a, b) => pow(a, b), [leaf([3, 1, 4], { lo: 0.5, hi: 2 }), leaf([5, 1], { lo: -1.5, hi: 2.5 })]);
  });
  it("pow with a negative base and an integer exponent (base gradient only)", () => {
    gradOk((a) => a.pow(3), [leaf([2, 3], { lo: -2, hi: -0.5 })]);
  });
  it("pow with a fractional exponent", () => gradOk((a) => a.pow(0.5), [leaf([4], { lo: 0.5, hi: 3 })]));
  it("pow with a number base: 2^x", () => gradOk((x) => pow(2, x), [leaf([3, 2])]));
});

describe("plain numbers as operands", () => {
  it("x + 3", () => gradOk((x) => x.add(3), [leaf([2, 3])]));
  it("x - 3 and 3 - x", () => {
    gradOk((x) => x.sub(3), [leaf([2, 3])]);
    gradOk((x) => K.sub(3, x), [leaf([2, 3])]);
  });
  it("2.5 * x", () => gradOk((x) => K.mul(2.5, x), [leaf([2, 3])]));
  it("x / 4 and 4 / x", () => {
    gradOk((x) => x.div(4), [leaf([2, 3])]);
    gradOk((x) => K.div(4, x), [leaf([2, 3], { lo: 0.5, hi: 2 })]);
  });
});

describe("0-d tensors", () => {
  it("0-d times 0-d", () => gradOk((a, b) => a.mul(b), [leaf([]), leaf([])]));
  it("0-d divided by a matrix", () => gradOk((a, b) => a.div(b), [leaf([]), leaf([2, 2], { lo: 0.5, hi: 2 })]));
  it("unary op on a 0-d tensor", () => gradOk((a) => a.tanh(), [leaf([])]));
});

describe("maximum, minimum, where, clamp", () => {
  // Values of a lie in [-2, -0.5) ∪ [0.5, 2); b is in [-0.4, 0.4): never a tie.
  const a = () => leaf([3, 1, 4], { awayFrom: [0], gap: 0.5 });
  const b = () => leaf([5, 1], { lo: -0.4, hi: 0.4 });
  it("maximum, broadcast", () => gradOk((x, y) => maximum(x, y), [a(), b()]));
  it("minimum, broadcast", () => gradOk((x, y) => minimum(x, y), [a(), b()]));
  it("maximum with a number", () => gradOk((x) => x.maximum(0.1), [leaf([6], { awayFrom: [0.1] })]));
  it("where, with a broadcast condition", () => {
    const cond = tensor([[1], [0], [1]]);
    gradOk((x, y) => where(cond, x, y), [leaf([3, 4]), leaf([4])]);
  });
  it("where with a number branch", () => {
    const cond = tensor([1, 0, 0, 1]);
    gradOk((x) => where(cond, x, 0), [leaf([4])]);
  });
  it("clamp with both bounds", () => gradOk((x) => clamp(x, -1, 1), [leaf([4, 5], { awayFrom: [-1, 1] })]));
  it("clamp with only a lower bound", () => gradOk((x) => x.clamp(0.2), [leaf([10], { awayFrom: [0.2] })]));
  it("clamp with only an upper bound", () => gradOk((x) => clamp(x, undefined, 0.3), [leaf([10], { awayFrom: [0.3] })]));
});

describe("unary functions (inputs away from kinks and outside the domain's edge)", () => {
  const cases: [string, (x: Tensor) => Tensor, Parameters<typeof leaf>[1]][] = [
    ["neg", (x) => x.neg(), {}],
    ["exp", (x) => x.exp(), {}],
    ["log", (x) => x.log(), { lo: 0.2, hi: 3 }],
    ["sqrt", (x) => x.sqrt(), { lo: 0.2, hi: 3 }],
    ["abs", (x) => x.abs(), { awayFrom: [0] }],
    ["sin", (x) => x.sin(), { lo: -3, hi: 3 }],
    ["cos", (x) => x.cos(), { lo: -3, hi: 3 }],
    ["tanh", (x) => x.tanh(), {}],
    ["sigmoid", (x) => x.sigmoid(), { lo: -4, hi: 4 }],
    ["relu", (x) => x.relu(), { awayFrom: [0] }],
    ["erf", (x) => K.erf(x), { lo: -2.2, hi: 2.2 }],
    ["log1p", (x) => K.log1p(x), { lo: -0.8, hi: 3 }],
    ["expm1", (x) => K.expm1(x), {}],
    ["softplus", (x) => K.softplus(x), { lo: -5, hi: 5 }],
    ["square", (x) => x.square(), {}],
  ];
  for (const [name, f, opts] of cases) it(name, () => gradOk(f, [leaf([3, 4], opts)]));

  it("erf across its two approximations (|x| near 2.5) and in the tail", () => {
    // erf is within 1e-3 of ±1 here: a wider step keeps roundoff out of the finite differences.
    gradOk((x) => K.erf(x), [leaf([8], { lo: 2.3, hi: 2.7 })], { eps: 1e-4 });
    gradOk((x) => K.erf(x), [leaf([6], { lo: -3.5, hi: -2.6 })], { eps: 1e-4 });
  });
  it("softplus and sigmoid for large |x| (the stable branches)", () => {
    gradOk((x) => K.softplus(x), [leaf([6], { lo: 15, hi: 30 })]);
    gradOk((x) => x.sigmoid(), [leaf([6], { lo: -12, hi: -8 })]);
  });
});

describe("compositions", () => {
  it("a small expression graph with shared subexpressions", () => {
    gradOk((x, y) => x.mul(y).add(x.sin()).div(y.exp().add(1)).sub(x.mul(x)), [leaf([2, 3]), leaf([3])]);
  });
  it("an input used by both operands of one op", () => gradOk((x) => x.mul(x).add(x.div(x.abs().add(1))), [leaf([5])]));
});

describe("exact forward values", () => {
  it("arithmetic and broadcasting", () => {
    expect(tensor([[1, 2], [3, 4]]).add(tensor([10, 20])).toArray()).toEqual([[11, 22], [13, 24]]);
    expect(tensor([1, 2, 3]).sub(1).toArray()).toEqual([0, 1, 2]);
    expect(K.sub(1, tensor([1, 2, 3])).toArray()).toEqual([0, -1, -2]);
    expect(tensor([6, 8]).div(tensor([3, -2])).toArray()).toEqual([2, -4]);
    expect(tensor([2, 3]).pow(2).toArray()).toEqual([4, 9]);
    expect(tensor([[1], [2]]).mul(tensor([1, 10, 100])).toArray()).toEqual([[1, 10, 100], [2, 20, 200]]);
  });
  it("maximum and minimum propagate NaN, like torch.maximum", () => {
    expect(maximum(tensor([NaN, 1]), tensor([0, 2])).toArray()).toEqual([NaN, 2]);
    expect(minimum(tensor([1, 5]), tensor([NaN, 2])).toArray()).toEqual([NaN, 2]);
  });
  it("a tie in maximum splits the gradient evenly", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([1, 3], { requiresGrad: true });
    maximum(a, b).sum().backward();
    expect(a.grad!.toArray()).toEqual([0.5, 0]);
    expect(b.grad!.toArray()).toEqual([0.5, 1]);
  });
  it("relu and abs have gradient 0 at exactly 0 (PyTorch's convention)", () => {
    const x = tensor([0, -1, 2], { requiresGrad: true });
    x.relu().sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 1]);
    const y = tensor([0, -1, 2], { requiresGrad: true });
    y.abs().sum().backward();
    expect(y.grad!.toArray()).toEqual([0, -1, 1]);
  });
  it("clamp passes the gradient at the bound itself (min ≤ x ≤ max)", () => {
    const x = tensor([-2, -1, 0, 1, 2], { requiresGrad: true });
    x.clamp(-1, 1).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 1, 1, 1, 0]);
  });
  it("the stable branches of sigmoid and softplus do not overflow", () => {
    expect(tensor([-1000, 0, 1000], { dtype: "float64" }).sigmoid().toArray()).toEqual([0, 0.5, 1]);
    expect(K.softplus(tensor([-1000, 0, 1000], { dtype: "float64" })).toArray()).toEqual([0, Math.LN2, 1000]);
  });
  it("erf matches known values to 1e-12", () => {
    const x = tensor([0, 0.5, 1, 2, 3, -1], { dtype: "float64" });
    const known = [0, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014, -0.8427007929497149];
    K.erf(x).toFlatArray().forEach((v, i) => expect(Math.abs(v - known[i])).toBeLessThan(1e-12));
  });
  it("comparisons give 1 and 0", () => {
    const x = tensor([1, 2, 3]);
    expect(x.gt(2).toArray()).toEqual([0, 0, 1]);
    expect(x.le(2).toArray()).toEqual([1, 1, 0]);
    expect(x.eq(tensor([1, 0, 3])).toArray()).toEqual([1, 0, 1]);
    expect(tensor([NaN, 1]).isnan().toArray()).toEqual([1, 0]);
  });
});
