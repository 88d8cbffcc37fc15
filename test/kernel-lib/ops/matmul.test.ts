/**
 * matmul: PyTorch's shape rules (2-D, batched, broadcast batch axes, 1-D
 * vectors), gradient checks for each case, values against a naive loop.
 */
import { describe, expect, it } from "vitest";
import { type Tensor, matmul, randn, tensor } from "kernel-lib";
import { expectClose, gradOk, leaf, naiveMatmul, reportGradErrors } from "../../helpers/reference";
// Not exported by the package (Linear layers call it); imported from its source to check its gradients too.
import { matmulTransposedB } from "../../../kernel-lib/src/ops/matmul";

reportGradErrors("matmul gradchecks");

describe("matmul shapes (PyTorch's rules)", () => {
  const cases: [number[], number[], number[]][] = [
    [[3, 4], [4, 5], [3, 5]],
    [[2, 3, 4], [2, 4, 5], [2, 3, 5]],
    [[2, 3, 4], [4, 5], [2, 3, 5]],
    [[3, 4], [2, 4, 5], [2, 3, 5]],
    [[2, 1, 3, 4], [5, 4, 2], [2, 5, 3, 2]],
    [[4], [4, 5], [5]],
    [[3, 4], [4], [3]],
    [[4], [4], []],
    [[4], [2, 4, 5], [2, 5]],
    [[2, 3, 4], [4], [2, 3]],
  ];
  it.each(cases)("[%s] @ [%s] has shape [%s]", (sa, sb, expected) => {
    expect(matmul(randn(sa), randn(sb)).shape).toEqual(expected);
  });
});

describe("matmul gradients", () => {
  const cases: [string, number[], number[]][] = [
    ["2-D", [3, 4], [4, 5]],
    ["batched", [2, 3, 4], [2, 4, 2]],
    ["broadcast batch (left 3-D, right 2-D)", [2, 3, 4], [4, 2]],
    ["broadcast batch (left 2-D, right 3-D)", [3, 4], [2, 4, 2]],
    ["broadcast batch axes of size 1", [2, 1, 2, 3], [3, 3, 2]],
    ["vector @ matrix", [4], [4, 3]],
    ["matrix @ vector", [3, 4], [4]],
    ["vector @ vector (dot product)", [5], [5]],
    ["vector @ batched matrices", [3], [2, 3, 2]],
  ];
  it.each(cases)("%s: [%s] @ [%s]", (_name, sa, sb) => {
    gradOk((a, b) => matmul(a, b), [leaf(sa), leaf(sb)]);
  });
  it("a matrix multiplied by itself", () => gradOk((a) => a.matmul(a), [leaf([3, 3])]));
  it("a product with a transposed operand", () => gradOk((a, b) => a.matmul(b.T), [leaf([3, 4]), leaf([2, 4])]));
  it("matmulTransposedB: x · Wᵀ without materializing the transpose, 2-D and batched x", () => {
    gradOk((x, w) => matmulTransposedB(x, w), [leaf([3, 4]), leaf([5, 4])]);
    gradOk((x, w) => matmulTransposedB(x, w), [leaf([2, 3, 4]), leaf([5, 4])]);
  });
  it("only one operand requires grad", () => {
    const w = leaf([4, 2]).detach();
    gradOk((a) => matmul(a, w), [leaf([3, 4])]);
  });
});

describe("matmul values", () => {
  it("a 2×2 product by hand", () => {
    expect(matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])).toArray()).toEqual([[19, 22], [43, 50]]);
  });
  it("dot product and matrix-vector product", () => {
    expect(matmul(tensor([1, 2, 3]), tensor([4, 5, 6])).item()).toBe(32);
    expect(matmul(tensor([[1, 0, 1], [0, 1, 0]]), tensor([4, 5, 6])).toArray()).toEqual([10, 5]);
    expect(matmul(tensor([1, 1]), tensor([[1, 2], [3, 4]])).toArray()).toEqual([4, 6]);
  });
  it("batched and broadcast products agree with a naive loop", () => {
    for (const [sa, sb] of [[[3, 4], [4, 5]], [[2, 3, 4], [2, 4, 5]], [[2, 3, 4], [4, 5]], [[3, 4], [2, 4, 5]]]) {
      const a = randn(sa, { dtype: "float64" });
      const b = randn(sb, { dtype: "float64" });
      const out = matmul(a, b);
      expectClose(out.reshape(-1, ...out.shape.slice(-2)), naiveMatmul(a, b), 1e-12);
    }
  });
  it("the gradient of A·B with respect to A is G·Bᵀ", () => {
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const b = tensor([[5, 6], [7, 8]], { requiresGrad: true });
    matmul(a, b).sum().backward();
    expect(a.grad!.toArray()).toEqual([[11, 15], [11, 15]]);
    expect(b.grad!.toArray()).toEqual([[4, 4], [6, 6]]);
  });
  it("matmulTransposedB equals matmul with the transpose", () => {
    const x = randn([2, 3, 4], { dtype: "float64" });
    const w = randn([5, 4], { dtype: "float64" });
    expectClose(matmulTransposedB(x, w), matmul(x, w.T), 1e-14);
    expect(() => matmulTransposedB(x, randn([5, 3]))).toThrow("[linear] input [2,3,4] has 4 features but the weight [5,3] expects 3");
  });
  it("float32 times float64 gives float64", () => {
    expect(matmul(tensor([[1, 2]]), tensor([[1], [2]], { dtype: "float64" })).dtype).toBe("float64");
  });
});
