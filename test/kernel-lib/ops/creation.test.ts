/**
 * Creating tensors, reading values out, dtype rules and toString.
 */
import { describe, expect, it } from "vitest";
import { Tensor, arange, eye, full, fullLike, linspace, ones, onesLike, tensor, zeros, zerosLike } from "kernel-lib";

describe("tensor() from nested arrays", () => {
  it("infers the shape and defaults to float32", () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe("float32");
    expect(t.ndim).toBe(2);
    expect(t.size).toBe(6);
    expect(t.numel()).toBe(6);
    expect(t.strides).toEqual([3, 1]);
  });
  it("a plain number is a 0-d tensor", () => {
    const t = tensor(2.5);
    expect(t.shape).toEqual([]);
    expect(t.item()).toBe(2.5);
  });
  it("empty arrays give size-0 axes", () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
  });
  it("takes a dtype, and a flat list with an explicit shape", () => {
    const t = tensor([1, 2, 3, 4], { shape: [2, 2], dtype: "float64" });
    expect(t.dtype).toBe("float64");
    expect(t.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(tensor([7, 8], { dtype: "int32" }).data).toBeInstanceOf(Int32Array);
  });
  it("a typed array without a shape is 1-D", () => {
    expect(tensor(new Float64Array([1, 2, 3])).toArray()).toEqual([1, 2, 3]);
    expect(tensor(Int32Array.from([4, 5]), { dtype: "int32" }).toArray()).toEqual([4, 5]);
  });
  it("float32 storage rounds values (0.1 is not exact)", () => {
    expect(tensor([0.1]).item()).toBe(Math.fround(0.1));
    expect(tensor([0.1], { dtype: "float64" }).item()).toBe(0.1);
  });
  it("requiresGrad makes a leaf", () => {
    const t = tensor([1], { requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(t.grad).toBeNull();
  });
  it("refuses ragged nested arrays, saying where", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow("[tensor] ragged nested array: expected 2 entries at depth 1 (shape [2,2]), got 1");
    expect(() => tensor([1, [2, 3]])).toThrow(/ragged nested array: expected a number at depth 1, got an array/);
    expect(() => tensor([[1, 2], 3] as never)).toThrow(/ragged/);
  });
  it("refuses non-numbers and values that do not fill the shape", () => {
    expect(() => tensor(["a"] as never)).toThrow("[tensor] expected numbers or nested arrays of numbers, got string");
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow("[tensor] 3 values do not fill shape [2,2]");
  });
  it("refuses gradients on int32 tensors", () => {
    expect(() => tensor([1], { dtype: "int32", requiresGrad: true })).toThrow("only float tensors can require gradients");
  });
});

