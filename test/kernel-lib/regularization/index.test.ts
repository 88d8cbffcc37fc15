import { describe, expect, it } from "vitest";
import { Generator, nn, regularization, tensor, randn, clipGradNorm_, clipGradValue_, manualSeed } from "kernel-lib";

const { l1Penalty, l2Penalty, maxNorm_, mcDropoutPredict } = regularization;

function withGrad(values: number[]) {
  const p = tensor(values, { dtype: "float64", requiresGrad: true });
  p.grad = tensor(values, { dtype: "float64" });
  return p;
}

describe("gradient clipping", () => {
  it("by global norm scales all gradients by maxNorm/‖g‖ and returns ‖g‖ before clipping", () => {
    const a = withGrad([3, 0]);
    const b = withGrad([0, 4]); // global norm 5
    const norm = clipGradNorm_([a, b], 1);
    expect(norm).toBe(5);
    expect(a.grad!.toFlatArray()[0]).toBeCloseTo(0.6, 6);
    expect(b.grad!.toFlatArray()[1]).toBeCloseTo(0.8, 6);
  });

  it("by global norm keeps the direction and leaves small gradients alone", () => {
    const a = withGrad([0.3, -0.4]);
    expect(clipGradNorm_([a], 1)).toBeCloseTo(0.5, 12);
    expect(a.grad!.toFlatArray()).toEqual([0.3, -0.4]);
  });

  it("supports the infinity norm and refuses a non-finite total when asked", () => {
    const a = withGrad([1, -7, 2]);
    expect(clipGradNorm_([a], 3.5, { normType: Infinity })).toBe(7);
    expect(a.grad!.toFlatArray()[1]).toBeCloseTo(-3.5, 5);
    const bad = withGrad([NaN]);
    expect(() => clipGradNorm_([bad], 1, { errorIfNonfinite: true })).toThrow(/clipGradNorm_.*NaN/);
  });

  it("by value clamps each entry, changing the direction", () => {
    const a = withGrad([0.5, -3, 10]);
    clipGradValue_([a], 1);
    expect(a.grad!.toFlatArray()).toEqual([0.5, -1, 1]);
  });

  it("refuses non-positive thresholds", () => {
    expect(() => clipGradNorm_([withGrad([1])], 0)).toThrow(/maxNorm must be > 0/);
    expect(() => clipGradValue_([withGrad([1])], -1)).toThrow(/clipValue must be > 0/);
  });
});

describe("penalties", () => {
  it("L2 is λ·Σw² with gradient 2λw (or λw with half: true)", () => {
    const w = tensor([1, -2, 3], { dtype: "float64", requiresGrad: true });
    const p = l2Penalty([w], 0.1);
    expect(p.item()).toBeCloseTo(1.4, 12);
    p.backward();
    expect(w.grad!.toFlatArray()).toEqual([0.2, -0.4, 0.6000000000000001].map((v) => expect.closeTo(v, 12)));
    w.zeroGrad();
    l2Penalty([w], 0.1, { half: true }).backward();
    w.grad!.toFlatArray().forEach((g, i) => expect(g).toBeCloseTo(0.1 * [1, -2, 3][i], 12));
  });

  it("L1 is λ·Σ|w| with gradient λ·sign(w)", () => {
    const w = tensor([1, -2, 0.5], { dtype: "float64", requiresGrad: true });
    const p = l1Penalty([w], 0.5);
    expect(p.item()).toBeCloseTo(1.75, 12);
    p.backward();
    expect(w.grad!.toFlatArray()).toEqual([0.5, -0.5, 0.5]);
  });

  it("refuses a negative strength", () => {
    expect(() => l2Penalty([tensor([1])], -1)).toThrow(/l2Penalty.*-1/);
  });
});

describe("max-norm constraint", () => {
  it("rescales only the rows whose norm exceeds the limit", () => {
    const w = tensor([[3, 4], [0.3, 0.4]], { dtype: "float64" });
    expect(maxNorm_(w, 1)).toBe(1);
    const [r0, r1] = w.toArray() as number[][];
    expect(Math.hypot(...r0)).toBeCloseTo(1, 12);
    expect(r0[0] / r0[1]).toBeCloseTo(0.75, 12);
    expect(r1).toEqual([0.3, 0.4]);
  });
});

describe("Monte-Carlo dropout", () => {
  it("averages stochastic passes: mean near the deterministic output, std > 0", () => {
    manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(4, 64), new nn.ReLU(), new nn.Dropout(0.3), new nn.Linear(64, 1));
    model.eval();
    const x = randn([5, 4], { generator: new Generator(1) });
    const deterministic = model.call(x).toFlatArray();
    const { mean, std, samples } = mcDropoutPredict(model, x, { samples: 400 });
    expect(samples.shape).toEqual([400, 5, 1]);
    mean.toFlatArray().forEach((m, i) => expect(Math.abs(m - deterministic[i])).toBeLessThan(0.1 + 0.1 * Math.abs(deterministic[i])));
    std.toFlatArray().forEach((s) => expect(s).toBeGreaterThan(0));
    expect(model.training).toBe(false);
    expect(model.at(2).training).toBe(false);
  });

  it("refuses a model without dropout", () => {
    const model = new nn.Sequential(new nn.Linear(2, 2));
    expect(() => mcDropoutPredict(model, randn([1, 2]))).toThrow(/no Dropout layer/);
  });
});
