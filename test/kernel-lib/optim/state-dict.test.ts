import { describe, expect, it } from "vitest";
import { optim, tensor, type Tensor } from "kernel-lib";

/** f(w) = Σ (w_i − target_i)² · scale_i: a gradient that changes as w moves. */
function lossOf(w: Tensor): Tensor {
  const target = tensor([1, -1, 0.5], { dtype: w.dtype });
  const scale = tensor([1, 3, 0.2], { dtype: w.dtype });
  return w.sub(target).square().mul(scale).sum();
}

function train(opt: optim.Optimizer, w: Tensor, steps: number): void {
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    lossOf(w).backward();
    opt.step();
  }
}

const makers: [string, (w: Tensor[]) => optim.Optimizer][] = [
  ["SGD", (w) => new optim.SGD(w, { lr: 0.05, momentum: 0.9, nesterov: true })],
  ["Adagrad", (w) => new optim.Adagrad(w, { lr: 0.1, lrDecay: 0.01 })],
  ["RMSprop", (w) => new optim.RMSprop(w, { centered: true, momentum: 0.5 })],
  ["Adadelta", (w) => new optim.Adadelta(w)],
  ["Adam", (w) => new optim.Adam(w, { lr: 0.05, amsgrad: true })],
  ["AdamW", (w) => new optim.AdamW(w, { lr: 0.05 })],
  ["Adamax", (w) => new optim.Adamax(w)],
  ["NAdam", (w) => new optim.NAdam(w)],
];

describe("state dict round trip: training continues identically after load", () => {
  it.each(makers)("%s", (_name, make) => {
    const w = tensor([0, 0, 0], { dtype: "float64", requiresGrad: true });
    const opt = make([w]);
    train(opt, w, 5);
    const saved = opt.stateDict();
    const savedW = w.toFlatArray();
    train(opt, w, 5);
    const expected = w.toFlatArray();

    // A fresh parameter and optimizer, restored from the checkpoint, JSON round trip included.
    const w2 = tensor(savedW, { dtype: "float64", requiresGrad: true });
    const opt2 = make([w2]);
    opt2.loadStateDict(JSON.parse(JSON.stringify(saved)) as typeof saved);
    train(opt2, w2, 5);
    expect(w2.toFlatArray()).toEqual(expected);
    // Without the state, the continuation differs (the state matters).
    const w3 = tensor(savedW, { dtype: "float64", requiresGrad: true });
    train(make([w3]), w3, 5);
    expect(w3.toFlatArray()).not.toEqual(expected);
  });
});

describe("state dicts", () => {
  it("are copies: training on does not change a saved dict, and loading does not alias it", () => {
    const w = tensor([0, 0, 0], { dtype: "float64", requiresGrad: true });
    const opt = new optim.Adam([w], { lr: 0.1 });
    train(opt, w, 2);
    const saved = opt.stateDict();
    const before = JSON.stringify(saved);
    train(opt, w, 3);
    expect(JSON.stringify(saved)).toBe(before);
    expect(saved.state[0].step).toBe(2);
    expect(Array.isArray(saved.state[0].expAvg)).toBe(true);

    opt.loadStateDict(saved);
    train(opt, w, 1);
    expect(JSON.stringify(saved)).toBe(before);
  });

  it("name parameters by position across groups and keep each group's hyperparameters", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const c = tensor([4, 5, 6], { requiresGrad: true });
    const opt = new optim.SGD([{ params: [a, b] }, { params: [c], lr: 0.5, momentum: 0.9 }], { lr: 0.1 });
    c.grad = tensor([1, 1, 1]);
    opt.step();
    const dict = opt.stateDict();
    expect(dict.paramGroups.map((g) => g.params)).toEqual([[0, 1], [2]]);
    expect(dict.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0, nesterov: false });
    expect(dict.paramGroups[1]).toMatchObject({ lr: 0.5, momentum: 0.9 });
    expect(Object.keys(dict.state)).toEqual(["2"]); // only c has taken a step
    expect(dict.state[2]).toEqual({ step: 1, momentumBuffer: [1, 1, 1] });
  });

  it("loading restores hyperparameters changed by a scheduler", () => {
    const w = tensor([1], { requiresGrad: true });
    const opt = new optim.Adam([w], { lr: 0.1 });
    opt.paramGroups[0].lr = 0.01;
    opt.paramGroups[0].betas = [0.5, 0.9];
    const saved = opt.stateDict();
    const opt2 = new optim.Adam([tensor([1], { requiresGrad: true })], { lr: 0.1 });
    opt2.loadStateDict(saved);
    expect(opt2.paramGroups[0].lr).toBe(0.01);
    expect(opt2.paramGroups[0].betas).toEqual([0.5, 0.9]);
    saved.paramGroups[0].betas = [0, 0];
    expect(opt2.paramGroups[0].betas).toEqual([0.5, 0.9]);
  });

  it("refuse a dict from a differently shaped optimizer", () => {
    const opt = new optim.SGD([tensor([1, 2], { requiresGrad: true })]);
    const other = new optim.SGD([{ params: [tensor([1], { requiresGrad: true })] }, { params: [tensor([1], { requiresGrad: true })] }]);
    expect(() => opt.loadStateDict(other.stateDict())).toThrow(/2 parameter groups, this optimizer has 1/);
    const two = new optim.SGD([tensor([1], { requiresGrad: true }), tensor([1], { requiresGrad: true })]);
    expect(() => opt.loadStateDict(two.stateDict())).toThrow(/group 0 has 2 parameters/);
    const small = tensor([1], { requiresGrad: true });
    const m = new optim.SGD([small], { momentum: 0.9 });
    small.grad = tensor([1]);
    m.step();
    const big = new optim.SGD([tensor([1, 2], { requiresGrad: true })], { momentum: 0.9 });
    expect(() => big.loadStateDict(m.stateDict())).toThrow(/has 1 values, the parameter has 2/);
  });
});

