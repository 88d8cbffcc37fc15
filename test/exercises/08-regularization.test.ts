import { describe } from "vitest";
import * as exercise from "@exercise/08-regularization";
import { F, Generator, nn, regularization, tensor } from "kernel-lib";
import { expectClose, expectEqual, graded } from "./grading";
import { asGraded } from "./submission";
import { expectInputsUntouched, expectThrows } from "./contracts";

/** The submission as graded: shortcuts refused, arguments checked for changes (submission.ts). */
const ex = asGraded(exercise, "08-regularization");

/** n standard-normal numbers from a seeded generator. */
function randomArray(n: number, seed: number): number[] {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => g.normal());
}

describe("08 regularization", () => {
  graded("dropoutForward: mask of 0 and 1/(1 − p), out = x · mask", 2, () => {
    const x = randomArray(200, 1);
    const p = 0.3;
    const { out, mask } = ex.dropoutForward(x, p, new Generator(42));
    const g = new Generator(42);
    const expectedMask = x.map(() => (g.uniform() < p ? 0 : 1 / (1 - p)));
    expectClose(mask, expectedMask, {
      what: "dropout mask (p = 0.3, generator seeded 42)", input: { p, n: 200 }, rtol: 1e-12,
      hint: "one generator.uniform() per element, in order; drop (0) when u < p, otherwise keep and scale by 1/(1 − p)",
    });
    expectClose(out, x.map((v, i) => v * expectedMask[i]), { what: "dropout output", input: { p }, rtol: 1e-12, hint: "out[i] = x[i] · mask[i]" });
  });

  graded("dropoutForward equals F.dropout with the same generator; p = 0 and p = 1", 1, () => {
    const x = randomArray(64, 2);
    for (const p of [0.1, 0.5, 0.8]) {
      const { out } = ex.dropoutForward(x, p, new Generator(7));
      const reference = F.dropout(tensor(x, { dtype: "float64" }), p, { generator: new Generator(7) });
      expectClose(out, reference, { what: `dropoutForward vs F.dropout (p = ${p})`, input: { p, seed: 7 }, rtol: 1e-12, hint: "draw exactly as the engine does: one uniform per element, in order; drop when u < p; scale kept values by 1/(1 − p)" });
    }
    const keepAll = ex.dropoutForward(x, 0, new Generator(0));
    expectClose(keepAll.out, x, { what: "p = 0 keeps every value unchanged", input: { p: 0 }, rtol: 0, atol: 0 });
    const dropAll = ex.dropoutForward(x, 1, new Generator(0));
    expectClose(dropAll.out, x.map(() => 0), { what: "p = 1 drops everything", input: { p: 1 }, rtol: 0, atol: 0, hint: "return zeros without dividing by 1 − p = 0" });
  });

  graded("dropoutForward keeps the mean in expectation (inverted scaling)", 1, () => {
    const x = new Array<number>(20000).fill(2);
    const { out, mask } = ex.dropoutForward(x, 0.5, new Generator(3));
    const keptFraction = mask.filter((m) => m !== 0).length / mask.length;
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    expectClose(keptFraction, 0.5, { what: "fraction of kept units with p = 0.5", rtol: 0.03, hint: "a unit is dropped with probability p" });
    expectClose(mean, 2, { what: "mean output for x = 2 everywhere (p = 0.5)", rtol: 0.03, hint: "kept units must be scaled by 1/(1 − p) so that E[out] = x" });
  });

  graded("dropoutBackward: dL/dx = dL/dout · mask, checked against autograd", 1, () => {
    const x = randomArray(50, 4);
    const dOut = randomArray(50, 5);
    const g = new Generator(11);
    const mask = x.map(() => (g.uniform() < 0.4 ? 0 : 1 / 0.6)); // the mask F.dropout draws below
    const got = ex.dropoutBackward(dOut, mask);
    const xt = tensor(x, { dtype: "float64", requiresGrad: true });
    F.dropout(xt, 0.4, { generator: new Generator(11) }).mul(tensor(dOut, { dtype: "float64" })).sum().backward();
    expectClose(got, xt.grad!, { what: "dL/dx of dropout (p = 0.4)", input: { p: 0.4 }, rtol: 1e-12, hint: "dropped units get 0 gradient, kept ones get dOut · 1/(1 − p)" });
  });

  graded("l2PenaltyWithGrad: value λΣw² and gradient 2λw, against regularization.l2Penalty", 1, () => {
    const w1 = randomArray(12, 6);
    const w2 = randomArray(5, 7);
    const lambda = 0.03;
    const { value, grads } = ex.l2PenaltyWithGrad([w1, w2], lambda);
    const t1 = tensor(w1, { dtype: "float64", requiresGrad: true });
    const t2 = tensor(w2, { dtype: "float64", requiresGrad: true });
    const reference = regularization.l2Penalty([t1, t2], lambda);
    reference.backward();
    expectClose(value, reference.item(), { what: "L2 penalty value (n = 1)", input: { lambda, sizes: [12, 5] }, rtol: 1e-12, hint: "λ times the sum of squares of every weight (no ½ here)" });
    expectClose(grads[0], t1.grad!, { what: "gradient for the first matrix", rtol: 1e-12, hint: "the derivative of λw² is 2λw" });
    expectClose(grads[1], t2.grad!, { what: "gradient for the second matrix", rtol: 1e-12 });
  });

  graded("l2PenaltyWithGrad: the per-sample form (λ/n)·Σ‖W‖²_F and no weights", 1, () => {
    const w = [[1, -2, 3], [0.5]];
    const { value, grads } = ex.l2PenaltyWithGrad(w, 0.1, 50);
    expectClose(value, (0.1 / 50) * (1 + 4 + 9 + 0.25), { what: "penalty with n = 50", input: { weights: w, lambda: 0.1, n: 50 }, rtol: 1e-12, hint: "divide by n" });
    expectClose(grads.flat(), [1, -2, 3, 0.5].map((v) => (2 * 0.1 * v) / 50), { what: "gradient with n = 50", rtol: 1e-12, hint: "2λw / n" });
    expectClose(ex.l2PenaltyWithGrad([], 0.1).value, 0, { what: "no weights", rtol: 0, atol: 0 });
  });

  graded("EarlyStopper on the tutorial's simulated curves: best epoch 82, stops at 92", 2, () => {
    const stopper = new ex.EarlyStopper({ patience: 10 });
    let stoppedAt = -1;
    for (let epoch = 0; epoch < 200; epoch++) {
      const train = 0.8 * Math.exp(-epoch / 30) + 0.05;
      const val = train + 0.001 * Math.max(0, epoch - 80) ** 1.3;
      if (stopper.step(val, [[epoch]])) {
        stoppedAt = epoch;
        break;
      }
    }
    expectEqual(stopper.bestEpoch, 82, { what: "best epoch", input: "val = 0.8e^(−t/30) + 0.05 + 0.001·max(0, t − 80)^1.3", hint: "an epoch improves when valLoss < bestLoss − minDelta" });
    expectEqual(stoppedAt, 92, { what: "epoch at which step returned true (patience 10)", hint: "return true once wait ≥ patience" });
    expectEqual(stopper.restore(), [[82]], { what: "restored weights", hint: "save a copy of the weights at the best epoch" });
  });

  graded("EarlyStopper: minDelta, patience, NaN and deep copies", 2, () => {
    const s = new ex.EarlyStopper({ patience: 2, minDelta: 0.1 });
    const w = [[1, 2], [3]];
    const decisions = [s.step(5, w)];
    w[0][0] = 99; // the caller keeps training: the saved copy must not change
    decisions.push(s.step(4.95, w), s.step(4.5, w), s.step(NaN, w), s.step(4.45, w));
    expectEqual(decisions, [false, false, false, false, true], {
      what: "stop decisions for losses 5, 4.95, 4.5, NaN, 4.45 (patience 2, minDelta 0.1)",
      hint: "4.95 is not better than 5 − 0.1; 4.5 is; NaN never improves; 4.45 is not better than 4.5 − 0.1",
    });
    expectEqual([s.bestEpoch, s.bestLoss], [2, 4.5], { what: "best epoch and loss" });
    expectEqual(s.restore(), [[99, 2], [3]], { what: "weights restored from epoch 2" });
    const fresh = new ex.EarlyStopper({ patience: 3 });
    expectEqual(fresh.restore(), null, { what: "restore before any step", hint: "nothing saved yet: null" });
    const t = new ex.EarlyStopper({ patience: 1 });
    const saved = [[1]];
    t.step(1, saved);
    saved[0][0] = 7;
    expectEqual(t.restore(), [[1]], { what: "a deep copy of the weights", hint: "copy each inner array: [...w], not just the outer list" });
  });

  graded("EarlyStopper.restore returns a copy: changing it leaves the saved weights alone", 1, () => {
    const s = new ex.EarlyStopper({ patience: 2 });
    s.step(1, [[1, 2], [3]]);
    const first = s.restore();
    first![0][0] = 99;
    first!.push([4]);
    expectEqual(s.restore(), [[1, 2], [3]], {
      what: "restore() after the caller changed what an earlier restore() returned",
      hint: "return a fresh copy (bestWeights.map((w) => [...w])), not bestWeights itself: the caller may train on it",
    });
  });

  graded("mcDropoutStats: a tie goes to the first class; N = 1 and one pass", 1, () => {
    const predictions = [[[0.4, 0.4, 0.2]], [[0.2, 0.2, 0.6]]]; // means 0.3, 0.3, 0.4 → class 2; ties below
    const tie = [[[0.25, 0.5, 0.5]], [[0.75, 0.5, 0.5]]]; // means 0.5, 0.5, 0.5: every class ties
    const got = expectInputsUntouched("mcDropoutStats", { predictions }, () => ex.mcDropoutStats(predictions));
    expectEqual(got.predicted, [2], { what: "predicted class for one sample", input: predictions });
    expectEqual(ex.mcDropoutStats(tie).predicted, [0], {
      what: "predicted class when every class has mean 0.5", input: tie,
      hint: "on ties take the FIRST class: replace the best only when strictly greater (>), not ≥",
    });
    expectEqual(ex.mcDropoutStats([[[0.3, 0.3]]]).predicted, [0], { what: "predicted class of one pass with a tie", input: [[[0.3, 0.3]]] });
  });

  graded("mcDropoutStats: mean, population std and predicted class", 2, () => {
    const predictions = [
      [[0.7, 0.3], [0.2, 0.8]],
      [[0.5, 0.5], [0.4, 0.6]],
      [[0.9, 0.1], [0.3, 0.7]],
    ];
    const { mean, std, predicted } = ex.mcDropoutStats(predictions);
    expectClose(mean.flat(), [0.7, 0.3, 0.3, 0.7], { what: "mean over 3 passes", input: predictions, rtol: 1e-12 });
    const s0 = Math.sqrt(((0.7 - 0.7) ** 2 + (0.5 - 0.7) ** 2 + (0.9 - 0.7) ** 2) / 3);
    const s1 = Math.sqrt(((0.2 - 0.3) ** 2 + (0.4 - 0.3) ** 2 + (0.3 - 0.3) ** 2) / 3);
    expectClose(std.flat(), [s0, s0, s1, s1], { what: "std over 3 passes", input: predictions, rtol: 1e-9, hint: "divide the squared deviations by T, not T − 1" });
    expectEqual(predicted, [0, 1], { what: "predicted classes", hint: "argmax of the mean" });
  });

  graded("mcDropoutStats agrees with regularization.mcDropoutPredict", 2, () => {
    const single = ex.mcDropoutStats([[[0.25, 0.75]]]);
    expectClose(single.std.flat(), [0, 0], { what: "std of a single pass", input: [[[0.25, 0.75]]], rtol: 0, atol: 0, hint: "one pass cannot disagree with itself" });
    const g = new Generator(12);
    const model = new nn.Sequential(new nn.Linear(4, 16, { generator: g }), new nn.ReLU(), new nn.Dropout(0.5, { generator: g }), new nn.Linear(16, 3, { generator: g }));
    const x = tensor(randomArray(5 * 4, 13), { shape: [5, 4] });
    const reference = regularization.mcDropoutPredict(model, x, { samples: 8, transform: (out) => F.softmax(out, -1) });
    const [T, n, c] = reference.samples.shape;
    const passes = Array.from({ length: T }, (_, t) => Array.from({ length: n }, (_, i) => Array.from({ length: c }, (_, k) => reference.samples.data[(t * n + i) * c + k])));
    const got = ex.mcDropoutStats(passes);
    expectClose(got.mean.flat(), reference.mean, { what: "mean of 8 MC-dropout passes", rtol: 1e-5, atol: 1e-7 });
    expectClose(got.std.flat(), reference.std, { what: "std of 8 MC-dropout passes", rtol: 1e-4, atol: 1e-6, hint: "population std (unbiased: false)" });
  });

  graded("dropoutEval: at evaluation time inverted dropout is the identity", 1, () => {
    const x = [0.5, -2, 3, 0];
    for (const p of [0.5, 0.2]) {
      const got = expectInputsUntouched("dropoutEval", { x }, () => ex.dropoutEval(x, p));
      const layer = new nn.Dropout(p);
      layer.eval();
      expectClose(got, Array.from(layer.call(tensor(x, { dtype: "float64" })).data), {
        what: `dropoutEval with p = ${p}`, input: { x, p }, rtol: 0, atol: 0,
        hint: "no scaling at eval: training already divided the kept units by 1 − p (multiplying by 1 − p is the non-inverted variant)",
      });
    }
    expectEqual(ex.dropoutEval(x, 0.5) !== x, true, { what: "dropoutEval returns a new array", hint: "return x.slice() or [...x]" });
  });

  graded("l1PenaltyWithGrad: λΣ|w|, subgradient sign(w) with sign(0) = 0", 2, () => {
    const w = [[1, -2, 0], [0.5]];
    const got = expectInputsUntouched("l1PenaltyWithGrad", { weights: w }, () => ex.l1PenaltyWithGrad(w, 0.1));
    expectClose(got.value, 0.1 * 3.5, { what: "penalty of [[1, −2, 0], [0.5]] with λ = 0.1", input: { weights: w }, rtol: 1e-12, hint: "λ · Σ |w|" });
    expectClose(got.grads.flat(), [0.1, -0.1, 0, 0.1], {
      what: "subgradient", input: { weights: w }, rtol: 1e-12, atol: 0,
      hint: "λ·sign(w), and exactly 0 at w = 0 (the subgradient kernel-lib and PyTorch use): weights at 0 stay there",
    });
    const perSample = ex.l1PenaltyWithGrad([[4, -4]], 0.5, 20);
    expectClose([perSample.value, ...perSample.grads.flat()], [0.2, 0.025, -0.025], { what: "per-sample form with n = 20", input: { weights: [[4, -4]], lambda: 0.5, n: 20 }, rtol: 1e-12, hint: "divide by n" });
    expectClose(ex.l1PenaltyWithGrad([], 1).value, 0, { what: "no weights", rtol: 0, atol: 0 });
  });

  graded("labelSmoothingCrossEntropy matches F.crossEntropy with labelSmoothing, and its autograd", 4, () => {
    const logits = Array.from({ length: 5 }, (_, i) => randomArray(4, 80 + i).map((v) => 2 * v));
    const labels = [0, 3, 1, 1, 2];
    for (const smoothing of [0, 0.1, 0.3]) {
      const z = tensor(logits, { dtype: "float64", requiresGrad: true });
      const loss = F.crossEntropy(z, labels, { labelSmoothing: smoothing });
      loss.backward();
      const got = expectInputsUntouched("labelSmoothingCrossEntropy", { logits, labels }, () => ex.labelSmoothingCrossEntropy(logits, labels, smoothing));
      expectClose(got.loss, loss.item(), { what: `loss with smoothing ${smoothing}`, input: { logits, labels, smoothing }, rtol: 1e-10, hint: "q = (1 − ε)·onehot + ε/K (ε/K on EVERY class, the true one too); loss = −mean Σ q·log softmax" });
      expectClose(got.dlogits.flat(), Array.from(z.grad!.data), { what: `dlogits with smoothing ${smoothing}`, input: { logits, labels, smoothing }, rtol: 1e-9, atol: 1e-14, hint: "(softmax − q) / N" });
    }
  });

  graded("labelSmoothingCrossEntropy is stable for large logits and refuses bad labels", 2, () => {
    const logits = [[1000, 0, -1000], [-500, 500, 499]];
    const got = ex.labelSmoothingCrossEntropy(logits, [0, 2], 0.1);
    const z = tensor(logits, { dtype: "float64", requiresGrad: true });
    const loss = F.crossEntropy(z, [0, 2], { labelSmoothing: 0.1 });
    loss.backward();
    expectClose(got.loss, loss.item(), { what: "loss for logits of ±1000", input: { logits, labels: [0, 2] }, rtol: 1e-10, hint: "subtract each row's maximum before exp: log softmax = (z − M) − log Σ exp(z − M)" });
    expectClose(got.dlogits.flat(), Array.from(z.grad!.data), { what: "dlogits for logits of ±1000", input: { logits }, rtol: 1e-9, atol: 1e-14 });
    expectThrows("labelSmoothingCrossEntropy with label 3 of 3 classes", () => ex.labelSmoothingCrossEntropy([[1, 2, 3]], [3], 0), "check 0 ≤ label < K");
    expectThrows("labelSmoothingCrossEntropy with smoothing 1.5", () => ex.labelSmoothingCrossEntropy([[1, 2, 3]], [0], 1.5), "ε must be in [0, 1]");
  });
});
