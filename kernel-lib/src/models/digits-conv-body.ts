/// <reference types="node" />
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { KernelError, fail } from "../core/errors";
import type { Generator } from "../core/random";
import { invalid } from "../core/validate";
import { Sequential } from "../nn/containers";
import type { StateDict } from "../nn/module";
import { Conv2d } from "../nn/conv";
import { Flatten } from "../nn/linear";
import { ReLU } from "../nn/activation";
import { BatchNorm2d } from "../nn/normalization-2d";
import { MaxPool2d } from "../nn/pooling";
import type { LoadDigitsOptions } from "../data/mnist";
import { decodeSafetensors } from "./safetensors";

/**
 * A small convolutional body pretrained on the digits 0–4, shipped with
 * kernel-lib so that a lesson can reuse it for the digits 5–9 (which it has
 * never seen), as torchvision ships ImageNet bodies:
 *
 *   Conv2d(1, 16, 3, padding 1, no bias) → BatchNorm2d(16) → ReLU → MaxPool2d(2)    [N,16,14,14]
 *   Conv2d(16, 32, 3, padding 1, no bias) → BatchNorm2d(32) → ReLU → MaxPool2d(2)   [N,32,7,7]
 *   Flatten                                                                         [N,1568]
 *
 * Images [N, 1, 28, 28] with pixels in [0, 1] (what `data.loadDigits({ flatten: false })`
 * gives) go in; 1568 features come out, for a new head such as `nn.Linear(1568, 5)`.
 * The convolutions have no bias because the batch norm after each has its own shift;
 * Flatten keeps where each feature was found (a global average would keep only
 * the 32 channel means).
 *
 * Which images it has seen: `data.loadDigits(digitsConvBodyMeta.recipe.data)`
 * gives them back. Its xTrain (4,000 images of 0–4) trained the body; its
 * xTest (1,000 more of 0–4) only measured `testAccuracy`; the other 131
 * images of 0–4 and all 4,869 images of 5–9 were never used, so any split of
 * the digits 5–9 is new to it.
 */

/** How the shipped weights were made; `tools/pretrain/digits-conv-body.ts` trains with exactly these settings. */
export interface DigitsConvBodyRecipe {
  /** The images: `data.loadDigits(recipe.data)` draws them (its xTrain trains, its xTest measures). */
  data: Required<Pick<LoadDigitsOptions, "digits" | "train" | "test" | "seed">> & { flatten: false };
  /** Seeds the initial weights (`manualSeed`) and, through `fit`, the shuffling. */
  seed: number;
  epochs: number;
  batchSize: number;
  optimizer: "Adam";
  lr: number;
  /** The head trained with the body during pretraining (thrown away afterwards). */
  head: "Linear(1568, 5)";
}

/** What the shipped weights are, how they were made and how well they did: torchvision's `weights.meta`. */
export interface DigitsConvBodyMeta {
  name: "digits-conv-body";
  /** The layers, as `digitsConvBody().toString()` prints them, in one line. */
  architecture: string;
  /** One image: [channels, height, width]. */
  inputShape: [1, 28, 28];
  /** Features per image out of the body. */
  outFeatures: number;
  /** Trainable entries (weights of the convolutions, scales and shifts of the batch norms). */
  numParameters: number;
  /** The digit classes seen in pretraining; label k of the pretraining head meant digit digits[k]. */
  digits: number[];
  /** Number of images trained on, and held out to measure the accuracy (all from `recipe.data`). */
  trainImages: number;
  testImages: number;
  recipe: DigitsConvBodyRecipe;
  /** Accuracy of body + pretraining head at the end of pretraining, in evaluation mode. */
  trainAccuracy: number;
  testAccuracy: number;
  /** The file in the kernel-lib package, and the command (from the course root) that rebuilds it. */
  file: string;
  command: string;
}

/** The settings of the shipped run. Changing any of them means re-running the script and updating the results below. */
export const DIGITS_CONV_BODY_RECIPE: DigitsConvBodyRecipe = Object.freeze({
  data: Object.freeze({ digits: [0, 1, 2, 3, 4], train: 4000, test: 1000, seed: 11, flatten: false as const }),
  seed: 11,
  epochs: 10,
  batchSize: 32,
  optimizer: "Adam" as const,
  lr: 1e-3,
  head: "Linear(1568, 5)" as const,
}) as DigitsConvBodyRecipe;

const WEIGHTS_FILE = "weights/digits-conv-body.safetensors";

/**
 * Everything about the shipped weights. The two accuracies are what the script
 * measured when it wrote the file (the file's own header records them too, and
 * a test checks both agree).
 */
