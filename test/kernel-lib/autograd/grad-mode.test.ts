/**
 * Global switches: noGrad / enableGrad, anomaly mode, and the in-place guard.
 */
import { describe, expect, it } from "vitest";
import { detectAnomaly, enableGrad, isGradEnabled, noGrad, tensor } from "kernel-lib";

const param = (values: number[]) => tensor(values, { dtype: "float64", requiresGrad: true });

describe("noGrad and enableGrad", () => {
  it("noGrad produces results without history", () => {
    const x = param([1, 2]);
    const y = noGrad(() => x.mul(2).exp());
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(isGradEnabled()).toBe(true);
  });
  it("enableGrad inside noGrad records again; each restores the mode it found", () => {
    const x = param([1]);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const recorded = enableGrad(() => {
        expect(isGradEnabled()).toBe(true);
        return x.mul(3);
      });
      expect(isGradEnabled()).toBe(false);
      expect(recorded.mul(2).gradFn).toBeNull(); // back in noGrad: not recorded
      return recorded;
    });
    expect(y.gradFn!.op).toBe("mul");
    y.sum().backward();
    expect(x.grad!.item()).toBe(3);
  });
  it("noGrad returns fn's value and restores the mode even when fn throws", () => {
    expect(noGrad(() => 42)).toBe(42);
    expect(() => noGrad(() => {
      throw new Error("boom");
    })).toThrow("boom");
    expect(isGradEnabled()).toBe(true);
  });
});

describe("anomaly mode names the op that produced NaN or Infinity", () => {
  it("log of 0 in the forward pass", () => {
    const x = param([1, 0]);
    expect(() => detectAnomaly(() => x.log().sum().backward())).toThrow(/\[anomaly\] log produced -Infinity in its forward pass/);
  });
  it("log of a negative number gives NaN", () => {
    const x = param([-1, 2]);
    expect(() => detectAnomaly(() => x.log().sum().backward())).toThrow(/log produced NaN/);
  });
  it("an infinite gradient in the backward pass names the op whose rule produced it", () => {
    // sqrt(0) = 0 is fine forward, but d√x/dx = 1/(2√x) is infinite at 0.
    const x = param([1, 0]);
    expect(() => detectAnomaly(() => x.sqrt().sum().backward())).toThrow(/\[anomaly\] sqrt produced Infinity in its backward pass/);
  });
  it("the message includes the inputs' shapes and names", () => {
    const w = param([0, 1]);
    w.name = "fc.weight";
    expect(() => detectAnomaly(() => w.log())).toThrow("inputs fc.weight [2]");
  });
  it("is off by default and scoped to its function", () => {
    const x = param([0]);
    expect(x.log().item()).toBe(-Infinity);
    expect(() => detectAnomaly(() => x.log())).toThrow();
    expect(x.log().item()).toBe(-Infinity);
  });
  it("can be switched on and off globally", () => {
    detectAnomaly(true);
    try {
      expect(() => param([0]).log()).toThrow(/anomaly/);
    } finally {
      detectAnomaly(false);
    }
    expect(param([0]).log().item()).toBe(-Infinity);
  });
});

describe("in-place updates", () => {
  it("are refused on a tensor that requires grad while recording", () => {
    const w = param([1, 2]);
    expect(() => w.fill_(0)).toThrow("[fill_] cannot modify a tensor that requires grad while gradients are recorded; wrap the update in noGrad(() => …)");
    expect(() => w.copy_([3, 4])).toThrow(/\[copy_\]/);
    expect(() => w.zero_()).toThrow(/\[fill_\]/);
  });
  it("work inside noGrad (how optimizers update parameters)", () => {
    const w = param([1, 2]);
    noGrad(() => {
      w.copy_(tensor([5, 6]));
      w.data[0] -= 1;
    });
    expect(w.toArray()).toEqual([4, 6]);
    noGrad(() => w.zero_());
    expect(w.toArray()).toEqual([0, 0]);
  });
  it("work on tensors that do not require grad; copy_ checks the size", () => {
    const t = tensor([1, 2, 3]).fill_(7);
    expect(t.toArray()).toEqual([7, 7, 7]);
    expect(() => t.copy_([1, 2])).toThrow("[copy_] source has 2 elements, destination [3] has 3");
  });
});
