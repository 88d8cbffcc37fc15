import { fail } from "../core/errors";
import { Generator, defaultGenerator, manualSeed } from "../core/random";
import { noGrad } from "../autograd/grad-mode";
import type { Tensor } from "../tensor";
import { add } from "../ops/elementwise";
import { concat } from "../ops/indexing";
import { clipGradNorm_ } from "../regularization/clip";
import { type Callback, LRSchedulerCallback, EpochLogger, type TrainContext } from "./callbacks";
import { History } from "./history";
import { progressCallback, type ProgressMode } from "./live-progress";
import { ReduceLROnPlateau } from "../optim/lr-scheduler/plateau";
import { resolveMetrics } from "./metrics";
import { DataLoader } from "../data/dataloader";
import { TensorDataset } from "../data/dataset";
import type { Logs, LossFn, MetricFn, OptimizerLike, SchedulerLike, Split, TrainableModel } from "./types";
import { checkPositiveInteger } from "../core/validate";

export interface FitOptions {
  optimizer: OptimizerLike;
  /** (yHat, y) → scalar loss, e.g. F.crossEntropy. */
  loss: LossFn;
  epochs: number;
  batchSize?: number;
  /** Reshuffle the training set every epoch (default true). */
  shuffle?: boolean;
  /** Seeds the run: `manualSeed(seed)` (dropout and other default-generator draws) and the shuffling order. */
  seed?: number;
  /** The generator for the shuffling order (overrides the one derived from `seed`). */
  generator?: Generator;
  /** Evaluated after every epoch: adds valLoss and val<Metric> to the logs. */
  validation?: Split;
  /** ["accuracy"] or { name: (yHat, y) => number }. */
  metrics?: readonly string[] | Record<string, MetricFn>;
  scheduler?: SchedulerLike;
  /** When the scheduler steps: "epoch" (default) or "batch" (OneCycleLR, warmup in steps). */
  schedulerInterval?: "epoch" | "batch";
  /** Logged quantity passed to `scheduler.step(value)`; "valLoss" by default for ReduceLROnPlateau. */
  schedulerMonitor?: string;
  callbacks?: Callback[];
  /** Clip the global gradient norm to this value before every step. */
  clipGradNorm?: number;
  /** Extra term added to the loss, e.g. () => l2Penalty(weights, 1e-4). */
  penalty?: () => Tensor;
  /** Print one line per epoch. */
  verbose?: boolean;
  /**
   * Progress display (see `LiveProgress`): "auto" (default) = inside a notebook kernel, a live
   * display updated in place once the run has lasted AUTO_DELAY_MS (2 s), nothing elsewhere;
   * "live" (from the start); "bar" (terminal bar on stderr);
   * "epochs" (one line per epoch on stderr); "none".
   */
  progress?: ProgressMode;
}

/**
 * Trains `model` on `train` for `epochs` epochs of mini-batch gradient
 * descent and returns the per-epoch history (Keras's `model.fit`):
 *
 *   for each batch:  zeroGrad → yHat = model(x) → loss → backward → [clip] → step
 *   after each epoch: validation (eval mode, no grad) → callbacks → scheduler
 *
 * Modes are switched for you: train() for the batches, eval() for validation
 * (forgetting this is a classic bug: dropout stays on, batch norm keeps
 * updating its statistics). The model is left in eval mode.
 * A NaN or infinite loss stops training and sets `history.diverged`.
 */
