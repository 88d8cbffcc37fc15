/** Training loop, callbacks and the learning-rate range test (Keras-style, on top of torch-style pieces). */
export { fit, evaluate, predict, type FitOptions, type EvaluateOptions } from "./fit";
export { History } from "./history";
export { EarlyStopping, LRSchedulerCallback, EpochLogger, type Callback, type TrainContext, type EarlyStoppingOptions } from "./callbacks";
export { Monitor, type MonitorRecord } from "./monitor";
export { lrFinder, type LrFinderOptions, type LrFinderResult } from "./lr-finder";
export type { OptimizerLike, SchedulerLike, TrainableModel, Split, LossFn, MetricFn, Logs } from "./types";
