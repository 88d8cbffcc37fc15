import { fail } from "../core/errors";
import { noGrad } from "../autograd/grad-mode";
import type { Module } from "../nn/module";
import { AlphaDropout, Dropout } from "../nn/dropout";
import type { Tensor } from "../tensor";
import { stack } from "../ops/indexing";

/**
 * Monte-Carlo dropout (Gal & Ghahramani 2016; lesson 8): keep dropout ON at
 * prediction time and average T stochastic forward passes. The mean is a
 * better prediction than a single deterministic pass; the standard deviation
 * across passes is an estimate of the model's uncertainty.
 * Only dropout layers are switched to training mode; batch norm stays in eval
 * mode (its running statistics must not change).
 */
export function mcDropoutPredict(model: Module, x: Tensor, options: { samples?: number; transform?: (out: Tensor) => Tensor } = {}): { mean: Tensor; std: Tensor; samples: Tensor } {
  const T = options.samples ?? 30;
  if (!Number.isInteger(T) || T < 2) fail("mcDropoutPredict", `samples must be an integer ≥ 2, got ${T}`);
  const dropouts = model.modules().filter((m) => m instanceof Dropout || m instanceof AlphaDropout);
  if (dropouts.length === 0) fail("mcDropoutPredict", "the model has no Dropout layer: every pass would be identical");
  const wasTraining = model.training;
  model.eval();
  dropouts.forEach((m) => m.train());
  try {
    return noGrad(() => {
      const outs: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const out = model.call(x);
        outs.push(options.transform ? options.transform(out) : out);
      }
      const samples = stack(outs, 0);
      return { mean: samples.mean(0), std: samples.std(0, { unbiased: false }), samples };
    });
  } finally {
    model.train(wasTraining);
  }
}
