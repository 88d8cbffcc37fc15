import { describe, expect } from "vitest";
import * as exercise from "@exercise/04-batch-normalization";
import { F, Generator, nn, noGrad, tensor, type Tensor } from "kernel-lib";
import { expectClose, expectEqual, graded } from "./grading";
import { asGraded } from "./submission";
import { expectInputsUntouched } from "./contracts";
import { referenceCache } from "./reference-batch-norm";

/** The submission as graded: shortcuts refused, arguments checked for changes (submission.ts). */
const ex = asGraded(exercise, "04-batch-normalization");

/** A seeded [n][c] batch whose columns have different means and scales. */
function batch(seed: number, n: number, c: number): number[][] {
  const g = new Generator(seed);
  const shift = Array.from({ length: c }, () => 4 * g.normal());
  const scale = Array.from({ length: c }, () => 0.2 + 3 * g.uniform());
  return Array.from({ length: n }, () => Array.from({ length: c }, (_, j) => shift[j] + scale[j] * g.normal()));
}

function vector(seed: number, c: number, center = 0, spread = 1): number[] {
  const g = new Generator(seed);
  return Array.from({ length: c }, () => center + spread * g.normal());
}

const t64 = (rows: number[][] | number[], requiresGrad = false): Tensor => tensor(rows, { dtype: "float64", requiresGrad });
const rowsOf = (t: Tensor): number[][] => t.toArray() as number[][];

/** Training-mode batch norm by kernel-lib (float64) and its gradients for upstream gradient dout. */
function engineBatchNorm(x: number[][], gamma: number[], beta: number[], dout: number[][], eps = 1e-5) {
  const xt = t64(x, true);
  const w = t64(gamma, true);
  const b = t64(beta, true);
  const out = F.batchNorm(xt, null, null, w, b, { training: true, eps });
  out.mul(t64(dout)).sum().backward();
  return { out: rowsOf(out), dx: rowsOf(xt.grad!), dgamma: Array.from(w.grad!.data), dbeta: Array.from(b.grad!.data) };
}

/** The test's own forward, for numeric gradients: L = Σ dout ⊙ BN(x). */
function referenceLoss(x: number[][], gamma: number[], beta: number[], dout: number[][], eps: number): number {
  const n = x.length;
  let loss = 0;
  gamma.forEach((g, j) => {
    const col = x.map((r) => r[j]);
    const mu = col.reduce((a, v) => a + v, 0) / n;
    const s2 = col.reduce((a, v) => a + (v - mu) ** 2, 0) / n;
    col.forEach((v, i) => (loss += dout[i][j] * (g * (v - mu) / Math.sqrt(s2 + eps) + beta[j])));
  });
  return loss;
}

