import type { Optimizer } from "../optimizer";
import { checkNonNegative, checkPositive } from "../validate";
import { LRScheduler } from "./lr-scheduler";

/**
 * Cosine annealing from the base lr down to etaMin over tMax epochs
 * (Loshchilov & Hutter, 2017; torch.optim.lr_scheduler.CosineAnnealingLR):
 *
 *   lr = etaMin + ½·(baseLr − etaMin)·(1 + cos(π·lastEpoch / tMax))
 *
 * Written in closed form. Chained with another scheduler on the same
 * optimizer, each step scales the distance to etaMin by the cosine's own
 * ratio, as PyTorch's recursive ("chainable") form does. Past tMax
 * the cosine continues (back up towards baseLr), as in PyTorch: set tMax to
 * the length of training. Defaults: etaMin 0. For restarts or a clamped end
 * see `optim.schedules.cosine`.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: { tMax: number; etaMin?: number }) {
    super(optimizer);
    const { tMax, etaMin = 0 } = options;
    checkPositive(this.name, "tMax", tMax);
    checkNonNegative(this.name, "etaMin", etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected override chainFloor(): number {
    return this.etaMin;
  }

  protected getLr(): number[] {
    const cos = Math.cos((Math.PI * this.lastEpoch) / this.tMax);
    return this.baseLrs.map((baseLr) => this.etaMin + 0.5 * (baseLr - this.etaMin) * (1 + cos));
  }
}
