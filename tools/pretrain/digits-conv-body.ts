/**
 * `npm run pretrain`: trains kernel-lib's digits conv body (models.digitsConvBody)
 * on the digits 0–4 and writes its weights to kernel-lib/weights/digits-conv-body.safetensors.
 *
 *   npm run pretrain                     train (about a minute) and write the shipped file
 *   npm run pretrain -- --check          train and compare with the shipped file, byte for byte; write nothing
 *   npm run pretrain -- --out FILE       write elsewhere
 *
 * Every setting is `DIGITS_CONV_BODY_RECIPE` (kernel-lib/src/models/digits-conv-body.ts):
 * the images are `data.loadDigits(recipe.data)` (digits 0–4 only: the digits 5–9
 * are never seen), initial weights and shuffling come from `recipe.seed`, so the
 * file is the same bytes on every run. The script computes on the plain
 * WebAssembly SIMD kernels: relaxed SIMD's fused multiply-add rounds
 * differently from one processor to another, plain SIMD does not, and thread
 * counts do not change any sum (each thread computes whole entries of a product).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { F, backend, data, evaluate, fit, manualSeed, nn, optim, type ProgressMode } from "kernel-lib";
import {
  DIGITS_CONV_BODY_RECIPE, type DigitsConvBodyMeta, type DigitsConvBodyRecipe,
  digitsConvBody, digitsConvBodyMeta, digitsConvBodyWeightsPath,
} from "../../kernel-lib/src/models/digits-conv-body";
import { encodeSafetensors } from "../../kernel-lib/src/models/safetensors";
import { runMain } from "../run-main";

export interface PretrainOptions {
  /** Train on only the first n of the recipe's training images (tests use a short run); default all. */
  trainImages?: number;
  /** Default the recipe's. */
  epochs?: number;
  /** fit's progress display; default "none". */
  progress?: ProgressMode;
}

export interface PretrainResult {
  /** The trained body (the pretraining head is dropped). */
  body: nn.Sequential;
  trainAccuracy: number;
  testAccuracy: number;
  /** The weights file (safetensors): the body's state dict, and `meta` as JSON in its __metadata__. */
  bytes: Uint8Array;
  meta: DigitsConvBodyMeta;
}

/** Trains body + Linear(1568, 5) head with `recipe` and returns the body and its weights file. */
export function pretrainDigitsConvBody(recipe: DigitsConvBodyRecipe = DIGITS_CONV_BODY_RECIPE, options: PretrainOptions = {}): PretrainResult {
  const digits = data.loadDigits(recipe.data);
  const n = options.trainImages ?? recipe.data.train;
  const train = { x: digits.xTrain.slice(0, 0, n), y: digits.yTrain.slice(0, 0, n) };
  const test = { x: digits.xTest, y: digits.yTest };
  manualSeed(recipe.seed);
  const body = digitsConvBody();
  const model = new nn.Sequential(body, new nn.Linear(digitsConvBodyMeta.outFeatures, recipe.data.digits.length));
  fit(model, train, {
    optimizer: new optim.Adam(model.parameters(), { lr: recipe.lr }),
    loss: F.crossEntropy, epochs: options.epochs ?? recipe.epochs, batchSize: recipe.batchSize,
    metrics: ["accuracy"], seed: recipe.seed, progress: options.progress ?? "none",
  });
  const trainAccuracy = evaluate(model, train, { metrics: ["accuracy"] }).accuracy;
  const testAccuracy = evaluate(model, test, { metrics: ["accuracy"] }).accuracy;
  const meta: DigitsConvBodyMeta = { ...digitsConvBodyMeta, recipe, trainImages: n, trainAccuracy, testAccuracy };
  return { body, trainAccuracy, testAccuracy, bytes: encodeSafetensors(body.stateDict(), { meta: JSON.stringify(meta) }), meta };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { check: { type: "boolean", default: false }, out: { type: "string" } }, strict: true });
  if (process.env.KERNEL_LIB_RELAXED_SIMD !== "0" || process.env.KERNEL_LIB_BACKEND !== undefined) {
    // kernel-lib picks its kernels when it is loaded: run again on the plain SIMD ones (see the file comment).
    const env: NodeJS.ProcessEnv = { ...process.env, KERNEL_LIB_RELAXED_SIMD: "0" };
    delete env.KERNEL_LIB_BACKEND;
    const again = spawnSync(process.execPath, [...process.execArgv, __filename, ...argv], { stdio: "inherit", env });
    return again.status ?? 1;
  }
  const info = backend.backendInfo();
  if (info.name !== "wasm" || info.relaxedSimd) {
    const loaded = info.name !== "wasm" ? `the reference JavaScript kernels (${info.reason})` : "the relaxed-SIMD kernels";
    throw new Error(`pretrain: kernel-lib loaded ${loaded}, whose sums round differently from the plain WebAssembly SIMD ones the shipped file was made with; run \`npm run build\` (it builds them) and try again`);
  }
  const started = performance.now();
  const result = pretrainDigitsConvBody(DIGITS_CONV_BODY_RECIPE, { progress: "epochs" });
  const seconds = (performance.now() - started) / 1000;
  console.log(`pretrained in ${seconds.toFixed(0)} s: accuracy ${result.trainAccuracy} on the ${result.meta.trainImages} training images, ${result.testAccuracy} on the ${result.meta.testImages} held-out ones (digits ${result.meta.digits.join(", ")})`);
  console.log(`weights: ${result.bytes.length} bytes, sha256 ${sha256(result.bytes)}`);
  let status = 0;
  if (result.trainAccuracy !== digitsConvBodyMeta.trainAccuracy || result.testAccuracy !== digitsConvBodyMeta.testAccuracy) {
    console.log(`note: digitsConvBodyMeta in kernel-lib/src/models/digits-conv-body.ts quotes trainAccuracy ${digitsConvBodyMeta.trainAccuracy} and testAccuracy ${digitsConvBodyMeta.testAccuracy}; set them to ${result.trainAccuracy} and ${result.testAccuracy}`);
    status = values.check ? 1 : 0;
  }
  const shipped = digitsConvBodyWeightsPath();
  if (values.check) {
    const same = Buffer.compare(Buffer.from(readFileSync(shipped)), Buffer.from(result.bytes)) === 0;
    console.log(same ? `same bytes as ${path.relative(process.cwd(), shipped)}` : `DIFFERENT from ${path.relative(process.cwd(), shipped)} (sha256 ${sha256(readFileSync(shipped))})`);
    return same ? status : 1;
  }
  const out = values.out ?? shipped;
  writeFileSync(out, result.bytes);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
  return status;
}

if (require.main === module) runMain(main);
