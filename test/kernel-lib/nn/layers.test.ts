import { describe, expect, it } from "vitest";
import { F, Generator, Tensor, gradcheck, nn, noGrad, ones, randn, tensor } from "kernel-lib";

const f64 = { dtype: "float64" as const };

/** Autograd agrees with central differences (step 1e-5) to 1e-6 relative error. */
function expectGradients(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const result = gradcheck(fn, inputs, { eps: 1e-5 });
  expect(result.worst).toBeUndefined();
  expect(result.maxRelativeError).toBeLessThanOrEqual(1e-6);
}

function leafRandn(shape: number[], seed: number): Tensor {
  return randn(shape, { ...f64, generator: new Generator(seed), requiresGrad: true });
}

describe("Linear", () => {
  it("default init: weight and bias in U(−1/√fanIn, 1/√fanIn) (kaimingUniform_ with a = √5)", () => {
    const layer = new nn.Linear(400, 500, { generator: new Generator(1) });
    const bound = 1 / Math.sqrt(400);
    for (const p of [layer.weight, layer.bias!]) {
      const largest = p.toFlatArray().reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(largest).toBeLessThanOrEqual(bound);
      expect(largest).toBeGreaterThan(0.95 * bound);
    }
    const w = layer.weight.toFlatArray();
    const variance = w.reduce((a, b) => a + b * b, 0) / w.length;
    expect(variance / (bound * bound / 3)).toBeCloseTo(1, 1);
  });

  it("weight [out, in], bias [out], Parameters that require grad; same generator seed → same weights", () => {
    const a = new nn.Linear(3, 2, { generator: new Generator(5), dtype: "float64" });
    const b = new nn.Linear(3, 2, { generator: new Generator(5), dtype: "float64" });
    expect(a.weight.shape).toEqual([2, 3]);
    expect(a.bias!.shape).toEqual([2]);
    expect(a.weight).toBeInstanceOf(nn.Parameter);
    expect(a.weight.requiresGrad).toBe(true);
    expect(a.weight.dtype).toBe("float64");
    expect(a.weight.toFlatArray()).toEqual(b.weight.toFlatArray());
    expect(a.bias!.toFlatArray()).toEqual(b.bias!.toFlatArray());
  });

  it("computes x · Wᵀ + b; bias: false leaves it out", () => {
    const layer = new nn.Linear(2, 3, { bias: false });
    noGrad(() => layer.weight.copy_([1, 0, 0, 1, 1, 1]));
    expect(layer.bias).toBeNull();
    expect(layer.numParameters()).toBe(6);
    expect(layer.call(tensor([[1, 2]])).toArray()).toEqual([[1, 2, 3]]);
    expect(layer.toString()).toBe("Linear(inFeatures=2, outFeatures=3, bias=false)");
  });

  it("refuses bad sizes", () => {
    expect(() => new nn.Linear(0, 3)).toThrow(/\[Linear\] Invalid inFeatures: 0 \(must be a positive integer\)/);
    expect(() => new nn.Linear(2, 2.5)).toThrow(/Invalid outFeatures: 2.5/);
  });
});

describe("containers and simple layers", () => {
  it("Sequential: indexable, iterable, appendable", () => {
    const relu = new nn.ReLU();
    const seq = new nn.Sequential(new nn.Linear(2, 2), relu);
    expect(seq.length).toBe(2);
    expect(seq.at(1)).toBe(relu);
    expect(seq.at(-1)).toBe(relu);
    expect([...seq]).toHaveLength(2);
    seq.append(new nn.Tanh());
    expect(seq.length).toBe(3);
    expect(seq.namedChildren().map(([n]) => n)).toEqual(["0", "1", "2"]);
    expect(() => seq.at(3)).toThrow(/\[Sequential\.at\] index 3 is out of range for 3 module\(s\)/);
  });

  it("ModuleList registers its modules but has no forward", () => {
    const list = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 1)]);
    expect(list.length).toBe(2);
    expect(list.numParameters()).toBe(6 + 3);
    expect(list.at(-1).outFeatures).toBe(1);
    expect(() => list.forward()).toThrow(/\[ModuleList\] has no forward/);
  });

  it("Identity and Flatten", () => {
    const x = randn([2, 3, 4]);
    expect(new nn.Identity().call(x)).toBe(x);
    expect(new nn.Flatten().call(x).shape).toEqual([2, 12]);
    expect(new nn.Flatten(0, 1).call(x).shape).toEqual([6, 4]);
  });
});