export const digitsConvBodyMeta: Readonly<DigitsConvBodyMeta> = Object.freeze({
  name: "digits-conv-body" as const,
  architecture: "Conv2d(1,16,3,padding=1,bias=false) → BatchNorm2d(16) → ReLU → MaxPool2d(2) → Conv2d(16,32,3,padding=1,bias=false) → BatchNorm2d(32) → ReLU → MaxPool2d(2) → Flatten",
  inputShape: [1, 28, 28] as [1, 28, 28],
  outFeatures: 32 * 7 * 7,
  numParameters: 16 * 9 + 2 * 16 + 32 * 16 * 9 + 2 * 32,
  digits: [...DIGITS_CONV_BODY_RECIPE.data.digits],
  trainImages: DIGITS_CONV_BODY_RECIPE.data.train,
  testImages: DIGITS_CONV_BODY_RECIPE.data.test,
  recipe: DIGITS_CONV_BODY_RECIPE,
  trainAccuracy: 1,
  testAccuracy: 0.991,
  file: `kernel-lib/${WEIGHTS_FILE}`,
  command: "npm run pretrain",
});

export interface DigitsConvBodyOptions {
  /** Load the shipped weights and batch-norm running statistics (default false: a fresh random body, like torchvision's `weights=None`). */
  pretrained?: boolean;
  /** Source of the random initial weights when not pretrained (default: the default generator). */
  generator?: Generator;
  /** With `pretrained`: read this file instead of the shipped one (e.g. one written by `npm run pretrain -- --out FILE`). */
  weightsFile?: string;
}

/**
 * A new digits conv body, with the pretrained weights (`{ pretrained: true }`)
 * or freshly initialized ones. Each call builds new layers: changing or
 * training one body never changes another. It is returned in training mode,
 * as every new module is; call `.eval()` to use the running statistics.
 *
 *   const body = models.digitsConvBody({ pretrained: true }).requiresGrad_(false);
 *   const model = new nn.Sequential(body, new nn.Linear(models.digitsConvBodyMeta.outFeatures, 5));
 *
 * Frozen is not fixed: `requiresGrad_(false)` stops the weights from training,
 * but in training mode (which `fit` sets on the whole model) its batch norms
 * still normalize with each batch's statistics and update the running ones,
 * as in PyTorch. For fixed features, compute them once in evaluation mode:
 * `noGrad(() => body.eval().call(x))`, and train the head on those.
 *
 * Lesson: notebooks/src/11-convolutional-networks.ts §6 (transfer learning)
 */
export function digitsConvBody(options: DigitsConvBodyOptions = {}): Sequential {
  checkOptions(options);
  const { generator } = options;
  const body = new Sequential(
    new Conv2d(1, 16, 3, { padding: 1, bias: false, generator }),
    new BatchNorm2d(16),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(16, 32, 3, { padding: 1, bias: false, generator }),
    new BatchNorm2d(32),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
  );
  if (options.pretrained) {
    const file = options.weightsFile ?? digitsConvBodyWeightsPath();
    const { state } = readDigitsConvBodyWeights(file);
    try {
      body.loadStateDict(state);
    } catch (err) {
      if (!(err instanceof KernelError)) throw err;
      fail("digitsConvBody", `${file} does not fit the body this kernel-lib builds: ${err.message}. Rebuild it with \`${digitsConvBodyMeta.command}\``);
    }
  }
  return body;
}

const OPTION_NAMES = ["pretrained", "generator", "weightsFile"];

/** A misspelt option (`{ pretrain: true }`) would silently give a random body: refuse it. */
function checkOptions(options: DigitsConvBodyOptions): void {
  const op = "digitsConvBody";
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) invalid(op, "option", key, `one of ${OPTION_NAMES.join(", ")}`);
  }
  if (options.pretrained !== undefined && typeof options.pretrained !== "boolean") invalid(op, "pretrained", options.pretrained, "true or false");
  if (options.weightsFile !== undefined && typeof options.weightsFile !== "string") invalid(op, "weightsFile", options.weightsFile, "a file path");
}

/** The absolute path of the shipped weights (the same from src/models and dist/models). */
export function digitsConvBodyWeightsPath(): string {
  return resolve(__dirname, "..", "..", WEIGHTS_FILE);
}

/**
 * The shipped file's state dict and the metadata the script wrote into it
 * (as JSON in the safetensors header's `__metadata__.meta`).
 */
export function readDigitsConvBodyWeights(file = digitsConvBodyWeightsPath()): { state: StateDict; meta: DigitsConvBodyMeta } {
  const op = "digitsConvBody";
  if (!existsSync(file)) {
    fail(op, `the pretrained weights are missing: no file ${file}. Restore the shipped ${digitsConvBodyMeta.file} (git checkout -- ${digitsConvBodyMeta.file}) or rebuild it with \`${digitsConvBodyMeta.command}\``);
  }
  const { state, metadata } = decodeSafetensors(readFileSync(file), file, op);
  if (metadata.meta === undefined) fail(op, `${file} has no "meta" in its __metadata__, so it was not written by \`${digitsConvBodyMeta.command}\`; rebuild it with that command`);
  return { state, meta: JSON.parse(metadata.meta) as DigitsConvBodyMeta };
}
