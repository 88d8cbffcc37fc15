import { describe, expect, it } from "vitest";
import { F, Generator, Tensor, nn, randn, tensor } from "kernel-lib";

const f64 = { dtype: "float64" as const };
const g = new Generator(1);
const input = randn([4, 3], { ...f64, generator: g });
const target = randn([4, 3], { ...f64, generator: g });
const probs = F.sigmoid(randn([4, 3], { ...f64, generator: g }));
const labels = [0, 2, 1, 2];

function same(a: Tensor, b: Tensor): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.toFlatArray()).toEqual(b.toFlatArray());
}

describe("loss modules wrap the F functions with their options", () => {
  it("MSELoss, L1Loss, HuberLoss", () => {
    same(new nn.MSELoss().call(input, target), F.mseLoss(input, target));
    same(new nn.MSELoss({ reduction: "none" }).call(input, target), F.mseLoss(input, target, { reduction: "none" }));
    same(new nn.L1Loss({ reduction: "sum" }).call(input, target), F.l1Loss(input, target, { reduction: "sum" }));
    same(new nn.HuberLoss({ delta: 0.5 }).call(input, target), F.huberLoss(input, target, { delta: 0.5 }));
  });

  it("CrossEntropyLoss: weight, labelSmoothing, ignoreIndex", () => {
    const weight = tensor([1, 2, 0.5], f64);
    const ce = new nn.CrossEntropyLoss({ weight, labelSmoothing: 0.1, ignoreIndex: 1 });
    same(ce.call(input, labels), F.crossEntropy(input, labels, { weight, labelSmoothing: 0.1, ignoreIndex: 1 }));
    same(new nn.CrossEntropyLoss().call(input, tensor(labels, { dtype: "int32" })), F.crossEntropy(input, labels));
    // Class weights are buffers, as in PyTorch.
    expect(ce.namedBuffers().map(([n]) => n)).toEqual(["weight"]);
    expect(ce.numParameters()).toBe(0);
  });

  it("NLLLoss after LogSoftmax equals CrossEntropyLoss", () => {
    const nll = new nn.NLLLoss().call(new nn.LogSoftmax().call(input), labels).item();
    expect(nll).toBeCloseTo(new nn.CrossEntropyLoss().call(input, labels).item(), 14);
  });

  it("BCEWithLogitsLoss with posWeight, and BCELoss on probabilities", () => {
    const posWeight = tensor([1, 3, 0.5], f64);
    const y = tensor([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]], f64);
    same(new nn.BCEWithLogitsLoss({ posWeight }).call(input, y), F.binaryCrossEntropyWithLogits(input, y, { posWeight }));
    same(new nn.BCELoss({ reduction: "sum" }).call(probs, y), F.binaryCrossEntropy(probs, y, { reduction: "sum" }));
    expect(new nn.BCELoss().call(F.sigmoid(input), y).item()).toBeCloseTo(new nn.BCEWithLogitsLoss().call(input, y).item(), 12);
  });

  it("gradients reach the model through the loss module", () => {
    const model = new nn.Linear(3, 3, { ...f64, generator: new Generator(2) });
    new nn.CrossEntropyLoss().call(model.call(input), labels).backward();
    expect(model.weight.grad).not.toBeNull();
  });

  it("refuse bad options at construction", () => {
    expect(() => new nn.MSELoss({ reduction: "avg" as "mean" })).toThrow(/\[MSELoss\] Invalid reduction: "avg" \(must be one of "mean", "sum", "none"\)/);
    expect(() => new nn.CrossEntropyLoss({ labelSmoothing: 1.5 })).toThrow(/\[CrossEntropyLoss\] Invalid labelSmoothing: 1.5/);
    expect(() => new nn.HuberLoss({ delta: 0 })).toThrow(/\[HuberLoss\] Invalid delta: 0/);
    expect(new nn.CrossEntropyLoss().toString()).toBe("CrossEntropyLoss(reduction=mean, labelSmoothing=0)");
  });
});
