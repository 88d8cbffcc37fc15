/**
 * Holding data out (trainTestSplit, trainValTestSplit), feature scaling
 * fitted on the training split (StandardScaler, MinMaxScaler) and oneHot.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Generator, Tensor, data, gradcheck, randn, tensor } from "kernel-lib";

const { trainTestSplit, trainValTestSplit, StandardScaler, MinMaxScaler, oneHot } = data;

/** x row i is [i, 2i] and y[i] = label(i), so each split reveals which samples it holds. */
function indexed(n: number, label: (i: number) => number = (i) => i): { x: Tensor; y: Tensor } {
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x.set([i, 2 * i], 2 * i);
    y[i] = label(i);
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n]) };
}

const firstColumn = (x: Tensor) => Array.from({ length: x.shape[0] }, (_, i) => x.data[2 * i]);
const counts = (y: Tensor, k: number) => Array.from(y.data).reduce((c, v) => (c[v]++, c), new Array<number>(k).fill(0));

describe("trainTestSplit", () => {
  it("partitions the samples, keeping x and y paired (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 80 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.integer(), (n, testSize, seed) => {
        const { x, y } = indexed(n);
        const s = trainTestSplit(x, y, { testSize, generator: new Generator(seed) });
        expect(s.xTest.shape[0]).toBe(Math.ceil(testSize * n));
        expect(s.xTrain.shape[0] + s.xTest.shape[0]).toBe(n);
        expect(firstColumn(s.xTrain)).toEqual(Array.from(s.yTrain.data));
        expect(firstColumn(s.xTest)).toEqual(Array.from(s.yTest.data));
        const all = [...s.yTrain.data, ...s.yTest.data].sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
      { numRuns: 50 },
    );
  });

  it("defaults to a 25% test set and takes integer counts", () => {
    const { x, y } = indexed(10);
    expect(trainTestSplit(x, y, { generator: new Generator(0) }).yTest.shape).toEqual([3]);
    expect(trainTestSplit(x, y, { testSize: 4, generator: new Generator(0) }).yTest.shape).toEqual([4]);
  });

  it("is reproducible with a seed and differs across seeds", () => {
    const { x, y } = indexed(50);
    const a = trainTestSplit(x, y, { generator: new Generator(7) });
    const b = trainTestSplit(x, y, { generator: new Generator(7) });
    const c = trainTestSplit(x, y, { generator: new Generator(8) });
    expect(Array.from(b.yTest.data)).toEqual(Array.from(a.yTest.data));
    expect(Array.from(c.yTest.data)).not.toEqual(Array.from(a.yTest.data));
  });

  it("without shuffling, the test set is the last samples", () => {
    const { x, y } = indexed(10);
    const s = trainTestSplit(x, y, { testSize: 0.3, shuffle: false });
    expect(Array.from(s.yTrain.data)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(s.yTest.data)).toEqual([7, 8, 9]);
  });

  it("stratify keeps the class proportions in both splits", () => {
    // 60 of class 0, 30 of class 1, 10 of class 2.
    const { x, y } = indexed(100, (i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
    for (let seed = 0; seed < 5; seed++) {
      const s = trainTestSplit(x, y, { testSize: 0.2, stratify: true, generator: new Generator(seed) });
      expect(counts(s.yTest, 3)).toEqual([12, 6, 2]);
      expect(counts(s.yTrain, 3)).toEqual([48, 24, 8]);
    }
  });

  it("stratify by separate labels, rounding each class to within one sample", () => {
    const { x, y } = indexed(31);
    const groups = new Tensor(Int32Array.from({ length: 31 }, (_, i) => (i < 21 ? 0 : 1)), [31]);
    const s = trainTestSplit(x, y, { testSize: 10, stratify: groups, generator: new Generator(1) });
    const testGroups = Array.from(s.yTest.data, (i) => groups.data[i]);
    const c0 = testGroups.filter((v) => v === 0).length;
    expect(s.yTest.shape).toEqual([10]);
    expect(Math.abs(c0 - (10 * 21) / 31)).toBeLessThan(1);
  });

  it("refuses mismatched sample counts, bad sizes and stratify without shuffle", () => {
    const { x, y } = indexed(10);
    expect(() => trainTestSplit(x, tensor([1, 2]), {})).toThrow(/x has 10 samples but y has 2/);
    expect(() => trainTestSplit(x, y, { testSize: 1.5 })).toThrow(/Invalid testSize: 1.5/);
    expect(() => trainTestSplit(x, y, { testSize: 11 })).toThrow(/Invalid testSize/);
    expect(() => trainTestSplit(x, y, { stratify: true, shuffle: false })).toThrow(/stratify needs shuffle/);
  });
});

describe("trainValTestSplit", () => {
  it("defaults to 60/20/20, disjoint and complete", () => {
    const { x, y } = indexed(50);
    const s = trainValTestSplit(x, y, { generator: new Generator(0) });
    expect([s.yTrain.size, s.yVal.size, s.yTest.size]).toEqual([30, 10, 10]);
    const all = [...s.yTrain.data, ...s.yVal.data, ...s.yTest.data].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(firstColumn(s.xVal)).toEqual(Array.from(s.yVal.data));
  });

  it("stratified: each split has the whole set's class mix", () => {
    const { x, y } = indexed(200, (i) => i % 4);
    const s = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, generator: new Generator(2) });
    expect(counts(s.yVal, 4)).toEqual([5, 5, 5, 5]);
    expect(counts(s.yTest, 4)).toEqual([10, 10, 10, 10]);
    expect(counts(s.yTrain, 4)).toEqual([35, 35, 35, 35]);
  });

  it("refuses sizes that add up to more than the data", () => {
    const { x, y } = indexed(10);
    expect(() => trainValTestSplit(x, y, { valSize: 0.6, testSize: 0.5 })).toThrow(/exceed the 10 samples/);
  });
});

