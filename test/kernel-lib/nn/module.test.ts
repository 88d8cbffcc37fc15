import { describe, expect, it } from "vitest";
import { F, Generator, Tensor, detectAnomaly, nn, ones, randn, tensor } from "kernel-lib";

/** The seeds' MLP: 50 → 100 → 100 → 10 with ReLU. */
function mlp(seed = 0): nn.Sequential {
  const generator = new Generator(seed);
  return new nn.Sequential(
    new nn.Linear(50, 100, { generator }),
    new nn.ReLU(),
    new nn.Linear(100, 100, { generator }),
    new nn.ReLU(),
    new nn.Linear(100, 10, { generator }),
  );
}

class Net extends nn.Module {
  layers = [new nn.Linear(4, 8), new nn.Linear(8, 3)];
  blocks = new nn.ModuleList([new nn.Linear(3, 3), new nn.Linear(3, 3, { bias: false })]);
  norm = new nn.BatchNorm1d(3);
  drop = new nn.Dropout(0.5);
  scale = new nn.Parameter(ones([1]));
  notAParameter = ones([2]);

  forward(x: Tensor): Tensor {
    for (const layer of this.layers) x = F.relu(layer.call(x));
    for (const block of this.blocks) x = block.call(x);
    return this.drop.call(this.norm.call(x)).mul(this.scale);
  }
}

describe("parameter discovery", () => {
  it("the 50→100→100→10 MLP has 16,210 parameters", () => {
    expect(mlp().numParameters()).toBe(16210);
    expect(mlp().parameters()).toHaveLength(6);
  });

  it("names parameters by dotted path: Sequential children are 0, 1, …", () => {
    expect(mlp().namedParameters().map(([name, p]) => [name, p.shape])).toEqual([
      ["0.weight", [100, 50]], ["0.bias", [100]],
      ["2.weight", [100, 100]], ["2.bias", [100]],
      ["4.weight", [10, 100]], ["4.bias", [10]],
    ]);
  });

  it("finds Parameters, Modules, arrays of Modules and ModuleLists among a module's properties, in declaration order", () => {
    const net = new Net();
    // As in PyTorch: a module's own parameters, then each child's subtree.
    expect(net.namedParameters().map(([name]) => name)).toEqual([
      "scale",
      "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
      "blocks.0.weight", "blocks.0.bias", "blocks.1.weight",
      "norm.weight", "norm.bias",
    ]);
    expect(net.namedChildren().map(([name]) => name)).toEqual(["layers.0", "layers.1", "blocks", "norm", "drop"]);
    expect(net.children()).toHaveLength(5);
    expect(net.modules()).toHaveLength(1 + 2 + 1 + 2 + 1 + 1);
    expect(net.namedBuffers().map(([name]) => name)).toEqual(["norm.runningMean", "norm.runningVar", "norm.numBatchesTracked"]);
    expect(net.buffers()).toHaveLength(3);
  });

  it("a parameter shared by two modules is listed once", () => {
    const shared = new nn.Linear(3, 3);
    const model = new nn.Sequential(shared, new nn.Tanh(), shared);
    expect(model.parameters()).toHaveLength(2);
    expect(model.numParameters()).toBe(12);
  });

  it("labels each parameter with its path on the first call, so anomaly errors name the layer", () => {
    const model = mlp();
    model.call(randn([2, 50]));
    expect((model.at(2) as nn.Linear).weight.name).toBe("2.weight");
    (model.at(4) as nn.Linear).weight.data[0] = NaN;
    expect(() => detectAnomaly(() => model.call(randn([2, 50])))).toThrow(/4\.weight \[10,100\]/);
  });

  it("registerBuffer refuses bad names, duplicates and tensors that require grad", () => {
    class M extends nn.Module {
      forward(x: Tensor): Tensor { return x; }
    }
    const m = new M();
    m.registerBuffer("count", tensor(0));
    expect(() => m.registerBuffer("count", tensor(1))).toThrow(/a buffer named "count" already exists/);
    expect(() => m.registerBuffer("a.b", tensor(1))).toThrow(/must be non-empty and contain no "\."/);
    expect(() => m.registerBuffer("w", tensor([1], { requiresGrad: true }))).toThrow(/requires grad/);
  });
});

describe("modes, gradients, freezing", () => {
  it("train() and eval() set the flag on every descendant", () => {
    const net = new Net();
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    net.train(false);
    expect(net.drop.training).toBe(false);
  });

  it("eval() makes a nested Dropout the identity and BatchNorm use its running stats", () => {
    const net = new Net().eval();
    const x = randn([6, 4], { generator: new Generator(1) });
    expect(net.call(x).toFlatArray()).toEqual(net.call(x).toFlatArray());
    expect(net.norm.numBatchesTracked!.item()).toBe(0);
  });

  it("zeroGrad clears every gradient", () => {
    const model = mlp();
    F.mseLoss(model.call(randn([4, 50])), randn([4, 10])).backward();
    expect(model.parameters().every((p) => p.grad !== null)).toBe(true);
    model.zeroGrad();
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it("requiresGrad_(false) freezes a layer: its grads stay null after backward, the others get grads", () => {
    const model = mlp();
    const first = model.at(0) as nn.Linear;
    first.requiresGrad_(false);
    expect(model.numParameters({ trainableOnly: true })).toBe(16210 - 5100);
    expect(model.numParameters()).toBe(16210);
    F.mseLoss(model.call(randn([4, 50])), randn([4, 10])).backward();
    expect(first.weight.grad).toBeNull();
    expect(first.bias!.grad).toBeNull();
    expect((model.at(2) as nn.Linear).weight.grad).not.toBeNull();
    first.requiresGrad_(true);
    expect(model.numParameters({ trainableOnly: true })).toBe(16210);
  });

  it("apply(fn) visits children before their parent", () => {
    const order: string[] = [];
    new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.ReLU())).apply((m) => order.push(m.constructor.name));
    expect(order).toEqual(["Linear", "ReLU", "Sequential", "Sequential"]);
  });
});

