/**
 * Gradient checks (float64, max relative error ≤ 1e-6) for the shape and
 * indexing ops, clone and dtype conversion, plus their exact forward values.
 */
import { describe, expect, it } from "vitest";
import { Tensor, arange, concat, expand, flatten, gather, indexSelect, permute, reshape, select, slice, squeeze, stack, tensor, transpose, unsqueeze } from "kernel-lib";
import { gradOk, leaf, reportGradErrors } from "../../helpers/reference";

reportGradErrors("shape/indexing gradchecks");

const int32 = (values: number[][] | number[]) => tensor(values, { dtype: "int32" });

describe("shape ops", () => {
  it("reshape, with an inferred size", () => gradOk((x) => reshape(x, [4, -1]), [leaf([2, 3, 2])]));
  it("view (same as reshape)", () => gradOk((x) => x.view(3, 4).mul(x.view(3, 4)), [leaf([12])]));
  it("flatten all axes", () => gradOk((x) => flatten(x), [leaf([2, 3, 2])]));
  it("flatten axes 1..2", () => gradOk((x) => flatten(x, 1, 2), [leaf([2, 3, 2, 2])]));
  it("squeeze all size-1 axes", () => gradOk((x) => squeeze(x), [leaf([1, 3, 1, 2])]));
  it("squeeze one axis", () => gradOk((x) => squeeze(x, 2), [leaf([1, 3, 1, 2])]));
  it("unsqueeze at the end (-1), then broadcast", () => {
    const w = leaf([2]).detach();
    gradOk((x) => unsqueeze(x, -1).mul(w), [leaf([3])]);
  });
  it("unsqueeze at the front", () => gradOk((x) => unsqueeze(x, 0), [leaf([2, 3])]));
  it("permute [2,0,1]", () => gradOk((x) => permute(x, [2, 0, 1]), [leaf([2, 3, 4])]));
  it("permute with negative dims", () => gradOk((x) => x.permute(-1, 0, 1), [leaf([2, 3, 4])]));
  it("transpose the last two axes", () => gradOk((x) => transpose(x), [leaf([2, 3, 4])]));
  it("transpose axes 0 and 2", () => gradOk((x) => x.transpose(0, 2), [leaf([2, 3, 4])]));
  it(".T of a matrix", () => gradOk((x) => x.T, [leaf([3, 5])]));
  it("expand a size-1 axis and add leading axes", () => gradOk((x) => expand(x, [2, 3, 4]), [leaf([3, 1])]));
  it("expand with -1 keeping a size", () => gradOk((x) => x.expand(-1, 5), [leaf([3, 1])]));
  it("expand a 0-d tensor", () => gradOk((x) => expand(x, [2, 2]), [leaf([])]));
});

describe("indexing ops", () => {
  it("slice with a step", () => gradOk((x) => slice(x, 1, 1, 7, 2), [leaf([2, 8])]));
  it("slice with negative bounds", () => gradOk((x) => slice(x, 0, -3, -1), [leaf([5, 2])]));
  it("slice with bounds past the end (clamped, like Python)", () => gradOk((x) => x.slice(-1, -100, 100, 3), [leaf([2, 7])]));
  it("narrow", () => gradOk((x) => x.narrow(1, 1, 2), [leaf([3, 4])]));
  it("select a row and a column", () => {
    gradOk((x) => select(x, 0, 1), [leaf([3, 4])]);
    gradOk((x) => x.select(-1, -1), [leaf([3, 4])]);
  });
  it("indexSelect with repeated indices (their gradients add up)", () => {
    gradOk((x) => indexSelect(x, 0, [2, 0, 2, 2]), [leaf([3, 4])]);
    gradOk((x) => x.indexSelect(1, int32([1, 1, 0])), [leaf([2, 3, 2])]);
    // Blocks of 16 values and more are copied with set(): rows of 20, and blocks of 2·17 under axis 1.
    gradOk((x) => indexSelect(x, 0, [2, 0, 2, 1]), [leaf([3, 20])]);
    gradOk((x) => indexSelect(x, 1, [0, 2, 2]), [leaf([2, 3, 2, 17])]);
  });
  it("gather along the last axis and along axis 0", () => {
    gradOk((x) => gather(x, 1, int32([[0, 2, 2], [1, 1, 0]])), [leaf([2, 3])]);
    gradOk((x) => x.gather(0, int32([[1, 0, 1]])), [leaf([2, 3])]);
  });
  it("concat along axis 0 and axis 1", () => {
    gradOk((a, b) => concat([a, b], 0), [leaf([2, 3]), leaf([1, 3])]);
    gradOk((a, b, c) => concat([a, b, c], -1), [leaf([2, 1]), leaf([2, 3]), leaf([2, 2])]);
  });
  it("concat of a tensor with itself", () => gradOk((a) => concat([a, a.mul(2)], 1), [leaf([2, 2])]));
  it("stack along a new first and last axis", () => {
    gradOk((a, b) => stack([a, b]), [leaf([2, 3]), leaf([2, 3])]);
    gradOk((a, b) => stack([a, b], -1), [leaf([2, 3]), leaf([2, 3])]);
  });
});

