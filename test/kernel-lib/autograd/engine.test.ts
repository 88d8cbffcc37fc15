/**
 * The reverse-mode engine: how gradients accumulate, flow, stop and are kept.
 */
import { describe, expect, it } from "vitest";
import { Tensor, tensor } from "kernel-lib";

const param = (values: number[]) => tensor(values, { dtype: "float64", requiresGrad: true });

describe("gradients accumulate", () => {
  it("two backward calls add into .grad (call zeroGrad between steps)", () => {
    const x = param([1, 2]);
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 3]);
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([6, 6]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 4]);
  });
  it("a tensor used twice gets both contributions: d(x·x + x)/dx = 2x + 1", () => {
    const x = param([3, -1]);
    x.mul(x).add(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([7, -1]);
  });
  it("a diamond graph sums the two paths: y = a(x) + b(x)", () => {
    const x = param([2]);
    const h = x.mul(2);
    h.exp().add(h.square()).sum().backward();
    // d/dx [e^(2x) + 4x²] = 2e^(2x) + 8x
    expect(x.grad!.item()).toBeCloseTo(2 * Math.exp(4) + 16, 10);
  });
  it("the same leaf in two separate losses: gradients add like PyTorch's", () => {
    const w = param([1]);
    const loss1 = w.mul(2).sum();
    const loss2 = w.mul(5).sum();
    loss1.backward();
    loss2.backward();
    expect(w.grad!.item()).toBe(7);
  });
  it(".grad is owned by the leaf: changing it does not touch the upstream gradient", () => {
    const x = param([1, 2]);
    const g = tensor([1, 1], { dtype: "float64" });
    x.mul(1).backward(g);
    x.grad!.data[0] = 99;
    expect(g.toArray()).toEqual([1, 1]);
  });
  it("a float32 leaf receives a float32 gradient even through float64 ops", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.double().mul(tensor([0.1, 0.2], { dtype: "float64" })).sum().backward();
    expect(x.grad!.dtype).toBe("float32");
    expect(x.grad!.toArray()).toEqual([Math.fround(0.1), Math.fround(0.2)]);
  });
});

describe("what records history", () => {
  it("an op on a requiresGrad input records its name and inputs", () => {
    const x = param([1]);
    const y = x.exp();
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(y.gradFn!.op).toBe("exp");
    expect(y.gradFn!.inputs[0]).toBe(x);
  });
  it("ops on tensors without requiresGrad record nothing", () => {
    const y = tensor([1]).exp().add(1);
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });
  it("inputs that do not require grad get no gradient", () => {
    const x = param([1, 2]);
    const c = tensor([3, 4], { dtype: "float64" });
    x.mul(c).sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 4]);
    expect(c.grad).toBeNull();
  });
  it("detach() stops gradients (and shares storage)", () => {
    const x = param([2, 3]);
    x.detach().mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 3]); // only the path through the second factor
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.data).toBe(x.data);
  });
  it("requiresGrad_ turns gradients on for a leaf, and is refused on a non-leaf", () => {
    const x = tensor([1, 2], { dtype: "float64" }).requiresGrad_();
    x.square().sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 4]);
    expect(() => x.mul(2).requiresGrad_(false)).toThrow("[requiresGrad_] can only be changed on leaf tensors; use detach() first");
  });
});

