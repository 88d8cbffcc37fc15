import { describe, expect, it } from "vitest";
import { EarlyStopping, F, Generator, History, Monitor, data, fit, lrFinder, manualSeed, nn, optim, randn, tensor, diagnostics, predict, evaluate, type Tensor } from "kernel-lib";

/** A regression set y = 2x + 1 and a one-weight model. */
function line(n = 32) {
  const x = randn([n, 1], { generator: new Generator(0) });
  return { x, y: x.mul(2).add(1) };
}

/** A loss whose validation values (eval mode) follow a script, so early stopping has a known answer. */
function scriptedLoss(model: nn.Module, script: number[]) {
  let epoch = 0;
  return (yHat: Tensor, y: Tensor) => {
    const real = F.mseLoss(yHat, y);
    if (model.training) return real;
    return real.mul(0).add(script[epoch++]);
  };
}

describe("EarlyStopping", () => {
  it("stops after `patience` epochs without improvement and restores the best weights", () => {
    manualSeed(0);
    const model = new nn.Linear(1, 1);
    const snapshots: number[][] = [];
    const recorder = { onEpochEnd: () => snapshots.push(model.weight.toFlatArray()) };
    const stopper = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    //                 epoch:   0    1    2    3    4    5    6
    const script = [1.0, 0.8, 0.5, 0.6, 0.55, 0.4, 0.3];
    const history = fit(model, line(), {
      optimizer: new optim.SGD(model.parameters(), { lr: 0.05 }), loss: scriptedLoss(model, script),
      epochs: 7, batchSize: 8, validation: line(8), callbacks: [recorder, stopper], seed: 0,
    });
    // Best at epoch 2 (0.5); epochs 3 and 4 do not improve → stop after epoch 4.
    expect(history.epochs.length).toBe(5);
    expect(history.stoppedEpoch).toBe(4);
    expect(history.bestEpoch).toBe(2);
    expect(stopper.best).toBe(0.5);
    expect(model.weight.toFlatArray()).toEqual(snapshots[2]);
  });

  it("counts an improvement only when it beats the best by more than minDelta", () => {
    const model = new nn.Linear(1, 1);
    const stopper = new EarlyStopping({ patience: 1, minDelta: 0.1 });
    const history = fit(model, line(), {
      optimizer: new optim.SGD(model.parameters(), { lr: 0.01 }), loss: scriptedLoss(model, [1.0, 0.95, 0.5, 0.45, 0.2]),
      epochs: 5, batchSize: 8, validation: line(8), callbacks: [stopper],
    });
    expect(history.stoppedEpoch).toBe(1);
  });

  it("watches accuracies in max mode and refuses bad settings", () => {
    expect(new EarlyStopping({ monitor: "valAccuracy" }).mode).toBe("max");
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(/Invalid patience: -1/);
  });
});

