import { describe, expect } from "vitest";
import * as exercise from "@exercise/03-activations";
import { F, Generator, diagnostics, nn, tensor, type Tensor } from "kernel-lib";
import { expectClose, expectEqual, graded } from "./grading";
import { asGraded } from "./submission";

/** The submission as graded: shortcuts refused, arguments checked for changes (submission.ts). */
const ex = asGraded(exercise, "03-activations");

/** Seeded inputs spread over both sides of 0 (never exactly 0: autograd's choice at a kink is tested separately). */
function inputs(seed: number, n: number, scale = 3): number[] {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => {
    const v = scale * g.normal();
    return v === 0 ? 0.5 : v;
  });
}

/** f′ at each x by kernel-lib's autograd (float64): the gradient of Σ f(xᵢ) is f′(xᵢ). */
function autogradDerivative(f: (x: Tensor) => Tensor, xs: readonly number[]): number[] {
  const x = tensor([...xs], { dtype: "float64", requiresGrad: true });
  f(x).sum().backward();
  return Array.from(x.grad!.data);
}

function engineValues(f: (x: Tensor) => Tensor, xs: readonly number[]): number[] {
  return Array.from(f(tensor([...xs], { dtype: "float64" })).data);
}

/** Central differences of the student's own forward: checks that y and dydx agree. */
function finiteDifferences(f: (x: readonly number[]) => exercise.Activated, xs: readonly number[], h = 1e-6): number[] {
  const plus = f(xs.map((v) => v + h)).y;
  const minus = f(xs.map((v) => v - h)).y;
  return xs.map((_, i) => (plus[i] - minus[i]) / (2 * h));
}