describe("backward's arguments", () => {
  it("a scalar needs no upstream gradient; its seed is 1", () => {
    const x = param([4]);
    x.square().sum().backward();
    expect(x.grad!.item()).toBe(8);
  });
  it("a non-scalar takes an upstream gradient of its shape (a vector-Jacobian product)", () => {
    const x = param([1, 2, 3]);
    x.square().backward(tensor([1, 0.5, -1], { dtype: "float64" }));
    expect(x.grad!.toArray()).toEqual([2, 2, -6]);
  });
  it("a non-scalar without one is an error that says what to do", () => {
    const y = param([1, 2]).mul(2);
    expect(() => y.backward()).toThrow(
      "[backward] called without a gradient on a tensor of shape [2]; pass one of the same shape, or reduce to a scalar first (e.g. loss.mean())",
    );
    expect(() => y.backward(tensor([1, 2, 3]))).toThrow("[backward] gradient of shape [3] does not match the tensor's shape [2]");
  });
  it("a tensor that does not require grad cannot be differentiated", () => {
    expect(() => tensor([1]).sum().backward()).toThrow(/\[backward\] this tensor does not require grad/);
  });
  it("backward on a leaf itself fills its own grad", () => {
    const x = param([5]);
    x.backward();
    expect(x.grad!.item()).toBe(1);
  });
});

describe("retainGrad", () => {
  it("keeps the gradient of an intermediate tensor; others stay null", () => {
    const x = param([1, 2]);
    const h = x.mul(3).retainGrad();
    const other = h.add(1);
    other.square().sum().backward();
    // d/dh (h+1)² = 2(h + 1) = 2(3x + 1)
    expect(h.grad!.toArray()).toEqual([8, 14]);
    expect(other.grad).toBeNull();
    expect(x.grad!.toArray()).toEqual([24, 42]);
  });
});

describe("deep graphs", () => {
  it("a chain of 5000 ops does not overflow the stack", () => {
    const x = param([1]);
    let y: Tensor = x;
    for (let i = 0; i < 5000; i++) y = y.mul(1.0001);
    y.sum().backward();
    expect(x.grad!.item()).toBeCloseTo(Math.pow(1.0001, 5000), 8);
  });
  it("a wide fan-in (one leaf used 1000 times) sums every contribution", () => {
    const x = param([2]);
    let y = x.mul(0);
    for (let i = 0; i < 1000; i++) y = y.add(x);
    y.sum().backward();
    expect(x.grad!.item()).toBe(1000);
  });
});

describe(".grad owns its storage (gradients are kept without a copy only when nothing else can reach them)", () => {
  const independent = (a: Tensor, b: Tensor) => {
    expect(a.data).not.toBe(b.data);
    const before = [...b.data];
    a.data[0] += 100;
    expect([...b.data]).toEqual(before);
  };

  it("a + b: add hands the same upstream gradient to both leaves; each gets its own copy", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    a.add(b).sum().backward();
    expect([...a.grad!.data]).toEqual([1, 1]);
    independent(a.grad!, b.grad!);
  });

  it("x + x sums both uses into one fresh gradient", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.add(x).sum().backward();
    expect([...x.grad!.data]).toEqual([2, 2]);
  });

  it("a gradient that reaches its leaf as a view (reshape's backward) is copied", () => {
    const a = tensor([1, 2, 3, 4], { requiresGrad: true });
    const b = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    a.reshape([2, 2]).mul(b).sum().backward();
    expect([...a.grad!.data]).toEqual([1, 2, 3, 4]);
    independent(a.grad!, b.grad!);
  });

  it("a gradient the caller passed in is never kept: the leaf's .grad is a copy, also through a view", () => {
    const x = tensor([1, 2, 3, 4], { requiresGrad: true });
    const g = tensor([5, 6, 7, 8]);
    x.backward(g);
    independent(x.grad!, g);
    const y = tensor([1, 2, 3, 4], { requiresGrad: true });
    const g2 = tensor([[1, 1], [1, 1]]);
    y.reshape([2, 2]).backward(g2);
    expect(y.grad!.data).not.toBe(g2.data);
    g2.data[0] = 9;
    expect(y.grad!.data[0]).toBe(1);
  });

  it("a kept gradient keeps accumulating in place over later backward passes", () => {
    const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const x = tensor([[1, 1]]);
    x.matmul(w).sum().backward();
    const first = w.grad!;
    x.matmul(w).sum().backward();
    expect(w.grad).toBe(first);
    expect([...w.grad!.data]).toEqual([2, 2, 2, 2]);
  });
});
