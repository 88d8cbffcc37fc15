/**
 * Plausible mistakes, each applied to a copy of a reference solution: every
 * one must lose points (test/tools/exercises/variants.test.ts), and only in the
 * tests of its own function (graded on its own) unless `alsoFails` says
 * which other function calls it by design. Keep it growing: when a wrong
 * answer scores full marks, add it here, then fix the graders.
 */
import type { Variant } from "./variant";

export const MUTATIONS: readonly Variant[] = [
  // The seven documented contracts that had no test (issue 16, point 1).
  { exercise: "02-initialization", fn: "fans", what: "fans returns NaN fans for a 1-D shape instead of throwing",
    edits: [['  if (shape.length < 2) throw new Error(`fans: need at least 2 dimensions, got [${shape.join(", ")}]`);\n', ""]] },
  { exercise: "02-initialization", fn: "stackActivationStats", what: "a unit ≤ 0 in every row counts as dead",
    edits: [["if (a.every((row) => row[u] === 0)) deadUnits++;", "if (a.every((row) => row[u] <= 0)) deadUnits++;"]] },
  { exercise: "04-batch-normalization", fn: "batchNormForward", what: "batchNormForward centres x in place",
    edits: [["const xHat = x.map((row) => row.map((v, j) => (v - mu[j]) * invStd[j]));",
      "for (const row of x as number[][]) for (let j = 0; j < c; j++) row[j] -= mu[j];\n  const xHat = x.map((row) => row.map((v, j) => v * invStd[j]));"]] },
  { exercise: "04-batch-normalization", fn: "foldBatchNorm", what: "foldBatchNorm scales linear.weight in place",
    edits: [["const weight = linear.weight.map((row, j) => row.map((w) => s[j] * w));",
      "linear.weight.forEach((row, j) => row.forEach((w, i) => (row[i] = s[j] * w)));\n  const weight = linear.weight;"]] },
  { exercise: "05-residuals-and-clipping", fn: "residualBackward", what: "residualBackward uses relu′(0) = 1",
    edits: [["return dy[j] + (xj > 0 ? back : 0);", "return dy[j] + (xj >= 0 ? back : 0);"]] },
  { exercise: "08-regularization", fn: "EarlyStopper", what: "restore returns the stored array itself",
    edits: [["return this.bestWeights === null ? null : this.bestWeights.map((w) => [...w]);", "return this.bestWeights;"]] },
  { exercise: "08-regularization", fn: "mcDropoutStats", what: "mcDropoutStats takes the last class on a tie",
    edits: [["(v > row[best] ? c : best)", "(v >= row[best] ? c : best)"]] },

  // One bug, one function (issue 16, point 4).
  { exercise: "04-batch-normalization", fn: "batchNormForward", what: "unbiased variance in the forward pass",
    edits: [["sigma2[j] += (row[j] - mu[j]) ** 2 / n;", "sigma2[j] += (row[j] - mu[j]) ** 2 / (n - 1);"]] },
  { exercise: "02-initialization", fn: "initStd", what: "He with fan_out", alsoFails: [],
    edits: [["return Math.sqrt(2 / fanIn);", "return Math.sqrt(2 / fanOut);"]] },
  { exercise: "05-residuals-and-clipping", fn: "residualForward", what: "residualForward forgets the ReLU",
    edits: [["y_i = x_i + b_i + Σ_j W[i][j]·a_j\n  const a = x.map((v) => Math.max(0, v));", "y_i = x_i + b_i + Σ_j W[i][j]·a_j\n  const a = x.map((v) => v);"]] },

  // Shortcuts (issue 16, point 3): right answers that call the engine instead.
  { exercise: "02-initialization", fn: "initialize_", what: "initialize_ calls kernel-lib's init.*_",
    edits: [
      ['import { noGrad, type Generator, type Tensor } from "kernel-lib";', 'import { init, noGrad, type Generator, type Tensor } from "kernel-lib";'],
      ["  const { fanIn, fanOut } = fans(weight.shape);\n  const d = weight.data;",
        "  const options = { generator, nonlinearity: \"relu\" as const };\n  if (scheme === \"he\") return distribution === \"uniform\" ? init.kaimingUniform_(weight, options) : init.kaimingNormal_(weight, options);\n  if (scheme === \"xavier\") return distribution === \"uniform\" ? init.xavierUniform_(weight, { generator }) : init.xavierNormal_(weight, { generator });\n  if (scheme === \"lecun\") return distribution === \"uniform\" ? init.lecunUniform_(weight, { generator }) : init.lecunNormal_(weight, { generator });\n  const { fanIn, fanOut } = fans(weight.shape);\n  const d = weight.data;"],
    ] },
  { exercise: "05-residuals-and-clipping", fn: "clipGradNorm", what: "clipGradNorm calls clipGradNorm_ through an aliased import and a helper",
    edits: [
      ["/**\n * Lesson 5", 'import { clipGradNorm_ as clip, tensor } from "kernel-lib";\n\nfunction viaEngine(grads: number[][], maxNorm: number): number {\n  const ps = grads.map((g) => {\n    const p = tensor(g.map(() => 0), { dtype: "float64", requiresGrad: true });\n    p.grad = tensor(g, { dtype: "float64" });\n    return p;\n  });\n  const total = clip(ps, maxNorm);\n  grads.forEach((g, k) => g.forEach((_, i) => (g[i] = ps[k].grad!.data[i])));\n  return total;\n}\n\n/**\n * Lesson 5'],
      ["  if (!(maxNorm > 0)) throw new Error(`maxNorm must be > 0, got ${maxNorm}`);\n  let squares = 0;", "  if (grads.length >= 0) return viaEngine(grads, maxNorm);\n  let squares = 0;"],
    ] },
  { exercise: "09-transfer-learning", fn: "countParameters", what: "countParameters calls model.numParameters()",
    edits: [["  let trainable = 0;\n  let frozen = 0;", "  const all = model.numParameters();\n  const mine = model.numParameters({ trainableOnly: true });\n  if (all >= 0) return { trainable: mine, frozen: all - mine, total: all };\n  let trainable = 0;\n  let frozen = 0;"]] },
  { exercise: "07-lr-schedules", fn: "warmupCosine", what: "warmupCosine calls optim.schedules.warmupCosine",
    edits: [
      ["/**\n * Lesson 7", 'import * as K from "kernel-lib";\n\n/**\n * Lesson 7'],
      ["  if (t < warmupSteps) return (lr0 * t) / warmupSteps;", "  if (lr0 > -1) return K.optim.schedules.warmupCosine(lr0, t, { warmupSteps, totalSteps, lrMin });\n  if (t < warmupSteps) return (lr0 * t) / warmupSteps;"],
    ] },
  { exercise: "01-why-deep-is-hard", fn: "sigmoidDerivative", what: "sigmoidDerivative by kernel-lib's autograd", alsoFails: ["gradientThroughSigmoids"],
    edits: [
      ["/**\n * Lesson 1", 'import { tensor } from "kernel-lib";\n\n/**\n * Lesson 1'],
      ["  const s = 1 / (1 + Math.exp(-z));\n  return s * (1 - s);", "  const x = tensor([z], { dtype: \"float64\", requiresGrad: true });\n  x.sigmoid().sum().backward();\n  return x.grad!.data[0];"],
    ] },

  // Near misses whose feedback used to print the same number twice (issue 16, point 5).
  { exercise: "04-batch-normalization", fn: "batchNormForward", what: "eps outside the square root",
    edits: [["const invStd = sigma2.map((v) => 1 / Math.sqrt(v + eps));", "const invStd = sigma2.map((v) => 1 / (Math.sqrt(v) + eps));"]] },
  { exercise: "06-optimizers", fn: "adamStep", what: "Adam with eps inside the square root",
    edits: [["(Math.sqrt(vNext[i] / correction2) + eps)", "Math.sqrt(vNext[i] / correction2 + eps)"]] },
  { exercise: "05-residuals-and-clipping", fn: "clipGradNorm", what: "clipping without the + 1e-6",
    edits: [["const coef = maxNorm / (total + 1e-6);", "const coef = maxNorm / total;"]] },

  // The classics.
  { exercise: "06-optimizers", fn: "adamStep", what: "Adam without bias correction",
    edits: [["const correction1 = 1 - beta1 ** t;\n  const correction2 = 1 - beta2 ** t;", "const correction1 = 1;\n  const correction2 = 1;"]] },
  { exercise: "07-lr-schedules", fn: "cosineAnnealing", what: "cosine one step ahead", alsoFails: ["warmupCosine"],
    edits: [["const progress = Math.min(t, T) / T;", "const progress = Math.min(t + 1, T) / T;"]] },
  { exercise: "08-regularization", fn: "EarlyStopper", what: "early stopping keeps the last weights",
    edits: [["    this.wait++;\n    return this.wait >= this.patience;", "    this.wait++;\n    this.bestWeights = weights.map((w) => [...w]);\n    return this.wait >= this.patience;"]] },
  { exercise: "04-batch-normalization", fn: "updateRunningStats", what: "biased variance in the running estimate",
    edits: [["momentum * (squares[j] / (n - 1))", "momentum * (squares[j] / n)"]] },
  { exercise: "02-initialization", fn: "uniformBound", what: "uniform bound without √3",
    edits: [["return Math.sqrt(3) * initStd(scheme, fanIn, fanOut);", "return initStd(scheme, fanIn, fanOut);"]] },
  { exercise: "03-activations", fn: "leakyRelu", what: "leaky ReLU's slope at 0 is 1",
    edits: [["dydx.push(v > 0 ? 1 : negativeSlope);", "dydx.push(v >= 0 ? 1 : negativeSlope);"]] },
  { exercise: "06-optimizers", fn: "momentumStep", what: "momentum without the learning rate",
    edits: [["then subtract it from w\n  const vNext = v.map((vi, i) => hyper.momentum * vi + hyper.lr * g[i]);", "then subtract it from w\n  const vNext = v.map((vi, i) => hyper.momentum * vi + g[i]);"]] },
  { exercise: "06-optimizers", fn: "nesterovStep", what: "Nesterov takes the gradient at w, not at the look-ahead point",
    edits: [["const g = gradAt(lookAhead);", "const g = gradAt([...w]);"]] },
  { exercise: "01-why-deep-is-hard", fn: "countParameters", what: "countParameters forgets the biases",
    edits: [["total += layerSizes[i - 1] * layerSizes[i] + layerSizes[i];", "total += layerSizes[i - 1] * layerSizes[i];"]] },
  { exercise: "08-regularization", fn: "dropoutForward", what: "dropout without the 1/(1 − p) scaling",
    edits: [["const scale = 1 / (1 - p);", "const scale = 1;"]] },
  { exercise: "08-regularization", fn: "l2PenaltyWithGrad", what: "L2 gradient without the factor 2",
    edits: [["return (2 * lambda * v) / n;", "return (lambda * v) / n;"]] },
  { exercise: "08-regularization", fn: "mcDropoutStats", what: "MC-dropout std with T − 1",
    edits: [["(pass[i][c] - mean[i][c]) ** 2, 0) / T)", "(pass[i][c] - mean[i][c]) ** 2, 0) / Math.max(1, T - 1))"]] },
  { exercise: "04-batch-normalization", fn: "foldBatchNorm", what: "folding forgets the Linear's own bias",
    edits: [["sj * ((linear.bias ? linear.bias[j] : 0) - bn.runningMean[j])", "sj * (0 - bn.runningMean[j])"]] },
  { exercise: "07-lr-schedules", fn: "stepDecay", what: "step decay without the floor",
    edits: [["return lr0 * gamma ** Math.floor(epoch / stepSize);", "return lr0 * gamma ** (epoch / stepSize);"]] },
  { exercise: "09-transfer-learning", fn: "gridConfigs", what: "grid with the last key slowest",
    edits: [["for (const config of configs) for (const v of values) next.push({ ...config, [key]: v });", "for (const v of values) for (const config of configs) next.push({ ...config, [key]: v });"]] },
  { exercise: "03-activations", fn: "geluTanh", what: "GELU's derivative without the chain factor √(2/π)",
    edits: [["(1 - t * t) * c * (1 + 3 * 0.044715 * v * v)", "(1 - t * t) * (1 + 3 * 0.044715 * v * v)"]] },

  // The new exercises' classic mistakes.
  { exercise: "06-optimizers", fn: "adamwStep", what: "AdamW written as Adam + L2 (the decay goes into the gradient)",
    edits: [["const mNew = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]);\n  const vNew = v.map((vi, i) => beta2 * vi + (1 - beta2) * g[i] ** 2);",
      "const gl = g.map((gi, i) => gi + weightDecay * w[i]);\n  const mNew = m.map((mi, i) => beta1 * mi + (1 - beta1) * gl[i]);\n  const vNew = v.map((vi, i) => beta2 * vi + (1 - beta2) * gl[i] ** 2);"],
      ["(Math.sqrt(vNew[i] / c2) + eps) + weightDecay * wi)", "(Math.sqrt(vNew[i] / c2) + eps))"]] },
  { exercise: "04-batch-normalization", fn: "batchNormEval", what: "eval-mode batch norm without eps",
    edits: [["const scale = bn.gamma.map((g, c) => g / Math.sqrt(bn.runningVar[c] + bn.eps));", "const scale = bn.gamma.map((g, c) => g / Math.sqrt(bn.runningVar[c]));"]] },
  { exercise: "04-batch-normalization", fn: "layerNormForward", what: "layer norm with the unbiased variance",
    edits: [["(v - mean) * (v - mean), 0) / row.length;", "(v - mean) * (v - mean), 0) / (row.length - 1);"]] },
  { exercise: "04-batch-normalization", fn: "gradientCheck", what: "a one-sided (forward) difference",
    edits: [["return (f(up) - f(down)) / (2 * h);", "return (f(up) - f([...x])) / h;"]] },
  { exercise: "08-regularization", fn: "dropoutEval", what: "dropout at eval scaled by 1 − p",
    edits: [["return x.slice();", "return x.map((v) => v * (1 - p));"]] },
  { exercise: "08-regularization", fn: "l1PenaltyWithGrad", what: "L1 subgradient +λ at 0",
    edits: [["return scale * Math.sign(v);", "return scale * (v >= 0 ? 1 : -1);"]] },
  { exercise: "08-regularization", fn: "labelSmoothingCrossEntropy", what: "smoothing mass ε/(K − 1) on the wrong classes only",
    edits: [["const q = (c === label ? 1 - smoothing : 0) + smoothing / k;", "const q = c === label ? 1 - smoothing : smoothing / (k - 1);"]] },
  { exercise: "08-regularization", fn: "labelSmoothingCrossEntropy", what: "softmax without subtracting the maximum",
    edits: [["const top = Math.max(...row);", "const top = 0;"]] },

  // Arguments changed in place, caught by the graders' generic check (test/exercises/submission.ts).
  { exercise: "06-optimizers", fn: "rmspropStep", what: "rmspropStep updates s in place",
    edits: [["const sNext = s.map((si, i) => hyper.rho * si + (1 - hyper.rho) * g[i] * g[i]);",
      "const sNext = s as number[];\n  s.forEach((si, i) => (sNext[i] = hyper.rho * si + (1 - hyper.rho) * g[i] * g[i]));"]] },
  { exercise: "08-regularization", fn: "dropoutBackward", what: "dropoutBackward writes the gradient into dOut",
    edits: [["return dOut.map((g, i) => g * mask[i]);", "(dOut as number[]).forEach((g, i) => ((dOut as number[])[i] = g * mask[i]));\n  return dOut as number[];"]] },
  { exercise: "01-why-deep-is-hard", fn: "fitPolynomial", what: "fitPolynomial sorts x in place", alsoFails: ["errorsByDegree"],
    edits: [["  const n = degree + 1;\n  const a = Array.from", "  (x as number[]).sort((p, q) => p - q);\n  const n = degree + 1;\n  const a = Array.from"]] },
  { exercise: "10-modern-recipe", fn: "trainAndPredict", what: "training for a single epoch",
    edits: [["for (let epoch = 0; epoch < 15; epoch++) {", "for (let epoch = 0; epoch < 1; epoch++) {"]] },
  { exercise: "10-modern-recipe", fn: "trainAndPredict", what: "shuffling with Math.random (not reproducible from the seed)",
    edits: [["const j = Math.floor(generator.uniform() * (i + 1));", "const j = Math.floor(Math.random() * (i + 1));"]] },
];