describe("StandardScaler", () => {
  const g = new Generator(11);
  const xTrain = randn([500, 3], { generator: g }).mul(tensor([2, 0.5, 10])).add(tensor([5, -1, 100]));
  const xTest = randn([100, 3], { generator: g }).mul(3).add(7);

  it("makes every training feature mean 0, std 1", () => {
    const scaler = new StandardScaler();
    const z = scaler.fitTransform(xTrain);
    z.mean(0).toFlatArray().forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-5));
    z.std(0, { unbiased: false }).toFlatArray().forEach((s) => expect(s).toBeCloseTo(1, 5));
    expect(scaler.mean?.shape).toEqual([3]);
  });

  it("transforms the test split with the training statistics", () => {
    const scaler = new StandardScaler().fit(xTrain);
    const mean = xTrain.mean(0).toFlatArray();
    const std = xTrain.std(0, { unbiased: false }).toFlatArray();
    const z = scaler.transform(xTest);
    for (let i = 0; i < 100; i += 17) {
      for (let j = 0; j < 3; j++) {
        expect(z.data[i * 3 + j]).toBeCloseTo((xTest.data[i * 3 + j] - mean[j]) / std[j], 4);
      }
    }
    // Not re-fitted on the test split: its mean is far from 0.
    expect(Math.abs(z.mean(0).data[0])).toBeGreaterThan(0.5);
  });

  it("inverseTransform undoes transform", () => {
    const scaler = new StandardScaler().fit(xTrain);
    const back = scaler.inverseTransform(scaler.transform(xTest));
    back.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(xTest.data[i], 3));
  });

  it("gives a constant feature std 1, so it is centred and not divided by zero", () => {
    const x = tensor([[1, 0.1], [2, 0.1], [3, 0.1]]);
    const scaler = new StandardScaler().fit(x);
    expect(scaler.std?.data[1]).toBe(1);
    const z = scaler.transform(x);
    expect(z.toFlatArray().every(Number.isFinite)).toBe(true);
    expect([z.data[1], z.data[3], z.data[5]]).toEqual([0, 0, 0]);
  });

  it("treats a spread that is only rounding error as zero (float64: 0.1 + 0.1 + 0.1 ≠ 0.3)", () => {
    const x = tensor([[0.1], [0.1], [0.1]], { dtype: "float64" });
    const scaler = new StandardScaler().fit(x);
    expect(scaler.std?.data[0]).toBe(1);
    scaler.transform(x).toFlatArray().forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-15));
  });

  it("keeps per-pixel statistics for image batches [n, h, w]", () => {
    const images = randn([20, 4, 4], { generator: new Generator(1) });
    const scaler = new StandardScaler().fit(images);
    expect(scaler.mean?.shape).toEqual([4, 4]);
    expect(scaler.transform(images).shape).toEqual([20, 4, 4]);
  });

  it("is differentiable in x (float64 gradcheck)", () => {
    const scaler = new StandardScaler().fit(randn([10, 2], { dtype: "float64", generator: new Generator(2) }));
    const x = randn([4, 2], { dtype: "float64", generator: new Generator(3) }).requiresGrad_();
    const result = gradcheck((v) => scaler.transform(v).mul(scaler.transform(v)).sum(), [x]);
    expect(result.maxRelativeError).toBeLessThanOrEqual(1e-6);
  });

  it("refuses to transform before fit, or features of another shape", () => {
    expect(() => new StandardScaler().transform(xTest)).toThrow(/not fitted yet; call fit\(xTrain\) first/);
    expect(() => new StandardScaler().fit(xTrain).transform(tensor([[1, 2]]))).toThrow(/fitted on features of shape \[3\]/);
  });
});

describe("MinMaxScaler", () => {
  it("maps the training range onto featureRange and back", () => {
    const x = tensor([[0, 10, 5], [5, 20, 5], [10, 30, 5]]);
    const scaler = new MinMaxScaler({ featureRange: [-1, 1] });
    const z = scaler.fitTransform(x);
    expect(z.toArray()).toEqual([[-1, -1, -1], [0, 0, -1], [1, 1, -1]]);
    expect(scaler.inverseTransform(z).toArray()).toEqual(x.toArray());
    expect(scaler.transform(tensor([[20, 0, 6]])).toArray()).toEqual([[3, -2, 1]]);
  });

  it("refuses an empty range", () => {
    expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(/Invalid featureRange: \[1, 1\]/);
  });
});

describe("oneHot", () => {
  it("puts a 1 at each label, float32 by default", () => {
    const out = oneHot(tensor([2, 0, 1], { dtype: "int32" }), 4);
    expect(out.dtype).toBe("float32");
    expect(out.toArray()).toEqual([[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
  });

  it("infers numClasses as max + 1 and keeps the labels' shape", () => {
    expect(oneHot([1, 3]).shape).toEqual([2, 4]);
    expect(oneHot(tensor([[0, 1]], { dtype: "int32" }), 2, { dtype: "int32" }).toArray()).toEqual([[[1, 0], [0, 1]]]);
  });

  it("refuses labels outside 0..numClasses-1", () => {
    expect(() => oneHot([0, 3], 3)).toThrow(/label 3 at position 1 is not an integer class in 0..2/);
    expect(() => oneHot([0.5], 3)).toThrow(/label 0.5/);
  });
});