describe("Residual", () => {
  it("computes x + inner(x), and projection(x) + inner(x) when given", () => {
    const inner = new nn.Linear(2, 2, { bias: false });
    noGrad(() => inner.weight.copy_([1, 2, 3, 4]));
    const x = tensor([[1, 1]]);
    expect(new nn.Residual(inner).call(x).toArray()).toEqual([[1 + 3, 1 + 7]]);
    const widen = new nn.Linear(2, 3, { bias: false });
    noGrad(() => widen.weight.copy_([1, 0, 0, 1, 1, 1]));
    const proj = new nn.Linear(2, 3, { bias: false });
    noGrad(() => proj.weight.copy_([0, 0, 0, 0, 1, 0]));
    expect(new nn.Residual(widen, { projection: proj }).call(x).toArray()).toEqual([[1, 1, 3]]);
  });

  it("names the shape mismatch and suggests a projection", () => {
    expect(() => new nn.Residual(new nn.Linear(2, 3)).call(ones([4, 2]))).toThrow(
      /\[Residual\] the inner module maps \[4,2\] to \[4,3\] but the skip path gives \[4,2\].*pass a projection/,
    );
  });

  it("the skip path passes the gradient through unchanged (∂y/∂x = I + ∂inner/∂x)", () => {
    const inner = new nn.Linear(3, 3, { bias: false });
    noGrad(() => inner.weight.fill_(0));
    const x = ones([2, 3], { requiresGrad: true });
    new nn.Residual(inner).call(x).sum().backward();
    expect(x.grad!.toFlatArray()).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("gradient check w.r.t. x and every parameter (with and without projection)", () => {
    const g = new Generator(3);
    const block = new nn.Residual(new nn.Sequential(new nn.Linear(3, 4, { ...f64, generator: g }), new nn.Tanh(), new nn.Linear(4, 3, { ...f64, generator: g })));
    expectGradients((x) => block.call(x), [leafRandn([2, 3], 1), ...block.parameters()]);
    const projected = new nn.Residual(new nn.Linear(3, 5, { ...f64, generator: g }), { projection: new nn.Linear(3, 5, { ...f64, generator: g }) });
    expectGradients((x) => projected.call(x), [leafRandn([2, 3], 2), ...projected.parameters()]);
  });
});

describe("a small Sequential MLP end to end", () => {
  it("gradient check of the loss w.r.t. the input and all parameters", () => {
    const g = new Generator(4);
    const model = new nn.Sequential(
      new nn.Linear(4, 6, { ...f64, generator: g }), new nn.Tanh(),
      new nn.Linear(6, 5, { ...f64, generator: g }), new nn.GELU(),
      new nn.Linear(5, 3, { ...f64, generator: g }),
    );
    const target = [0, 2, 1];
    expectGradients((x) => F.crossEntropy(model.call(x), target), [leafRandn([3, 4], 5), ...model.parameters()]);
  });
});

describe("activation modules", () => {
  const x = randn([3, 4], { ...f64, generator: new Generator(6) });
  const cases: [nn.Module, (x: Tensor) => Tensor][] = [
    [new nn.ReLU(), F.relu],
    [new nn.Sigmoid(), F.sigmoid],
    [new nn.Tanh(), F.tanh],
    [new nn.SiLU(), F.silu],
    [new nn.SELU(), F.selu],
    [new nn.LeakyReLU(0.2), (x) => F.leakyRelu(x, 0.2)],
    [new nn.ELU(0.5), (x) => F.elu(x, 0.5)],
    [new nn.CELU(2), (x) => F.celu(x, 2)],
    [new nn.GELU({ approximate: "tanh" }), (x) => F.gelu(x, { approximate: "tanh" })],
    [new nn.Softplus({ beta: 2 }), (x) => F.softplus(x, { beta: 2 })],
    [new nn.Hardtanh(-0.5, 0.5), (x) => F.hardtanh(x, -0.5, 0.5)],
    [new nn.Softmax(0), (x) => F.softmax(x, 0)],
    [new nn.LogSoftmax(), (x) => F.logSoftmax(x)],
    [new nn.RReLU(0.1, 0.3).eval(), (x) => F.leakyRelu(x, 0.2)],
  ];
  it.each(cases.map(([m, f]) => [m.constructor.name, m, f] as const))("%s matches its F function", (_name, module, fn) => {
    expect(module.call(x).toFlatArray()).toEqual(fn(x).toFlatArray());
  });

  it("PReLU learns its slope (one, or one per channel), initialized to 0.25", () => {
    const prelu = new nn.PReLU(3, 0.25, f64);
    expect(prelu.weight.toFlatArray()).toEqual([0.25, 0.25, 0.25]);
    expect(prelu.numParameters()).toBe(3);
    const input = tensor([[-1, 2, -3], [4, -5, 6]], f64);
    expect(prelu.call(input).toFlatArray()).toEqual([-0.25, 2, -0.75, 4, -1.25, 6]);
    prelu.call(input).sum().backward();
    expect(prelu.weight.grad!.toFlatArray()).toEqual([-1, -5, -3]);
    expectGradients((x) => prelu.call(x), [leafRandn([4, 3], 7), prelu.weight]);
    expect(new nn.PReLU().toString()).toBe("PReLU(numParameters=1)");
  });

  it("RReLU draws random slopes in training only", () => {
    const rrelu = new nn.RReLU(0.1, 0.3, { generator: new Generator(1) });
    const neg = tensor(new Array(100).fill(-1));
    expect(new Set(rrelu.call(neg).toFlatArray()).size).toBeGreaterThan(50);
    rrelu.eval();
    expect(new Set(rrelu.call(neg).toFlatArray())).toEqual(new Set([Math.fround(-0.2)]));
  });

  it("refuse bad hyperparameters at construction", () => {
    expect(() => new nn.LeakyReLU(NaN)).toThrow(/\[LeakyReLU\] Invalid negativeSlope: NaN \(must be a finite number\)/);
    expect(() => new nn.RReLU(0.5, 0.1)).toThrow(/\[RReLU\] need finite lower ≤ upper/);
    expect(() => new nn.Softplus({ beta: -1 })).toThrow(/\[Softplus\] Invalid beta: -1 \(must be a finite number > 0\)/);
    expect(() => new nn.Hardtanh(1, 0)).toThrow(/\[Hardtanh\] need minVal < maxVal/);
    expect(() => new nn.GELU({ approximate: "erf" as "none" })).toThrow(/\[GELU\] Invalid approximate: "erf" \(must be one of "none", "tanh"\)/);
    expect(() => new nn.PReLU(0)).toThrow(/\[PReLU\] Invalid numParameters: 0 \(must be a positive integer\)/);
    expect(() => new nn.CELU(0)).toThrow(/\[CELU\] Invalid alpha: 0 \(must be a non-zero finite number\)/);
  });
});

describe("BatchNorm1d", () => {
  it("holds weight 1, bias 0 and buffers runningMean 0, runningVar 1, numBatchesTracked 0", () => {
    const bn = new nn.BatchNorm1d(3);
    expect(bn.namedParameters().map(([n]) => n)).toEqual(["weight", "bias"]);
    expect(bn.weight!.toFlatArray()).toEqual([1, 1, 1]);
    expect(bn.bias!.toFlatArray()).toEqual([0, 0, 0]);
    expect(bn.namedBuffers().map(([n, t]) => [n, t.toFlatArray()])).toEqual([
      ["runningMean", [0, 0, 0]], ["runningVar", [1, 1, 1]], ["numBatchesTracked", [0]],
    ]);
    expect(bn.toString()).toBe("BatchNorm1d(3, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)");
  });

  it("training: normalizes with the batch and updates the running stats (exact values)", () => {
    const bn = new nn.BatchNorm1d(2, { dtype: "float64" });
    const x = tensor([[1, 2], [3, 6]], f64); // means [2, 4], unbiased variances [2, 8]
    const y = bn.call(x);
    y.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo([-1, -1, 1, 1][i], 4));
    expect(bn.runningMean!.toFlatArray()).toEqual([0.2, 0.4]);
    bn.runningVar!.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo([1.1, 1.7][i], 15));
    expect(bn.numBatchesTracked!.item()).toBe(1);
    bn.call(x);
    expect(bn.runningMean!.toFlatArray()[0]).toBeCloseTo(0.9 * 0.2 + 0.1 * 2, 15);
    expect(bn.numBatchesTracked!.item()).toBe(2);
  });

  it("eval: uses the running stats, leaves them alone, and accepts a batch of one", () => {
    const bn = new nn.BatchNorm1d(2, { dtype: "float64", eps: 1e-12 });
    noGrad(() => {
      bn.runningMean!.copy_([1, 2]);
      bn.runningVar!.copy_([4, 9]);
    });
    bn.eval();
    const y = bn.call(tensor([[3, 8]], f64));
    y.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo([1, 2][i], 9));
    expect(bn.runningMean!.toFlatArray()).toEqual([1, 2]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
  });

  it("momentum null: the running stats are the plain average of all batch statistics", () => {
    const bn = new nn.BatchNorm1d(1, { momentum: null, dtype: "float64" });
    bn.call(tensor([[0], [2]], f64)); // mean 1
    bn.call(tensor([[4], [6]], f64)); // mean 5
    bn.call(tensor([[0], [0]], f64)); // mean 0
    expect(bn.runningMean!.item()).toBeCloseTo(2, 15);
  });

  it("trackRunningStats: false uses batch statistics in eval too; affine: false has no parameters", () => {
    const bn = new nn.BatchNorm1d(2, { trackRunningStats: false, affine: false, dtype: "float64" }).eval();
    expect(bn.numParameters()).toBe(0);
    expect(bn.buffers()).toHaveLength(0);
    const x = tensor([[1, 2], [3, 6]], f64);
    bn.call(x).toFlatArray().forEach((v, i) => expect(v).toBeCloseTo([-1, -1, 1, 1][i], 4));
  });

  it("[N, C, L] input, and clear errors", () => {
    const bn = new nn.BatchNorm1d(3);
    expect(bn.call(randn([2, 3, 4])).shape).toEqual([2, 3, 4]);
    expect(() => bn.call(randn([1, 3]))).toThrow(/Expected more than 1 value per channel when training, got input size \[1,3\]/);
    expect(() => bn.call(randn([4, 2]))).toThrow(/\[BatchNorm1d\] expected input \[N, C\] or \[N, C, L\] with 3 channels on axis 1, got \[4,2\]/);
    expect(() => bn.call(randn([2, 3, 4, 5]))).toThrow(/expected 2-D \[N, C\] or 3-D \[N, C, L\] input/);
    expect(() => new nn.BatchNorm1d(3, { momentum: 2 })).toThrow(/\[BatchNorm1d\] Invalid momentum: 2 \(must be in \[0, 1\], or null for a cumulative average\)/);
    expect(() => new nn.BatchNorm1d(3, { eps: 0 })).toThrow(/Invalid eps: 0 \(must be a finite number > 0\)/);
  });

  it("gradient check through the module in training mode", () => {
    const bn = new nn.BatchNorm1d(3, { dtype: "float64" });
    noGrad(() => {
      bn.weight!.copy_([1.5, -0.5, 2]);
      bn.bias!.copy_([0.1, 0.2, -0.3]);
    });
    expectGradients((x) => bn.call(x), [leafRandn([5, 3], 8), bn.weight!, bn.bias!]);
  });
});

