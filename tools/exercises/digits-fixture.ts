/**
 * `npx tsx tools/exercises/digits-fixture.ts` writes test/exercises/digits-7x7.json:
 * 2,000 of kernel-lib's MNIST digits (seed 0), each 28×28 image averaged
 * over 4×4 blocks to 7×7 and quantized to 0…16 (like scikit-learn's 8×8
 * digits). The end-to-end exercise (10.4) trains on it: the graders carry
 * the data themselves, because the autograder's sandbox cannot read the
 * mnist package.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { data } from "kernel-lib";

const root = resolve(__dirname, "../..");

function pooled(pixels: ArrayLike<number>, offset: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < 7; r++) {
    for (let c = 0; c < 7; c++) {
      let s = 0;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s += pixels[offset + (4 * r + i) * 28 + 4 * c + j];
      out.push(Math.round(s)); // mean of 16 pixels in [0, 1], times 16
    }
  }
  return out;
}

function main(): void {
  const { xTrain, yTrain, xTest, yTest } = data.loadDigits({ train: 1500, test: 500, seed: 0 });
  const rows = (x: typeof xTrain) => Array.from({ length: x.shape[0] }, (_, i) => pooled(x.data, i * 784));
  const fixture = { source: "kernel-lib data.loadDigits({ train: 1500, test: 500, seed: 0 }), 4×4 block sums (0…16)", xTrain: rows(xTrain), yTrain: Array.from(yTrain.data), xVal: rows(xTest), yVal: Array.from(yTest.data) };
  writeFileSync(join(root, "test/exercises/digits-7x7.json"), `${JSON.stringify(fixture)}\n`);
  console.log("wrote test/exercises/digits-7x7.json");
}

main();
