import { fail, fmtShape } from "../core/errors";
import { sameShape } from "../core/shape";
import type { Tensor } from "../tensor";
import { exp, log, mul, sub, where } from "../ops/elementwise";
import { mean, sum } from "../ops/reduce";
import { checkOneOf } from "../core/validate";

/** KL divergence's reductions: "batchmean" divides the sum by the batch size, which is the true KL per sample. */
export type KlDivReduction = "mean" | "batchmean" | "sum" | "none";

export interface KlDivOptions {
  /** Default "mean" (PyTorch's default, which divides by every element; "batchmean" gives the KL divergence per sample). */
  reduction?: KlDivReduction;
  /** The target is given as log-probabilities. Default false. */
  logTarget?: boolean;
}

/**
 * Kullback–Leibler divergence of the target distribution P from the model's
 * Q (torch.nn.functional.kl_div): `input` holds log Q (e.g. logSoftmax of the
 * student's logits), `target` holds P (or log P with logTarget):
 *
 *   KL(P‖Q) = Σ P·(log P − log Q)      per element: P·(log P − input), and 0 where P = 0
 *
 * The loss of knowledge distillation (Hinton et al., 2015): the student's log
 * Q against the teacher's softened P. Note the argument order: the model's
 * output first, as in every loss, although KL(P‖Q) names P first.
 *
 *   F.klDiv(F.logSoftmax(studentLogits, 1), F.softmax(teacherLogits, 1), { reduction: "batchmean" })
 */
export function klDiv(input: Tensor, target: Tensor, options: KlDivOptions = {}): Tensor {
  const op = "klDiv";
  const reduction = options.reduction ?? "mean";
  checkOneOf(op, "reduction", reduction, ["mean", "batchmean", "sum", "none"]);
  if (!sameShape(input.shape, target.shape)) {
    fail(op, `input ${fmtShape(input.shape)} (log-probabilities) and target ${fmtShape(target.shape)} (probabilities) must have the same shape`);
  }
  const pointwise = options.logTarget
    ? mul(exp(target), sub(target, input))
    : // 0·log 0 = 0: log is taken of 1 where P = 0, so neither the value nor the gradient becomes NaN.
      where(target.gt(0), mul(target, sub(log(where(target.gt(0), target, 1)), input)), 0);
  if (reduction === "none") return pointwise;
  if (reduction === "sum") return sum(pointwise);
  if (reduction === "mean") return mean(pointwise);
  const batch = input.shape.length === 0 ? 1 : input.shape[0];
  return mul(sum(pointwise), 1 / batch);
}
