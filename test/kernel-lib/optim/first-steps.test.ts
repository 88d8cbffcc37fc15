import { describe, expect, it } from "vitest";
import { optim, type Tensor } from "kernel-lib";
import { A, P0, expectAllClose, quadraticTrajectory, stepsWithGrads } from "../../helpers/optim";

/*
 * The first steps of every optimizer on f(p) = ½·(2·p₀² + 0.5·p₁²) from
 * p = [1.5, −2], so grad = [2·p₀, 0.5·p₁] and the first gradient is g0 = [3, −1].
 * Expected values are the update rules' arithmetic written out by hand.
 */
const g0 = [3, -1];
const gradAt = (p: number[]): number[] => p.map((x, i) => A[i] * x);

describe("SGD", () => {
  it("default lr 1e-3: p ← p − lr·g", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.SGD([p]), 2);
    expectAllClose(p1, [1.5 - 1e-3 * 3, -2 - 1e-3 * -1]); // [1.497, −1.999]
    expectAllClose(p2, [1.497 - 1e-3 * 2.994, -1.999 - 1e-3 * -0.9995]); // [1.494006, −1.9980005]
  });

  it("momentum: the buffer starts at g, then b ← μ·b + g", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.SGD([p], { lr: 0.1, momentum: 0.9 }), 2);
    expectAllClose(p1, [1.5 - 0.1 * 3, -2 - 0.1 * -1]); // b = g0 = [3, −1]
    // g1 = [2·1.2, 0.5·−1.9] = [2.4, −0.95];  b = 0.9·[3, −1] + g1 = [5.1, −1.85]
    expectAllClose(p2, [1.2 - 0.1 * 5.1, -1.9 - 0.1 * -1.85]);
  });

  it("dampening scales the new gradient's share, but not at the first step", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 }), 2);
    expectAllClose(p1, [1.2, -1.9]);
    // b = 0.9·[3, −1] + 0.5·[2.4, −0.95] = [3.9, −1.375]
    expectAllClose(p2, [1.2 - 0.1 * 3.9, -1.9 - 0.1 * -1.375]);
  });

  it("nesterov: steps along g + μ·b", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }), 2);
    // b = g0; step = g0 + 0.9·g0 = [5.7, −1.9]
    expectAllClose(p1, [1.5 - 0.1 * 5.7, -2 - 0.1 * -1.9]); // [0.93, −1.81]
    // g1 = [1.86, −0.905]; b = 0.9·[3, −1] + g1 = [4.56, −1.805]; step = g1 + 0.9·b = [5.964, −2.5295]
    expectAllClose(p2, [0.93 - 0.1 * 5.964, -1.81 - 0.1 * -2.5295]);
  });

  it("weightDecay adds λ·p to the gradient", () => {
    const [p1] = quadraticTrajectory((p) => new optim.SGD([p], { lr: 0.1, weightDecay: 0.1 }), 1);
    expectAllClose(p1, [1.5 - 0.1 * (3 + 0.1 * 1.5), -2 - 0.1 * (-1 + 0.1 * -2)]); // [1.185, −1.88]
  });
});

describe("Adagrad", () => {
  const adagradStep = (p: number[], g: number[], sum: number[], clr: number): number[] =>
    p.map((x, i) => x - (clr * g[i]) / (Math.sqrt(sum[i]) + 1e-10));

  it("default lr 1e-2: divides by the root of the summed squared gradients", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.Adagrad([p]), 2);
    const sum1 = [9, 1];
    const e1 = adagradStep(P0, g0, sum1, 0.01); // ≈ [1.49, −1.99]
    expectAllClose(p1, e1);
    expect(p1[0]).toBeCloseTo(1.49, 9);
    const g1 = gradAt(e1);
    expectAllClose(p2, adagradStep(e1, g1, [9 + g1[0] ** 2, 1 + g1[1] ** 2], 0.01));
  });

  it("lrDecay: step t uses lr / (1 + (t − 1)·lrDecay); initialAccumulatorValue starts the sum", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.Adagrad([p], { lrDecay: 0.5, initialAccumulatorValue: 1 }), 2);
    const sum1 = [1 + 9, 1 + 1];
    const e1 = adagradStep(P0, g0, sum1, 0.01);
    expectAllClose(p1, e1);
    const g1 = gradAt(e1);
    expectAllClose(p2, adagradStep(e1, g1, [sum1[0] + g1[0] ** 2, sum1[1] + g1[1] ** 2], 0.01 / 1.5));
  });
});

