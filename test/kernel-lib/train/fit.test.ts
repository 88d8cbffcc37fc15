import { describe, expect, it } from "vitest";
import { F, Generator, data, fit, manualSeed, nn, optim, evaluate, diagnostics } from "kernel-lib";

describe("training end to end (seeded, deterministic)", () => {
  it("an MLP reaches ≥ 97% training accuracy on three spirals", () => {
    manualSeed(0);
    const { x, y } = data.makeSpirals({ n: 300, classes: 3, noise: 0.1, generator: new Generator(1) });
    const model = new nn.Sequential(new nn.Linear(2, 64), new nn.ReLU(), new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 3));
    const history = fit(model, { x, y }, {
      optimizer: new optim.Adam(model.parameters(), { lr: 0.01 }),
      loss: F.crossEntropy, epochs: 150, batchSize: 32, metrics: ["accuracy"], seed: 2,
    });
    const acc = diagnostics.accuracy(model.call(x), y);
    console.log(`spirals: train accuracy ${acc}, final loss ${history.last.loss}`);
    expect(acc).toBeGreaterThanOrEqual(0.97);
    expect(history.last.accuracy).toBeGreaterThan(0.9);
  });

  it("an MLP reaches ≥ 92% test accuracy on the MNIST subset", () => {
    manualSeed(0);
    const digits = data.loadDigits({ train: 4000, test: 1000, seed: 0 });
    const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
    fit(model, { x: digits.xTrain, y: digits.yTrain }, {
      optimizer: new optim.Adam(model.parameters(), { lr: 2e-3 }),
      loss: F.crossEntropy, epochs: 5, batchSize: 64, seed: 1,
    });
    const test = evaluate(model, { x: digits.xTest, y: digits.yTest }, { loss: F.crossEntropy, metrics: ["accuracy"] });
    console.log(`MNIST subset: test accuracy ${test.accuracy}, loss ${test.loss}`);
    expect(test.accuracy).toBeGreaterThanOrEqual(0.92);
  });

  it("the same seed gives the same history", () => {
    const run = () => {
      manualSeed(5);
      const { x, y } = data.makeMoons({ n: 100, noise: 0.1, generator: new Generator(3) });
      const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(16, 2));
      return fit(model, { x, y }, { optimizer: new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), loss: F.crossEntropy, epochs: 5, batchSize: 16, seed: 7 }).get("loss");
    };
    expect(run()).toEqual(run());
  });
});