describe("fit", () => {
  it("records loss, metrics and the learning rate per epoch and steps the scheduler", () => {
    manualSeed(0);
    const model = new nn.Linear(1, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const history = fit(model, line(), {
      optimizer: opt, loss: F.mseLoss, epochs: 4, batchSize: 8,
      scheduler: new optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 }), validation: line(8),
    });
    expect(history.get("lr")).toEqual([0.1, 0.05, 0.025, 0.0125]);
    expect(history.keys()).toEqual(expect.arrayContaining(["loss", "valLoss", "lr"]));
    expect(history.get("loss")[3]).toBeLessThan(history.get("loss")[0]);
    expect(model.training).toBe(false);
  });

  it("feeds ReduceLROnPlateau the validation loss", () => {
    const model = new nn.Linear(1, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const history = fit(model, line(), {
      optimizer: opt, loss: scriptedLoss(model, [1, 1, 1, 1, 1]), epochs: 5, batchSize: 8, validation: line(8),
      scheduler: new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 }),
    });
    expect(history.get("lr")).toEqual([0.1, 0.1, 0.1, 0.05, 0.05]);
  });

  it("stops and flags divergence when the loss becomes non-finite", () => {
    manualSeed(0);
    const model = new nn.Linear(1, 1);
    const history = fit(model, line(), { optimizer: new optim.SGD(model.parameters(), { lr: 1e6 }), loss: F.mseLoss, epochs: 50, batchSize: 4 });
    expect(history.diverged).toBe(true);
    expect(history.epochs.length).toBeLessThan(50);
  });

  it("switches dropout off for validation and prediction", () => {
    manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(1, 8), new nn.Dropout(0.5), new nn.Linear(8, 1));
    const x = line().x;
    const a = predict(model, x);
    const b = predict(model, x, { batchSize: 5 });
    expect(a.toFlatArray()).toEqual(b.toFlatArray());
    model.train();
    evaluate(model, line(), { loss: F.mseLoss });
    expect(model.training).toBe(true); // evaluate restores the mode it found
  });

  it("refuses bad arguments", () => {
    const model = new nn.Linear(1, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    expect(() => fit(model, line(), { optimizer: opt, loss: F.mseLoss, epochs: 0 })).toThrow(/\[fit\] Invalid epochs: 0 \(must be a positive integer\)/);
    expect(() => fit(model, line(), { optimizer: opt, loss: F.mseLoss, epochs: 1, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => fit(model, line(), { optimizer: opt, loss: F.mseLoss, epochs: 1, metrics: ["f1"] })).toThrow(/unknown metric "f1"/);
  });
});

describe("Monitor and diagnostics", () => {
  it("records per-layer gradient norms, update ratios and activation statistics each epoch", () => {
    manualSeed(0);
    const { x, y } = data.makeBlobs({ n: 60, centers: 3, generator: new Generator(2) });
    const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 3));
    const monitor = new Monitor({ probe: x });
    fit(model, { x, y }, { optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), loss: F.crossEntropy, epochs: 2, batchSize: 20, callbacks: [monitor] });
    expect(monitor.records.length).toBe(2);
    const r = monitor.records[1];
    expect(r.gradientNorms.map((g) => g.name)).toEqual(["0", "2"]);
    r.gradientNorms.forEach((g) => expect(g.norm).toBeGreaterThan(0));
    expect(r.updateRatios.length).toBe(4);
    r.updateRatios.forEach((u) => expect(u.norm).toBeGreaterThan(0));
    expect(r.activations.map((a) => a.type)).toEqual(["Linear", "ReLU", "Linear"]);
    expect(r.nonFinite).toBeNull();
  });

  it("activationStats finds dead ReLU units and saturated sigmoids", () => {
    const lin = new nn.Linear(2, 3);
    lin.weight.data.set([1, 0, 0, 1, -1, -1]);
    lin.bias!.data.set([0, 0, -10]);
    const model = new nn.Sequential(lin, new nn.ReLU());
    const x = tensor([[1, 2], [3, 4]]);
    const stats = diagnostics.activationStats(model, x);
    expect(stats[1].deadFraction).toBeCloseTo(1 / 3, 12); // unit 2 is negative for every sample
    const sig = new nn.Sequential(new nn.Linear(1, 1), new nn.Sigmoid());
    (sig.at(0) as nn.Linear).weight.data[0] = 100;
    const s = diagnostics.activationStats(sig, tensor([[1], [-1], [0.001]]));
    expect(s[1].saturatedFraction).toBeCloseTo(2 / 3, 12);
  });

  it("layerGradientNorms shows vanishing gradients in a deep sigmoid net", () => {
    manualSeed(0);
    const layers: nn.Module[] = [];
    for (let i = 0; i < 10; i++) layers.push(new nn.Linear(32, 32), new nn.Sigmoid());
    const model = new nn.Sequential(...layers, new nn.Linear(32, 1));
    model.call(randn([64, 32])).mean().backward();
    const norms = diagnostics.layerGradientNorms(model).map((r) => r.norm);
    expect(norms[0]).toBeLessThan(norms[norms.length - 2] / 100);
  });

  it("watchNonFinite names the layer that produced NaN; findNonFinite names the parameter", () => {
    const model = new nn.Sequential(new nn.Linear(1, 1), new nn.ReLU());
    (model.at(0) as nn.Linear).weight.data[0] = NaN;
    expect(diagnostics.findNonFinite(model)).toMatchObject({ kind: "parameter", name: "0.weight" });
    const handles = diagnostics.watchNonFinite(model);
    expect(() => model.call(tensor([[1]]))).toThrow(/layer "0" \(Linear\) produced NaN/);
    handles.forEach((h) => h.remove());
  });

  it("accuracy and the confusion matrix", () => {
    const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 0, 4], [5, 0, 0]]);
    expect(diagnostics.accuracy(logits, [0, 1, 1, 0])).toBe(0.75);
    expect(diagnostics.confusionMatrix(logits, [0, 1, 1, 0], 3)).toEqual([[2, 0, 0], [0, 1, 1], [0, 0, 0]]);
  });
});

describe("lrFinder", () => {
  it("sweeps the rate exponentially, finds where the loss falls, and restores the weights", () => {
    manualSeed(0);
    const { x, y } = data.makeBlobs({ n: 256, centers: 3, generator: new Generator(4) });
    const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3));
    const before = model.stateDict();
    const result = lrFinder(model, { x, y }, { makeOptimizer: (p) => new optim.SGD(p, { lr: 1 }), loss: F.crossEntropy, startLr: 1e-5, endLr: 100, numIters: 100, batchSize: 32 });
    expect(result.lrs[0]).toBeCloseTo(1e-5, 12);
    const ratios = result.lrs.slice(1).map((lr, i) => lr / result.lrs[i]);
    ratios.forEach((r) => expect(r).toBeCloseTo(ratios[0], 9));
    expect(result.suggestedLr).toBeGreaterThan(1e-4);
    expect(result.suggestedLr).toBeLessThan(10);
    expect(result.lrs.length).toBeLessThan(100); // the loss blew up before 100 and the sweep stopped
    const after = model.stateDict();
    for (const k of Object.keys(before)) expect(after[k].toFlatArray()).toEqual(before[k].toFlatArray());
  });
});

describe("History", () => {
  it("gives columns and long-format rows", () => {
    const h = new History();
    h.record({ loss: 1, valLoss: 2 });
    h.record({ loss: 0.5, valLoss: 1.5 });
    expect(h.get("loss")).toEqual([1, 0.5]);
    expect(h.toRows(["loss"])).toEqual([{ epoch: 0, name: "loss", value: 1 }, { epoch: 1, name: "loss", value: 0.5 }]);
  });
});