describe("03 activations", () => {
  graded("leakyRelu: values and slopes on both sides (default slope 0.01)", 1, () => {
    const xs = [-3, -0.5, 0, 0.25, 4];
    const out = ex.leakyRelu(xs);
    expectClose(out.y, [-0.03, -0.005, 0, 0.25, 4], { what: "leakyRelu values (slope 0.01)", input: { x: xs }, rtol: 1e-12, hint: "x for x > 0, 0.01·x otherwise" });
    expectClose(out.dydx, [0.01, 0.01, 0.01, 1, 1], {
      what: "leakyRelu derivative (slope 0.01)", input: { x: xs }, rtol: 1e-12,
      hint: "1 for x > 0 and negativeSlope for x ≤ 0 (at exactly 0 use the negative side)",
    });
    const custom = ex.leakyRelu([-2, 0, 3], 0.2);
    expectClose(custom.y, [-0.4, 0, 3], { what: "leakyRelu values with negativeSlope 0.2", input: { x: [-2, 0, 3], negativeSlope: 0.2 }, rtol: 1e-12, hint: "use the negativeSlope argument, not a hard-coded 0.01" });
    expectClose(custom.dydx, [0.2, 0.2, 1], { what: "leakyRelu derivative with negativeSlope 0.2", input: { x: [-2, 0, 3], negativeSlope: 0.2 }, rtol: 1e-12 });
  });

  graded("leakyRelu: derivative equals kernel-lib's autograd of F.leakyRelu on random inputs", 1, () => {
    const xs = inputs(1, 40);
    for (const slope of [0.01, 0.3]) {
      const out = ex.leakyRelu(xs, slope);
      expectClose(out.y, engineValues((x) => F.leakyRelu(x, slope), xs), { what: `leakyRelu values, slope ${slope}`, input: { x: xs }, rtol: 1e-12 });
      expectClose(out.dydx, autogradDerivative((x) => F.leakyRelu(x, slope), xs), { what: `leakyRelu derivative, slope ${slope}`, input: { x: xs }, rtol: 1e-12 });
    }
  });

  graded("elu: values and derivatives, including both tails and alpha", 2, () => {
    const xs = [-50, -1, 0, 0.5, 800];
    const out = ex.elu(xs);
    const e1 = Math.exp(-1);
    expectClose(out.y, [Math.exp(-50) - 1, e1 - 1, 0, 0.5, 800], {
      what: "elu values (alpha 1)", input: { x: xs }, rtol: 1e-12,
      hint: "x for x > 0, alpha·(eˣ − 1) otherwise; for x = 800 return 800 (Math.exp(800) is Infinity, so do not compute it there)",
    });
    expectClose(out.dydx, [Math.exp(-50), e1, 1, 1, 1], {
      // atol 1e-15 (the derivative is at most max(1, alpha)): alpha·eˣ and the identity f(x) + alpha are both right.
      what: "elu derivative (alpha 1)", input: { x: xs }, rtol: 1e-12, atol: 1e-15,
      hint: "1 for x > 0, alpha·eˣ for x ≤ 0 (at 0 that is alpha)",
    });
    const half = ex.elu([-2, 0, 2], 0.5);
    expectClose(half.y, [0.5 * (Math.exp(-2) - 1), 0, 2], { what: "elu values with alpha 0.5", input: { x: [-2, 0, 2], alpha: 0.5 }, rtol: 1e-12, hint: "multiply (eˣ − 1) by alpha" });
    expectClose(half.dydx, [0.5 * Math.exp(-2), 0.5, 1], { what: "elu derivative with alpha 0.5", input: { x: [-2, 0, 2], alpha: 0.5 }, rtol: 1e-12, hint: "the negative side's slope is alpha·eˣ, so alpha at x = 0" });
  });

  graded("elu: derivative agrees with finite differences and with F.elu's autograd", 1, () => {
    const xs = inputs(2, 40);
    for (const alpha of [1, 2]) {
      const out = ex.elu(xs, alpha);
      expectClose(out.y, engineValues((x) => F.elu(x, alpha), xs), { what: `elu values, alpha ${alpha}`, input: { x: xs }, rtol: 1e-12 });
      expectClose(out.dydx, finiteDifferences((v) => ex.elu(v, alpha), xs), { what: `elu derivative vs finite differences, alpha ${alpha}`, input: { x: xs }, rtol: 1e-6, atol: 1e-8 });
      expectClose(out.dydx, autogradDerivative((x) => F.elu(x, alpha), xs), { what: `elu derivative vs autograd, alpha ${alpha}`, input: { x: xs }, rtol: 1e-12 });
    }
  });

  graded("selu: values and derivative match F.selu and autograd", 2, () => {
    const xs = inputs(3, 40);
    const out = ex.selu(xs);
    expectClose(out.y, engineValues(F.selu, xs), { what: "selu values", input: { x: xs }, rtol: 1e-12, hint: "SELU_SCALE multiplies BOTH sides: SELU_SCALE·x for x > 0" });
    expectClose(out.dydx, autogradDerivative(F.selu, xs), { what: "selu derivative", input: { x: xs }, rtol: 1e-12, hint: "the slope for x > 0 is SELU_SCALE ≈ 1.0507, not 1" });
    const edge = ex.selu([0, -100]);
    expectClose(edge.y, [0, -ex.SELU_SCALE * ex.SELU_ALPHA], { what: "selu at 0 and far left", input: { x: [0, -100] }, rtol: 1e-12, hint: "selu tends to −SELU_SCALE·SELU_ALPHA ≈ −1.758 on the left" });
  });

  graded("selu maps a standard normal input to mean 0, variance 1 (the self-normalizing fixed point)", 1, () => {
    // Trapezoid rule for E[f(z)] and E[f(z)²], z ~ N(0, 1), on [−12, 12].
    const n = 24001;
    const zs = Array.from({ length: n }, (_, i) => -12 + (24 * i) / (n - 1));
    const { y } = ex.selu(zs);
    const dz = 24 / (n - 1);
    let mean = 0;
    let second = 0;
    zs.forEach((z, i) => {
      const w = ((i === 0 || i === n - 1 ? 0.5 : 1) * dz * Math.exp(-z * z / 2)) / Math.sqrt(2 * Math.PI);
      mean += w * y[i];
      second += w * y[i] * y[i];
    });
    expectClose(mean, 0, { what: "E[selu(z)] for z ~ N(0, 1)", atol: 1e-6, hint: "check both constants and both branches" });
    expectClose(second - mean * mean, 1, { what: "Var[selu(z)] for z ~ N(0, 1)", rtol: 1e-6 });
  });

  graded("geluTanh: values against the closed form and F.gelu(x, { approximate: \"tanh\" })", 2, () => {
    const xs = [-6, -0.75, 0, 1, 3];
    const out = ex.geluTanh(xs);
    const c = Math.sqrt(2 / Math.PI);
    const expected = xs.map((v) => 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v ** 3))));
    expectClose(out.y, expected, { what: "geluTanh values", input: { x: xs }, rtol: 1e-12, atol: 1e-15, hint: "0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))" });
    const random = inputs(4, 40);
    expectClose(ex.geluTanh(random).y, engineValues((x) => F.gelu(x, { approximate: "tanh" }), random), { what: "geluTanh values on random inputs", input: { x: random }, rtol: 1e-12, atol: 1e-15 });
  });

  graded("geluTanh: derivative against finite differences and autograd", 2, () => {
    const xs = inputs(5, 40);
    const out = ex.geluTanh(xs);
    expectClose(out.dydx, finiteDifferences(ex.geluTanh, xs), {
      what: "geluTanh derivative vs finite differences", input: { x: xs }, rtol: 1e-6, atol: 1e-8,
      hint: "f′ = 0.5·(1 + t) + 0.5·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²), with t = tanh(u)",
    });
    expectClose(out.dydx, autogradDerivative((x) => F.gelu(x, { approximate: "tanh" }), xs), { what: "geluTanh derivative vs autograd", input: { x: xs }, rtol: 1e-10, atol: 1e-14 });
    expectClose(ex.geluTanh([0]).dydx, [0.5], { what: "geluTanh′(0)", input: { x: [0] }, rtol: 1e-12, hint: "at x = 0, t = 0 and the second term vanishes" });
  });

  graded("deadFraction: hand-made batches", 1, () => {
    expectClose(ex.deadFraction([[0, 1.5, 0], [0, 0, 2]]), 1 / 3, { what: "dead fraction", input: [[0, 1.5, 0], [0, 0, 2]], rtol: 1e-12, hint: "a unit is dead only if it is ≤ 0 for EVERY sample (column)" });
    expectClose(ex.deadFraction([[1, 2], [3, 4]]), 0, { what: "no dead unit", input: [[1, 2], [3, 4]], rtol: 0 });
    expectClose(ex.deadFraction([[0, -1, 0, 0]]), 1, { what: "all dead (one sample)", input: [[0, -1, 0, 0]], rtol: 0, hint: "negative values (e.g. pre-activations) count as not firing too" });
    expectClose(ex.deadFraction([[0, 0], [0, 1e-9], [0, 0]]), 0.5, { what: "a unit that fires once is alive", input: [[0, 0], [0, 1e-9], [0, 0]], rtol: 1e-12, hint: "columns are units, rows are samples" });
  });

  graded("deadFraction agrees with diagnostics.activationStats on a ReLU layer", 1, () => {
    const g = new Generator(6);
    const layer = new nn.Linear(8, 32, { generator: g, dtype: "float64" });
    // Push some biases far negative so that several units never fire.
    for (let j = 0; j < 32; j += 3) layer.bias!.data[j] = -20;
    const model = new nn.Sequential(layer, new nn.ReLU());
    const x = tensor(Array.from({ length: 16 * 8 }, () => g.normal()), { shape: [16, 8], dtype: "float64" });
    const rows = (model.call(x).toArray() as number[][]);
    const reference = diagnostics.activationStats(model, x).find((s) => s.type === "ReLU")!.deadFraction;
    expectClose(ex.deadFraction(rows), reference, { what: "dead fraction of a ReLU layer's output [16, 32]", rtol: 1e-12 });
  });

  graded("deadFraction refuses an empty batch or ragged rows", 1, () => {
    expectClose(ex.deadFraction([[0, 2]]), 0.5, { what: "dead fraction", input: [[0, 2]], rtol: 1e-12 });
    const refuses = (batch: number[][]): boolean => {
      try {
        ex.deadFraction(batch);
        return false;
      } catch (e) {
        expect((e as Error).message).not.toMatch(/not implemented yet/);
        return true;
      }
    };
    expectEqual(refuses([]), true, { what: "an empty batch throws an Error", input: [], hint: "with no samples, 'never fired' means nothing: throw" });
    expectEqual(refuses([[]]), true, { what: "rows without units throw an Error", input: [[]] });
    expectEqual(refuses([[1, 0], [1]]), true, { what: "ragged rows throw an Error", input: [[1, 0], [1]] });
  });
});
