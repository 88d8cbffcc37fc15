import { logsumexp } from "../ops/reduce";
import { exp, sub } from "../ops/elementwise";
import type { Tensor } from "../tensor";

/**
 * logSoftmax(x)ᵢ = xᵢ − log Σⱼ exp(xⱼ) along `dim` (default −1, the classes).
 * Computed as x − logsumexp(x), which subtracts the max before exponentiating:
 * no overflow for large logits and no log(0) for very negative ones.
 * Lesson: notebooks/src/01-why-deep-is-hard.ts §1 (the recipe so far)
 */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  return sub(x, logsumexp(x, dim, { keepdims: true }));
}

/**
 * softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ) along `dim` (default −1): positive
 * entries summing to 1. Taken as exp(logSoftmax(x)), so it inherits its stability.
 *
 *   softmax(tensor([1, 2, 3]))   // [0.0900, 0.2447, 0.6652]
 */
export function softmax(x: Tensor, dim = -1): Tensor {
  return exp(logSoftmax(x, dim));
}
