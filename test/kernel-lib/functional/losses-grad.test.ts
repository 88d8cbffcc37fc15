/**
 * Gradient checks (float64, max relative error ≤ 1e-6) for every loss, for
 * each reduction, with respect to the predictions and, where targets are
 * continuous (regression targets, probabilities), the targets too.
 */
import { describe, it } from "vitest";
import { F, type Tensor, tensor } from "kernel-lib";
import { constant, gradOk, leaf, reportGradErrors } from "../../helpers/reference";

reportGradErrors("loss gradchecks");

const reductions = ["mean", "sum", "none"] as const;
const int32 = (values: number[]) => tensor(values, { dtype: "int32" });

/** A [n, c] float64 leaf whose rows are probability distributions (a softmax of random values). */
function probabilityLeaf(n: number, c: number): Tensor {
  const e = leaf([n, c]).detach().exp();
  return e.div(e.sum(1, { keepdims: true })).requiresGrad_();
}

describe.each(reductions)("reduction %s", (reduction) => {
  const target = int32([2, 0, 3, 3, 1]);
  const weight = constant([0.5, 2, 1, 3]);

  it("crossEntropy w.r.t. logits (class indices)", () => gradOk((z) => F.crossEntropy(z, target, { reduction }), [leaf([5, 4])]));
  it("crossEntropy with weight, label smoothing and an ignored target", () => {
    const t = [2, -100, 3, 0, 1];
    gradOk((z) => F.crossEntropy(z, t, { reduction, weight, labelSmoothing: 0.15 }), [leaf([5, 4])]);
  });
  it("crossEntropy w.r.t. the class weights", () => {
    gradOk((w) => F.crossEntropy(constant([[1, 0.5, -1, 2], [0, 1, 2, -1]]), [1, 3], { reduction, weight: w, labelSmoothing: 0.1 }), [leaf([4], { lo: 0.5, hi: 2 })]);
  });
  it("crossEntropy w.r.t. logits and probability targets", () => {
    gradOk((z, p) => F.crossEntropy(z, p, { reduction }), [leaf([3, 4]), probabilityLeaf(3, 4)]);
    gradOk((z, p) => F.crossEntropy(z, p, { reduction, weight, labelSmoothing: 0.2 }), [leaf([3, 4]), probabilityLeaf(3, 4)]);
  });
  it("crossEntropy for one sample [C]", () => gradOk((z) => F.crossEntropy(z, 1, { reduction }), [leaf([4])]));
  it("nllLoss w.r.t. log-probabilities, weighted, with an ignored target", () => {
    gradOk((lp) => F.nllLoss(lp, [0, 2, -100], { reduction, weight: constant([1, 2, 0.5]) }), [leaf([3, 3], { lo: -3, hi: -0.1 })]);
  });
  it("mseLoss w.r.t. input and target", () => gradOk((a, b) => F.mseLoss(a, b, { reduction }), [leaf([3, 4]), leaf([3, 4])]));
  it("l1Loss (differences away from 0)", () => {
    const t = constant([[0, 0, 0], [0, 0, 0]]);
    gradOk((a) => F.l1Loss(a, t, { reduction }), [leaf([2, 3], { awayFrom: [0], gap: 0.1 })]);
  });
  it("huberLoss on both pieces (differences away from ±delta)", () => {
    const t = constant([[0, 0, 0, 0], [0, 0, 0, 0]]);
    gradOk((a) => F.huberLoss(a, t, { reduction, delta: 0.8 }), [leaf([2, 4], { awayFrom: [-0.8, 0.8], gap: 0.1 })]);
  });
  it("smoothL1Loss w.r.t. input and target", () => {
    gradOk((a, b) => F.smoothL1Loss(a, b, { reduction, beta: 0.5 }), [leaf([6], { lo: -3, hi: -0.6 }), leaf([6], { lo: -0.3, hi: 0.3 })]);
  });
  it("binaryCrossEntropyWithLogits w.r.t. logits and soft targets", () => {
    gradOk((z, y) => F.binaryCrossEntropyWithLogits(z, y, { reduction }), [leaf([3, 4], { lo: -4, hi: 4 }), leaf([3, 4], { lo: 0, hi: 1 })]);
  });
  it("binaryCrossEntropyWithLogits with posWeight and weight, w.r.t. all of them", () => {
    gradOk(
      (z, pw, w) => F.binaryCrossEntropyWithLogits(z, constant([[0, 1, 1, 0], [1, 0, 0.3, 1]]), { reduction, posWeight: pw, weight: w }),
      [leaf([2, 4]), leaf([4], { lo: 0.5, hi: 3 }), leaf([2, 1], { lo: 0.5, hi: 2 })],
    );
  });
  it("binaryCrossEntropy w.r.t. probabilities and targets", () => {
    // d/dy = log((1 − p)/p) vanishes at p = 1/2: keep p away from it so the relative error means something.
    const p = leaf([3, 4], { lo: 0.05, hi: 0.95, awayFrom: [0.5], gap: 0.1 });
    gradOk((p, y) => F.binaryCrossEntropy(p, y, { reduction }), [p, leaf([3, 4], { lo: 0, hi: 1 })]);
  });
  it("binaryCrossEntropy with weight", () => {
    gradOk((p) => F.binaryCrossEntropy(p, constant([1, 0, 1]), { reduction, weight: constant([2, 1, 0.5]) }), [leaf([3], { lo: 0.1, hi: 0.9 })]);
  });
});
