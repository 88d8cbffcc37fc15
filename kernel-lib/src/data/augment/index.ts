/**
 * Data augmentation (Lesson: notebooks/src/08-regularization.ts §9 (data augmentation)), reached as
 * `data.augment`:
 *
 *   import { data, Generator } from "kernel-lib";
 *   const g = new Generator(0);
 *   const xb2 = data.augment.randomShift(xb, { maxShift: 2, generator: g });
 *
 * Random transforms draw from `generator` (default: the default generator)
 * and are reproducible given it; `translate`, `flipHorizontal` and `rotate`
 * are their fixed, deterministic building blocks.
 */
export { gaussianNoise } from "./noise";
export { translate, flipHorizontal, randomShift, horizontalFlip } from "./images";
export type { RandomShiftOptions, HorizontalFlipOptions } from "./images";
export { rotate, randomRotation } from "./rotation";
export type { RandomRotationOptions } from "./rotation";