describe("LayerNorm, GroupNorm, InstanceNorm1d", () => {
  it("LayerNorm: weight and bias of normalizedShape; matches F.layerNorm", () => {
    const ln = new nn.LayerNorm([3, 4], { dtype: "float64" });
    expect(ln.numParameters()).toBe(24);
    const x = randn([2, 3, 4], f64);
    expect(ln.call(x).toFlatArray()).toEqual(F.layerNorm(x, [3, 4], ln.weight, ln.bias).toFlatArray());
    expect(new nn.LayerNorm(8, { elementwiseAffine: false }).numParameters()).toBe(0);
    expect(ln.toString()).toBe("LayerNorm([3,4], eps=0.00001, elementwiseAffine=true)");
  });

  it("GroupNorm: one weight and bias per channel; groups must divide the channels", () => {
    const gn = new nn.GroupNorm(2, 4);
    expect(gn.numParameters()).toBe(8);
    const x = randn([3, 4, 5]);
    expect(gn.call(x).toFlatArray()).toEqual(F.groupNorm(x, 2, gn.weight, gn.bias).toFlatArray());
    expect(() => new nn.GroupNorm(3, 4)).toThrow(/\[GroupNorm\] numChannels \(4\) must be divisible by numGroups \(3\)/);
    expect(() => gn.call(randn([3, 6, 5]))).toThrow(/with 4 channels on axis 1, got \[3,6,5\]/);
  });

  it("InstanceNorm1d: no parameters by default; affine adds them", () => {
    const inorm = new nn.InstanceNorm1d(3);
    expect(inorm.numParameters()).toBe(0);
    const x = randn([2, 3, 5]);
    expect(inorm.call(x).toFlatArray()).toEqual(F.instanceNorm(x).toFlatArray());
    expect(new nn.InstanceNorm1d(3, { affine: true }).numParameters()).toBe(6);
    expect(() => inorm.call(randn([2, 3]))).toThrow(/\[InstanceNorm1d\] expected 3-D input \[N, C, L\], got \[2,3\]/);
  });
});

