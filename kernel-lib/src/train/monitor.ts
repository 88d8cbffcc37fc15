import type { Module } from "../nn/module";
import type { Tensor } from "../tensor";
import { type ActivationStats, activationStats } from "../diagnostics/activations";
import { type NormRow, layerGradientNorms } from "../diagnostics/gradients";
import { findNonFinite, type NonFiniteReport } from "../diagnostics/non-finite";
import type { Callback, TrainContext } from "./callbacks";

/** What the monitor recorded at the end of one epoch. */
export interface MonitorRecord {
  epoch: number;
  /** ‖grad‖ per layer on the epoch's last batch. */
  gradientNorms: NormRow[];
  /** ‖Δw‖/‖w‖ per parameter over the epoch's last optimizer step. */
  updateRatios: NormRow[];
  /** Per-layer output statistics on the probe batch (eval mode), when a probe was given. */
  activations: ActivationStats[];
  /** The first non-finite parameter or gradient, if any. */
  nonFinite: NonFiniteReport | null;
}

/**
 * A callback that watches the inside of the network while it trains
 * (lessons 1, 3, 10): per-layer gradient norms, weight/update ratios, and
 * activation statistics on a fixed probe batch, once per epoch. The records
 * feed the charts and the "training doctor".
 */
export class Monitor implements Callback {
  readonly records: MonitorRecord[] = [];
  private snapshot: Map<string, Float32Array | Float64Array | Int32Array> | null = null;
  private pending: NormRow[] = [];

  constructor(private readonly options: { probe?: Tensor; sample?: number } = {}) {}

  onBatchEnd(ctx: TrainContext, logs: { batch: number }): void {
    const model = ctx.model as unknown as Module;
    // Keep the weights after the second-to-last step, to measure the last step's update.
    if (logs.batch === ctx.stepsPerEpoch - 2) {
      this.snapshot = new Map(model.namedParameters().map(([n, p]) => [n, p.data.slice()]));
    }
    if (logs.batch === ctx.stepsPerEpoch - 1) this.pending = layerGradientNorms(model);
  }

  onEpochEnd(ctx: TrainContext): void {
    const model = ctx.model as unknown as Module;
    const updateRatios: NormRow[] = [];
    if (this.snapshot) {
      for (const [name, p] of model.namedParameters()) {
        const before = this.snapshot.get(name);
        if (!before) continue;
        let d = 0, w = 0;
        for (let i = 0; i < before.length; i++) {
          d += (p.data[i] - before[i]) ** 2;
          w += p.data[i] ** 2;
        }
        updateRatios.push({ name, norm: w === 0 ? 0 : Math.sqrt(d / w) });
      }
    }
    let activations: ActivationStats[] = [];
    if (this.options.probe) {
      const wasTraining = model.training;
      model.eval();
      activations = activationStats(model, this.options.probe, { sample: this.options.sample ?? 0 });
      model.train(wasTraining);
    }
    this.records.push({ epoch: ctx.epoch, gradientNorms: this.pending, updateRatios, activations, nonFinite: findNonFinite(model) });
    this.snapshot = null;
    this.pending = [];
  }
}
