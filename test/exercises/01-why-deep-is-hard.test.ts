import { describe } from "vitest";
import { Generator, tensor } from "kernel-lib";
import * as exercise from "@exercise/01-why-deep-is-hard";
import { expectClose, expectEqual, graded } from "./grading";
import { asGraded } from "./submission";

/** The submission as graded: shortcuts refused, arguments checked for changes (submission.ts). */
const ex = asGraded(exercise, "01-why-deep-is-hard");

/** Horner's rule: w[0] + w[1]·x + … (lowest power first). */
function polyval(w: readonly number[], x: number): number {
  return w.reduceRight((acc, wk) => acc * x + wk, 0);
}

/** Reference least squares by QR (modified Gram–Schmidt, twice): independent of the normal equations. */
function qrPolyfit(x: readonly number[], y: readonly number[], degree: number): number[] {
  const n = degree + 1;
  const q = Array.from({ length: n }, (_, k) => x.map((xi) => xi ** k));
  const r = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, ai, i) => s + ai * b[i], 0);
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const rij = dot(q[i], q[j]);
        r[i][j] += rij;
        q[j] = q[j].map((v, k) => v - rij * q[i][k]);
      }
    }
    r[j][j] = Math.sqrt(dot(q[j], q[j]));
    q[j] = q[j].map((v) => v / r[j][j]);
  }
  const w = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = dot(q[i], y);
    for (let j = i + 1; j < n; j++) s -= r[i][j] * w[j];
    w[i] = s / r[i][i];
  }
  return w;
}

/** n points with x uniform in [−1, 1] and y = f(x) + noise·N(0, 1), from a seeded generator. */
function samples(n: number, f: (x: number) => number, noise: number, seed: number): { x: number[]; y: number[] } {
  const g = new Generator(seed);
  const x = Array.from({ length: n }, () => -1 + 2 * g.uniform());
  return { x, y: x.map((xi) => f(xi) + noise * g.normal()) };
}

/** Random weight matrices [nOut][nIn] for the given layer sizes, N(0, scale²) entries. */
function randomWeights(sizes: readonly number[], scale: number, seed: number): number[][][] {
  const g = new Generator(seed);
  return sizes.slice(1).map((nOut, l) => Array.from({ length: nOut }, () => Array.from({ length: sizes[l] }, () => scale * g.normal())));
}

/** ‖∂loss/∂W_l‖ computed by kernel-lib's autograd in float64, for loss = Σ σ(W_L … σ(W_1 x)). */
function autogradNorms(x: readonly number[], weights: readonly number[][][]): number[] {
  const ws = weights.map((w) => tensor(w, { dtype: "float64", requiresGrad: true }));
  let a = tensor(x.map((v) => [v]), { dtype: "float64" });
  for (const w of ws) a = w.matmul(a).sigmoid();
  a.sum().backward();
  return ws.map((w) => w.grad!.norm().item());
}

