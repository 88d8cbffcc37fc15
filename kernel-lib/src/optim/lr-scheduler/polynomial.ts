import type { Optimizer } from "../optimizer";
import { checkPositive, checkPositiveInteger } from "../validate";
import { LRScheduler } from "./lr-scheduler";

/**
 * Decays the lr polynomially to 0 over totalIters epochs, then keeps 0
 * (torch.optim.lr_scheduler.PolynomialLR):
 *
 *   lr = baseLr·(1 − min(lastEpoch, totalIters)/totalIters)^power
 *
 * power 1 is a linear decay to 0. Defaults: totalIters 5, power 1.
 */
export class PolynomialLR extends LRScheduler {
  readonly totalIters: number;
  readonly power: number;

  constructor(optimizer: Optimizer, options: { totalIters?: number; power?: number } = {}) {
    super(optimizer);
    const { totalIters = 5, power = 1 } = options;
    checkPositiveInteger(this.name, "totalIters", totalIters);
    checkPositive(this.name, "power", power);
    this.totalIters = totalIters;
    this.power = power;
    this.initialStep();
  }

  protected getLr(): number[] {
    const remaining = 1 - Math.min(this.lastEpoch, this.totalIters) / this.totalIters;
    return this.baseLrs.map((baseLr) => baseLr * remaining ** this.power);
  }
}