describe("the optimizer's shape", () => {
  it("creates state lazily, counts steps per parameter and skips parameters whose grad is null", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const opt = new optim.Adam([a, b], { lr: 0.1 });
    expect(opt.state.size).toBe(0);
    a.grad = tensor([1, 1]);
    opt.step();
    expect(b.toFlatArray()).toEqual([3]);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.get(a)?.step).toBe(1);
    b.grad = tensor([1]);
    opt.step();
    expect(opt.state.get(a)?.step).toBe(2);
    expect(opt.state.get(b)?.step).toBe(1);
    expect(b.toFlatArray()[0]).toBeCloseTo(3 - 0.1, 6); // b's own first, bias-corrected step
  });

  it("zeroGrad sets grads to null, or fills zeros with setToNone: false", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.SGD([a]);
    a.grad = tensor([1, 1]);
    opt.zeroGrad({ setToNone: false });
    expect(a.grad?.toFlatArray()).toEqual([0, 0]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it("param groups have their own hyperparameters; addParamGroup fills in the defaults", () => {
    const a = tensor([1], { dtype: "float64", requiresGrad: true });
    const b = tensor([1], { dtype: "float64", requiresGrad: true });
    const c = tensor([1], { dtype: "float64", requiresGrad: true });
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    opt.addParamGroup({ params: [c], momentum: 0.9, lr: undefined });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5, 0.1]);
    expect(opt.paramGroups[2].momentum).toBe(0.9);
    for (const p of [a, b, c]) p.grad = tensor([1], { dtype: "float64" });
    opt.step();
    expect([a, b, c].map((p) => p.item())).toEqual([1 - 0.1, 1 - 0.5, 1 - 0.1]);
  });

  it("step(closure) evaluates the loss with gradients recorded and returns it", () => {
    const w = tensor([2], { dtype: "float64", requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 0.25 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = w.square().sum();
      l.backward();
      return l.item();
    });
    expect(loss).toBe(4);
    expect(w.item()).toBe(2 - 0.25 * 4);
  });

  it("updates float32 parameters in place, keeping their storage and dtype; state has the parameter's dtype", () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const storage = w.data;
    const opt = new optim.Adam([w], { lr: 0.1 });
    train(opt, w, 3);
    expect(w.data).toBe(storage);
    expect(w.dtype).toBe("float32");
    expect(opt.state.get(w)?.expAvg).toBeInstanceOf(Float32Array);
    const w64 = tensor([1, 2, 3], { requiresGrad: true, dtype: "float64" });
    const opt64 = new optim.Adam([w64], { lr: 0.1 });
    train(opt64, w64, 3);
    expect(opt64.state.get(w64)?.expAvg).toBeInstanceOf(Float64Array);
    // A saved float32 state loads back as float32.
    const again = new optim.Adam([w], { lr: 0.1 });
    again.loadStateDict(opt.stateDict());
    expect(again.state.get(w)?.expAvg).toBeInstanceOf(Float32Array);
  });
});
