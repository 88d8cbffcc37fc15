import { describe } from "vitest";
import { Generator, clipGradNorm_, clipGradValue_, nn, noGrad, tensor, type Tensor } from "kernel-lib";
import * as exercise from "@exercise/05-residuals-and-clipping";
import { expectClose, expectEqual, graded } from "./grading";
import { asGraded } from "./submission";
import { expectInputsUntouched, expectThrows } from "./contracts";

/** The submission as graded: shortcuts refused, arguments checked for changes (submission.ts). */
const ex = asGraded(exercise, "05-residuals-and-clipping");

const gen = new Generator(505);
const randomArray = (n: number, scale = 1) => Array.from({ length: n }, () => gen.normal() * scale);
const randomMatrix = (rows: number, cols: number, scale = 1) => Array.from({ length: rows }, () => randomArray(cols, scale));
const copy = (grads: number[][]) => grads.map((g) => [...g]);

/** Tensors whose .grad holds `grads`, for the engine's clipping functions. */
function withGrads(grads: number[][]): Tensor[] {
  return grads.map((g) => {
    const p = tensor(g.map(() => 0), { dtype: "float64", requiresGrad: true });
    p.grad = tensor(g, { dtype: "float64" });
    return p;
  });
}

/** The block of 5.4 run by kernel-lib's autograd: Residual(Sequential(ReLU, Linear)). Returns y and the gradients for upstream dy. */
function engineBlock(x: number[], W: number[][], b: number[], dy: number[]) {
  const d = x.length;
  const linear = new nn.Linear(d, d, { dtype: "float64" });
  noGrad(() => {
    linear.weight.copy_(W.flat());
    linear.bias!.copy_(b);
  });
  const block = new nn.Residual(new nn.Sequential(new nn.ReLU(), linear));
  const xT = tensor([x], { dtype: "float64", requiresGrad: true });
  const y = block.call(xT);
  y.mul(tensor([dy], { dtype: "float64" })).sum().backward();
  return { y: y.toFlatArray(), dx: xT.grad!.toFlatArray(), dW: linear.weight.grad!.toFlatArray(), db: linear.bias!.grad!.toFlatArray() };
}

