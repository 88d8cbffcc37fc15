import { describe, expect, it } from "vitest";
import { optim, tensor } from "kernel-lib";

/**
 * Parameter trajectories from PyTorch 1.13 (float64) on f(x) = Σ wᵢ(xᵢ − tᵢ)²,
 * x₀ = [1, −2, 0.5, 3], t = [0.3, 0.1, −0.4, 2], w = [1, 4, 0.5, 2]: x after each step.
 */
const TORCH = {
  radam: [[0.86, -0.31999999999999984, 0.41, 2.6], [0.7347368421052631, 0.6526315789473687, 0.3247368421052631, 2.2842105263157895], [0.6236123519129928, 1.1032200427267433, 0.24419304719362975, 2.042998640512721], [0.5259807433170214, 1.1894105716527392, 0.16833796708056298, 1.8669255827404696], [0.4411535741566112, 1.0417316013605995, 0.09712777559170818, 1.7468469633643657], [0.4390236517322106, 1.0409557691139275, 0.09468455975398363, 1.7459132321580633], [0.4364726195532111, 1.0396157772692194, 0.09162664470822905, 1.7452357031285626], [0.4335930432671491, 1.0377036808770357, 0.08804224716320928, 1.7449246344266178]],
  radamWd: [[0.925, -1.15, 0.4525, 2.785], [0.854375, -0.49124999999999974, 0.4064513888888889, 2.5944861111111113], [0.7882236168032787, -0.0045466188524587725, 0.3619166239754098, 2.428006745218579], [0.7266074312462515, 0.3314582526364456, 0.3189500672580119, 2.2848126039611163], [0.6695493148456292, 0.5394748257535436, 0.2775971180543596, 2.1638720197733328], [0.657580446165001, 0.542939717495629, 0.26515272027287223, 2.1536518208559876], [0.6423321922552214, 0.5444264030432302, 0.2491468982631262, 2.141284136304763], [0.6244373188791905, 0.543265757218313, 0.23022330431777893, 2.1273815956760567]],
  rprop: [[0.9, -1.9, 0.4, 2.9], [0.78, -1.7799999999999998, 0.28, 2.78], [0.636, -1.636, 0.13600000000000004, 2.6359999999999997], [0.46320000000000006, -1.4631999999999998, -0.036799999999999944, 2.4631999999999996], [0.25584000000000007, -1.2558399999999998, -0.2441599999999999, 2.2558399999999996], [0.25584000000000007, -1.007008, -0.4929919999999999, 2.007008], [0.35952000000000006, -0.7084096, -0.4929919999999999, 1.7084096], [0.35952000000000006, -0.35009152000000004, -0.3685759999999999, 1.7084096]],
  rpropOpts: [[0.8, -1.8, 0.3, 2.8], [0.5, -1.5, -5.551115123125783e-17, 2.5], [0.04999999999999993, -1.0499999999999998, -0.4500000000000001, 2.05], [0.04999999999999993, -0.5499999999999998, -0.4500000000000001, 1.5499999999999998], [0.18499999999999994, -0.04999999999999982, -0.3150000000000001, 1.5499999999999998], [0.38749999999999996, 0.4500000000000002, -0.3150000000000001, 1.6999999999999997], [0.38749999999999996, 0.4500000000000002, -0.3555000000000001, 1.9249999999999998], [0.32675, 0.30000000000000016, -0.4162500000000001, 2.2624999999999997]],
};

function trajectory(make: (params: ReturnType<typeof tensor>[]) => optim.Optimizer, steps: number): number[][] {
  const x = tensor([1, -2, 0.5, 3], { dtype: "float64", requiresGrad: true });
  const t = tensor([0.3, 0.1, -0.4, 2], { dtype: "float64" });
  const w = tensor([1, 4, 0.5, 2], { dtype: "float64" });
  const opt = make([x]);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    x.sub(t).pow(2).mul(w).sum().backward();
    opt.step();
    out.push(Array.from(x.data));
  }
  return out;
}

function expectTrajectory(got: number[][], want: number[][]): void {
  got.forEach((row, step) => row.forEach((v, i) => expect(v, `step ${step + 1}, x[${i}]`).toBeCloseTo(want[step][i], 12)));
}

describe("RAdam and Rprop follow PyTorch step for step", () => {
  it("RAdam with defaults: plain momentum steps while ρ_t ≤ 5, rectified adaptive steps after", () => {
    expectTrajectory(trajectory((p) => new optim.RAdam(p, { lr: 0.1 }), 8), TORCH.radam);
  });
  it("RAdam with betas [0.8, 0.9] (rectified from step 6) and weight decay", () => {
    expectTrajectory(trajectory((p) => new optim.RAdam(p, { lr: 0.05, betas: [0.8, 0.9], weightDecay: 0.1 }), 8), TORCH.radamWd);
  });
  it("Rprop with defaults: step sizes grow ×1.2 while the sign holds", () => {
    expectTrajectory(trajectory((p) => new optim.Rprop(p, { lr: 0.1 }), 8), TORCH.rprop);
  });
  it("Rprop with etas and step-size bounds: a sign flip shrinks the step and skips one update", () => {
    expectTrajectory(trajectory((p) => new optim.Rprop(p, { lr: 0.2, etas: [0.3, 1.5], stepSizes: [0.01, 0.5] }), 8), TORCH.rpropOpts);
  });
  it("refuse bad hyperparameters with the valid range", () => {
    const p = [tensor([1], { requiresGrad: true })];
    expect(() => new optim.RAdam(p, { betas: [0.9, 1] })).toThrow(/Invalid beta parameter at index 1: 1/);
    expect(() => new optim.Rprop(p, { etas: [1.2, 0.5] })).toThrow(/Invalid eta values: \[1.2, 0.5\]/);
    expect(() => new optim.Rprop(p, { stepSizes: [1, 0.1] })).toThrow(/Invalid stepSizes/);
  });
});
