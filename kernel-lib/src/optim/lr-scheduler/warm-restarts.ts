import type { Optimizer } from "../optimizer";
import { checkNonNegative, checkPositiveInteger } from "../validate";
import { LRScheduler } from "./lr-scheduler";

/**
 * Cosine annealing with warm restarts, SGDR (Loshchilov & Hutter, 2017;
 * torch.optim.lr_scheduler.CosineAnnealingWarmRestarts):
 *
 *   lr = etaMin + ½·(baseLr − etaMin)·(1 + cos(π·tCur / tI))
 *
 * where tCur counts epochs since the last restart and the i-th cycle lasts
 * tI = t0·tMult^i epochs: after each cycle the lr jumps back to baseLr.
 * Defaults: tMult 1, etaMin 0. Example: new CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2 }).
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: { t0: number; tMult?: number; etaMin?: number }) {
    super(optimizer);
    const { t0, tMult = 1, etaMin = 0 } = options;
    checkPositiveInteger(this.name, "t0", t0);
    checkPositiveInteger(this.name, "tMult", tMult);
    checkNonNegative(this.name, "etaMin", etaMin);
    this.t0 = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    this.initialStep();
  }

  /** Where `epoch` falls: epochs since the last restart, and the current cycle's length. */
  cyclePosition(epoch: number): { tCur: number; tI: number } {
    if (this.tMult === 1) return { tCur: epoch % this.t0, tI: this.t0 };
    let tCur = epoch;
    let tI = this.t0;
    while (tCur >= tI) {
      tCur -= tI;
      tI *= this.tMult;
    }
    return { tCur, tI };
  }

  protected getLr(): number[] {
    const { tCur, tI } = this.cyclePosition(this.lastEpoch);
    const cos = Math.cos((Math.PI * tCur) / tI);
    return this.baseLrs.map((baseLr) => this.etaMin + 0.5 * (baseLr - this.etaMin) * (1 + cos));
  }

  /** Restarts jump back up: a function of the epoch that does not rescale step by step. */
  protected override chaining(): "closed" {
    return "closed";
  }
}
