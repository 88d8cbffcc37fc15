/**
 * Loss values against PyTorch (numbers in helpers/torch-losses.ts), hand-checked
 * cases, numerical stability, and the errors students will meet.
 */
import { describe, expect, it } from "vitest";
import { F, type Tensor, detectAnomaly, tensor } from "kernel-lib";
import { constant, expectClose } from "../../helpers/reference";
import { TORCH } from "../../helpers/torch-losses";

const int32 = (values: number[]) => tensor(values, { dtype: "int32" });
const reductions = ["mean", "sum", "none"] as const;
type Key = keyof typeof TORCH;
const torch = (key: string) => TORCH[key as Key];

// The inputs PyTorch saw.
const logits = constant([[1.0, 2.0, 0.5, -1.0], [0.3, -0.2, 2.2, 1.1], [-1.5, 0.0, 0.7, 3.0]]);
const target = [1, 2, 0];
const weight = constant([0.2, 1.0, 3.0, 0.5]);
const probs = constant([[0.1, 0.6, 0.2, 0.1], [0.25, 0.25, 0.25, 0.25], [0.0, 0.0, 0.3, 0.7]]);
const ignored = [1, -100, 0];
const x = constant([[0.5, -1.2, 3.0], [2.0, 0.1, -0.4]]);
const y = constant([[0.0, -1.0, 1.0], [2.5, 0.1, 1.0]]);
const bx = constant([[-2.0, 0.5, 3.0], [1.0, -0.3, 0.0]]);
const by = constant([[0.0, 1.0, 1.0], [0.2, 0.0, 1.0]]);
const posWeight = constant([1.5, 0.5, 2.0]);
const bw = constant([[1.0, 2.0, 0.5]]);

describe.each(reductions)("reduction %s matches PyTorch", (reduction) => {
  const check = (actual: Tensor, key: string) => expectClose(actual, torch(`${key}_${reduction}`), 1e-12);
  it("crossEntropy with class indices: plain, weighted, label-smoothed, both", () => {
    check(F.crossEntropy(logits, target, { reduction }), "ce");
    check(F.crossEntropy(logits, int32(target), { reduction, weight }), "ce_w");
    check(F.crossEntropy(logits, target, { reduction, labelSmoothing: 0.1 }), "ce_ls");
    check(F.crossEntropy(logits, Int32Array.from(target), { reduction, weight, labelSmoothing: 0.1 }), "ce_w_ls");
  });
  it("crossEntropy with an ignored target (ignoreIndex −100), also weighted and smoothed", () => {
    check(F.crossEntropy(logits, ignored, { reduction }), "ce_ign");
    check(F.crossEntropy(logits, ignored, { reduction, weight, labelSmoothing: 0.2 }), "ce_w_ls_ign");
  });
  it("crossEntropy with probability targets, also weighted and smoothed", () => {
    check(F.crossEntropy(logits, probs, { reduction }), "ce_p");
    check(F.crossEntropy(logits, probs, { reduction, weight, labelSmoothing: 0.1 }), "ce_p_w_ls");
  });
  it("nllLoss on log-probabilities, weighted, with an ignored target", () => {
    const logProbs = logits.sub(logits.logsumexp(1, { keepdims: true }));
    check(F.nllLoss(logProbs, ignored, { reduction, weight }), "nll_w_ign");
  });
  it("regression losses: mse, l1, huber (delta 1 and 0.5), smoothL1 (beta 0.5)", () => {
    check(F.mseLoss(x, y, { reduction }), "mse");
    check(F.l1Loss(x, y, { reduction }), "l1");
    check(F.huberLoss(x, y, { reduction }), "huber");
    check(F.huberLoss(x, y, { reduction, delta: 0.5 }), "huber05");
    check(F.smoothL1Loss(x, y, { reduction, beta: 0.5 }), "sl1_05");
  });
  it("binary cross-entropy on logits, with posWeight and weight", () => {
    check(F.binaryCrossEntropyWithLogits(bx, by, { reduction }), "bcel");
    check(F.binaryCrossEntropyWithLogits(bx, by, { reduction, posWeight }), "bcel_pw");
    check(F.binaryCrossEntropyWithLogits(bx, by, { reduction, posWeight, weight: bw }), "bcel_pw_w");
  });
  it("binary cross-entropy on probabilities, with weight", () => {
    check(F.binaryCrossEntropy(bx.sigmoid(), by, { reduction }), "bce");
    check(F.binaryCrossEntropy(bx.sigmoid(), by, { reduction, weight: bw }), "bce_w");
  });
});

