import type { Optimizer } from "../optimizer";
import { checkPositiveInteger, checkUnitInterval, invalid } from "../validate";
import { LRScheduler } from "./lr-scheduler";

/**
 * Scales the lr by a factor moving linearly from startFactor to endFactor over
 * totalIters epochs, then keeps endFactor (torch.optim.lr_scheduler.LinearLR):
 *
 *   lr = baseLr·(startFactor + (endFactor − startFactor)·min(lastEpoch, totalIters) / totalIters)
 *
 * The usual warmup: new LinearLR(opt, { startFactor: 0.1, totalIters: 5 }),
 * followed by a decay through SequentialLR.
 * Defaults: startFactor 1/3, endFactor 1, totalIters 5.
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer, options: { startFactor?: number; endFactor?: number; totalIters?: number } = {}) {
    super(optimizer);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    if (!(startFactor > 0 && startFactor <= 1)) invalid(this.name, "startFactor", startFactor, "in (0, 1]");
    checkUnitInterval(this.name, "endFactor", endFactor);
    checkPositiveInteger(this.name, "totalIters", totalIters);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    const progress = Math.min(this.lastEpoch, this.totalIters) / this.totalIters;
    const factor = this.startFactor + (this.endFactor - this.startFactor) * progress;
    return this.baseLrs.map((baseLr) => baseLr * factor);
  }
}

/**
 * Scales the lr by a constant factor for the first totalIters epochs, then
 * gives back the base lr (torch.optim.lr_scheduler.ConstantLR):
 *
 *   lr = baseLr·factor   for lastEpoch < totalIters,   baseLr afterwards
 *
 * A crude warmup: new ConstantLR(opt, { factor: 0.1, totalIters: 5 }).
 * Defaults: factor 1/3, totalIters 5.
 */
export class ConstantLR extends LRScheduler {
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer, options: { factor?: number; totalIters?: number } = {}) {
    super(optimizer);
    const { factor = 1 / 3, totalIters = 5 } = options;
    if (!(factor > 0 && factor <= 1)) invalid(this.name, "factor", factor, "in (0, 1]");
    checkPositiveInteger(this.name, "totalIters", totalIters);
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    const factor = this.lastEpoch < this.totalIters ? this.factor : 1;
    return this.baseLrs.map((baseLr) => baseLr * factor);
  }
}
