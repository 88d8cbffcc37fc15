/** Hidden cases for exercises/10-modern-recipe.ts: other reports, budgets and sizes. */
import type * as Ex from "@exercise/10-modern-recipe";
import { Generator } from "kernel-lib";
import { hiddenCases, threw } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";
import digits from "../../test/exercises/digits-7x7.json";

const base = { trainLoss: [1.5, 0.9, 0.6, 0.5], valLoss: [1.4, 0.95, 0.7, 0.65], numClasses: 5, gradientNorms: [0.4, 0.3, 0.5], deadFractions: [0.05] };

export default hiddenCases<typeof Ex>("10-modern-recipe", guarded<typeof Ex>("10-modern-recipe", [
  {
    name: "diagnose on five fresh reports",
    points: 3,
    run: (ex) => [
      ex.diagnose(base),
      ex.diagnose({ ...base, gradientNorms: [0.001, 0.2, 0.5] }),
      ex.diagnose({ ...base, trainLoss: [1.6, 1.58, 1.57], valLoss: [1.6, 1.6, 1.6], gradientNorms: [0.2, 0.1, 0.3] }),
      ex.diagnose({ ...base, deadFractions: [0.7, 0.2], gradientNorms: [150, 1, 0.5] }),
      ex.diagnose({ ...base, trainLoss: [1.5, 0.9, 0.5, 0.3, 0.2], valLoss: [1.4, 0.8, 0.75, 0.85, 0.9] }),
    ],
  },
  {
    name: "warmupCosineSchedule over 7 × 13 steps with 20% warmup and lrMin",
    points: 2, rtol: 1e-10, atol: 1e-15,
    run: (ex) => ex.warmupCosineSchedule(0.01, { epochs: 7, stepsPerEpoch: 13, warmupFraction: 0.2, lrMin: 1e-4 }),
  },
  {
    // The weights are checked without the reference's values: the order of the draws is the answer's own
    // (the doc's `new nn.Linear(nIn, nOut, { bias: false })` takes no generator; the reference passes it,
    // and kaimingNormal_ re-draws the weight either way). What must hold: one seed gives one model, and
    // the hidden weights are He-normal (rms √(2/fanIn) within 5%, and 4.6% of them beyond 2 std, which
    // a uniform draw of the same std never reaches).
    name: "recipeModel [10, 8, 6, 3] with dropout 0.1: layers, sizes, reproducible He-normal weights",
    points: 2,
    run: (ex) => {
      const build = () => ex.recipeModel([10, 8, 6, 3], { dropout: 0.1, generator: new Generator(9905) });
      const [m, again] = [build(), build()];
      const reproducible = m.parameters().every((p, k) => p.data.every((v, i) => v === again.parameters()[k].data[i]));
      const w = Array.from(ex.recipeModel([400, 50, 3], { generator: new Generator(9906) }).parameters()[0].data as ArrayLike<number>);
      const std = Math.sqrt(2 / 400);
      const rms = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
      const beyondTwoStd = w.filter((v) => Math.abs(v) > 2 * std).length / w.length;
      return {
        types: [...m].map((x) => x.constructor.name), params: m.namedParameters().map(([n, p]) => [n, p.shape]),
        reproducible, heStd: Math.abs(rms / std - 1) < 0.05, normalTails: beyondTwoStd > 0.035 && beyondTwoStd < 0.056,
      };
    },
  },
  {
    name: "recipeModel refuses a negative dropout (and builds [4, 2] without one)",
    points: 1,
    run: (ex) => ({ built: [...ex.recipeModel([4, 2], { dropout: 0 })].length, refused: threw(() => ex.recipeModel([4, 2], { dropout: -0.1 })) }),
  },
  {
    // Reference-independent: what is compared is whether the bar is reached, not the predictions.
    name: "trainAndPredict on half the training digits (750) with seed 7 still gets at least 85% of the 500 unseen ones",
    points: 2,
    run: (ex) => {
      const predicted = ex.trainAndPredict(digits.xTrain.slice(0, 750), digits.yTrain.slice(0, 750), digits.xVal, 7);
      return predicted.length === digits.yVal.length && predicted.filter((p, i) => p === digits.yVal[i]).length >= 0.85 * digits.yVal.length;
    },
  },
]));
