/**
 * Learning-rate schedulers bound to an optimizer, with PyTorch's semantics
 * (torch.optim.lr_scheduler): construct after the optimizer, call `step()`
 * once per epoch (or per batch), read `getLastLr()`.
 *
 *   const scheduler = new optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 */
export { LRScheduler } from "./lr-scheduler";
export type { SchedulerStateDict } from "./lr-scheduler";
export { StepLR, MultiStepLR, ExponentialLR } from "./step";
export { LambdaLR, MultiplicativeLR } from "./lambda";
export type { LrLambda } from "./lambda";
export { CosineAnnealingLR } from "./cosine";
export { LinearLR, ConstantLR } from "./linear";
export { PolynomialLR } from "./polynomial";
export { CosineAnnealingWarmRestarts } from "./warm-restarts";
export { CyclicLR } from "./cyclic";
export type { CyclicLROptions, CyclicMode } from "./cyclic";
export { ChainedScheduler } from "./chained";
export { SequentialLR } from "./sequential";
export { OneCycleLR } from "./one-cycle";
export type { OneCycleLROptions } from "./one-cycle";
export { ReduceLROnPlateau } from "./plateau";
export type { ReduceLROnPlateauOptions, PlateauStateDict } from "./plateau";
