/**
 * Correct formulations other than the reference's: every one must keep
 * every point, public and hidden (test/exercise-variants.test.ts). A
 * grader that fails one compares too tightly or tests an accident of the
 * reference. At least one per exercise file.
 */
import type { Variant } from "./variant";

export const ALTERNATIVES: readonly Variant[] = [
  { exercise: "01-why-deep-is-hard", fn: "sigmoidDerivative", what: "the stable form e^(−|z|)/(1 + e^(−|z|))²",
    edits: [["  const s = 1 / (1 + Math.exp(-z));\n  return s * (1 - s);", "  const e = Math.exp(-Math.abs(z));\n  return e / (1 + e) ** 2;"]] },
  { exercise: "02-initialization", fn: "stackActivationStats", what: "std as √(mean of squares − mean²)",
    edits: [["const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);", "const std = Math.sqrt(Math.max(0, values.reduce((s, v) => s + v * v, 0) / values.length - mean * mean));"]] },
  { exercise: "02-initialization", fn: "initialize_", what: "initialize_ computes its std inline",
    edits: [["const std = initStd(scheme, fanIn, fanOut);", "const std = Math.sqrt((scheme === \"xavier\" ? 2 / (fanIn + fanOut) : scheme === \"he\" ? 2 / fanIn : 1 / fanIn));"]] },
  { exercise: "03-activations", fn: "elu", what: "ELU′ as f(x) + α, the identity the doc states",
    edits: [["      dydx.push(alpha * e);", "      dydx.push(alpha * (e - 1) + alpha);"]] },
  { exercise: "03-activations", fn: "selu", what: "SELU written out without reusing elu",
    edits: [["  const { y, dydx } = elu(x, SELU_ALPHA);\n  return { y: y.map((v) => SELU_SCALE * v), dydx: dydx.map((d) => SELU_SCALE * d) };",
      "  return {\n    y: x.map((v) => (v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * Math.expm1(v))),\n    dydx: x.map((v) => (v > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(v))),\n  };"]] },
  { exercise: "04-batch-normalization", fn: "batchNormForward", what: "divide by √(σ² + eps) instead of multiplying by its inverse",
    edits: [["const xHat = x.map((row) => row.map((v, j) => (v - mu[j]) * invStd[j]));", "const xHat = x.map((row) => row.map((v, j) => (v - mu[j]) / Math.sqrt(sigma2[j] + eps)));"]] },
  { exercise: "04-batch-normalization", fn: "batchNormBackward", what: "dx through dxHat, dσ² and dμ step by step (the computational graph)",
    edits: [["  const dx = dout.map((row, i) =>\n    row.map((g, j) => (invStd[j] / n) * (n * g * gamma[j] - gamma[j] * dbeta[j] - xHat[i][j] * gamma[j] * dgamma[j])),\n  );",
      "  const dxHat = dout.map((row) => row.map((g, j) => g * gamma[j]));\n  const dvar = gamma.map((_, j) => dxHat.reduce((s, r, i) => s + r[j] * xHat[i][j], 0) * -0.5 * invStd[j] ** 2);\n  const dmu = gamma.map((_, j) => -invStd[j] * dxHat.reduce((s, r) => s + r[j], 0));\n  const dx = dxHat.map((r, i) => r.map((v, j) => v * invStd[j] + (dvar[j] * 2 * xHat[i][j]) / invStd[j] / n + dmu[j] / n));"]] },
  { exercise: "05-residuals-and-clipping", fn: "clipGradNorm", what: "the norm by Math.hypot",
    edits: [["  let squares = 0;\n  for (const g of grads) for (const v of g) squares += v * v;\n  const total = Math.sqrt(squares);", "  const total = Math.hypot(...grads.flat());"]] },
  { exercise: "05-residuals-and-clipping", fn: "residualBackward", what: "dW masked by the sign of x instead of through relu(x)",
    edits: [["const dW = dy.map((dyi) => a.map((aj) => dyi * aj));", "const dW = dy.map((dyi) => x.map((xj) => (xj > 0 ? dyi * xj : 0)));\n  void a;"]] },
  { exercise: "06-optimizers", fn: "adamStep", what: "Adam's efficient form: lr·√(1−β₂ᵗ)/(1−β₁ᵗ) and eps·√(1−β₂ᵗ)",
    edits: [["const wNext = w.map((wi, i) => wi - (lr * (mNext[i] / correction1)) / (Math.sqrt(vNext[i] / correction2) + eps));",
      "const stepSize = (lr * Math.sqrt(correction2)) / correction1;\n  const wNext = w.map((wi, i) => wi - (stepSize * mNext[i]) / (Math.sqrt(vNext[i]) + eps * Math.sqrt(correction2)));"]] },
  { exercise: "07-lr-schedules", fn: "cosineAnnealing", what: "cosine written as lr0 − (lr0 − lrMin)·(1 − cos)/2",
    edits: [["return lrMin + 0.5 * (lr0 - lrMin) * (1 + Math.cos(Math.PI * progress));", "return lr0 - ((lr0 - lrMin) * (1 - Math.cos(Math.PI * progress))) / 2;"]] },
  { exercise: "08-regularization", fn: "mcDropoutStats", what: "argmax by indexOf(Math.max(...row)) (first on ties)",
    edits: [["const predicted = mean.map((row) => row.reduce((best, v, c) => (v > row[best] ? c : best), 0));", "const predicted = mean.map((row) => row.indexOf(Math.max(...row)));"]] },
  { exercise: "08-regularization", fn: "EarlyStopper", what: "restore copies with structuredClone",
    edits: [["return this.bestWeights === null ? null : this.bestWeights.map((w) => [...w]);", "return this.bestWeights === null ? null : structuredClone(this.bestWeights);"]] },
  { exercise: "09-transfer-learning", fn: "gridConfigs", what: "the cartesian product by recursion",
    edits: [["  let configs: Config[] = [{}];\n  for (const [key, values] of Object.entries(grid)) {\n    const next: Config[] = [];\n    for (const config of configs) for (const v of values) next.push({ ...config, [key]: v });\n    configs = next;\n  }\n  return configs;",
      "  const keys = Object.keys(grid);\n  const expand = (k: number, partial: Config): Config[] =>\n    k === keys.length ? [partial] : grid[keys[k]].flatMap((v) => expand(k + 1, { ...partial, [keys[k]]: v }));\n  return expand(0, {});"]] },
  { exercise: "10-modern-recipe", fn: "warmupCosineSchedule", what: "the cosine as a fraction of the remaining steps, lrMin + (lr − lrMin)·(1 + cos)/2",
    edits: [["t < W ? (lr * t) / W : lrMin + 0.5 * (lr - lrMin) * (1 + Math.cos((Math.PI * (t - W)) / (T - W))));", "t < W ? t * (lr / W) : lrMin + ((lr - lrMin) * (1 + Math.cos(Math.PI * ((t - W) / (T - W))))) / 2);"]] },
];
