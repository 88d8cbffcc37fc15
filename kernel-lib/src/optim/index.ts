/**
 * Training: optimizers (torch.optim), learning-rate schedulers bound to an
 * optimizer (torch.optim.lr_scheduler) and schedules as pure functions.
 *
 *   const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 *   const scheduler = new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 100 });
 *   optim.schedules.cosine(0.1, 50, 100);   // 0.05
 *
 * Lessons: notebooks/src/06-optimizers.ts §1 (gradient descent), notebooks/src/07-lr-schedules.ts §4 (attaching a schedule to an optimizer)
 */
export { Optimizer } from "./optimizer";
export type {
  Hyperparameters, ParamGroup, ParamGroupSpec, ParamState, StateValue, FloatArray,
  OptimizerStateDict, SavedParamState, SavedParamGroup,
} from "./optimizer";
export { SGD } from "./sgd";
export type { SGDOptions, SGDState } from "./sgd";
export { Adagrad } from "./adagrad";
export type { AdagradOptions, AdagradState } from "./adagrad";
export { RMSprop } from "./rmsprop";
export type { RMSpropOptions, RMSpropState } from "./rmsprop";
export { Adadelta } from "./adadelta";
export type { AdadeltaOptions, AdadeltaState } from "./adadelta";
export { Adam, AdamW } from "./adam";
export type { AdamOptions, AdamState } from "./adam";
export { Adamax } from "./adamax";
export type { AdamaxOptions, AdamaxState } from "./adamax";
export { NAdam } from "./nadam";
export type { NAdamOptions, NAdamState } from "./nadam";
export { RAdam } from "./radam";
export type { RAdamOptions, RAdamState } from "./radam";
export { Rprop } from "./rprop";
export type { RpropOptions, RpropState } from "./rprop";

export * as lrScheduler from "./lr-scheduler";
export * as schedules from "./schedules";