describe("Dropout and AlphaDropout modules", () => {
  it("drop in training mode, identity in eval mode", () => {
    const drop = new nn.Dropout(0.5, { generator: new Generator(1) });
    const x = ones([1000]);
    const y = drop.call(x).toFlatArray();
    expect(y.filter((v) => v === 0).length).toBeGreaterThan(400);
    expect(y.filter((v) => v === 0).length).toBeLessThan(600);
    drop.eval();
    expect(drop.call(x)).toBe(x);
    const alpha = new nn.AlphaDropout(0.2, { generator: new Generator(2) });
    expect(alpha.call(x).toFlatArray()).not.toEqual(x.toFlatArray());
    expect(alpha.eval().call(x)).toBe(x);
  });

  it("refuse a probability outside [0, 1] at construction", () => {
    expect(() => new nn.Dropout(1.5)).toThrow("[Dropout] Invalid dropout probability: 1.5 (must be in [0, 1])");
    expect(() => new nn.AlphaDropout(-0.5)).toThrow(/\[AlphaDropout\] Invalid dropout probability: -0.5/);
    expect(new nn.Dropout(1).call(ones([3])).toFlatArray()).toEqual([0, 0, 0]);
    expect(new nn.Dropout(0).toString()).toBe("Dropout(p=0)");
  });
});