describe("RMSprop", () => {
  it("default lr 1e-2, alpha 0.99: v ← 0.99·v + 0.01·g²", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.RMSprop([p]), 2);
    const v1 = [0.01 * 9, 0.01 * 1]; // √v1 = [0.3, 0.1]
    const e1 = [1.5 - (0.01 * 3) / (0.3 + 1e-8), -2 - (0.01 * -1) / (0.1 + 1e-8)]; // ≈ [1.4, −1.9]
    expectAllClose(p1, e1);
    const g1 = gradAt(e1);
    const v2 = v1.map((v, i) => 0.99 * v + 0.01 * g1[i] ** 2);
    expectAllClose(p2, e1.map((x, i) => x - (0.01 * g1[i]) / (Math.sqrt(v2[i]) + 1e-8)));
  });

  it("centered subtracts the squared running mean of g", () => {
    const [p1] = quadraticTrajectory((p) => new optim.RMSprop([p], { centered: true }), 1);
    // ḡ = 0.01·g0 = [0.03, −0.01];  ṽ = [0.09 − 0.0009, 0.01 − 0.0001]
    expectAllClose(p1, [1.5 - (0.01 * 3) / (Math.sqrt(0.0891) + 1e-8), -2 - (0.01 * -1) / (Math.sqrt(0.0099) + 1e-8)]);
  });

  it("momentum accumulates the normalized steps", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.RMSprop([p], { lr: 0.01, momentum: 0.5, weightDecay: 0.1 }), 2);
    const g = P0.map((x, i) => A[i] * x + 0.1 * x); // [3.15, −1.2]
    const v1 = g.map((gi) => 0.01 * gi * gi);
    const b1 = g.map((gi, i) => gi / (Math.sqrt(v1[i]) + 1e-8));
    const e1 = P0.map((x, i) => x - 0.01 * b1[i]);
    expectAllClose(p1, e1);
    const g1 = e1.map((x, i) => A[i] * x + 0.1 * x);
    const v2 = v1.map((v, i) => 0.99 * v + 0.01 * g1[i] ** 2);
    const b2 = b1.map((b, i) => 0.5 * b + g1[i] / (Math.sqrt(v2[i]) + 1e-8));
    expectAllClose(p2, e1.map((x, i) => x - 0.01 * b2[i]));
  });
});

describe("Adadelta", () => {
  it("default lr 1, rho 0.9, eps 1e-6: Δx = √(u + eps)/√(v + eps)·g", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.Adadelta([p]), 2);
    const v1 = [0.1 * 9, 0.1 * 1];
    const d1 = g0.map((g, i) => (Math.sqrt(0 + 1e-6) / Math.sqrt(v1[i] + 1e-6)) * g);
    const e1 = P0.map((x, i) => x - d1[i]); // first step ≈ 1e-3·g/√(0.1·g²) ≈ 0.00316·sign(g)
    expectAllClose(p1, e1);
    const u1 = d1.map((d) => 0.1 * d * d);
    const g1 = gradAt(e1);
    const v2 = v1.map((v, i) => 0.9 * v + 0.1 * g1[i] ** 2);
    const d2 = g1.map((g, i) => (Math.sqrt(u1[i] + 1e-6) / Math.sqrt(v2[i] + 1e-6)) * g);
    expectAllClose(p2, e1.map((x, i) => x - d2[i]));
  });
});

