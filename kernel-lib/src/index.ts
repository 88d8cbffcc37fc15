/**
 * kernel-lib: a small deep-learning engine for the course.
 *
 *   import { tensor, randn, nn, init, F, noGrad } from "kernel-lib";
 *
 * Names and semantics follow PyTorch (in camelCase): `Tensor`, `nn.Linear`,
 * `init.kaimingNormal_`, `F.crossEntropy`, `noGrad(() => …)`.
 */
export const version = "0.1.0";

export { Tensor } from "./tensor";
export type { NestedArray, TensorLike, GradFn, ReduceOptions, VarOptions } from "./tensor";
export type { DType, TypedArray } from "./core/dtype";
export type { Shape } from "./core/shape";
export { KernelError } from "./core/errors";
export { Generator, manualSeed, defaultGenerator } from "./core/random";

export { tensor, zeros, ones, full, arange, linspace, eye, rand, randn, randint, randperm } from "./ops/creation";
export type { CreateOptions, RandomOptions } from "./ops/creation";
export { zerosLike, onesLike, fullLike } from "./ops/convert";
export {
  add, sub, mul, div, pow, maximum, minimum, where, clamp,
  neg, exp, log, sqrt, abs, sign, sin, cos, tanh, sigmoid, relu, erf, log1p, expm1, softplus,
} from "./ops/elementwise";
export { sum, mean, variance, std, max, min, argmax, argmin, logsumexp } from "./ops/reduce";
export { reshape, flatten, squeeze, unsqueeze, permute, transpose, expand } from "./ops/shape";
export { slice, select, indexSelect, gather, concat, stack } from "./ops/indexing";
export { matmul } from "./ops/matmul";

export { noGrad, enableGrad, isGradEnabled, detectAnomaly } from "./autograd/grad-mode";
export { keep, tidy } from "./memory/tidy";
export { gradcheck } from "./autograd/gradcheck";
export type { GradcheckOptions, GradcheckResult } from "./autograd/gradcheck";

export * as backend from "./backend";

export * as nn from "./nn";
export * as F from "./functional";
export * as init from "./init";
export * as optim from "./optim";
export * as data from "./data";
export * as regularization from "./regularization";
export * as diagnostics from "./diagnostics";
export * as models from "./models";
export * from "./train";
export { clipGradNorm_, clipGradValue_ } from "./regularization/clip";

export * from "./display";
export * as charts from "./charts";
export { LiveProgress, AUTO_DELAY_MS, type LiveProgressOptions, type ProgressMode } from "./train/live-progress";