export function fit(model: TrainableModel, train: Split | DataLoader, options: FitOptions): History & { diverged: boolean } {
  const { optimizer, loss } = options;
  const epochs = options.epochs;
  const batchSize = options.batchSize ?? 32;
  checkPositiveInteger("fit", "epochs", epochs);
  checkPositiveInteger("fit", "batchSize", batchSize);
  // A seed makes the whole run repeatable: the shuffling order and everything
  // that draws from the default generator during training (dropout).
  if (options.seed !== undefined) manualSeed(options.seed);
  const generator = options.generator ?? (options.seed !== undefined ? new Generator(options.seed + 1) : defaultGenerator);
  const loader = train instanceof DataLoader ? train : batchesOf(train, batchSize, options.shuffle ?? true, generator);
  const metrics = resolveMetrics(options.metrics);

  const callbacks = [...(options.callbacks ?? [])];
  if (options.scheduler) {
    // ReduceLROnPlateau reacts to a monitored value: the validation loss unless told otherwise.
    const monitor = options.schedulerMonitor ?? (options.scheduler instanceof ReduceLROnPlateau ? "valLoss" : undefined);
    callbacks.push(new LRSchedulerCallback(options.scheduler, { interval: options.schedulerInterval, monitor }));
  }
  if (options.verbose) callbacks.push(new EpochLogger());
  const progress = progressCallback(options.progress ?? "auto", callbacks);
  if (progress) callbacks.push(progress);

  const history = Object.assign(new History(), { diverged: false });
  const ctx: TrainContext = {
    model, optimizer, history, epochs,
    stepsPerEpoch: loader.length,
    epoch: 0, globalStep: 0, stopTraining: false,
  };
  callbacks.forEach((c) => c.onTrainBegin?.(ctx));
  for (let epoch = 0; epoch < epochs && !ctx.stopTraining; epoch++) {
    ctx.epoch = epoch;
    model.train();
    callbacks.forEach((c) => c.onEpochBegin?.(ctx));
    const lr = optimizer.paramGroups[0]?.lr ?? NaN; // the rate used during this epoch
    const totals = new RunningMeans();
    let batch = 0;
    for (const [x, y] of loader) {
      optimizer.zeroGrad();
      const yHat = model.call(x);
      let objective = loss(yHat, y);
      if (options.penalty) objective = add(objective, options.penalty());
      const value = objective.item();
      if (!Number.isFinite(value)) {
        history.diverged = true;
        ctx.stopTraining = true;
        totals.add("loss", value, x.shape[0]);
        break;
      }
      objective.backward();
      if (options.clipGradNorm !== undefined) clipGradNorm_(model.parameters(), options.clipGradNorm);
      optimizer.step();
      totals.add("loss", value, x.shape[0]);
      noGrad(() => {
        for (const [name, fn] of Object.entries(metrics)) totals.add(name, fn(yHat, y), x.shape[0]);
      });
      ctx.globalStep++;
      callbacks.forEach((c) => c.onBatchEnd?.(ctx, { batch, loss: value, size: x.shape[0] }));
      batch++;
    }
    const logs: Logs = { ...totals.means(), lr };
    if (options.validation && !history.diverged) {
      const val = evaluate(model, options.validation, { loss, metrics, batchSize });
      for (const [k, v] of Object.entries(val)) logs[`val${k[0].toUpperCase()}${k.slice(1)}`] = v;
    }
    callbacks.forEach((c) => c.onEpochEnd?.(ctx, logs));
    history.record(logs);
  }
  callbacks.forEach((c) => c.onTrainEnd?.(ctx));
  model.eval();
  return history;
}

export interface EvaluateOptions {
  loss?: LossFn;
  metrics?: readonly string[] | Record<string, MetricFn>;
  batchSize?: number;
}

/** Loss and metrics on a data split, in eval mode and without recording gradients; restores the previous mode. */
export function evaluate(model: TrainableModel, split: Split, options: EvaluateOptions = {}): Logs {
  const metrics = resolveMetrics(options.metrics);
  const totals = new RunningMeans();
  withEvalMode(model, () => {
    for (const [x, y] of batchesOf(split, options.batchSize ?? 256, false)) {
      const yHat = model.call(x);
      if (options.loss) totals.add("loss", options.loss(yHat, y).item(), x.shape[0]);
      for (const [name, fn] of Object.entries(metrics)) totals.add(name, fn(yHat, y), x.shape[0]);
    }
  });
  return totals.means();
}

/** The model's outputs for every row of `x`, computed in batches in eval mode. */
export function predict(model: TrainableModel, x: Tensor, options: { batchSize?: number } = {}): Tensor {
  const batchSize = options.batchSize ?? 256;
  const outputs: Tensor[] = [];
  withEvalMode(model, () => {
    for (let start = 0; start < x.shape[0]; start += batchSize) {
      outputs.push(model.call(x.slice(0, start, start + batchSize)));
    }
  });
  if (outputs.length === 0) fail("predict", "x has no rows");
  return outputs.length === 1 ? outputs[0] : concat(outputs, 0);
}

function withEvalMode(model: TrainableModel, fn: () => void): void {
  const wasTraining = model.training;
  model.eval();
  try {
    noGrad(fn);
  } finally {
    model.train(wasTraining);
  }
}

/** Sample-weighted means of per-batch numbers. */
class RunningMeans {
  private sums = new Map<string, { total: number; count: number }>();
  add(name: string, value: number, weight: number): void {
    const s = this.sums.get(name) ?? { total: 0, count: 0 };
    s.total += value * weight;
    s.count += weight;
    this.sums.set(name, s);
  }
  means(): Logs {
    const out: Logs = {};
    for (const [k, { total, count }] of this.sums) out[k] = total / count;
    return out;
  }
}

/** A loader over a split: seeded shuffling when training, in order when evaluating. */
export function batchesOf(split: Split, batchSize: number, shuffle: boolean, generator?: Generator): DataLoader {
  return new DataLoader(new TensorDataset(split.x, split.y), { batchSize, shuffle, generator });
}
