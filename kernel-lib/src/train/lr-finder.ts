import { fail } from "../core/errors";
import { Generator } from "../core/random";
import type { Tensor } from "../tensor";
import { batchesOf } from "./fit";
import type { LossFn, OptimizerLike, Split, TrainableModel } from "./types";

export interface LrFinderOptions {
  /** Builds a fresh optimizer for the sweep (its own lr is overwritten), e.g. (p) => new optim.SGD(p, { lr: 1, momentum: 0.9 }). */
  makeOptimizer: (params: Tensor[]) => OptimizerLike;
  loss: LossFn;
  startLr?: number;
  endLr?: number;
  /** Number of mini-batches in the sweep (cycling through the data as needed). */
  numIters?: number;
  batchSize?: number;
  /** Exponential smoothing of the loss curve: s ← β·s + (1−β)·loss, bias-corrected. */
  beta?: number;
  /** Stop once the smoothed loss exceeds this multiple of the best seen. */
  divergeThreshold?: number;
  seed?: number;
}

export interface LrFinderResult {
  lrs: number[];
  losses: number[];
  smoothedLosses: number[];
  /** The rate where the smoothed loss falls fastest (steepest negative slope in log-lr): a good starting point. */
  suggestedLr: number;
  /** The rate at the minimum of the smoothed loss; a common rule takes a tenth of it. */
  minLossLr: number;
}

/**
 * The learning-rate range test (Smith 2017; lesson 7): train for a few hundred
 * batches while raising the learning rate exponentially,
 *   lr_i = startLr · (endLr / startLr)^(i / (numIters − 1)),
 * and record the loss. Too small a rate barely moves the loss; too large a rate
 * makes it explode; the useful range is where it falls fastest. The model's
 * weights are restored afterwards, so the test leaves no trace.
 */
export function lrFinder(model: TrainableModel, train: Split, options: LrFinderOptions): LrFinderResult {
  const startLr = options.startLr ?? 1e-7;
  const endLr = options.endLr ?? 10;
  const numIters = options.numIters ?? 200;
  const beta = options.beta ?? 0.98;
  const divergeThreshold = options.divergeThreshold ?? 4;
  if (!(startLr > 0 && endLr > startLr)) fail("lrFinder", `need 0 < startLr < endLr, got ${startLr} and ${endLr}`);
  if (!Number.isInteger(numIters) || numIters < 2) fail("lrFinder", `numIters must be an integer ≥ 2, got ${numIters}`);
  if (!(beta >= 0 && beta < 1)) fail("lrFinder", `beta must be in [0, 1), got ${beta}`);

  const saved = model.stateDict();
  const optimizer = options.makeOptimizer(model.parameters());
  const generator = new Generator(options.seed ?? 0);
  const result: LrFinderResult = { lrs: [], losses: [], smoothedLosses: [], suggestedLr: NaN, minLossLr: NaN };
  let avg = 0;
  let best = Infinity;
  model.train();
  try {
    let i = 0;
    while (i < numIters) {
      for (const [x, y] of batchesOf(train, options.batchSize ?? 64, true, generator)) {
        if (i >= numIters) break;
        const lr = startLr * (endLr / startLr) ** (i / (numIters - 1));
        for (const group of optimizer.paramGroups) (group as { lr: number }).lr = lr;
        optimizer.zeroGrad();
        const loss = options.loss(model.call(x), y);
        const value = loss.item();
        avg = beta * avg + (1 - beta) * value;
        const smoothed = avg / (1 - beta ** (i + 1));
        result.lrs.push(lr);
        result.losses.push(value);
        result.smoothedLosses.push(smoothed);
        if (!Number.isFinite(value) || smoothed > divergeThreshold * best) {
          i = numIters;
          break;
        }
        best = Math.min(best, smoothed);
        loss.backward();
        optimizer.step();
        i++;
      }
    }
  } finally {
    model.loadStateDict(saved);
    model.eval();
  }
  Object.assign(result, suggest(result.lrs, result.smoothedLosses));
  return result;
}

function suggest(lrs: number[], losses: number[]): { suggestedLr: number; minLossLr: number } {
  let minAt = 0;
  losses.forEach((l, i) => {
    if (l < losses[minAt]) minAt = i;
  });
  // Steepest descent of the smoothed loss against log(lr), before the minimum.
  // The first tenth is skipped: there the average has seen too few batches to trust its slope.
  let steepestAt = 0;
  let steepest = Infinity;
  for (let i = Math.max(1, Math.floor(losses.length / 10)); i <= minAt; i++) {
    const slope = (losses[i] - losses[i - 1]) / (Math.log(lrs[i]) - Math.log(lrs[i - 1]));
    if (slope < steepest) {
      steepest = slope;
      steepestAt = i;
    }
  }
  return { suggestedLr: lrs[steepestAt] ?? NaN, minLossLr: lrs[minAt] ?? NaN };
}