describe("crossEntropy: more cases", () => {
  it("defaults to the mean", () => {
    expectClose(F.crossEntropy(logits, target), TORCH.ce_mean, 1e-12);
  });
  it("uniform logits cost log C; a confident right answer costs ≈ 0", () => {
    expectClose(F.crossEntropy(constant([[0, 0, 0, 0, 0]]), [3]), Math.log(5), 1e-15);
    expect(F.crossEntropy(constant([[0, 50, 0]]), [1]).item()).toBeLessThan(1e-20);
  });
  it("the doc example: −log(e²/(e² + 2))", () => {
    expectClose(F.crossEntropy(constant([[2, 0, 0]]), [0]), -Math.log(Math.exp(2) / (Math.exp(2) + 2)), 1e-15);
  });
  it("ignoreIndex may be a real class", () => {
    expectClose(F.crossEntropy(logits, target, { ignoreIndex: 1 }), TORCH.ce_ignore_index_1, 1e-12);
  });
  it("one sample: logits [C] with a class index or a probability vector", () => {
    const one = logits.select(0, 1);
    const loss = F.crossEntropy(one, 2, { reduction: "none" });
    expect(loss.shape).toEqual([]);
    expectClose(loss, TORCH.ce_single_none, 1e-12);
    expectClose(F.crossEntropy(one, int32([2])), TORCH.ce_single_none, 1e-12);
    expectClose(F.crossEntropy(one, probs.select(0, 0)), TORCH.ce_single_p, 1e-12);
  });
  it("is stable for huge logits (log-softmax via logsumexp)", () => {
    const big = constant([[1000, 0, -1000], [0, 1e4, 0]]);
    const loss = F.crossEntropy(big, [2, 0], { reduction: "none" });
    expectClose(loss, [2000, 1e4], 1e-12);
    const f32 = F.crossEntropy(tensor([[100, 0], [0, 100]]), [1, 1]);
    expect(f32.dtype).toBe("float32");
    expect(f32.item()).toBeCloseTo(50, 4);
  });
  it("the gradient w.r.t. logits is (softmax − target)/N, matching PyTorch with weights and smoothing", () => {
    const z = constant([[1, 2, 3]]).requiresGrad_();
    F.crossEntropy(z, [0]).backward();
    const e = [1, 2, 3].map(Math.exp);
    const total = e[0] + e[1] + e[2];
    expectClose(z.grad!, [[e[0] / total - 1, e[1] / total, e[2] / total]], 1e-14);
    const l = logits.clone().detach().requiresGrad_();
    F.crossEntropy(l, target, { weight, labelSmoothing: 0.1 }).backward();
    expectClose(l.grad!, TORCH.ce_w_ls_grad, 1e-12);
  });
  it("all targets ignored: 'mean' is 0/0 = NaN (as in PyTorch), 'sum' is 0", () => {
    expect(F.crossEntropy(logits, [-100, -100, -100]).item()).toBeNaN();
    expect(F.crossEntropy(logits, [-100, -100, -100], { reduction: "sum" }).item()).toBe(0);
  });
  it("float32 logits (the default dtype) give a float32 loss", () => {
    const loss = F.crossEntropy(tensor([[1, 2, 0.5, -1]]), [1]);
    expect(loss.dtype).toBe("float32");
    expect(loss.item()).toBeCloseTo(TORCH.ce_none[0], 6);
  });
  it("a float32 target tensor of class probabilities mixes with float64 logits (result float64)", () => {
    const loss = F.crossEntropy(logits, probs.float());
    expect(loss.dtype).toBe("float64");
    expectClose(loss, TORCH.ce_p_mean, 1e-7);
  });
});

