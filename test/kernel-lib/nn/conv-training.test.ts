/**
 * End to end, as a student would use the layers: a small conv net (two
 * Conv2d → BatchNorm2d → ReLU → MaxPool2d blocks and a Linear) trained with
 * Adam on 1,000 digits learns them: test accuracy well above chance, and in
 * evaluation mode the running statistics give the same predictions for one
 * image as for the batch. A smoke test of the pieces together (it reaches
 * 92%; with the convolutions frozen at their init it would still reach 88%,
 * so the gradients themselves are checked by the gradchecks, not here).
 */
import { describe, expect, it } from "vitest";
import { F, Generator, data, manualSeed, nn, noGrad, optim } from "kernel-lib";

describe("a small conv net on the digits", () => {
  it("trains to more than 85% test accuracy in three epochs", () => {
    manualSeed(0);
    const g = new Generator(1);
    const { xTrain, yTrain, xTest, yTest } = data.loadDigits({ train: 1000, test: 500, seed: 0, flatten: false });
    const model = new nn.Sequential(
      new nn.Conv2d(1, 8, 3, { padding: 1, bias: false, generator: g }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(8, 16, 3, { padding: 1, bias: false, generator: g }), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Linear(16 * 7 * 7, 10, { generator: g }),
    );
    const optimizer = new optim.Adam(model.parameters(), { lr: 3e-3 });
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let i = 0; i < 1000; i += 50) {
        optimizer.zeroGrad();
        F.crossEntropy(model.call(xTrain.slice(0, i, i + 50)), yTrain.slice(0, i, i + 50)).backward();
        optimizer.step();
      }
    }
    model.eval();
    const logits = noGrad(() => model.call(xTest));
    const accuracy = logits.argmax(1).eq(yTest).float().mean().item();
    expect(accuracy).toBeGreaterThan(0.85);
    const one = noGrad(() => model.call(xTest.slice(0, 3, 4))).toFlatArray();
    one.forEach((v, i) => expect(v).toBeCloseTo(logits.toFlatArray()[30 + i], 4));
  });
});
