/**
 * Gradient checks (float64, max relative error ≤ 1e-6) for every reduction,
 * along single and multiple axes, with and without keepdims, plus exact values.
 */
import { describe, expect, it } from "vitest";
import { type Tensor, logsumexp, tensor, variance } from "kernel-lib";
import { distinctLeaf, expectClose, gradOk, leaf, reportGradErrors } from "../../helpers/reference";

reportGradErrors("reduction gradchecks");

type Axes = number | number[] | undefined;
const axisCases: [string, Axes, boolean][] = [
  ["all axes", undefined, false],
  ["axis 0", 0, false],
  ["axis 1, keepdims", 1, true],
  ["axis -1", -1, false],
  ["axes [0, 2]", [0, 2], false],
  ["axes [0, 2], keepdims", [0, 2], true],
  ["axes [1, -1], keepdims", [1, -1], true],
];

type Reducer = (x: Tensor, axis: Axes, keepdims: boolean) => Tensor;
const reducers: [string, Reducer, (shape: number[]) => Tensor][] = [
  ["sum", (x, a, k) => x.sum(a, { keepdims: k }), (s) => leaf(s)],
  ["mean", (x, a, k) => x.mean(a, { keepdims: k }), (s) => leaf(s)],
  ["var (unbiased)", (x, a, k) => x.var(a, { keepdims: k }), (s) => leaf(s)],
  ["var (biased)", (x, a, k) => x.var(a, { keepdims: k, unbiased: false }), (s) => leaf(s)],
  ["std (unbiased)", (x, a, k) => x.std(a, { keepdims: k }), (s) => leaf(s)],
  ["std (biased)", (x, a, k) => x.std(a, { keepdims: k, unbiased: false }), (s) => leaf(s)],
  ["max", (x, a, k) => x.max(a, { keepdims: k }), (s) => distinctLeaf(s)],
  ["min", (x, a, k) => x.min(a, { keepdims: k }), (s) => distinctLeaf(s)],
  ["logsumexp", (x, a, k) => x.logsumexp(a, { keepdims: k }), (s) => leaf(s)],
];

describe.each(reducers)("%s", (_name, reduce, make) => {
  it.each(axisCases)("over %s of a [2,3,4] tensor", (_label, axis, keepdims) => {
    gradOk((x) => reduce(x, axis, keepdims), [make([2, 3, 4])]);
  });
});

describe("reductions: special cases", () => {
  it("sum of a 0-d tensor", () => gradOk((x) => x.sum(), [leaf([])]));
  it("norm (the Euclidean length)", () => gradOk((x) => x.norm(), [leaf([3, 4])]));
  it("logsumexp of large values: shifting by 1000 shifts the value and leaves the gradient (softmax)", () => {
    const x = leaf([3, 5]);
    const shifted = leaf([3, 5]);
    shifted.data.set(x.data.map((v) => v + 1000));
    logsumexp(x, 1).sum().backward();
    const out = logsumexp(shifted, 1);
    out.sum().backward();
    expectClose(out, logsumexp(x.detach(), 1).add(1000), 1e-15);
    expectClose(shifted.grad!, x.grad!, 1e-12);
  });
  it("biased variance of a single element is 0 with gradient 0", () => {
    const x = leaf([1]);
    const v = variance(x, 0, { unbiased: false });
    expect(v.item()).toBe(0);
    v.backward();
    expect(x.grad!.toArray()).toEqual([0]);
  });
  it("max and min split the gradient evenly between tied maxima, like torch.amax", () => {
    const x = tensor([[1, 3, 3], [2, 0, 1]], { requiresGrad: true });
    x.max(1).sum().backward();
    expect(x.grad!.toArray()).toEqual([[0, 0.5, 0.5], [1, 0, 0]]);
    const y = tensor([0, 0, 5], { requiresGrad: true });
    y.min().backward();
    expect(y.grad!.toArray()).toEqual([0.5, 0.5, 0]);
  });
});

describe("reductions: exact values", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" });
  it("sum and mean along each axis, with and without keepdims", () => {
    expect(x.sum().item()).toBe(21);
    expect(x.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(x.sum(1, { keepdims: true }).toArray()).toEqual([[6], [15]]);
    expect(x.mean(-1).toArray()).toEqual([2, 5]);
    expect(x.sum([0, 1], { keepdims: true }).shape).toEqual([1, 1]);
  });
  it("var and std: unbiased (PyTorch's default) and biased", () => {
    expect(x.var(1).toArray()).toEqual([1, 1]);
    expectClose(x.var(1, { unbiased: false }), [2 / 3, 2 / 3], 1e-15);
    expectClose(x.var(), 17.5 / 5, 1e-15);
    expectClose(x.std(0), [Math.SQRT2 * 1.5, Math.SQRT2 * 1.5, Math.SQRT2 * 1.5], 1e-15);
  });
  it("max, min, argmax (int32, first index on ties), argmin", () => {
    expect(x.max(0).toArray()).toEqual([4, 5, 6]);
    expect(x.min(1).toArray()).toEqual([1, 4]);
    const y = tensor([[1, 7, 7], [9, 2, 9]]);
    const am = y.argmax(1);
    expect(am.dtype).toBe("int32");
    expect(am.toArray()).toEqual([1, 0]);
    expect(y.argmax().item()).toBe(3); // over the flattened tensor
    expect(y.argmin(0).toArray()).toEqual([0, 1, 0]);
    expect(y.argmax(1, { keepdims: true }).shape).toEqual([2, 1]);
  });
  it("logsumexp equals log Σ exp, even where exp overflows", () => {
    expectClose(logsumexp(x, 1), [Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), Math.log(Math.exp(4) + Math.exp(5) + Math.exp(6))], 1e-14);
    expectClose(logsumexp(tensor([1000, 1000], { dtype: "float64" })), 1000 + Math.LN2, 1e-14);
    expect(logsumexp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
  });
  it("reducing an int32 tensor gives float32", () => {
    const s = tensor([1, 2, 3], { dtype: "int32" }).sum();
    expect(s.dtype).toBe("float32");
    expect(s.item()).toBe(6);
  });
});
