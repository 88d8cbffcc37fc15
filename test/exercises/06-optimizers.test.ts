import { describe } from "vitest";
import { Generator, optim, tensor, type Tensor } from "kernel-lib";
import * as exercise from "@exercise/06-optimizers";
import { GradingError, expectClose, graded } from "./grading";
import { asGraded } from "./submission";
import { expectInputsUntouched, expectThrows } from "./contracts";

/** The submission as graded: shortcuts refused, arguments checked for changes (submission.ts). */
const ex = asGraded(exercise, "06-optimizers");

const gen = new Generator(606);
const randomArray = (n: number, scale = 1) => Array.from({ length: n }, () => gen.normal() * scale);

/** The quadratic L(w) = ½ Σ a_i w_i², with gradient a ⊙ w. */
const a = [3, 0.5, 0.8, 2];
const gradQuadratic = (w: readonly number[]) => w.map((wi, i) => a[i] * wi);

/** Runs a kernel-lib optimizer on one float64 parameter, feeding it gradFor(p) at each step; returns p after each step. */
function engineRun(make: (p: Tensor) => optim.Optimizer, w0: number[], gradFor: (p: number[], step: number) => number[], steps: number): number[][] {
  const p = tensor(w0, { dtype: "float64", requiresGrad: true });
  const opt = make(p);
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    p.grad = tensor(gradFor(p.toFlatArray(), t), { dtype: "float64" });
    opt.step();
    out.push(p.toFlatArray());
  }
  return out;
}

function expectUntouched(before: number[][], after: readonly (readonly number[])[], what: string): void {
  before.forEach((arr, k) => {
    if (arr.some((x, i) => x !== after[k][i])) {
      throw new GradingError({ what, hint: "return new arrays (e.g. with .map) instead of writing into the arguments" }, "an input array was modified");
    }
  });
}

