import { fail } from "../core/errors";
import type { Tensor } from "../tensor";
import type { History } from "./history";
import type { Logs, OptimizerLike, SchedulerLike, TrainableModel } from "./types";

/** What callbacks see and may change while `fit` runs. */
export interface TrainContext {
  readonly model: TrainableModel;
  readonly optimizer: OptimizerLike;
  readonly history: History;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** 0-based epoch in progress. */
  epoch: number;
  /** Optimizer steps taken so far in the whole run. */
  globalStep: number;
  /** Set to true (e.g. by EarlyStopping) to end training after this epoch. */
  stopTraining: boolean;
}

/** Hooks into the training loop, in the manner of Keras callbacks. Implement only what you need. */
export interface Callback {
  onTrainBegin?(ctx: TrainContext): void;
  onEpochBegin?(ctx: TrainContext): void;
  /** After each optimizer step; `logs` holds the batch's loss and size. */
  onBatchEnd?(ctx: TrainContext, logs: { batch: number; loss: number; size: number }): void;
  /** After validation; callbacks may add entries to `logs` (they are recorded in the history). */
  onEpochEnd?(ctx: TrainContext, logs: Logs): void;
  onTrainEnd?(ctx: TrainContext): void;
}

export interface EarlyStoppingOptions {
  /** Quantity to watch (default "valLoss"; falls back to "loss" when there is no validation set). */
  monitor?: string;
  /** "min" for losses, "max" for accuracies; "auto" decides from the name. */
  mode?: "min" | "max" | "auto";
  /** Epochs without improvement to wait before stopping. */
  patience?: number;
  /** An improvement must beat the best value by more than this. */
  minDelta?: number;
  /** Put back the weights of the best epoch when training ends (through the state dict). */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when the monitored quantity has not improved by more than
 * `minDelta` for `patience` epochs (lesson 8). With `restoreBestWeights`, the
 * model ends with the weights of its best epoch, not its last.
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly mode: "min" | "max";
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBestWeights: boolean;
  best = NaN;
  bestEpoch = -1;
  wait = 0;
  private bestState: Record<string, Tensor> | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? "valLoss";
    const mode = options.mode ?? "auto";
    this.mode = mode === "auto" ? (/acc|auc|precision|recall|f1/i.test(this.monitor) ? "max" : "min") : mode;
    this.patience = options.patience ?? 0;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    if (!Number.isInteger(this.patience) || this.patience < 0) fail("EarlyStopping", `Invalid patience: ${options.patience} (must be an integer ≥ 0)`);
    if (!Number.isFinite(this.minDelta)) fail("EarlyStopping", `Invalid minDelta: ${options.minDelta}`);
  }

  onTrainBegin(): void {
    this.best = NaN;
    this.bestEpoch = -1;
    this.wait = 0;
    this.bestState = null;
  }

  onEpochEnd(ctx: TrainContext, logs: Logs): void {
    const key = this.monitor in logs ? this.monitor : this.monitor === "valLoss" && "loss" in logs ? "loss" : null;
    if (key === null) fail("EarlyStopping", `monitored quantity "${this.monitor}" is not in the logs (${Object.keys(logs).join(", ")}); pass validation data or another monitor`);
    const value = logs[key];
    if (this.improves(value)) {
      this.best = value;
      this.bestEpoch = ctx.epoch;
      this.wait = 0;
      if (this.restoreBestWeights) this.bestState = ctx.model.stateDict();
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      ctx.stopTraining = true;
      ctx.history.stoppedEpoch = ctx.epoch;
    }
  }

  onTrainEnd(ctx: TrainContext): void {
    ctx.history.bestEpoch = this.bestEpoch;
    if (this.restoreBestWeights && this.bestState !== null) ctx.model.loadStateDict(this.bestState);
  }

  private improves(value: number): boolean {
    if (Number.isNaN(value)) return false;
    if (Number.isNaN(this.best)) return true;
    return this.mode === "min" ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }
}

/**
 * Steps an LR scheduler once per epoch (the default, as most torch schedulers
 * expect) or once per batch (OneCycleLR, warmup in steps). With `monitor`,
 * the scheduler receives that logged value (ReduceLROnPlateau).
 */
export class LRSchedulerCallback implements Callback {
  constructor(
    readonly scheduler: SchedulerLike,
    readonly options: { interval?: "epoch" | "batch"; monitor?: string } = {},
  ) {}

  onBatchEnd(): void {
    if (this.options.interval === "batch") this.scheduler.step();
  }

  onEpochEnd(_ctx: TrainContext, logs: Logs): void {
    if (this.options.interval === "batch") return;
    const monitor = this.options.monitor;
    if (monitor === undefined) {
      this.scheduler.step();
      return;
    }
    const key = monitor in logs ? monitor : monitor === "valLoss" ? "loss" : monitor;
    if (!(key in logs)) fail("LRSchedulerCallback", `monitored quantity "${monitor}" is not in the logs (${Object.keys(logs).join(", ")})`);
    this.scheduler.step(logs[key]);
  }
}

/** Prints one line per epoch (Keras's verbose=1 summary), to `log` (console.log by default). */
export class EpochLogger implements Callback {
  private started = 0;
  constructor(private readonly log: (line: string) => void = console.log) {}

  onEpochBegin(): void {
    this.started = Date.now();
  }

  onEpochEnd(ctx: TrainContext, logs: Logs): void {
    const parts = Object.entries(logs)
      .filter(([k]) => k !== "epoch")
      .map(([k, v]) => `${k} ${k === "lr" ? v.toExponential(2) : v.toFixed(4)}`);
    const width = String(ctx.epochs).length;
    this.log(`epoch ${String(ctx.epoch + 1).padStart(width)}/${ctx.epochs}  ${parts.join("  ")}  (${((Date.now() - this.started) / 1000).toFixed(1)} s)`);
  }
}