describe("creation functions", () => {
  it("zeros, ones, full", () => {
    expect(zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(ones([3], { dtype: "int32" }).toArray()).toEqual([1, 1, 1]);
    expect(full([2], 7, { dtype: "float64" }).toArray()).toEqual([7, 7]);
    expect(zeros([]).shape).toEqual([]);
    expect(() => zeros([2, -1])).toThrow("[zeros] invalid shape [2,-1]: sizes must be non-negative integers");
    expect(() => ones([1.5])).toThrow(/invalid shape \[1.5\]/);
  });
  it("zerosLike, onesLike, fullLike keep shape and dtype", () => {
    const x = tensor([[1, 2]], { dtype: "float64" });
    expect(zerosLike(x).toArray()).toEqual([[0, 0]]);
    expect(onesLike(x).dtype).toBe("float64");
    expect(fullLike(x, 3, "int32").toArray()).toEqual([[3, 3]]);
  });
  it("arange: end only, start and end, fractional and negative steps", () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(arange(0, 1, 0.25).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(3, 1).toArray()).toEqual([]);
    expect(arange(4, undefined, 1, { dtype: "int32" }).dtype).toBe("int32");
    expect(() => arange(0, 5, 0)).toThrow("[arange] Invalid step: 0 (must be a non-zero finite number)");
  });
  it("linspace includes both ends", () => {
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(3, 3, 1).toArray()).toEqual([3]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
    expect(linspace(-1, 1, 3, { dtype: "float64" }).toArray()).toEqual([-1, 0, 1]);
    expect(() => linspace(0, 1, -1)).toThrow("[linspace] Invalid steps: -1 (must be an integer ≥ 0)");
  });
  it("eye: square and rectangular", () => {
    expect(eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(eye(3, 2).toArray()).toEqual([[1, 0], [0, 1], [0, 0]]);
  });
});

describe("values out", () => {
  it("item() of one-element tensors of any rank, and its error otherwise", () => {
    expect(tensor([[4]]).item()).toBe(4);
    expect(tensor(5, { dtype: "int32" }).item()).toBe(5);
    expect(() => tensor([1, 2]).item()).toThrow("[item] only one-element tensors convert to a number; this one has shape [2]");
  });
  it("toArray() nests like the shape; toFlatArray() is row-major", () => {
    const t = arange(12).reshape(2, 3, 2);
    expect(t.toArray()).toEqual([[[0, 1], [2, 3], [4, 5]], [[6, 7], [8, 9], [10, 11]]]);
    expect(t.toFlatArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(tensor(3).toArray()).toBe(3);
    expect(tensor([[], []]).toArray()).toEqual([[], []]);
  });
});

describe("dtype rules", () => {
  const f32 = tensor([1, 2]);
  const f64 = tensor([1, 2], { dtype: "float64" });
  const i32 = tensor([1, 2], { dtype: "int32" });
  it("float64 wins over float32; int32 arithmetic happens in float32", () => {
    expect(f32.add(f64).dtype).toBe("float64");
    expect(f64.mul(f32).dtype).toBe("float64");
    expect(i32.add(i32).dtype).toBe("float32");
    expect(i32.add(f64).dtype).toBe("float64");
  });
  it("plain numbers adopt the tensor's dtype (no promotion, as in PyTorch)", () => {
    expect(f32.mul(0.1).dtype).toBe("float32");
    expect(f64.add(1).dtype).toBe("float64");
    expect(f64.mul(0.1).data[0]).toBe(0.1);
  });
  it("math functions preserve float64 and give float32 for int32", () => {
    expect(f64.exp().dtype).toBe("float64");
    expect(i32.sqrt().dtype).toBe("float32");
    expect(f64.sum().dtype).toBe("float64");
  });
  it("argmax and argmin give int32", () => {
    expect(f64.argmax().dtype).toBe("int32");
    expect(f32.argmin(0).dtype).toBe("int32");
  });
  it("to(), float(), double(), int() convert", () => {
    expect(f32.double().dtype).toBe("float64");
    expect(f64.float().dtype).toBe("float32");
    expect(tensor([2.9, -2.9]).int().toArray()).toEqual([2, -2]);
    expect(f32.to("float32")).toBe(f32); // no copy when nothing changes
  });
});

describe("toString", () => {
  it("a float32 matrix: aligned columns, 4 decimals", () => {
    expect(String(tensor([[1, -2.5], [0, 3]]))).toMatchInlineSnapshot(`
      "tensor([[ 1.0000, -2.5000],
              [ 0.0000,  3.0000]])"
    `);
  });
  it("int32, float64 and requiresGrad are shown", () => {
    expect(String(tensor([1, 2, 3], { dtype: "int32" }))).toMatchInlineSnapshot(`"tensor([1, 2, 3], dtype=int32)"`);
    expect(String(tensor(3.5, { dtype: "float64", requiresGrad: true }))).toMatchInlineSnapshot(`"tensor(3.5000, dtype=float64, requiresGrad=true)"`);
  });
  it("the op that produced a tensor is shown as gradFn", () => {
    expect(String(tensor([[1, 2]], { requiresGrad: true }).mul(2))).toMatchInlineSnapshot(`"tensor([[2.0000, 4.0000]], gradFn=mul)"`);
  });
  it("three axes: blocks separated by a blank line", () => {
    expect(String(arange(8).reshape(2, 2, 2))).toMatchInlineSnapshot(`
      "tensor([[[0.0000, 1.0000],
               [2.0000, 3.0000]],

              [[4.0000, 5.0000],
               [6.0000, 7.0000]]])"
    `);
  });
  it("small magnitudes switch to scientific notation; infinities print as inf", () => {
    expect(String(tensor([1e-5, 1]))).toMatchInlineSnapshot(`"tensor([1.0000e-5, 1.0000e+0])"`);
    expect(String(tensor([Infinity, -Infinity]))).toMatchInlineSnapshot(`"tensor([ inf, -inf])"`);
  });
  it("large tensors are summarized with their shape", () => {
    expect(String(arange(2000))).toMatchInlineSnapshot(`"tensor([   0.0000,    1.0000,    2.0000, ..., 1997.0000, 1998.0000, 1999.0000], shape=[2000])"`);
  });
  it("a name is shown", () => {
    const w = tensor([1]);
    w.name = "fc1.weight";
    expect(String(w)).toBe("tensor([1.0000], name=fc1.weight)");
  });
});

it("the Tensor constructor checks that data fills the shape", () => {
  expect(() => new Tensor(new Float32Array(3), [2, 2])).toThrow("[Tensor] data has 3 elements but shape [2,2] needs 4");
});