describe("06 optimizers", () => {
  graded("momentumStep: one step by hand, inputs untouched", 2, () => {
    const w = [1, -2], g = [0.5, 0.5], v = [0, 0];
    const first = ex.momentumStep(w, g, v, { lr: 0.1, momentum: 0.9 });
    expectClose(first.v, [0.05, 0.05], { what: "v after the first step", input: { w, g, v, lr: 0.1, momentum: 0.9 }, rtol: 1e-12, hint: "v ← momentum·v + lr·g" });
    expectClose(first.w, [0.95, -2.05], { what: "w after the first step", input: { w, g, v }, rtol: 1e-12, hint: "w ← w − v, with the new v" });
    const second = ex.momentumStep(first.w, [1, -1], first.v, { lr: 0.1, momentum: 0.9 });
    expectClose(second.v, [0.9 * 0.05 + 0.1, 0.9 * 0.05 - 0.1], { what: "v after a second step with g = [1, −1]", input: { v: first.v, g: [1, -1] }, rtol: 1e-12, hint: "the old velocity is multiplied by momentum, not replaced" });
    expectClose(second.w, [0.95 - 0.145, -2.05 + 0.055], { what: "w after the second step", rtol: 1e-12 });
    expectUntouched([[1, -2], [0.5, 0.5], [0, 0]], [w, g, v], "momentumStep's arguments");
  });

  graded("momentumStep follows optim.SGD(momentum) for 50 steps", 1, () => {
    const w0 = randomArray(4);
    const hyper = { lr: 0.05, momentum: 0.9 };
    let state = { w: [...w0], v: [0, 0, 0, 0] };
    const mine: number[][] = [];
    for (let t = 0; t < 50; t++) {
      state = ex.momentumStep(state.w, gradQuadratic(state.w), state.v, hyper);
      mine.push(state.w);
    }
    const engine = engineRun((p) => new optim.SGD([p], { lr: 0.05, momentum: 0.9 }), w0, gradQuadratic, 50);
    for (const t of [0, 1, 9, 49]) {
      expectClose(mine[t], engine[t], { what: `w after step ${t + 1} vs optim.SGD`, input: { w0, hyper, loss: "½ Σ a_i w_i², a = [3, 0.5, 0.8, 2]" }, rtol: 1e-9, atol: 1e-12, hint: "optim.SGD stores b = v/lr; both give the same w if v ← momentum·v + lr·g and w ← w − v" });
    }
  });

  graded("nesterovStep takes the gradient at the look-ahead point", 4, () => {
    const calls: number[][] = [];
    const gradAt = (point: number[]) => {
      calls.push([...point]);
      return gradQuadratic(point);
    };
    const w = [1, 2, -1, 0.5], v = [0.1, -0.2, 0.3, 0];
    const out = ex.nesterovStep(w, v, gradAt, { lr: 0.1, momentum: 0.9 });
    if (calls.length !== 1) throw new GradingError({ what: "calls to gradAt in one step", hint: "call gradAt exactly once, at w − momentum·v" }, `expected 1 call but got ${calls.length}`);
    const look = w.map((wi, i) => wi - 0.9 * v[i]);
    expectClose(calls[0], look, { what: "the point where you asked for the gradient", input: { w, v, momentum: 0.9 }, rtol: 1e-12, hint: "the look-ahead point is w − momentum·v (the OLD v)" });
    const vExpected = v.map((vi, i) => 0.9 * vi + 0.1 * a[i] * look[i]);
    expectClose(out.v, vExpected, { what: "v after one step", input: { w, v }, rtol: 1e-12 });
    expectClose(out.w, w.map((wi, i) => wi - vExpected[i]), { what: "w after one step", input: { w, v }, rtol: 1e-12 });
    expectUntouched([[1, 2, -1, 0.5], [0.1, -0.2, 0.3, 0]], [w, v], "nesterovStep's arguments");

    // PyTorch's form stores the look-ahead point p = w − momentum·v as the parameter.
    const w0 = randomArray(4);
    let state = { w: [...w0], v: [0, 0, 0, 0] };
    const mine: number[][] = [];
    for (let t = 0; t < 40; t++) {
      state = ex.nesterovStep(state.w, state.v, gradQuadratic, { lr: 0.05, momentum: 0.9 });
      mine.push(state.w.map((wi, i) => wi - 0.9 * state.v[i]));
    }
    const engine = engineRun((p) => new optim.SGD([p], { lr: 0.05, momentum: 0.9, nesterov: true }), w0, gradQuadratic, 40);
    for (const t of [0, 4, 39]) {
      expectClose(mine[t], engine[t], { what: `look-ahead point w − momentum·v after step ${t + 1} vs optim.SGD(nesterov)`, input: { w0 }, rtol: 1e-9, atol: 1e-12, hint: "v ← momentum·v + lr·∇L(w − momentum·v); w ← w − v" });
    }
  });

  graded("rmspropStep: by hand and against optim.RMSprop", 3, () => {
    const w = [1, -1], g = [2, 0.1], s = [0, 0];
    const out = ex.rmspropStep(w, g, s, { lr: 0.01, rho: 0.9, eps: 1e-8 });
    const sExpected = [0.1 * 4, 0.1 * 0.01];
    expectClose(out.s, sExpected, { what: "s after the first step", input: { w, g, s, rho: 0.9 }, rtol: 1e-12, hint: "s ← rho·s + (1 − rho)·g²" });
    expectClose(out.w, [1 - (0.01 * 2) / (Math.sqrt(0.4) + 1e-8), -1 - (0.01 * 0.1) / (Math.sqrt(0.001) + 1e-8)], { what: "w after the first step", input: { w, g }, rtol: 1e-12, hint: "divide by Math.sqrt(s) + eps, with the new s" });
    expectUntouched([[1, -1], [2, 0.1], [0, 0]], [w, g, s], "rmspropStep's arguments");

    const w0 = randomArray(4);
    const grads = Array.from({ length: 30 }, () => randomArray(4, 2));
    let state = { w: [...w0], s: [0, 0, 0, 0] };
    const mine: number[][] = [];
    for (const gt of grads) {
      state = ex.rmspropStep(state.w, gt, state.s, { lr: 0.01, rho: 0.99, eps: 1e-8 });
      mine.push(state.w);
    }
    const engine = engineRun((p) => new optim.RMSprop([p], { lr: 0.01, alpha: 0.99, eps: 1e-8 }), w0, (_p, t) => grads[t], 30);
    for (const t of [0, 1, 29]) {
      expectClose(mine[t], engine[t], { what: `w after step ${t + 1} vs optim.RMSprop(alpha = 0.99)`, input: { w0 }, rtol: 1e-9, atol: 1e-12 });
    }
  });

  graded("adamStep: the first steps by hand, with bias correction", 3, () => {
    const hyper = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const out = ex.adamStep([0.5, -0.5], [2, -0.001], [0, 0], [0, 0], 1, hyper);
    expectClose(out.m, [0.2, -0.0001], { what: "m after step 1", input: { g: [2, -0.001] }, rtol: 1e-12, hint: "m ← beta1·m + (1 − beta1)·g; return the raw m, not m̂" });
    expectClose(out.v, [0.004, 0.001 * 1e-6], { what: "v after step 1", input: { g: [2, -0.001] }, rtol: 1e-12, hint: "v ← beta2·v + (1 − beta2)·g²" });
    // At t = 1, m̂ = g and v̂ = g², so the step is lr·g/(|g| + eps) ≈ lr·sign(g), whatever the size of g.
    expectClose(out.w, [0.5 - 0.001 * (2 / (2 + 1e-8)), -0.5 + 0.001 * (0.001 / (0.001 + 1e-8))], { what: "w after step 1", rtol: 1e-10, hint: "with bias correction the first step has size ≈ lr for any gradient; without it, it would be ≈ 3.16·lr" });
    const second = ex.adamStep(out.w, [1, 1], out.m, out.v, 2, hyper);
    const m2 = [0.9 * 0.2 + 0.1, 0.9 * -0.0001 + 0.1];
    const v2 = [0.999 * 0.004 + 0.001, 0.999 * 1e-9 + 0.001];
    const w2 = out.w.map((wi, i) => wi - (0.001 * (m2[i] / (1 - 0.81))) / (Math.sqrt(v2[i] / (1 - 0.999 ** 2)) + 1e-8));
    expectClose(second.w, w2, { what: "w after step 2 (t = 2)", input: { m: out.m, v: out.v, g: [1, 1] }, rtol: 1e-10, hint: "the corrections use the step number: 1 − beta1 ** t and 1 − beta2 ** t" });
    expectThrows("adamStep at t = 0", () => ex.adamStep([1], [1], [0], [0], 0, hyper), "t counts steps from 1; refuse t < 1 with an Error");
  });

  graded("adamStep follows optim.Adam for 100 steps of noisy gradients", 3, () => {
    const w0 = randomArray(5);
    const noise = Array.from({ length: 100 }, () => randomArray(5, 0.3));
    const gradFor = (p: number[], t: number) => p.map((pi, i) => pi * (i + 1) + noise[t][i]);
    let state = { w: [...w0], m: new Array<number>(5).fill(0), v: new Array<number>(5).fill(0) };
    const mine: number[][] = [];
    for (let t = 1; t <= 100; t++) {
      state = ex.adamStep(state.w, gradFor(state.w, t - 1), state.m, state.v, t, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
      mine.push(state.w);
    }
    const engine = engineRun((p) => new optim.Adam([p], { lr: 0.01 }), w0, gradFor, 100);
    for (const t of [0, 9, 99]) {
      expectClose(mine[t], engine[t], { what: `w after step ${t + 1} vs optim.Adam`, input: { w0, loss: "gradient (i+1)·w_i + noise" }, rtol: 1e-9, atol: 1e-12, hint: "pass t = 1, 2, … and keep feeding back the raw m and v you returned" });
    }
  });

  graded("adamwStep: one step by hand; the decay is decoupled from the gradient", 3, () => {
    const hyper = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };
    // A huge gradient on w[0] and none on w[1]: AdamW still decays both by lr·λ·w.
    const w = [1, -2], g = [100, 0], zeros = [0, 0];
    const out = expectInputsUntouched("adamwStep", { w, g, m: zeros, v: zeros }, () => ex.adamwStep(w, g, zeros, zeros, 1, hyper));
    expectClose(out.m, [10, 0], { what: "m after step 1", input: { g }, rtol: 1e-12, hint: "the moments see only g: m ← beta1·m + (1 − beta1)·g (no weightDecay·w in it)" });
    expectClose(out.v, [10, 0], { what: "v after step 1", input: { g }, rtol: 1e-12, hint: "v ← beta2·v + (1 − beta2)·g², from g alone" });
    expectClose(out.w, [1 - 0.1 * (100 / (100 + 1e-8) + 0.1), -2 - 0.1 * (0.1 * -2)], {
      what: "w after step 1 (lr 0.1, weightDecay 0.1)", input: { w, g, ...hyper }, rtol: 1e-12,
      hint: "w ← w − lr·(m̂/(√v̂ + eps) + weightDecay·w): the decay is NOT divided by √v̂ (that would be Adam + L2)",
    });
    expectThrows("adamwStep at t = 0", () => ex.adamwStep([1], [1], [0], [0], 0, hyper), "t counts steps from 1; refuse t < 1 with an Error");
  });

  graded("adamwStep follows optim.AdamW for 50 steps, and differs from Adam + L2", 2, () => {
    const w0 = randomArray(4, 2);
    const gradFor = (p: number[]) => p.map((pi, i) => (i + 1) * 3 * pi);
    const hyper = { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.2 };
    let state = { w: [...w0], m: new Array<number>(4).fill(0), v: new Array<number>(4).fill(0) };
    const mine: number[][] = [];
    for (let t = 1; t <= 50; t++) {
      state = ex.adamwStep(state.w, gradFor(state.w), state.m, state.v, t, hyper);
      mine.push(state.w);
    }
    const engine = engineRun((p) => new optim.AdamW([p], { lr: 0.05, weightDecay: 0.2 }), w0, gradFor, 50);
    for (const t of [0, 9, 49]) {
      expectClose(mine[t], engine[t], {
        what: `w after step ${t + 1} vs optim.AdamW`, input: { w0, loss: "gradient 3(i+1)·w_i", ...hyper }, rtol: 1e-9, atol: 1e-12,
        hint: "decoupled: shrink w by lr·weightDecay·w outside the adaptive step; adding weightDecay·w to g instead is Adam + L2, a different optimizer",
      });
    }
  });
});
