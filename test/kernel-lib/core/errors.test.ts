/**
 * Every error names the op in brackets, the shapes or values involved, and
 * (where there is one) the fix.
 */
import { describe, expect, it } from "vitest";
import { KernelError, concat, gradcheck, matmul, randn, stack, tensor, where, zeros } from "kernel-lib";

/** Runs `f`, expects a KernelError, and returns its message. */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(KernelError);
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("shape errors name the op and both shapes", () => {
  it("matmul with mismatched inner sizes", () => {
    const msg = errorOf(() => matmul(zeros([32, 784]), zeros([256, 10])));
    expect(msg).toContain("[matmul]");
    expect(msg).toContain("[32,784]");
    expect(msg).toContain("[256,10]");
    expect(msg).toContain("784 and 256 differ");
  });
  it("matmul of vectors reports the shapes as passed", () => {
    expect(errorOf(() => matmul(zeros([3]), zeros([4, 5])))).toBe("[matmul] cannot multiply [3] by [4,5]: inner sizes 3 and 4 differ");
  });
  it("matmul with batch axes that do not broadcast", () => {
    expect(errorOf(() => matmul(zeros([2, 3, 4]), zeros([3, 4, 5])))).toBe(
      "[matmul] cannot multiply [2,3,4] by [3,4,5]: batch shapes [2] and [3] do not broadcast",
    );
  });
  it("matmul of a 0-d tensor", () => {
    expect(errorOf(() => matmul(zeros([]), zeros([3])))).toContain("use mul for scalars");
  });
  it("broadcasting failure names the op, both shapes and the axis", () => {
    expect(errorOf(() => zeros([2, 3]).add(zeros([4])))).toBe(
      "[add] cannot broadcast [2,3] with [4]: sizes 3 and 4 at axis -1 differ and neither is 1",
    );
    expect(errorOf(() => zeros([5, 2]).mul(zeros([3, 1, 3])))).toContain("[mul] cannot broadcast [5,2] with [3,1,3]");
    expect(errorOf(() => where(zeros([5]), zeros([2, 3]), 1))).toContain("[where] cannot broadcast");
  });
  it("reshape to a different number of elements", () => {
    expect(errorOf(() => zeros([2, 3]).reshape(4, 2))).toBe("[reshape] cannot reshape [2,3] (6 elements) into [4,2]");
    expect(errorOf(() => zeros([2, 3]).reshape(4, -1))).toBe("[reshape] cannot reshape [2,3] (6 elements) into [4,-1]");
    expect(errorOf(() => zeros([6]).reshape(-1, -1))).toBe("[reshape] only one size can be -1, got [-1,-1]");
  });
  it("axis out of range, with the valid range", () => {
    expect(errorOf(() => zeros([2, 3]).sum(3))).toBe("[sum] axis 3 is out of range for a tensor of rank 2 (use -2..1)");
    expect(errorOf(() => zeros([2, 3]).mean(-3))).toContain("[mean] axis -3 is out of range");
    expect(errorOf(() => zeros([2, 3]).unsqueeze(4))).toBe("[unsqueeze] axis 4 is out of range for a tensor of rank 3 (use -3..2)");
    expect(errorOf(() => zeros([2, 3]).argmax(2))).toContain("[argmax] axis 2 is out of range");
    expect(errorOf(() => zeros([2, 3]).transpose(0, 5))).toContain("[transpose] axis 5");
  });
  it("index out of range", () => {
    expect(errorOf(() => zeros([2, 3]).select(1, 3))).toBe("[select] index 3 is out of range for axis 1 of size 3");
    expect(errorOf(() => zeros([2, 3]).indexSelect(1, [0, 3]))).toBe("[indexSelect] index 3 at position 1 is out of range for axis 1 of size 3");
    expect(errorOf(() => zeros([2, 3]).gather(1, tensor([[0], [5]], { dtype: "int32" })))).toBe("[gather] index value 5 is out of range for axis 1 of size 3");
  });
  it("joining tensors of incompatible shapes", () => {
    expect(errorOf(() => concat([zeros([2, 3]), zeros([2, 4])]))).toBe("[concat] tensor 1 has shape [2,4], incompatible with [2,3] outside axis 0");
    expect(errorOf(() => stack([zeros([2, 3]), zeros([2, 4])]))).toBe("[stack] tensor 1 has shape [2,4], expected [2,3]");
    expect(errorOf(() => concat([]))).toBe("[concat] needs at least one tensor");
  });
  it("permute, expand, transpose of the wrong rank", () => {
    expect(errorOf(() => zeros([2, 3]).permute(0))).toBe("[permute] got 1 dims for a tensor of rank 2: [0]");
    expect(errorOf(() => zeros([2, 3]).permute(1, 1))).toBe("[permute] dims [1,1] repeat an axis");
    expect(errorOf(() => zeros([2, 3]).expand(4, 3))).toBe("[expand] cannot expand [2,3] to [4,3]: size 2 at axis 0 is not 1");
    expect(errorOf(() => zeros([2, 3, 4]).T)).toContain("use transpose(dim0, dim1)");
  });
});

describe("value errors", () => {
  it("reductions over nothing, and an unbiased variance of one element", () => {
    expect(errorOf(() => zeros([0]).mean())).toBe("[mean] cannot average over an empty axis of [0]");
    expect(errorOf(() => zeros([0, 2]).max(0))).toContain("[max] cannot take the max over an empty axis");
    expect(errorOf(() => zeros([1]).var())).toContain("use unbiased: false for a single element");
  });
  it("bad arguments to slice and clamp", () => {
    expect(errorOf(() => zeros([3]).slice(0, 0, 2, 0))).toBe("[slice] Invalid step: 0 (must be a positive integer)");
    expect(errorOf(() => zeros([3]).clamp(1, 0))).toBe("[clamp] need min ≤ max, got min=1, max=0");
  });
  it("gradcheck refuses float32 inputs", () => {
    expect(errorOf(() => gradcheck((x) => x, [randn([2], { requiresGrad: true })]))).toContain("finite differences need float64");
  });
  it("the error is a KernelError carrying the op", () => {
    const error = (() => {
      try {
        zeros([2]).reshape(3);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(KernelError);
    expect((error as KernelError).op).toBe("reshape");
    expect((error as KernelError).name).toBe("KernelError");
  });
});
