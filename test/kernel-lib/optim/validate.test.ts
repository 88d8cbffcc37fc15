import { describe, expect, it } from "vitest";
import { optim, tensor, type Tensor } from "kernel-lib";

const param = (): Tensor => tensor([1, 2], { requiresGrad: true });

describe("bad hyperparameters are refused at construction", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["negative lr (SGD)", () => new optim.SGD([param()], { lr: -1 }), /\[SGD\] Invalid learning rate: -1/],
    ["negative lr (Adam)", () => new optim.Adam([param()], { lr: -0.1 }), /\[Adam\] Invalid learning rate: -0\.1/],
    ["NaN lr", () => new optim.Adagrad([param()], { lr: NaN }), /Invalid learning rate: NaN/],
    ["beta1 = 1", () => new optim.Adam([param()], { betas: [1.0, 0.999] }), /Invalid beta parameter at index 0: 1 \(must be in \[0, 1\)\)/],
    ["beta2 < 0", () => new optim.AdamW([param()], { betas: [0.9, -0.1] }), /Invalid beta parameter at index 1: -0\.1/],
    ["beta2 > 1 (NAdam)", () => new optim.NAdam([param()], { betas: [0.9, 1.5] }), /Invalid beta parameter at index 1: 1\.5/],
    ["beta1 = 1 (Adamax)", () => new optim.Adamax([param()], { betas: [1, 0.999] }), /Invalid beta parameter at index 0/],
    ["eps < 0 (Adam)", () => new optim.Adam([param()], { eps: -1e-8 }), /Invalid epsilon value: -1e-8/],
    ["eps < 0 (RMSprop)", () => new optim.RMSprop([param()], { eps: -1 }), /Invalid epsilon value/],
    ["eps < 0 (Adagrad)", () => new optim.Adagrad([param()], { eps: -1 }), /Invalid epsilon value/],
    ["eps < 0 (Adadelta)", () => new optim.Adadelta([param()], { eps: -1 }), /Invalid epsilon value/],
    ["momentum < 0 (SGD)", () => new optim.SGD([param()], { momentum: -0.9 }), /Invalid momentum value: -0\.9/],
    ["momentum < 0 (RMSprop)", () => new optim.RMSprop([param()], { momentum: -1 }), /Invalid momentum value/],
    ["weightDecay < 0", () => new optim.SGD([param()], { weightDecay: -1e-4 }), /Invalid weightDecay value: -0\.0001/],
    ["weightDecay < 0 (AdamW)", () => new optim.AdamW([param()], { weightDecay: -1 }), /Invalid weightDecay value/],
    ["nesterov without momentum", () => new optim.SGD([param()], { nesterov: true }), /Nesterov momentum requires a momentum and zero dampening/],
    ["nesterov with dampening", () => new optim.SGD([param()], { nesterov: true, momentum: 0.9, dampening: 0.1 }), /Nesterov momentum requires/],
    ["RMSprop alpha > 1", () => new optim.RMSprop([param()], { alpha: 1.1 }), /Invalid alpha: 1\.1/],
    ["Adadelta rho > 1", () => new optim.Adadelta([param()], { rho: 2 }), /Invalid rho: 2/],
    ["Adagrad lrDecay < 0", () => new optim.Adagrad([param()], { lrDecay: -1 }), /Invalid lrDecay/],
    ["Adagrad initialAccumulatorValue < 0", () => new optim.Adagrad([param()], { initialAccumulatorValue: -1 }), /Invalid initialAccumulatorValue/],
    ["NAdam momentumDecay < 0", () => new optim.NAdam([param()], { momentumDecay: -1 }), /Invalid momentumDecay/],
    ["a group's own bad lr", () => new optim.SGD([{ params: [param()], lr: -2 }]), /Invalid learning rate: -2/],
  ];
  it.each(cases)("%s", (_name, construct, message) => {
    expect(construct).toThrow(message);
  });
});

describe("bad parameters are refused", () => {
  it("an empty parameter list", () => {
    expect(() => new optim.SGD([])).toThrow(/empty parameter list/);
  });
  it("a non-leaf tensor", () => {
    const w = param();
    expect(() => new optim.Adam([w.mul(2)])).toThrow(/can't optimize a non-leaf tensor/);
  });
  it("an int32 tensor", () => {
    expect(() => new optim.SGD([tensor([1, 2], { dtype: "int32" })])).toThrow(/not a float tensor/);
  });
  it("the same parameter in two groups", () => {
    const w = param();
    expect(() => new optim.SGD([{ params: [w] }, { params: [w], lr: 0.1 }])).toThrow(/more than one parameter group/);
    const opt = new optim.SGD([w]);
    expect(() => opt.addParamGroup({ params: [w] })).toThrow(/more than one parameter group/);
  });
  it("a gradient of the wrong size", () => {
    const w = param();
    const opt = new optim.SGD([w]);
    w.grad = tensor([1, 2, 3]);
    expect(() => opt.step()).toThrow(/gradient has 3 elements but the parameter has 2/);
  });
});
