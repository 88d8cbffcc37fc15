import { fail, fmtShape } from "../core/errors";
import type { Tensor } from "../tensor";

/** The nonlinearities `calculateGain` knows, in camelCase (PyTorch's names with underscores removed). */
export const NONLINEARITIES = [
  "linear", "identity",
  "conv1d", "conv2d", "conv3d",
  "convTranspose1d", "convTranspose2d", "convTranspose3d",
  "sigmoid", "tanh", "relu", "leakyRelu", "selu",
] as const;

export type Nonlinearity = (typeof NONLINEARITIES)[number];

/**
 * The factor by which an activation shrinks the standard deviation of its
 * input, to be undone by scaling the initial weights (torch.nn.init.calculate_gain):
 *
 *   linear, identity, conv*, sigmoid   1
 *   tanh                               5/3
 *   relu                               √2        (half the units are zeroed: variance halves)
 *   leakyRelu                          √(2 / (1 + negativeSlope²)), `param` = negativeSlope, default 0.01
 *   selu                               3/4       (self-normalizing nets want their own init: see lecunNormal_)
 *
 *   calculateGain("relu")             // 1.4142…
 *   calculateGain("leakyRelu", 0.2)   // 1.3867…
 *
 * Lesson: notebooks/src/02-initialization.ts §4 (the schemes)
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear": case "identity":
    case "conv1d": case "conv2d": case "conv3d":
    case "convTranspose1d": case "convTranspose2d": case "convTranspose3d":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leakyRelu": {
      const negativeSlope = param ?? 0.01;
      if (!Number.isFinite(negativeSlope)) fail("calculateGain", `negative slope must be a finite number, got ${negativeSlope}`);
      return Math.sqrt(2 / (1 + negativeSlope * negativeSlope));
    }
    case "selu":
      return 3 / 4;
    default:
      return fail("calculateGain", `unsupported nonlinearity "${String(nonlinearity)}"; use one of ${NONLINEARITIES.join(", ")} (camelCase: "leaky_relu" is "leakyRelu")`);
  }
}

/**
 * How many inputs feed each output unit (fanIn) and how many outputs each
 * input feeds (fanOut), for a weight laid out like PyTorch's: [out, in] for
 * Linear, [out, in, ...kernel] for convolutions, where each kernel position
 * counts as an input too (the receptive field multiplies both fans).
 *
 *   calculateFans(zeros([100, 50]))   // { fanIn: 50, fanOut: 100 }
 */
export function calculateFans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) {
    fail("calculateFans", `fan in and fan out need a tensor with at least 2 dimensions, got ${fmtShape(t.shape)}; biases are initialized from the weight's fanIn instead`);
  }
  const receptiveField = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptiveField, fanOut: t.shape[0] * receptiveField };
}