describe("regression losses: more cases", () => {
  it("smoothL1Loss with beta 0 is the L1 loss", () => {
    expectClose(F.smoothL1Loss(x, y, { beta: 0 }), TORCH.sl1_0_mean, 1e-12);
  });
  it("huber loss is continuous and linear beyond delta", () => {
    const d = constant([0.999999, 1.000001, 3]);
    expectClose(F.huberLoss(d, constant([0, 0, 0]), { reduction: "none" }), [0.5 * 0.999999 ** 2, 1.000001 - 0.5, 2.5], 1e-12);
  });
  it("huber's gradient is clipped to ±delta", () => {
    const d = constant([-5, 0.3, 5]).requiresGrad_();
    F.huberLoss(d, constant([0, 0, 0]), { delta: 2, reduction: "sum" }).backward();
    expectClose(d.grad!, [-2, 0.3, 2], 1e-15);
  });
});

describe("binary cross-entropy: stability and PyTorch's clamp", () => {
  it("the logits form stays finite for |x| in the thousands", () => {
    const loss = F.binaryCrossEntropyWithLogits(constant([-1000, 1000, 800, -800]), constant([1, 0, 1, 0]), { reduction: "none" });
    expectClose(loss, TORCH.bcel_extreme_none, 1e-12);
    const z = constant([-1000, 1000]).requiresGrad_();
    F.binaryCrossEntropyWithLogits(z, constant([1, 0]), { reduction: "sum" }).backward();
    expectClose(z.grad!, [-1, 1], 1e-15); // σ(x) − y
  });
  it("log is clamped at −100: p = 0 with y = 1 costs 100, not Infinity, with no NaN gradient", () => {
    const p = constant([0, 1, 0.5, 0, 1]).requiresGrad_();
    const loss = F.binaryCrossEntropy(p, constant([1, 0, 1, 0, 1]), { reduction: "none" });
    expectClose(loss, TORCH.bce_edges_none, 1e-12);
    detectAnomaly(() => loss.sum().backward());
    expect(p.grad!.toFlatArray().every(Number.isFinite)).toBe(true);
    expect(p.grad!.data[2]).toBeCloseTo(-2, 12); // −y/p at p = 1/2
  });
  it("binaryCrossEntropy(sigmoid(x)) equals the logits form where sigmoid is not saturated", () => {
    expectClose(F.binaryCrossEntropy(bx.sigmoid(), by), F.binaryCrossEntropyWithLogits(bx, by), 1e-12);
  });
  it("in float32 the clamp still holds (the log floor is reached without log(0))", () => {
    const loss = F.binaryCrossEntropy(tensor([0, 1e-30]), tensor([1, 1]), { reduction: "none" });
    expect(loss.toFlatArray()).toEqual([100, expect.closeTo(69.0776, 3)]);
  });
});