describe("clone and dtype conversion", () => {
  it("clone", () => gradOk((x) => x.clone().mul(x), [leaf([3])]));
  it("to(float32) passes the gradient back as float64, converted", () => {
    const x = leaf([3]);
    x.to("float32").mul(tensor([1, 2, 3])).sum().backward();
    expect(x.grad!.dtype).toBe("float64");
    expect(x.grad!.toArray()).toEqual([1, 2, 3]);
  });
  it("to(float64) from float32 passes the gradient back as float32", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.double();
    expect(y.dtype).toBe("float64");
    y.mul(0.5).sum().backward();
    expect(x.grad!.dtype).toBe("float32");
    expect(x.grad!.toArray()).toEqual([0.5, 0.5]);
  });
  it("to(int32) truncates toward zero and has no history", () => {
    const y = tensor([1.7, -1.7, 2], { requiresGrad: true }).int();
    expect(y.toArray()).toEqual([1, -1, 2]);
    expect(y.requiresGrad).toBe(false);
  });
  it("clone has its own storage; reshape shares it (a view)", () => {
    const x = tensor([1, 2, 3, 4]);
    const c = x.clone();
    const v = x.reshape(2, 2);
    x.data[0] = 9;
    expect(c.data[0]).toBe(1);
    expect(v.data[0]).toBe(9);
  });
});

describe("exact values", () => {
  const x = arange(6).reshape(2, 3);
  it("reshape, flatten, squeeze, unsqueeze", () => {
    expect(x.reshape(3, 2).toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(x.reshape([-1]).shape).toEqual([6]);
    expect(flatten(arange(24).reshape(2, 3, 4), 1).shape).toEqual([2, 12]);
    expect(squeeze(arange(3).reshape(1, 3, 1)).shape).toEqual([3]);
    expect(squeeze(x, 0).shape).toEqual([2, 3]); // size 2 is left alone, as in PyTorch
    expect(unsqueeze(x, 1).shape).toEqual([2, 1, 3]);
    expect(unsqueeze(x, -1).shape).toEqual([2, 3, 1]);
  });
  it("transpose and permute", () => {
    expect(x.T.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    const y = arange(24).reshape(2, 3, 4);
    const p = y.permute(2, 0, 1);
    expect(p.shape).toEqual([4, 2, 3]);
    expect(p.toArray()).toEqual(
      [0, 1, 2, 3].map((k) => [0, 1].map((i) => [0, 1, 2].map((j) => i * 12 + j * 4 + k))),
    );
  });
  it("expand repeats along size-1 axes", () => {
    expect(tensor([[1], [2]]).expand(2, 3).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(tensor([1, 2]).expand([2, 2]).toArray()).toEqual([[1, 2], [1, 2]]);
  });
  it("slice, select, narrow follow Python's x[start:end:step]", () => {
    const r = arange(10);
    expect(r.slice(0, 2, 8, 3).toArray()).toEqual([2, 5]);
    expect(r.slice(0, -3).toArray()).toEqual([7, 8, 9]);
    expect(r.slice(0, undefined, -8).toArray()).toEqual([0, 1]);
    expect(r.slice(0, 8, 2).toArray()).toEqual([]);
    expect(x.select(1, -1).toArray()).toEqual([2, 5]);
    expect(x.narrow(1, 1, 2).toArray()).toEqual([[1, 2], [4, 5]]);
  });
  it("indexSelect, gather", () => {
    expect(x.indexSelect(1, [2, 0, 2]).toArray()).toEqual([[2, 0, 2], [5, 3, 5]]);
    // Rows of 20 values (copied as blocks): row 2, then row 0, then row 2 again.
    const rows = arange(60).reshape([3, 20]);
    const row = (r: number) => Array.from({ length: 20 }, (_, i) => 20 * r + i);
    expect(rows.indexSelect(0, [2, 0, 2]).toArray()).toEqual([row(2), row(0), row(2)]);
    expect(x.gather(1, int32([[2], [0]])).toArray()).toEqual([[2], [3]]);
  });
  it("concat and stack", () => {
    expect(concat([x, tensor([[6, 7, 8]])]).toArray()).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    expect(concat([x, x], 1).shape).toEqual([2, 6]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
  });
  it("concat promotes mixed dtypes and sends each input its gradient in its own dtype", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { dtype: "float64", requiresGrad: true });
    const c = concat([a, b]);
    expect(c.dtype).toBe("float64");
    c.mul(tensor([1, 2, 3], { dtype: "float64" })).sum().backward();
    expect(a.grad!.dtype).toBe("float32");
    expect(a.grad!.toArray()).toEqual([1, 2]);
    expect(b.grad!.toArray()).toEqual([3]);
  });
  it("shape ops keep int32 indices int32", () => {
    const i = tensor([[1, 2], [3, 4]], { dtype: "int32" });
    expect(i.T.dtype).toBe("int32");
    expect(i.slice(0, 1).dtype).toBe("int32");
    expect(i.reshape(4).dtype).toBe("int32");
  });
});

it("Tensor class is exported for type checks", () => expect(tensor(1)).toBeInstanceOf(Tensor));
