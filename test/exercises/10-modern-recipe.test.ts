import { describe } from "vitest";
import { Generator, nn, noGrad, optim, randn } from "kernel-lib";
import * as exercise from "@exercise/10-modern-recipe";
import { expectClose, expectEqual, graded } from "./grading";
import { asGraded } from "./submission";
import { expectInputsUntouched, expectThrows } from "./contracts";
import digits from "./digits-7x7.json";

/** The submission as graded: shortcuts refused, arguments checked for changes (submission.ts). */
const ex = asGraded(exercise, "10-modern-recipe");

const LN10 = Math.log(10);

/** A healthy 10-class run: losses fall, validation follows, gradients level, no dead units. */
function healthy(): exercise.TrainingReport {
  return {
    trainLoss: [1.2, 0.6, 0.4, 0.3, 0.25],
    valLoss: [1.0, 0.6, 0.45, 0.4, 0.38],
    numClasses: 10,
    gradientNorms: [0.3, 0.2, 0.25],
    deadFractions: [0.02, 0.1],
  };
}

const check = (report: exercise.TrainingReport, expected: exercise.Finding[], what: string, hint?: string) =>
  expectEqual(ex.diagnose(report), expected, { what, input: report, hint });

describe("10 modern recipe", () => {
  graded("diagnose: a healthy run, and divergence", 1, () => {
    check(healthy(), ["healthy"], "a healthy run", "no rule applies, so return [\"healthy\"]");
    check({ ...healthy(), trainLoss: [2.3, NaN] }, ["diverged"], "a NaN training loss", "return [\"diverged\"] alone");
    check({ ...healthy(), trainLoss: [2.3, 5, Infinity], gradientNorms: [0, 0, 0] }, ["diverged"], "an infinite loss with zero gradients", "diverged comes first and alone");
    check({ ...healthy(), gradientNorms: [0.3, NaN, 0.2] }, ["diverged"], "a NaN gradient norm");
    check({ ...healthy(), valLoss: [1, -Infinity] }, ["diverged"], "a non-finite validation loss");
  });

  graded("diagnose: instability and exploding gradients", 1, () => {
    check({ ...healthy(), trainLoss: [2.2, 40, 2.0, 1.5, 1.0] }, ["unstable"], "a loss spike above 1.5·ln C", "compare the largest training loss with 1.5·ln(numClasses)");
    check({ ...healthy(), trainLoss: [1.5 * LN10 - 0.01, 1, 0.5], valLoss: [1.0, 0.6, 0.45] }, ["healthy"], "a first loss just below 1.5·ln C", "strictly greater than 1.5·ln C is unstable");
    check({ ...healthy(), gradientNorms: [0.5, 250, 0.4] }, ["exploding-gradients"], "a gradient norm of 250", "any norm > 100 explodes");
    check({ ...healthy(), gradientNorms: [20, 1, 0.1] }, ["exploding-gradients"], "first/last ratio 200", "ratio = first / last > 100");
  });

  graded("diagnose: vanishing gradients, dead units, not learning, lr too low", 2, () => {
    const stuck = [2.31, 2.305, 2.303];
    check({ ...healthy(), trainLoss: stuck, valLoss: [2.31, 2.31, 2.31], gradientNorms: [3e-6, 1e-4, 1.1] }, ["vanishing-gradients", "not-learning"], "a deep sigmoid net: tiny first-layer gradient, loss at ln 10", "ratio < 0.01 is vanishing; last loss ≥ 0.9·ln C is not learning");
    check({ ...healthy(), trainLoss: stuck, valLoss: [2.31, 2.31, 2.31], gradientNorms: [0.4, 0.2, 0.35] }, ["not-learning", "lr-too-low"], "a stuck run whose gradients flow", "not-learning with none of unstable / exploding / vanishing / dead units means the steps are too small");
    check({ ...healthy(), deadFractions: [0.1, 0.5] }, ["dead-units"], "half the units of a layer dead", "≥ 0.5 counts");
    check({ ...healthy(), deadFractions: [] }, ["healthy"], "no ReLU layers at all");
    check({ ...healthy(), trainLoss: [3.5e10, 2.33, 2.32], valLoss: [2.4, 2.33, 2.32], gradientNorms: [0, 0, 0.35], deadFractions: [0.92, 1] },
      ["unstable", "vanishing-gradients", "dead-units", "not-learning"], "lr far too high: spike, then a dead network", "a zero first-layer norm over a non-zero last one is a ratio of 0");
    check({ ...healthy(), gradientNorms: [0, 0] }, ["vanishing-gradients"], "no gradient anywhere (both norms 0)", "0 / 0 counts as a ratio of 0 here");
    check({ ...healthy(), gradientNorms: [1e-5] }, ["healthy"], "a single layer: no ratio to compute", "the ratio rules need at least two norms");
  });

  graded("diagnose: overfitting", 1, () => {
    const train = [2.0, 1.2, 0.7, 0.4, 0.2, 0.1, 0.05];
    check({ ...healthy(), trainLoss: train, valLoss: [2.0, 1.3, 0.9, 0.8, 0.85, 0.95, 1.1] }, ["overfitting"], "validation loss back up 37% while training loss falls", "b = argmin of valLoss; last > 1.1·valLoss[b] and last train < train[b]");
    check({ ...healthy(), trainLoss: train, valLoss: [2.0, 1.3, 0.9, 0.8, 0.82, 0.84, 0.87] }, ["healthy"], "validation loss up less than 10%", "use 1.1·valLoss[b] as the threshold");
    check({ ...healthy(), trainLoss: train, valLoss: [] }, ["healthy"], "no validation set");
    check({ ...healthy(), trainLoss: [2.0, 1.0, 0.5, 0.9, 1.0], valLoss: [2.0, 1.0, 0.6, 0.9, 1.0] }, ["healthy"], "both losses rose together", "overfitting also needs the training loss to have kept falling");
    check({ ...healthy(), trainLoss: [1.2, 0.6, 0.5, 0.35, 0.4], valLoss: [1.0, 0.5, 0.7, 0.5, 0.56] }, ["overfitting"], "a tie for the smallest validation loss (epochs 1 and 3)", "take the FIRST epoch of the smallest validation loss");
  });

  graded("diagnose refuses reports it cannot read", 1, () => {
    check(healthy(), ["healthy"], "a healthy run");
    expectThrows("an empty trainLoss", () => ex.diagnose({ ...healthy(), trainLoss: [] }), "throw an Error: there is nothing to diagnose");
    expectThrows("numClasses = 1", () => ex.diagnose({ ...healthy(), numClasses: 1 }), "ln 1 = 0: chance level needs at least 2 classes");
  });

  graded("warmupCosineSchedule matches the closed form and kernel-lib's schedule", 3, () => {
    const lr = 3e-3;
    const budget = { epochs: 20, stepsPerEpoch: 25, warmupFraction: 0.1, lrMin: 1e-5 };
    const got = ex.warmupCosineSchedule(lr, budget);
    expectEqual(got.length, 500, { what: "number of steps (20 epochs × 25 steps)" });
    const expected = Array.from({ length: 500 }, (_, t) => optim.schedules.warmupCosine(lr, t, { warmupSteps: 50, totalSteps: 500, lrMin: 1e-5 }));
    expectClose(got, expected, { what: "lr at every step", input: { lr, ...budget }, rtol: 1e-10, atol: 1e-15, hint: "W = round(0.1·500) = 50 warmup steps; lr·t/W, then the cosine over the remaining T − W steps" });
    expectClose(got[0], 0, { what: "lr at step 0", atol: 0, rtol: 0 });
    expectClose(got[50], lr, { what: "lr at the end of the warmup (t = W)", rtol: 1e-12 });
    const noWarmup = ex.warmupCosineSchedule(0.1, { epochs: 3, stepsPerEpoch: 7, warmupFraction: 0 });
    expectClose(noWarmup, Array.from({ length: 21 }, (_, t) => optim.schedules.cosine(0.1, t, 21)), { what: "warmupFraction 0: a pure cosine to 0", rtol: 1e-10, atol: 1e-15, hint: "with W = 0 the cosine starts at step 0; lrMin defaults to 0" });
    const rounded = ex.warmupCosineSchedule(1, { epochs: 1, stepsPerEpoch: 10, warmupFraction: 0.25 });
    expectClose(rounded.slice(0, 4), [0, 1 / 3, 2 / 3, 1], { what: "W = round(2.5) = 3 warmup steps", rtol: 1e-12, atol: 1e-15, hint: "Math.round(warmupFraction · T)" });
  });

  graded("warmupCosineSchedule refuses bad budgets", 1, () => {
    expectEqual(ex.warmupCosineSchedule(0.5, { epochs: 1, stepsPerEpoch: 1, warmupFraction: 0 }), [0.5], { what: "a single step" });
    expectThrows("epochs = 0", () => ex.warmupCosineSchedule(0.1, { epochs: 0, stepsPerEpoch: 5, warmupFraction: 0.1 }), "epochs must be a positive integer");
    expectThrows("stepsPerEpoch = 2.5", () => ex.warmupCosineSchedule(0.1, { epochs: 2, stepsPerEpoch: 2.5, warmupFraction: 0.1 }), "stepsPerEpoch must be a positive integer");
    expectThrows("warmupFraction = 1", () => ex.warmupCosineSchedule(0.1, { epochs: 2, stepsPerEpoch: 5, warmupFraction: 1 }), "the warmup must leave steps for the cosine: [0, 1)");
    expectThrows("lrMin above lr", () => ex.warmupCosineSchedule(0.1, { epochs: 2, stepsPerEpoch: 5, warmupFraction: 0.1, lrMin: 0.2 }), "lrMin must be in [0, lr]");
    expectThrows("lr = 0", () => ex.warmupCosineSchedule(0, { epochs: 2, stepsPerEpoch: 5, warmupFraction: 0.1 }), "lr must be > 0");
  });

  graded("recipeModel: Linear(no bias) → BatchNorm1d → ReLU → Dropout per hidden layer, then a Linear head", 2, () => {
    const model = ex.recipeModel([784, 64, 32, 10], { dropout: 0.4, generator: new Generator(0) });
    const types = [...model].map((m) => m.constructor.name);
    expectEqual(types, ["Linear", "BatchNorm1d", "ReLU", "Dropout", "Linear", "BatchNorm1d", "ReLU", "Dropout", "Linear"], { what: "layer types in order for [784, 64, 32, 10]", hint: "BN after the Linear and before the ReLU; dropout after the activation; nothing after the output Linear" });
    const hidden = [model.at(0), model.at(4)] as nn.Linear[];
    expectEqual(hidden.map((l) => [l.inFeatures, l.outFeatures, l.bias === null]), [[784, 64, true], [64, 32, true]], { what: "hidden Linear layers: shapes and no bias", hint: "new nn.Linear(nIn, nOut, { bias: false }): β of the batch norm plays the bias" });
    expectEqual([(model.at(1) as nn.BatchNorm1d).numFeatures, (model.at(5) as nn.BatchNorm1d).numFeatures], [64, 32], { what: "BatchNorm1d sizes" });
    expectEqual([(model.at(3) as nn.Dropout).p, (model.at(7) as nn.Dropout).p], [0.4, 0.4], { what: "dropout probabilities" });
    const head = model.at(8) as nn.Linear;
    expectEqual([head.inFeatures, head.outFeatures, head.bias !== null], [32, 10, true], { what: "the output layer: Linear(32, 10) with a bias" });
    const x = randn([5, 784], { generator: new Generator(1) });
    model.eval();
    expectEqual(noGrad(() => model.call(x)).shape, [5, 10], { what: "output shape for 5 images" });
  });

  graded("recipeModel: He-initialized hidden weights, seeded, dropout 0 and bad sizes", 3, () => {
    const model = ex.recipeModel([784, 256, 10], { generator: new Generator(7) });
    const w = (model.at(0) as nn.Linear).weight.data;
    let sum = 0, sq = 0;
    for (const v of w) { sum += v; sq += v * v; }
    const mean = sum / w.length;
    const std = Math.sqrt(sq / w.length - mean * mean);
    expectClose(std, Math.sqrt(2 / 784), { what: "std of the first hidden weight (He: √(2/fan_in))", rtol: 0.03, hint: "init.kaimingNormal_(weight, { nonlinearity: \"relu\" }); the default Linear init has std √(1/(3·fan_in))" });
    expectClose(mean, 0, { what: "mean of the first hidden weight", atol: 0.002 });
    expectEqual((model.at(3) as nn.Dropout).p, 0.3, { what: "default dropout", hint: "dropout defaults to 0.3" });
    const again = ex.recipeModel([784, 256, 10], { generator: new Generator(7) });
    expectClose((again.at(0) as nn.Linear).weight, (model.at(0) as nn.Linear).weight, { what: "two models built with Generator(7)", rtol: 0, atol: 0, hint: "pass the generator to every Linear and to kaimingNormal_" });
    expectClose((again.at(4) as nn.Linear).weight, (model.at(4) as nn.Linear).weight, { what: "output layers built with Generator(7)", rtol: 0, atol: 0 });
    const plain = ex.recipeModel([20, 16, 16, 3], { dropout: 0 });
    expectEqual([...plain].map((m) => m.constructor.name), ["Linear", "BatchNorm1d", "ReLU", "Linear", "BatchNorm1d", "ReLU", "Linear"], { what: "dropout 0 leaves the Dropout layers out" });
    expectEqual([...ex.recipeModel([5, 2])].map((m) => m.constructor.name), ["Linear"], { what: "[5, 2]: no hidden layer, just the output Linear" });
    expectThrows("sizes [784]", () => ex.recipeModel([784]), "need at least inputs and classes");
    expectThrows("a hidden layer of size 0", () => ex.recipeModel([784, 0, 10]), "sizes must be positive integers");
    expectThrows("dropout = 1", () => ex.recipeModel([784, 64, 10], { dropout: 1 }), "dropout must be in [0, 1)");
  });

  graded("trainAndPredict: trained on 1,500 digits with seed 0, at least 90% right on 500 unseen ones", 5, () => {
    const predicted = expectInputsUntouched("trainAndPredict", { xTrain: digits.xTrain, yTrain: digits.yTrain, xPredict: digits.xVal }, () => ex.trainAndPredict(digits.xTrain, digits.yTrain, digits.xVal, 0));
    expectEqual(predicted.length, digits.xVal.length, { what: "one prediction per row of xPredict" });
    const accuracy = predicted.filter((p, i) => p === digits.yVal[i]).length / predicted.length;
    expectEqual(accuracy >= 0.9, true, {
      what: `validation accuracy ≥ 90% (got ${(100 * accuracy).toFixed(1)}%)`,
      hint: "scale the inputs to [0, 1], a hidden layer with batch norm, AdamW with lr around 3e-3, about 15 epochs of shuffled mini-batches, and model.eval() before predicting",
    });
  });

  graded("trainAndPredict: the same seed gives the same predictions", 1, () => {
    // All 500 predictions: with Math.random shuffling two runs differ on 10–17 of them, but on 50 they agreed
    // often enough (1–3 differ; sometimes none) to let that mistake score.
    const run = () => ex.trainAndPredict(digits.xTrain.slice(0, 200), digits.yTrain.slice(0, 200), digits.xVal, 3);
    expectEqual(run(), run(), {
      what: "predictions of two runs with seed 3 (200 training digits, 500 predicted)",
      hint: "draw everything random (weights, shuffling, dropout) from new Generator(seed): never Math.random or the default generator",
    });
  });
});