describe("04 batch normalization", () => {
  graded("batchNormForward: with γ = 1, β = 0 every column gets mean 0 and std ≈ 1", 1, () => {
    const x = batch(1, 32, 5);
    const { out } = ex.batchNormForward(x, [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]);
    for (let j = 0; j < 5; j++) {
      const col = out.map((r) => r[j]);
      const mean = col.reduce((a, v) => a + v, 0) / col.length;
      const std = Math.sqrt(col.reduce((a, v) => a + (v - mean) ** 2, 0) / col.length);
      expectClose(mean, 0, { what: `mean of output column ${j}`, atol: 1e-10, hint: "subtract the mean of each COLUMN (feature), over the rows (samples)" });
      expectClose(std, 1, { what: `std of output column ${j}`, rtol: 1e-4, hint: "divide by √(σ² + eps) with the biased variance (divide by N)" });
    }
  });

  graded("batchNormForward: matches F.batchNorm (training mode) with γ and β", 2, () => {
    const x = batch(2, 16, 4);
    const gamma = vector(3, 4, 1, 0.5);
    const beta = vector(4, 4, 0, 2);
    const ref = engineBatchNorm(x, gamma, beta, batch(5, 16, 4));
    const { out } = ex.batchNormForward(x, gamma, beta);
    expectClose(out.flat(), ref.out.flat(), {
      what: "batch-norm output [16, 4]", input: { x, gamma, beta }, rtol: 1e-9, atol: 1e-12,
      hint: "out = γ·x̂ + β with the BIASED variance (1/N) Σ (x − μ)²; eps goes inside the square root",
    });
    const withEps = ex.batchNormForward(x, gamma, beta, 0.5).out;
    const refEps = engineBatchNorm(x, gamma, beta, batch(5, 16, 4), 0.5).out;
    expectClose(withEps.flat(), refEps.flat(), { what: "batch-norm output with eps = 0.5", input: { eps: 0.5 }, rtol: 1e-9, hint: "use the eps argument: x̂ = (x − μ)/√(σ² + eps)" });
  });

  graded("batchNormForward: the cache holds mu, the biased sigma2, invStd, xHat and gamma", 1, () => {
    const x = [[1, 10], [2, 20], [3, 60]];
    const { cache } = ex.batchNormForward(x, [2, 3], [0, 0], 1e-5);
    expectClose(cache.mu, [2, 30], { what: "cache.mu", input: { x }, rtol: 1e-12 });
    expectClose(cache.sigma2, [2 / 3, 1400 / 3], { what: "cache.sigma2", input: { x }, rtol: 1e-12, hint: "biased: divide Σ (x − μ)² by N = 3, not N − 1" });
    expectClose(cache.invStd, [1 / Math.sqrt(2 / 3 + 1e-5), 1 / Math.sqrt(1400 / 3 + 1e-5)], { what: "cache.invStd", input: { x }, rtol: 1e-12 });
    const a = 1 / Math.sqrt(2 / 3 + 1e-5);
    const b = 1 / Math.sqrt(1400 / 3 + 1e-5);
    expectClose(cache.xHat.flat(), [-1 * a, -20 * b, 0, -10 * b, 1 * a, 30 * b], { what: "cache.xHat", input: { x }, rtol: 1e-12, hint: "x̂[i][c] = (x[i][c] − μ[c])·invStd[c]" });
    expectClose(cache.gamma, [2, 3], { what: "cache.gamma", rtol: 0 });
  });

  graded("batchNormForward leaves x, γ and β untouched", 1, () => {
    const x = batch(15, 6, 3);
    const gamma = vector(16, 3, 1, 0.5);
    const beta = vector(17, 3);
    expectInputsUntouched("batchNormForward", { x, gamma, beta }, () => ex.batchNormForward(x, gamma, beta));
  });

  graded("batchNormForward: a constant feature gives β (finite, thanks to eps)", 1, () => {
    const x = [[5, 1], [5, 2], [5, 4]];
    const { out } = ex.batchNormForward(x, [3, 1], [0.7, 0]);
    expectClose(out.map((r) => r[0]), [0.7, 0.7, 0.7], { what: "output of a constant column", input: { x }, rtol: 1e-12, hint: "σ² = 0 there: x̂ = 0 and out = β; never divide by √σ² without eps" });
  });

  graded("batchNormBackward: dβ and dγ are sums over the batch", 2, () => {
    const x = batch(6, 12, 3);
    const gamma = vector(7, 3, 1, 0.3);
    const dout = batch(8, 12, 3);
    // Graded on its own: the cache is the reference forward's, so a forward bug costs only the forward's points.
    const grads = ex.batchNormBackward(dout, referenceCache(x, gamma));
    const ref = engineBatchNorm(x, gamma, [0, 0, 0], dout);
    expectClose(grads.dbeta, ref.dbeta, { what: "dβ", rtol: 1e-9, hint: "dβ[c] = Σᵢ dout[i][c]" });
    expectClose(grads.dgamma, ref.dgamma, { what: "dγ", rtol: 1e-9, hint: "dγ[c] = Σᵢ dout[i][c]·x̂[i][c]" });
  });

  graded("batchNormBackward: dx matches kernel-lib's autograd through F.batchNorm", 5, () => {
    for (const [seed, n, c] of [[9, 8, 3], [10, 32, 5], [11, 2, 4]] as const) {
      const x = batch(seed, n, c);
      const gamma = vector(seed + 100, c, 1, 0.5);
      const beta = vector(seed + 200, c);
      const dout = batch(seed + 300, n, c);
      const { dx } = ex.batchNormBackward(dout, referenceCache(x, gamma));
      const ref = engineBatchNorm(x, gamma, beta, dout);
      expectClose(dx.flat(), ref.dx.flat(), {
        what: `dx for a [${n}, ${c}] batch`, input: { n, c, seed }, rtol: 1e-7, atol: 1e-10,
        hint: "dx has three terms: N·dx̂ (direct), −Σ dx̂ (through μ) and −x̂·Σ dx̂·x̂ (through σ²), all times invStd/N; dx̂ = dout·γ",
      });
    }
  });

  graded("batchNormBackward: dx matches numeric gradients, and each column of dx sums to 0", 1, () => {
    const x = batch(12, 6, 3);
    const gamma = [1.5, -0.5, 2];
    const beta = [0.1, 0.2, 0.3];
    const dout = batch(13, 6, 3);
    const eps = 1e-5;
    const { dx } = expectInputsUntouched("batchNormBackward", { dout }, () => ex.batchNormBackward(dout, referenceCache(x, gamma, eps)));
    const h = 1e-6;
    const numeric = x.map((row, i) => row.map((_, j) => {
      const plus = x.map((r) => [...r]);
      const minus = x.map((r) => [...r]);
      plus[i][j] += h;
      minus[i][j] -= h;
      return (referenceLoss(plus, gamma, beta, dout, eps) - referenceLoss(minus, gamma, beta, dout, eps)) / (2 * h);
    }));
    expectClose(dx.flat(), numeric.flat(), { what: "dx vs central differences", input: { x, gamma, dout }, rtol: 1e-5, atol: 1e-7 });
    for (let j = 0; j < 3; j++) expectClose(dx.reduce((a, r) => a + r[j], 0), 0, { what: `Σᵢ dx[i][${j}]`, atol: 1e-9, hint: "shifting a whole column leaves the output unchanged, so its gradient sums to 0" });
  });

  graded("updateRunningStats: one batch from the initial state matches nn.BatchNorm1d's buffers", 2, () => {
    const x = batch(14, 10, 4);
    const layer = new nn.BatchNorm1d(4, { dtype: "float64" });
    layer.train();
    layer.call(t64(x));
    const got = ex.updateRunningStats([0, 0, 0, 0], [1, 1, 1, 1], x);
    expectClose(got.runningMean, Array.from(layer.runningMean!.data), { what: "running mean after one batch", input: { x }, rtol: 1e-10, hint: "(1 − momentum)·running + momentum·batchMean, momentum 0.1" });
    expectClose(got.runningVar, Array.from(layer.runningVar!.data), {
      what: "running variance after one batch", input: { x }, rtol: 1e-10,
      hint: "the running variance uses the UNBIASED batch variance Σ (x − μ)²/(N − 1), unlike the forward pass",
    });
  });

  graded("updateRunningStats: several batches with momentum 0.5 (and inputs left untouched)", 1, () => {
    const layer = new nn.BatchNorm1d(3, { dtype: "float64", momentum: 0.5 });
    layer.train();
    let state: exercise.RunningStats = { runningMean: [0, 0, 0], runningVar: [1, 1, 1] };
    for (let k = 0; k < 4; k++) {
      const x = batch(20 + k, 5 + k, 3);
      layer.call(t64(x));
      const before = JSON.stringify(state);
      const next = ex.updateRunningStats(state.runningMean, state.runningVar, x, 0.5);
      expectEqual(JSON.stringify(state), before, { what: "inputs after the call", hint: "return new arrays; do not modify runningMean/runningVar in place" });
      state = next;
    }
    expectClose(state.runningMean, Array.from(layer.runningMean!.data), { what: "running mean after 4 batches", rtol: 1e-10, hint: "momentum is the weight of the NEW batch" });
    expectClose(state.runningVar, Array.from(layer.runningVar!.data), { what: "running variance after 4 batches", rtol: 1e-10 });
  });

  graded("updateRunningStats: refuses a batch of one sample", 1, () => {
    const ok = ex.updateRunningStats([0], [1], [[1], [3]]);
    expectClose(ok.runningMean, [0.2], { what: "running mean after [[1], [3]]", rtol: 1e-12 });
    let threw = false;
    try {
      ex.updateRunningStats([0], [1], [[1]]);
    } catch (e) {
      expect((e as Error).message).not.toMatch(/not implemented yet/);
      threw = true;
    }
    expectEqual(threw, true, { what: "a single-sample batch throws an Error", input: [[1]], hint: "the unbiased variance divides by N − 1 = 0" });
  });

  graded("foldBatchNorm: the folded Linear reproduces Linear → BatchNorm1d in eval mode", 3, () => {
    const g = new Generator(30);
    const linear = new nn.Linear(6, 4, { generator: g, dtype: "float64" });
    const bn = new nn.BatchNorm1d(4, { dtype: "float64" });
    const model = new nn.Sequential(linear, bn);
    model.train();
    noGrad(() => {
      for (let k = 0; k < 5; k++) model.call(t64(batch(31 + k, 16, 6)));
      bn.weight!.copy_(vector(40, 4, 1, 0.5));
      bn.bias!.copy_(vector(41, 4, 0, 1));
    });
    model.eval();
    const x = batch(42, 7, 6);
    const expected = rowsOf(noGrad(() => model.call(t64(x))));
    const linearParams = { weight: rowsOf(linear.weight), bias: Array.from(linear.bias!.data) };
    const bnParams = { gamma: Array.from(bn.weight!.data), beta: Array.from(bn.bias!.data), runningMean: Array.from(bn.runningMean!.data), runningVar: Array.from(bn.runningVar!.data), eps: bn.eps };
    const folded = expectInputsUntouched("foldBatchNorm", { linear: linearParams, bn: bnParams }, () => ex.foldBatchNorm(linearParams, bnParams));
    const got = x.map((row) => folded.weight.map((w, j) => w.reduce((a, wi, i) => a + wi * row[i], folded.bias[j])));
    expectClose(got.flat(), expected.flat(), {
      what: "W'·x + b' vs BatchNorm1d(Linear(x)) in eval mode", rtol: 1e-9, atol: 1e-12,
      hint: "s = γ/√(runningVar + eps) scales ROW j of W (output j); b' = s·(b − runningMean) + β",
    });
  });

  graded("foldBatchNorm: a Linear without bias", 1, () => {
    const weight = [[1, 2], [3, 4], [0.5, -1]];
    const bn = { gamma: [2, 1, 0.5], beta: [0, 1, -1], runningMean: [1, -2, 0], runningVar: [3, 0, 15], eps: 1 };
    const folded = expectInputsUntouched("foldBatchNorm", { weight, bn }, () => ex.foldBatchNorm({ weight, bias: null }, bn));
    const s = [1, 1, 0.125];
    expectClose(folded.weight.flat(), [1, 2, 3, 4, 0.0625, -0.125], { what: "folded weight", input: { weight, bn }, rtol: 1e-12, hint: "s[j] = γ[j]/√(runningVar[j] + eps) multiplies every weight of output j" });
    expectClose(folded.bias, [s[0] * -1 + 0, s[1] * 2 + 1, -1], { what: "folded bias (no original bias)", input: { weight, bn }, rtol: 1e-12, hint: "treat a missing bias as 0: b' = s·(0 − runningMean) + β" });
  });

  graded("batchNormEval: nn.BatchNorm1d in eval mode, a batch of one included", 2, () => {
    const bn = new nn.BatchNorm1d(4, { dtype: "float64" });
    bn.train();
    noGrad(() => {
      for (let k = 0; k < 3; k++) bn.call(t64(batch(60 + k, 12, 4)));
      bn.weight!.copy_(vector(64, 4, 1, 0.5));
      bn.bias!.copy_(vector(65, 4));
    });
    bn.eval();
    const params = { gamma: Array.from(bn.weight!.data), beta: Array.from(bn.bias!.data), runningMean: Array.from(bn.runningMean!.data), runningVar: Array.from(bn.runningVar!.data), eps: bn.eps };
    for (const n of [6, 1]) {
      const x = batch(66 + n, n, 4);
      const expected = rowsOf(noGrad(() => bn.call(t64(x))));
      const got = expectInputsUntouched("batchNormEval", { x, bn: params }, () => ex.batchNormEval(x, params));
      expectClose(got.flat(), expected.flat(), {
        what: `eval-mode output for a batch of ${n}`, input: { x, ...params }, rtol: 1e-10, atol: 1e-12,
        hint: "eval mode uses runningMean and runningVar, never the batch's own statistics (a batch of one has none)",
      });
    }
  });

  graded("layerNormForward: per-sample statistics, as nn.LayerNorm", 3, () => {
    for (const [seed, n, c] of [[70, 5, 6], [71, 1, 3]] as const) {
      const x = batch(seed, n, c);
      const gamma = vector(seed + 1, c, 1, 0.5);
      const beta = vector(seed + 2, c);
      const expected = rowsOf(F.layerNorm(t64(x), c, t64(gamma), t64(beta), 1e-5));
      const got = expectInputsUntouched("layerNormForward", { x, gamma, beta }, () => ex.layerNormForward(x, gamma, beta));
      expectClose(got.flat(), expected.flat(), {
        what: `layer-norm output [${n}, ${c}]`, input: { x, gamma, beta }, rtol: 1e-9, atol: 1e-12,
        hint: "mean and biased variance of each ROW (one sample, over its features), then γ[c]·x̂ + β[c]",
      });
    }
    const flat = ex.layerNormForward([[2, 2, 2]], [1, 1, 1], [0.5, -1, 0]);
    expectClose(flat.flat(), [0.5, -1, 0], { what: "a constant row gives β (finite, thanks to eps)", input: { x: [[2, 2, 2]] }, rtol: 1e-12, atol: 1e-12 });
  });

  graded("gradientCheck: central differences and CS231n's relative error", 4, () => {
    // f(x) = Σ sin(xᵢ)·xᵢ², ∂f/∂xᵢ = cos(xᵢ)·xᵢ² + 2xᵢ·sin(xᵢ)
    const f = (x: number[]) => x.reduce((s, v) => s + Math.sin(v) * v * v, 0);
    const x = [0.3, -1.2, 2, 0.7];
    const exact = x.map((v) => Math.cos(v) * v * v + 2 * v * Math.sin(v));
    const good = expectInputsUntouched("gradientCheck", { x, analytic: exact }, () => ex.gradientCheck(f, x, exact));
    expectClose(good.numeric, exact, { what: "numeric gradient of Σ sin(x)·x²", input: { x }, rtol: 1e-7, atol: 1e-9, hint: "(f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h), one coordinate at a time, the others unchanged" });
    expectEqual(good.maxRelativeError < 1e-7, true, { what: `maxRelativeError for the right gradient is tiny (got ${good.maxRelativeError})`, hint: "|a − n| / max(|a|, |n|), the largest over the entries" });
    const unused = ex.gradientCheck((v) => 3 * v[0] + 5, [1, 2], [3, 0]);
    expectEqual(unused.maxRelativeError < 1e-7, true, { what: `maxRelativeError when an input is unused (both gradients exactly 0; got ${unused.maxRelativeError})`, hint: "count 0 where both the numeric and the analytic gradient are 0 (0/0 is NaN)" });
    const wrong = exact.map((v, i) => (i === 1 ? v * 1.1 : v));
    const bad = ex.gradientCheck(f, x, wrong);
    const rel = Math.abs(wrong[1] - exact[1]) / Math.max(Math.abs(wrong[1]), Math.abs(exact[1]));
    expectClose(bad.maxRelativeError, rel, { what: "maxRelativeError when entry 1 is 10% off", input: { x, analytic: wrong }, rtol: 1e-5, hint: "|a − n| / max(|a|, |n|), the largest over the entries" });
    const h = ex.gradientCheck((v) => 3 * v[0], [1], [3], 1e-3);
    expectClose(h.numeric, [3], { what: "numeric gradient of 3x with h = 1e-3", rtol: 1e-9, hint: "use the h argument" });
  });
});