describe("Adam and AdamW", () => {
  it("default lr 1e-3: the bias-corrected first step is lr·g/(|g| + eps)", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.Adam([p]), 2);
    // m = 0.1·g0, v = 0.001·g0²;  m̂ = m/0.1 = g0, v̂ = v/0.001 = g0²
    const e1 = [1.5 - (1e-3 * 3) / (3 + 1e-8), -2 - (1e-3 * -1) / (1 + 1e-8)]; // ≈ [1.499, −1.999]
    expectAllClose(p1, e1);
    const g1 = gradAt(e1);
    const m2 = g0.map((g, i) => 0.9 * 0.1 * g + 0.1 * g1[i]);
    const v2 = g0.map((g, i) => 0.999 * 0.001 * g * g + 0.001 * g1[i] ** 2);
    const mHat = m2.map((m) => m / (1 - 0.9 ** 2)); // 1 − 0.81
    const vHat = v2.map((v) => v / (1 - 0.999 ** 2)); // 1 − 0.998001
    expectAllClose(p2, e1.map((x, i) => x - (1e-3 * mHat[i]) / (Math.sqrt(vHat[i]) + 1e-8)));
  });

  it("weightDecay in Adam is L2: λ·p enters the gradient (and the moments)", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.Adam([p], { lr: 0.1, weightDecay: 0.5 }), 2);
    const ga = P0.map((x, i) => A[i] * x + 0.5 * x); // [3.75, −1.5]
    const e1 = P0.map((x, i) => x - (0.1 * ga[i]) / (Math.abs(ga[i]) + 1e-8));
    expectAllClose(p1, e1);
    const gb = e1.map((x, i) => A[i] * x + 0.5 * x);
    const m2 = ga.map((g, i) => 0.09 * g + 0.1 * gb[i]);
    const v2 = ga.map((g, i) => 0.999 * 0.001 * g * g + 0.001 * gb[i] ** 2);
    expectAllClose(p2, e1.map((x, i) => x - (0.1 * (m2[i] / 0.19)) / (Math.sqrt(v2[i] / (1 - 0.998001)) + 1e-8)));
  });

  it("AdamW decays p directly: p ← p·(1 − lr·λ), then the Adam step on the plain gradient", () => {
    const [p1] = quadraticTrajectory((p) => new optim.AdamW([p], { lr: 0.1, weightDecay: 0.5 }), 1);
    expectAllClose(p1, [1.5 * (1 - 0.1 * 0.5) - (0.1 * 3) / (3 + 1e-8), -2 * (1 - 0.1 * 0.5) - (0.1 * -1) / (1 + 1e-8)]);
  });

  it("AdamW's default weight decay is 1e-2 and equals Adam with decoupledWeightDecay", () => {
    const w = quadraticTrajectory((p) => new optim.AdamW([p], { lr: 0.1 }), 5);
    const a = quadraticTrajectory((p) => new optim.Adam([p], { lr: 0.1, weightDecay: 1e-2, decoupledWeightDecay: true }), 5);
    expect(w).toEqual(a);
    expectAllClose(w[0], [1.5 * (1 - 0.1 * 1e-2) - (0.1 * 3) / (3 + 1e-8), -2 * (1 - 0.1 * 1e-2) + 0.1 / (1 + 1e-8)]);
  });

  it("amsgrad divides by the largest second moment seen, once v shrinks", () => {
    const grads = [[1], [0.01]];
    const [q1, q2] = stepsWithGrads((p) => new optim.Adam([p], { lr: 0.1, amsgrad: true }), [0], grads);
    const [r1, r2] = stepsWithGrads((p) => new optim.Adam([p], { lr: 0.1 }), [0], grads);
    const e1 = 0 - (0.1 * 1) / (1 + 1e-8);
    expectAllClose(q1, [e1]);
    expectAllClose(r1, [e1]);
    const mHat = (0.09 + 0.1 * 0.01) / 0.19;
    const v2 = 0.999 * 0.001 + 0.001 * 0.01 ** 2; // 0.0009991 < v1 = 0.001
    expectAllClose(q2, [e1 - (0.1 * mHat) / (Math.sqrt(0.001 / 0.001999) + 1e-8)]);
    expectAllClose(r2, [e1 - (0.1 * mHat) / (Math.sqrt(v2 / 0.001999) + 1e-8)]);
  });
});