describe("05 residuals and clipping", () => {
  graded("clipGradNorm: [[3, 4], [12]] has global norm 13 and is scaled to norm 1", 2, () => {
    const grads = [[3, 4], [12]];
    const total = ex.clipGradNorm(grads, 1);
    expectClose(total, 13, { what: "returned norm", input: { grads: [[3, 4], [12]], maxNorm: 1 }, rtol: 1e-12, hint: "return ‖g‖ over ALL arrays, computed BEFORE clipping" });
    const coef = 1 / (13 + 1e-6);
    expectClose(grads.flat(), [3 * coef, 4 * coef, 12 * coef], { what: "clipped gradients (changed in place)", input: { grads: [[3, 4], [12]], maxNorm: 1 }, rtol: 1e-12, hint: "multiply every entry of every array by maxNorm / (norm + 1e-6), where norm is the ONE global norm of all arrays together" });
  });

  graded("clipGradNorm: small gradients are left alone, and it matches kernel-lib's clipGradNorm_", 2, () => {
    const small = [[0.1, -0.2], [0.05]];
    const total = ex.clipGradNorm(small, 1);
    expectClose(total, Math.sqrt(0.01 + 0.04 + 0.0025), { what: "returned norm of a small gradient", input: { grads: [[0.1, -0.2], [0.05]], maxNorm: 1 }, rtol: 1e-12 });
    expectClose(small.flat(), [0.1, -0.2, 0.05], { what: "a gradient already shorter than maxNorm", rtol: 0, atol: 0, hint: "only scale when maxNorm / (norm + 1e-6) < 1" });
    expectClose(ex.clipGradNorm([[0, 0]], 1), 0, { what: "norm of a zero gradient", input: { grads: [[0, 0]] }, hint: "a zero gradient has norm 0 and must not become NaN" });
    expectClose(ex.clipGradNorm([], 1), 0, { what: "norm of an empty list", input: { grads: [] } });
    for (const maxNorm of [0.5, 3, 100]) {
      const grads = [randomArray(7, 2), randomArray(3, 5), randomArray(12)];
      const expectedNorm = clipGradNorm_(withGrads(grads), maxNorm);
      const params = withGrads(grads);
      clipGradNorm_(params, maxNorm);
      const mine = copy(grads);
      const total = ex.clipGradNorm(mine, maxNorm);
      expectClose(total, expectedNorm, { what: `returned norm (maxNorm ${maxNorm})`, input: { grads, maxNorm }, rtol: 1e-10 });
      expectClose(mine.flat(), params.flatMap((p) => p.grad!.toFlatArray()), { what: `clipped gradients vs clipGradNorm_ (maxNorm ${maxNorm})`, input: { grads, maxNorm }, rtol: 1e-10, hint: "the norm is global: one norm for all arrays together, not one per array" });
    }
    expectThrows("clipGradNorm with maxNorm = 0", () => ex.clipGradNorm([[1]], 0), "refuse maxNorm ≤ 0 with an Error");
  });

  graded("clipGradValue clamps every entry in place and counts the changes", 2, () => {
    const grads = [[0.5, -3], [2]];
    const changed = ex.clipGradValue(grads, 1);
    expectEqual(changed, 2, { what: "number of entries changed", input: { grads: [[0.5, -3], [2]], clipValue: 1 }, hint: "count the entries with |g| > clipValue" });
    expectClose(grads.flat(), [0.5, -1, 1], { what: "clipped gradients", input: { grads: [[0.5, -3], [2]], clipValue: 1 }, rtol: 0, atol: 0, hint: "clamp into [−clipValue, clipValue]; keep the sign" });
    const random = [randomArray(20, 2), randomArray(5, 0.1)];
    const params = withGrads(random);
    clipGradValue_(params, 0.7);
    const mine = copy(random);
    const count = ex.clipGradValue(mine, 0.7);
    expectClose(mine.flat(), params.flatMap((p) => p.grad!.toFlatArray()), { what: "clipped gradients vs kernel-lib's clipGradValue_", input: { grads: random, clipValue: 0.7 }, rtol: 0, atol: 0 });
    expectEqual(count, random.flat().filter((v) => Math.abs(v) > 0.7).length, { what: "number of entries changed (random case)", input: { clipValue: 0.7 } });
    expectThrows("clipGradValue with clipValue = −1", () => ex.clipGradValue([[1]], -1), "refuse clipValue ≤ 0 with an Error");
  });

  graded("cosineSimilarity of lists of arrays", 2, () => {
    expectClose(ex.cosineSimilarity([[1, 2], [3]], [[2, 4], [6]]), 1, { what: "cos of parallel vectors", input: { a: [[1, 2], [3]], b: [[2, 4], [6]] }, rtol: 1e-12 });
    expectClose(ex.cosineSimilarity([[1, 0]], [[-2, 0]]), -1, { what: "cos of opposite vectors", rtol: 1e-12 });
    expectClose(ex.cosineSimilarity([[1, 0]], [[0, 3]]), 0, { what: "cos of orthogonal vectors", atol: 1e-15 });
    expectClose(ex.cosineSimilarity([[10, 0.5]], [[1, 0.5]]), 10.25 / (Math.hypot(10, 0.5) * Math.hypot(1, 0.5)), { what: "cos of (10, 0.5) and its value-clipped (1, 0.5)", rtol: 1e-12 });
    expectClose(ex.cosineSimilarity([[0, 0], [0]], [[1, 2], [3]]), 0, { what: "cos with a zero vector", hint: "return 0 when either norm is 0 (not NaN)" });
    const a = [randomArray(6), randomArray(4)];
    const b = [randomArray(6), randomArray(4)];
    const af = a.flat(), bf = b.flat();
    const dot = af.reduce((s, v, i) => s + v * bf[i], 0);
    const expected = dot / (Math.hypot(...af) * Math.hypot(...bf));
    expectClose(ex.cosineSimilarity(a, b), expected, { what: "cos of two random lists", input: { a, b }, rtol: 1e-10, hint: "the norms are taken over all arrays together" });
    expectThrows("cosineSimilarity with arrays of different lengths", () => ex.cosineSimilarity([[1, 2]], [[1, 2, 3]]), "check that both lists have the same shape");
  });

  graded("residualForward: y = x + W·relu(x) + b, as nn.Residual computes it", 2, () => {
    const x = [1, -2];
    const W = [[1, 2], [3, 4]];
    const b = [0.5, -0.5];
    expectClose(ex.residualForward(x, W, b), [2.5, 0.5], { what: "y for a 2-d example", input: { x, W, b }, rtol: 1e-12, hint: "relu(x) = (1, 0), W·relu(x) = (1, 3), then add x and b" });
    for (const d of [3, 8]) {
      const xr = randomArray(d), Wr = randomMatrix(d, d, 0.5), br = randomArray(d, 0.1);
      const got = ex.residualForward(xr, Wr, br);
      const expected = engineBlock(xr, Wr, br, randomArray(d)).y;
      expectClose(got, expected, { what: `y vs kernel-lib's nn.Residual (d = ${d})`, input: { x: xr, W: Wr, b: br }, rtol: 1e-10, hint: "W[i][j] connects input j to output i: y_i = x_i + Σ_j W[i][j]·relu(x_j) + b_i" });
    }
  });

  graded("residualBackward: dx, dW, db against autograd and finite differences", 5, () => {
    const d = 5;
    const x = randomArray(d), W = randomMatrix(d, d, 0.5), b = randomArray(d, 0.1), dy = randomArray(d);
    const got = ex.residualBackward(x, W, b, dy);
    const engine = engineBlock(x, W, b, dy);
    const input = { x, W, b, dy };
    expectClose(got.dx, engine.dx, { what: "dx vs autograd", input, rtol: 1e-10, hint: "dx = dy (the skip path) + the masked Wᵀ·dy; mask with 1[x > 0]" });
    expectClose(got.dW.flat(), engine.dW, { what: "dW vs autograd (row i = output i)", input, rtol: 1e-10, hint: "dW[i][j] = dy_i · relu(x_j): the outer product of dy and relu(x)" });
    expectClose(got.db, engine.db, { what: "db vs autograd", input, rtol: 1e-12, hint: "the bias is added directly: db = dy" });
    // Central differences of L = Σ dy_i·y_i with respect to each x_j, through the graders' own forward
    // (graded on its own: a bug in your residualForward does not cost residualBackward's points).
    const h = 1e-6;
    const forward = (xs: number[]) => xs.map((xi, i) => xi + b[i] + W[i].reduce((s, w, j) => s + w * Math.max(0, xs[j]), 0));
    const L = (xs: number[]) => forward(xs).reduce((s, yi, i) => s + yi * dy[i], 0);
    const numeric = x.map((_, j) => {
      const plus = [...x], minus = [...x];
      plus[j] += h;
      minus[j] -= h;
      return (L(plus) - L(minus)) / (2 * h);
    });
    expectClose(got.dx, numeric, { what: "dx vs finite differences of the block", input, rtol: 1e-5, atol: 1e-7 });
    const skipOnly = ex.residualBackward([-1, -2], [[5, 6], [7, 8]], [0, 0], [0.3, -0.7]);
    expectClose(skipOnly.dx, [0.3, -0.7], { what: "dx when every relu is off (x < 0)", input: { x: [-1, -2], dy: [0.3, -0.7] }, rtol: 1e-12, hint: "with F flat, only the identity path remains: dx = dy" });
  });

  graded("residualBackward: relu′(0) = 0 at an input exactly 0, inputs untouched", 1, () => {
    const x = [0, 1, -1];
    const W = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
    const b = [0, 0, 0];
    const dy = [1, 1, 1];
    const got = expectInputsUntouched("residualBackward", { x, W, b, dy }, () => ex.residualBackward(x, W, b, dy));
    // dx_0 = dy_0 + 1[x_0 > 0]·(…) = 1 with the convention relu′(0) = 0 (autograd's choice).
    expectClose(got.dx, [1, 1 + 15, 1], {
      what: "dx with x = [0, 1, −1]", input: { x, W, dy }, rtol: 1e-12,
      hint: "use relu′(0) = 0: mask with x > 0 (strictly), not x ≥ 0",
    });
    expectClose(got.dW.flat(), [0, 1, 0, 0, 1, 0, 0, 1, 0], { what: "dW with x = [0, 1, −1]", input: { x, dy }, rtol: 1e-12 });
  });

  graded("backpropNorms: carrying a gradient down through Jacobians, with and without skips", 4, () => {
    const halves = Array.from({ length: 4 }, () => [[0.5, 0], [0, 0.5]]);
    expectClose(ex.backpropNorms(halves, [3, 4], false), [2.5, 1.25, 0.625, 0.3125], { what: "plain layers with J = 0.5·I", input: { jacobians: "4 × 0.5·I", g: [3, 4] }, rtol: 1e-12, hint: "each layer multiplies the norm by 0.5; return the norm after every layer" });
    const zeros = Array.from({ length: 3 }, () => [[0, 0], [0, 0]]);
    expectClose(ex.backpropNorms(zeros, [3, 4], true), [5, 5, 5], { what: "residual layers whose F is flat (J = 0)", input: { jacobians: "3 × zeros", g: [3, 4] }, rtol: 1e-12, hint: "a residual layer multiplies by I + J: with J = 0 the gradient passes unchanged" });
    expectEqual(ex.backpropNorms([], [1, 2], false), [], { what: "no layers", input: { jacobians: [], g: [1, 2] } });
    // Rectangular plain Jacobians, top layer last: 3 → 4 → 2 (J1 is 4×3, J2 is 2×4).
    const J1 = randomMatrix(4, 3), J2 = randomMatrix(2, 4);
    const g = [1, -2];
    const afterTop = [0, 1, 2, 3].map((j) => g[0] * J2[0][j] + g[1] * J2[1][j]);
    const afterFirst = [0, 1, 2].map((j) => afterTop.reduce((s, v, i) => s + v * J1[i][j], 0));
    expectClose(ex.backpropNorms([J1, J2], g, false), [Math.hypot(...afterTop), Math.hypot(...afterFirst)], { what: "plain rectangular Jacobians (top layer = last in the list)", input: { J1, J2, g }, rtol: 1e-10, hint: "start with the LAST Jacobian, and multiply the row vector from the left: (g·J)_j = Σ_i g_i J[i][j]" });
    // Residual with random square Jacobians, compared with an explicit (I + J) product.
    const Js = Array.from({ length: 3 }, () => randomMatrix(3, 3, 0.3));
    let v = [0.5, 1, -1];
    const expected: number[] = [];
    for (let k = 2; k >= 0; k--) {
      v = [0, 1, 2].map((j) => v[j] + v.reduce((s, vi, i) => s + vi * Js[k][i][j], 0));
      expected.push(Math.hypot(...v));
    }
    expectClose(ex.backpropNorms(Js, [0.5, 1, -1], true), expected, { what: "residual layers with random Jacobians", input: { jacobians: Js, g: [0.5, 1, -1] }, rtol: 1e-10 });
  });
});
