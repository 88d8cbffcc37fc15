import type { Tensor } from "../tensor";

/**
 * The few things the training loop needs from an optimizer and a scheduler.
 * Structural types: any object with these members works, including your own
 * optimizer from an exercise.
 */
export interface OptimizerLike {
  step(): void;
  zeroGrad(): void;
  readonly paramGroups: ReadonlyArray<{ lr: number }>;
}

/** An LR scheduler: `step()` per epoch or per batch; ReduceLROnPlateau-style ones take the monitored metric. */
export interface SchedulerLike {
  step(metric?: number): void;
}

/** What `fit` trains: anything callable on a batch, with parameters and train/eval modes (every nn.Module). */
export interface TrainableModel {
  call(x: Tensor): Tensor;
  parameters(): Tensor[];
  train(mode?: boolean): unknown;
  eval(): unknown;
  readonly training: boolean;
  stateDict(): Record<string, Tensor>;
  loadStateDict(state: Record<string, Tensor>): unknown;
}

/** Inputs and targets, first axis = samples. Targets are class indices (int32) or values. */
export interface Split {
  x: Tensor;
  y: Tensor;
}

/** A loss function of (predictions, targets) → scalar tensor, e.g. F.crossEntropy. */
export type LossFn = (yHat: Tensor, y: Tensor) => Tensor;

/** A metric of (predictions, targets) → number, averaged over batches weighted by batch size. */
export type MetricFn = (yHat: Tensor, y: Tensor) => number;

/** Per-epoch numbers, by name: "loss", "valLoss", "accuracy", "valAccuracy", "lr", … */
export type Logs = Record<string, number>;
