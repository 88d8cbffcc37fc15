import { describe, expect, it } from "vitest";
import { init, nn, randn, manualSeed } from "kernel-lib";

describe("Module.to({ dtype }), double() and float()", () => {
  it("converts every parameter and float buffer of the tree, keeps int32 buffers and shared parameters shared", () => {
    manualSeed(0);
    const shared = new nn.Linear(3, 3);
    const model = new nn.Sequential(shared, new nn.BatchNorm1d(3), new nn.ReLU(), shared);
    const before = model.stateDict();
    model.double();
    for (const p of model.parameters()) expect(p.dtype).toBe("float64");
    for (const [name, b] of model.namedBuffers()) expect(b.dtype, name).toBe(before[name].dtype === "int32" ? "int32" : "float64");
    expect(model.parameters()).toHaveLength(4); // the shared Linear's two parameters are counted once
    const after = model.stateDict();
    for (const [name, t] of Object.entries(before)) expect(Array.from(after[name].data), name).toEqual(Array.from(t.data));
    expect(model.call(randn([2, 3], { dtype: "float64" })).dtype).toBe("float64");
    model.float();
    expect(model.call(randn([2, 3])).dtype).toBe("float32");
  });

  it("keeps requiresGrad and trains after conversion", () => {
    const layer = new nn.Linear(2, 1).to({ dtype: "float64" });
    layer.bias!.requiresGrad_(false);
    layer.to({ dtype: "float32" });
    expect(layer.weight.requiresGrad).toBe(true);
    expect(layer.bias!.requiresGrad).toBe(false);
    layer.call(randn([4, 2])).sum().backward();
    expect(layer.weight.grad!.dtype).toBe("float32");
  });

  it("refuses other dtypes", () => {
    expect(() => new nn.Linear(2, 1).to({ dtype: "int32" as never })).toThrow(/\[Module.to\] Invalid dtype: "int32" \(must be one of "float32", "float64"\)/);
  });
});

describe("a layer refuses an input of another dtype, as PyTorch does", () => {
  it("float64 layer, float32 input: names both dtypes and both fixes", () => {
    const layer = new nn.Linear(3, 2).double();
    expect(() => layer.call(randn([4, 3]))).toThrow(/\[linear\] input is float32 but the layer's weight is float64.*x\.to\("float64"\).*model\.to\(\{ dtype: "float32" \}\)/);
  });
  it("float32 layer, float64 input", () => {
    expect(() => new nn.Linear(3, 2).call(randn([4, 3], { dtype: "float64" }))).toThrow(/input is float64 but the layer's weight is float32/);
  });
});

describe("calculateGain's error lists every name it accepts", () => {
  it("including the conv and identity names, with the camelCase hint", () => {
    expect(() => init.calculateGain("leaky_relu" as never)).toThrow(
      /use one of linear, identity, conv1d, conv2d, conv3d, convTranspose1d, convTranspose2d, convTranspose3d, sigmoid, tanh, relu, leakyRelu, selu \(camelCase/,
    );
  });
});