describe("Adamax", () => {
  it("default lr 2e-3: u ← max(β2·u, |g| + eps), p ← p − lr/(1 − β1ᵗ)·m/u", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.Adamax([p]), 2);
    const u1 = g0.map((g) => Math.abs(g) + 1e-8);
    const e1 = P0.map((x, i) => x - (2e-3 / 0.1) * ((0.1 * g0[i]) / u1[i])); // ≈ p0 − 2e-3·sign(g0)
    expectAllClose(p1, e1);
    const g1 = gradAt(e1);
    const m2 = g0.map((g, i) => 0.09 * g + 0.1 * g1[i]);
    const u2 = u1.map((u, i) => Math.max(0.999 * u, Math.abs(g1[i]) + 1e-8));
    expectAllClose(p2, e1.map((x, i) => x - (2e-3 / 0.19) * (m2[i] / u2[i])));
  });
});

describe("NAdam", () => {
  const mu = (t: number): number => 0.9 * (1 - 0.5 * 0.96 ** (t * 4e-3));

  it("default lr 2e-3, momentumDecay 4e-3: PyTorch's μ_t schedule", () => {
    const [p1, p2] = quadraticTrajectory((p) => new optim.NAdam([p]), 2);
    const m1 = g0.map((g) => 0.1 * g);
    const mHat1 = g0.map((g, i) => (mu(2) * m1[i]) / (1 - mu(1) * mu(2)) + ((1 - mu(1)) * g) / (1 - mu(1)));
    const e1 = P0.map((x, i) => x - (2e-3 * mHat1[i]) / (Math.abs(g0[i]) + 1e-8)); // v̂ = g0²
    expectAllClose(p1, e1);
    const g1 = gradAt(e1);
    const m2 = m1.map((m, i) => 0.9 * m + 0.1 * g1[i]);
    const v2 = g0.map((g, i) => 0.999 * 0.001 * g * g + 0.001 * g1[i] ** 2);
    const mHat2 = m2.map((m, i) => (mu(3) * m) / (1 - mu(1) * mu(2) * mu(3)) + ((1 - mu(2)) * g1[i]) / (1 - mu(1) * mu(2)));
    expectAllClose(p2, e1.map((x, i) => x - (2e-3 * mHat2[i]) / (Math.sqrt(v2[i] / 0.001999) + 1e-8)));
  });

  it("decoupledWeightDecay shrinks p before the step", () => {
    const [p1] = quadraticTrajectory((p) => new optim.NAdam([p], { lr: 0.1, weightDecay: 0.5, decoupledWeightDecay: true }), 1);
    const mHat1 = g0.map((g) => (mu(2) * 0.1 * g) / (1 - mu(1) * mu(2)) + g);
    expectAllClose(p1, P0.map((x, i) => x * (1 - 0.05) - (0.1 * mHat1[i]) / (Math.abs(g0[i]) + 1e-8)));
  });
});

describe("every optimizer", () => {
  const makers: [string, (p: Tensor) => optim.Optimizer][] = [
    ["SGD", (p) => new optim.SGD([p], { lr: 0.1, momentum: 0.9 })],
    ["Adagrad", (p) => new optim.Adagrad([p], { lr: 0.1 })],
    ["RMSprop", (p) => new optim.RMSprop([p], { lr: 0.01 })],
    ["Adadelta", (p) => new optim.Adadelta([p])],
    ["Adam", (p) => new optim.Adam([p], { lr: 0.1 })],
    ["AdamW", (p) => new optim.AdamW([p], { lr: 0.1 })],
    ["Adamax", (p) => new optim.Adamax([p], { lr: 0.1 })],
    ["NAdam", (p) => new optim.NAdam([p], { lr: 0.1 })],
  ];

  it.each(makers)("%s decreases the quadratic over 200 steps", (_name, make) => {
    const f = (p: number[]): number => 0.5 * p.reduce((s, x, i) => s + A[i] * x * x, 0);
    const trajectory = quadraticTrajectory(make, 200);
    expect(f(trajectory[199])).toBeLessThan(0.5 * f(P0));
  });
});