describe("errors name the loss and the problem", () => {
  it("an out-of-range class index", () => {
    const big = constant(Array.from({ length: 5 }, () => new Array(10).fill(0)));
    expect(() => F.crossEntropy(big, [0, 1, 2, 10, 4])).toThrow("[crossEntropy] target 10 at position 3 is out of range for 10 classes (0..9)");
    expect(() => F.crossEntropy(logits, [0, -1, 2])).toThrow("[crossEntropy] target -1 at position 1 is out of range for 4 classes (0..3)");
    expect(() => F.nllLoss(logits, [0, 1, 4])).toThrow("[nllLoss] target 4 at position 2 is out of range for 4 classes (0..3)");
  });
  it("a non-integer class index", () => {
    expect(() => F.crossEntropy(logits, [0, 1.5, 2])).toThrow("[crossEntropy] target 1.5 at position 1 is not an integer class index");
  });
  it("a float target that is neither probabilities nor indices (the common tensor([0, 2, 1]) mistake)", () => {
    expect(() => F.crossEntropy(logits, tensor([1, 2, 0]))).toThrow(
      "[crossEntropy] float target of shape [3] fits neither form: class probabilities need the input's shape [3,4]; " +
        "class indices need an int32 tensor of shape [3] (convert with .int())",
    );
  });
  it("the wrong number of targets, or targets of the wrong rank", () => {
    expect(() => F.crossEntropy(logits, [0, 1])).toThrow("[crossEntropy] got 2 class indices for 3 samples (input [3,4])");
    expect(() => F.crossEntropy(logits, tensor([[0], [1], [2]], { dtype: "int32" }))).toThrow(/class indices must be 1-D \[3\], got an int32 tensor of shape \[3,1\]/);
  });
  it("logits of the wrong rank say how to flatten a sequence", () => {
    expect(() => F.crossEntropy(constant([[[1, 2]]]), [0])).toThrow(/expects input of shape \[N, C\].*reshape\(-1, C\)/);
  });
  it("a weight of the wrong length", () => {
    expect(() => F.crossEntropy(logits, target, { weight: constant([1, 2]) })).toThrow("[crossEntropy] weight must have one entry per class, shape [4], got [2]");
  });
  it("nllLoss refuses probabilities", () => {
    expect(() => F.nllLoss(logits, probs)).toThrow(/\[nllLoss\] takes class indices/);
  });
  it("shape mismatches in elementwise losses are refused (PyTorch only warns)", () => {
    expect(() => F.mseLoss(constant([[1], [2]]), constant([1, 2]))).toThrow(
      "[mseLoss] input [2,1] and target [2] must have the same shape (broadcasting would compare every prediction with every target); reshape one, e.g. target.reshape([2,1])",
    );
    expect(() => F.binaryCrossEntropyWithLogits(bx, constant([1, 0, 1]))).toThrow(/\[binaryCrossEntropyWithLogits\] input \[2,3\] and target \[3\]/);
    expect(() => F.binaryCrossEntropyWithLogits(bx, by, { posWeight: constant([1, 2]) })).toThrow(/\[binaryCrossEntropyWithLogits\] cannot broadcast/);
    expect(() => F.binaryCrossEntropyWithLogits(bx, by, { weight: constant([[[1]]]) })).toThrow("weight [1,1,1] must broadcast to the input's shape [2,3] without enlarging it");
  });
  it("probabilities outside [0, 1]", () => {
    expect(() => F.binaryCrossEntropy(bx, by)).toThrow("[binaryCrossEntropy] probabilities must lie in [0, 1], got -2 at position 0; apply sigmoid first, or use binaryCrossEntropyWithLogits on the logits");
  });
  it("bad options are refused", () => {
    expect(() => F.mseLoss(x, y, { reduction: "avg" as never })).toThrow('[mseLoss] Invalid reduction: "avg" (must be one of "mean", "sum", "none")');
    expect(() => F.crossEntropy(logits, target, { labelSmoothing: 1.5 })).toThrow("[crossEntropy] Invalid labelSmoothing: 1.5 (must be in [0, 1])");
    expect(() => F.huberLoss(x, y, { delta: 0 })).toThrow("[huberLoss] Invalid delta: 0 (must be a finite number > 0)");
    expect(() => F.smoothL1Loss(x, y, { beta: -1 })).toThrow("[smoothL1Loss] Invalid beta: -1 (must be a finite number ≥ 0)");
  });
  it("int32 logits are refused", () => {
    expect(() => F.crossEntropy(int32([1, 2]), 0)).toThrow("[crossEntropy] needs a float tensor, got int32; convert with .float()");
  });
});