describe("forward hooks", () => {
  it("fire after each call with (module, inputs, output) and stop after remove()", () => {
    const model = mlp();
    const hidden = model.at(2);
    const seen: { module: unknown; inputShape: readonly number[]; output: Tensor }[] = [];
    const handle = hidden.registerForwardHook((module, inputs, output) => seen.push({ module, inputShape: inputs[0].shape, output }));
    const y = model.call(randn([3, 50]));
    expect(seen).toHaveLength(1);
    expect(seen[0].module).toBe(hidden);
    expect(seen[0].inputShape).toEqual([3, 100]);
    expect(seen[0].output.shape).toEqual([3, 100]);
    expect(y.shape).toEqual([3, 10]);
    model.call(randn([3, 50]));
    expect(seen).toHaveLength(2);
    handle.remove();
    model.call(randn([3, 50]));
    expect(seen).toHaveLength(2);
  });

  it("a hook on the whole model sees the model's output", () => {
    const model = mlp();
    let calls = 0;
    model.registerForwardHook((_m, _inputs, output) => {
      calls++;
      expect(output.shape).toEqual([1, 10]);
    });
    model.call(randn([1, 50]));
    expect(calls).toBe(1);
  });
});

describe("stateDict and loadStateDict", () => {
  it("round trip into a freshly initialized model gives identical outputs", () => {
    const a = mlp(1);
    const b = mlp(2);
    const x = randn([5, 50], { generator: new Generator(9) });
    expect(b.call(x).toFlatArray()).not.toEqual(a.call(x).toFlatArray());
    const result = b.loadStateDict(a.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.call(x).toFlatArray()).toEqual(a.call(x).toFlatArray());
  });

  it("holds copies of parameters and buffers (later training does not change it)", () => {
    const net = new Net();
    const dict = net.stateDict();
    expect(Object.keys(dict)).toEqual([...net.namedParameters(), ...net.namedBuffers()].map(([n]) => n));
    const before = dict["layers.0.weight"].toFlatArray();
    net.layers[0].weight.data[0] += 1;
    expect(dict["layers.0.weight"].toFlatArray()).toEqual(before);
    expect(dict["norm.runningVar"].toFlatArray()).toEqual([1, 1, 1]);
    expect(dict["norm.numBatchesTracked"].dtype).toBe("int32");
  });

  it("loads in place, so existing references (an optimizer's) see the new values", () => {
    const a = mlp(1);
    const b = mlp(2);
    const w = (b.at(0) as nn.Linear).weight;
    b.loadStateDict(a.stateDict());
    expect(w).toBe((b.at(0) as nn.Linear).weight);
    expect(w.toFlatArray()).toEqual((a.at(0) as nn.Linear).weight.toFlatArray());
  });

  it("strict mode names missing and unexpected keys and writes nothing", () => {
    const model = mlp(1);
    const dict = mlp(2).stateDict();
    delete dict["4.bias"];
    dict["5.weight"] = ones([1]);
    const before = model.stateDict();
    expect(() => model.loadStateDict(dict)).toThrow(/\[loadStateDict\] cannot load into Sequential: missing key\(s\): "4\.bias"; unexpected key\(s\): "5\.weight"/);
    expect(model.stateDict()["0.weight"].toFlatArray()).toEqual(before["0.weight"].toFlatArray());
  });

  it("strict: false loads the matching keys and reports the rest", () => {
    const model = mlp(1);
    const source = mlp(2);
    const dict = source.stateDict();
    delete dict["4.bias"];
    dict["extra"] = ones([1]);
    expect(model.loadStateDict(dict, { strict: false })).toEqual({ missingKeys: ["4.bias"], unexpectedKeys: ["extra"] });
    expect((model.at(0) as nn.Linear).weight.toFlatArray()).toEqual((source.at(0) as nn.Linear).weight.toFlatArray());
  });

  it("refuses shape mismatches even when not strict", () => {
    const small = new nn.Sequential(new nn.Linear(50, 20));
    const dict = new nn.Sequential(new nn.Linear(50, 10)).stateDict();
    expect(() => small.loadStateDict(dict, { strict: false })).toThrow(/size mismatch for "0\.weight": the state dict has \[10,50\], the model \[20,50\]/);
  });
});

describe("toString", () => {
  it("prints a tree like PyTorch's repr", () => {
    expect(mlp().toString()).toBe(
      [
        "Sequential(",
        "  (0): Linear(inFeatures=50, outFeatures=100, bias=true)",
        "  (1): ReLU()",
        "  (2): Linear(inFeatures=100, outFeatures=100, bias=true)",
        "  (3): ReLU()",
        "  (4): Linear(inFeatures=100, outFeatures=10, bias=true)",
        ")",
      ].join("\n"),
    );
  });

  it("indents nested modules", () => {
    const model = new nn.Sequential(new nn.Residual(new nn.Sequential(new nn.Linear(4, 4), new nn.GELU())), new nn.Dropout(0.1));
    expect(model.toString()).toBe(
      [
        "Sequential(",
        "  (0): Residual(",
        "    (inner): Sequential(",
        "      (0): Linear(inFeatures=4, outFeatures=4, bias=true)",
        "      (1): GELU(approximate=none)",
        "    )",
        "  )",
        "  (1): Dropout(p=0.1)",
        ")",
      ].join("\n"),
    );
  });
});