describe("01 why deep is hard", () => {
  graded("sigmoidDerivative peaks at 0.25 at z = 0", 1, () => {
    expectClose(ex.sigmoidDerivative(0), 0.25, { what: "σ'(0)", input: { z: 0 }, hint: "σ'(z) = σ(z)(1 − σ(z))" });
  });

  graded("sigmoidDerivative on both sides and far out", 1, () => {
    for (const z of [-30, -3, -0.5, 0.7, 4, 30]) {
      const s = 1 / (1 + Math.exp(-z));
      expectClose(ex.sigmoidDerivative(z), s * (1 - s), { what: `σ'(${z})`, input: { z }, rtol: 1e-9, atol: 1e-15, hint: "use σ(z)(1 − σ(z)); for large |z| it is tiny but not negative" });
    }
  });

  graded("gradientThroughSigmoids: ten layers at z = 0 leave 0.25^10 ≈ 9.5e-7 of the gradient", 1, () => {
    expectClose(ex.gradientThroughSigmoids(new Array(10).fill(0)), 0.25 ** 10, { what: "gradient after 10 layers", input: { z: "ten zeros" }, rtol: 1e-12 });
  });

  graded("gradientThroughSigmoids: a product of per-layer factors for mixed pre-activations", 1, () => {
    const zs = [0.3, -1.2, 2.5, 0, -0.1];
    const expected = zs.reduce((g, z) => g * (1 / (1 + Math.exp(-z))) * (1 - 1 / (1 + Math.exp(-z))), 1);
    expectClose(ex.gradientThroughSigmoids(zs), expected, { what: "gradient after 5 layers", input: { zs }, rtol: 1e-12 });
    expectClose(ex.gradientThroughSigmoids([]), 1, { what: "no layers", input: { zs: [] }, hint: "with no layer the gradient passes unchanged: 1" });
  });

  graded("countParameters: the 50→100→100→10 MLP has 16,210 parameters", 2, () => {
    expectClose(ex.countParameters([50, 100, 100, 10]), 16210, { what: "parameters of 50→100→100→10", rtol: 0, hint: "(5000+100) + (10000+100) + (1000+10)" });
    expectClose(ex.countParameters([784, 256, 256, 10]), 784 * 256 + 256 + 256 * 256 + 256 + 2570, { what: "parameters of 784→256→256→10", rtol: 0 });
  });

  graded("fitPolynomial recovers noise-free polynomials exactly", 3, () => {
    const cases = [
      { w: [0.7], degree: 0 },
      { w: [1, -2], degree: 1 },
      { w: [0, 1, 0, -2], degree: 3 },
      { w: [0.5, -1, 2, 0.3, -0.8, 1.2], degree: 5 },
      { w: [0, 1, 0, -2], degree: 5 }, // a cubic fitted with degree 5: the extra coefficients are 0
    ];
    cases.forEach(({ w, degree }, c) => {
      const { x, y } = samples(12, (xi) => polyval(w, xi), 0, 10 + c);
      const expected = [...w, ...new Array<number>(degree + 1 - w.length).fill(0)];
      expectClose(ex.fitPolynomial(x, y, degree), expected, {
        what: `coefficients of y = ${w.join(", ")} (lowest power first) fitted with degree ${degree}`,
        input: { x, y, degree }, rtol: 1e-6, atol: 1e-7,
        hint: "return degree + 1 coefficients, lowest power first; check A[j][k] = Σ x^(j+k) and b[j] = Σ x^j·y",
      });
    });
  });

  graded("fitPolynomial solves the normal equations for noisy data", 2, () => {
    const { x, y } = samples(30, (xi) => xi - 2 * xi ** 3, 0.2, 21);
    for (const degree of [1, 3, 6]) {
      const w = ex.fitPolynomial(x, y, degree);
      // The least-squares optimum makes the residual orthogonal to every column of X: Xᵀ(y − Xw) = 0.
      const residual = x.map((xi, i) => y[i] - polyval(w, xi));
      const xtr = Array.from({ length: degree + 1 }, (_, k) => x.reduce((s, xi, i) => s + xi ** k * residual[i], 0));
      expectClose(xtr, new Array<number>(degree + 1).fill(0), {
        what: `Xᵀ(y − Xw) for degree ${degree} (must vanish at the least-squares solution)`,
        input: { degree, n: x.length }, atol: 1e-8,
        hint: "a non-zero entry means w is not the least-squares solution: check the pivoting and the back-substitution",
      });
      expectClose(w, qrPolyfit(x, y, degree), { what: `coefficients for degree ${degree}`, input: { degree }, rtol: 1e-6, atol: 1e-9 });
    }
  });

  graded("fitPolynomial: degree 0 is the mean, d + 1 points are interpolated", 1, () => {
    const y = [2, -1, 4, 0.5];
    expectClose(ex.fitPolynomial([0.1, 0.4, -0.3, 0.9], y, 0), [y.reduce((a, b) => a + b, 0) / y.length], {
      what: "degree-0 fit", input: { y }, rtol: 1e-12, hint: "with degree 0, A = [n] and b = [Σ y]",
    });
    const x = [-0.9, -0.2, 0.3, 0.8];
    const yi = [1, -0.5, 0.25, 2];
    const w = ex.fitPolynomial(x, yi, 3);
    expectClose(x.map((xi) => polyval(w, xi)), yi, {
      what: "a cubic through 4 points passes through all of them", input: { x, y: yi }, rtol: 1e-8, atol: 1e-10,
    });
    expectClose(ex.fitPolynomial([0, 1, 2], [1, 3, 5], 1), [1, 2], { what: "the docstring example y = 1 + 2x", rtol: 1e-10, atol: 1e-12 });
  });

  graded("errorsByDegree: train and test MSE per degree, in order", 3, () => {
    const train = samples(20, (xi) => xi - 2 * xi ** 3, 0.2, 0);
    const test = samples(200, (xi) => xi - 2 * xi ** 3, 0.2, 1);
    const degrees = [3, 0, 1, 5, 2];
    const rows = ex.errorsByDegree(train, test, degrees);
    expectEqual(rows.map((r) => r.degree), degrees, { what: "the degree of each row (in the order given)" });
    const mse = (w: number[], set: { x: number[]; y: number[] }) => set.x.reduce((s, xi, i) => s + (polyval(w, xi) - set.y[i]) ** 2, 0) / set.x.length;
    rows.forEach((row, i) => {
      const w = qrPolyfit(train.x, train.y, degrees[i]);
      expectClose(row.trainMse, mse(w, train), { what: `trainMse for degree ${degrees[i]}`, rtol: 1e-6, hint: "MSE is the mean (divide by n) of the squared errors on the training points" });
      expectClose(row.testMse, mse(w, test), { what: `testMse for degree ${degrees[i]}`, rtol: 1e-6, hint: "fit on train only, then evaluate that same polynomial on the test points" });
    });
  });

  graded("sigmoidStackGradientNorms matches autograd on one and three layers", 4, () => {
    const cases = [
      { name: "one layer 3 → 2", sizes: [3, 2], seed: 1 },
      { name: "three layers 4 → 5 → 3 → 2", sizes: [4, 5, 3, 2], seed: 2 },
    ];
    for (const { name, sizes, seed } of cases) {
      const weights = randomWeights(sizes, 1, seed);
      const x = Array.from({ length: sizes[0] }, (_, i) => Math.sin(i + seed));
      expectClose(ex.sigmoidStackGradientNorms(x, weights), autogradNorms(x, weights), {
        what: `‖∂loss/∂W_l‖ per layer, ${name}`, input: { x, weights }, rtol: 1e-9,
        hint: "∂loss/∂z = ∂loss/∂a ⊙ a(1 − a); ∂loss/∂W = (∂loss/∂z) a_prevᵀ; pass W_lᵀ(∂loss/∂z) down; return the norms first layer first",
      });
    }
  });

  graded("sigmoidStackGradientNorms: a 12-layer stack shows the vanishing gradient", 3, () => {
    const sizes = new Array<number>(13).fill(8);
    const weights = randomWeights(sizes, 0.5, 3);
    const x = Array.from({ length: 8 }, (_, i) => (i % 3) - 1);
    const norms = ex.sigmoidStackGradientNorms(x, weights);
    // Purely relative: each norm is a product of positive factors (no cancellation), so it is accurate to
    // rounding however small it gets, and a fixed atol would accept any answer for the vanished layers.
    expectClose(norms, autogradNorms(x, weights), { what: "‖∂loss/∂W_l‖ per layer of a 12-layer sigmoid stack", input: { sizes, scale: 0.5 }, rtol: 1e-9, atol: 0 });
    expectEqual(norms[0] < 1e-4 * norms[norms.length - 1], true, {
      what: "the first layer's gradient norm is more than 10,000 times smaller than the last layer's",
      hint: "if it is not, the backward pass is missing the σ'(z) ≤ 0.25 factor of some layer",
    });
  });
});
