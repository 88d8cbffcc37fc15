/**
 * data.TensorDataset and data.DataLoader: sample access, batch sizes, every
 * sample exactly once per epoch, and reproducible shuffling.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Generator, Tensor, arange, data, tensor } from "kernel-lib";

const { DataLoader, TensorDataset } = data;

/** n samples whose x row is [i, 100 + i] and whose label is i, so a batch tells which samples it holds. */
function numbered(n: number): data.TensorDataset {
  const x = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) x.set([i, 100 + i], 2 * i);
  return new TensorDataset(new Tensor(x, [n, 2]), arange(n, undefined, 1, { dtype: "int32" }));
}

/** The sample labels of one epoch, batch by batch. */
function epoch(loader: Iterable<data.Batch>): number[][] {
  return Array.from(loader, ([, yb]) => Array.from(yb.data));
}

describe("TensorDataset", () => {
  it("has the length of the sample axis and returns x[i], y[i]", () => {
    const ds = numbered(5);
    expect(ds.length).toBe(5);
    const [x, y] = ds.get(3);
    expect(x.toArray()).toEqual([3, 103]);
    expect(y.shape).toEqual([]);
    expect(y.item()).toBe(3);
    expect(ds.get(-1)[1].item()).toBe(4);
  });

  it("gathers a batch in the order of the indices", () => {
    const [xb, yb] = numbered(6).getBatch([4, 0, 4]);
    expect(xb.toArray()).toEqual([[4, 104], [0, 100], [4, 104]]);
    expect(yb.dtype).toBe("int32");
    expect(Array.from(yb.data)).toEqual([4, 0, 4]);
  });

  it("refuses x and y with different numbers of samples", () => {
    expect(() => new TensorDataset(tensor([[1], [2], [3]]), tensor([1, 2]))).toThrow(/x has 3 samples but y has 2/);
  });

  it("refuses an index out of range", () => {
    expect(() => numbered(3).get(3)).toThrow(/TensorDataset.get.*out of range/);
  });
});

describe("DataLoader", () => {
  it("defaults to batches of 32 in order, the last one partial", () => {
    const loader = new DataLoader(numbered(70));
    expect(loader.length).toBe(3);
    const batches = Array.from(loader);
    expect(batches.map(([xb, yb]) => [xb.shape, yb.shape])).toEqual([
      [[32, 2], [32]],
      [[32, 2], [32]],
      [[6, 2], [6]],
    ]);
    expect(epoch(loader).flat()).toEqual(Array.from({ length: 70 }, (_, i) => i));
    expect(batches[2][0].toArray()).toEqual(Array.from({ length: 6 }, (_, k) => [64 + k, 164 + k]));
  });

  it("dropLast skips the partial batch", () => {
    const loader = new DataLoader(numbered(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect(epoch(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
  });

  it("dropLast keeps everything when the batch size divides n", () => {
    const loader = new DataLoader(numbered(8), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect(epoch(loader).flat()).toHaveLength(8);
  });

  it("with shuffle, visits every sample exactly once per epoch, in batches of the right sizes (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 20 }), fc.boolean(), fc.integer(), (n, batchSize, dropLast, seed) => {
        const loader = new DataLoader(numbered(n), { batchSize, dropLast, shuffle: true, generator: new Generator(seed) });
        const batches = epoch(loader);
        expect(batches.length).toBe(loader.length);
        expect(loader.length).toBe(dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize));
        batches.forEach((b, k) => expect(b.length).toBe(k < batches.length - 1 || n % batchSize === 0 || dropLast ? batchSize : n % batchSize));
        const seen = batches.flat();
        expect(new Set(seen).size).toBe(seen.length);
        if (!dropLast) expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
      { numRuns: 60 },
    );
  });

  it("x and y stay paired after shuffling", () => {
    const loader = new DataLoader(numbered(25), { batchSize: 7, shuffle: true, generator: new Generator(3) });
    for (const [xb, yb] of loader) {
      expect(xb.toArray()).toEqual(Array.from(yb.data, (i) => [i, 100 + i]));
    }
  });

  it("reshuffles every epoch, and the same seed gives the same sequence of orders", () => {
    const orders = (seed: number) => {
      const loader = new DataLoader(numbered(30), { batchSize: 8, shuffle: true, generator: new Generator(seed) });
      return [epoch(loader).flat(), epoch(loader).flat(), epoch(loader).flat()];
    };
    const a = orders(42);
    expect(orders(42)).toEqual(a);
    expect(a[1]).not.toEqual(a[0]);
    expect(a[2]).not.toEqual(a[1]);
    expect(orders(43)[0]).not.toEqual(a[0]);
  });

  it("an epoch's order is fixed when iteration starts", () => {
    const g = new Generator(5);
    const loader = new DataLoader(numbered(12), { batchSize: 5, shuffle: true, generator: g });
    const expected = Array.from(g.clone().permutation(12));
    const it = loader[Symbol.iterator]();
    g.uniform(); // another consumer draws from the generator mid-epoch
    const seen: number[] = [];
    for (let r = it.next(); !r.done; r = it.next()) seen.push(...Array.from(r.value[1].data));
    expect(seen).toEqual(expected);
  });

  it("stacks samples of a dataset that has no batch access", () => {
    const plain: data.Dataset = {
      length: 5,
      get: (i) => [tensor([i, 10 * i]), tensor(i % 2, { dtype: "int32" })],
    };
    const [xb, yb] = Array.from(new DataLoader(plain, { batchSize: 3 }))[1];
    expect(xb.toArray()).toEqual([[3, 30], [4, 40]]);
    expect(Array.from(yb.data)).toEqual([1, 0]);
  });

  it("an empty dataset gives no batches", () => {
    const empty = new TensorDataset(new Tensor(new Float32Array(0), [0, 3]), new Tensor(new Int32Array(0), [0]));
    const loader = new DataLoader(empty, { batchSize: 4 });
    expect(loader.length).toBe(0);
    expect(Array.from(loader)).toEqual([]);
  });

  it.each([0, -1, 2.5])("refuses batchSize %s", (batchSize) => {
    expect(() => new DataLoader(numbered(4), { batchSize })).toThrow(/Invalid batchSize/);
  });
});
