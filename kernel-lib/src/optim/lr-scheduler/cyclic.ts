import { fail } from "../../core/errors";
import type { Optimizer } from "../optimizer";
import { checkOneOf, checkPositive, checkPositiveInteger } from "../validate";
import { LRScheduler, perGroup } from "./lr-scheduler";
import { momentumSetter } from "./momentum-cycling";

export type CyclicMode = "triangular" | "triangular2" | "expRange";

export interface CyclicLROptions {
  /** The low end of the cycle, one value or one per group; it replaces each group's lr. */
  baseLr: number | readonly number[];
  /** The high end of the cycle (before the mode's scaling). */
  maxLr: number | readonly number[];
  /** Steps from baseLr up to maxLr. Default 2000. */
  stepSizeUp?: number;
  /** Steps back down. Default stepSizeUp. */
  stepSizeDown?: number;
  /** "triangular": constant amplitude; "triangular2": halved every cycle; "expRange": times gamma^step. Default "triangular". */
  mode?: CyclicMode;
  /** expRange's decay per step. Default 1. */
  gamma?: number;
  /** Cycle momentum (SGD's momentum or Adam's beta1) between maxMomentum and baseMomentum, opposite to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak. Default 0.8. */
  baseMomentum?: number | readonly number[];
  /** Momentum at the lr's low points. Default 0.9. */
  maxMomentum?: number | readonly number[];
}

/**
 * Cyclical learning rates (Smith, 2017, "Cyclical Learning Rates for Training
 * Neural Networks"; torch.optim.lr_scheduler.CyclicLR); step it after every batch.
 * The lr moves linearly between baseLr and maxLr in cycles of
 * stepSizeUp + stepSizeDown steps:
 *
 *   cycle = ⌊1 + t/size⌋,  x = 1 + t/size − cycle ∈ [0, 1)
 *   s = x/r if x ≤ r else (x − 1)/(r − 1)        (r = stepSizeUp/size: the rising fraction)
 *   lr = baseLr + (maxLr − baseLr)·s·scale,  scale = 1 | 1/2^(cycle−1) | gamma^t  (by mode)
 *
 * With cycleMomentum the momentum moves the opposite way, from maxMomentum
 * down to baseMomentum at the peak, written into SGD's `momentum` or Adam's `betas[0]`.
 */
export class CyclicLR extends LRScheduler {
  readonly maxLrs: readonly number[];
  readonly totalSize: number;
  readonly stepRatio: number;
  readonly mode: CyclicMode;
  readonly gamma: number;
  readonly cycleMomentum: boolean;
  private readonly baseMomentums: readonly number[];
  private readonly maxMomentums: readonly number[];
  private readonly setMomentum: ((groupIndex: number, momentum: number) => void) | null;

  constructor(optimizer: Optimizer, options: CyclicLROptions) {
    const op = "CyclicLR";
    const n = optimizer.paramGroups.length;
    const { stepSizeUp = 2000, mode = "triangular", gamma = 1, cycleMomentum = true } = options;
    const stepSizeDown = options.stepSizeDown ?? stepSizeUp;
    const baseLrs = perGroup(op, "baseLr", options.baseLr, n);
    const maxLrs = perGroup(op, "maxLr", options.maxLr, n);
    baseLrs.forEach((lr, i) => {
      checkPositive(op, "baseLr", lr);
      if (!(maxLrs[i] >= lr)) fail(op, `maxLr (${maxLrs[i]}) must be ≥ baseLr (${lr})`);
    });
    checkPositiveInteger(op, "stepSizeUp", stepSizeUp);
    checkPositiveInteger(op, "stepSizeDown", stepSizeDown);
    checkOneOf(op, "mode", mode, ["triangular", "triangular2", "expRange"]);
    checkPositive(op, "gamma", gamma);
    const setMomentum = cycleMomentum ? momentumSetter(op, optimizer) : null;
    // The cycle starts at baseLr, so it must be the recorded base before super() reads it.
    optimizer.paramGroups.forEach((group, i) => {
      group.initialLr = baseLrs[i];
      group.lr = baseLrs[i];
    });
    super(optimizer);
    this.maxLrs = maxLrs;
    this.totalSize = stepSizeUp + stepSizeDown;
    this.stepRatio = stepSizeUp / this.totalSize;
    this.mode = mode;
    this.gamma = gamma;
    this.cycleMomentum = cycleMomentum;
    this.baseMomentums = perGroup(op, "baseMomentum", options.baseMomentum ?? 0.8, n);
    this.maxMomentums = perGroup(op, "maxMomentum", options.maxMomentum ?? 0.9, n);
    this.setMomentum = setMomentum;
    this.initialStep();
  }

  /** Where step t is: s ∈ [0, 1] (0 at baseLr, 1 at the peak) and the mode's amplitude scale. */
  private position(t: number): { s: number; scale: number } {
    const cycle = Math.floor(1 + t / this.totalSize);
    const x = 1 + t / this.totalSize - cycle;
    const s = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.mode === "triangular" ? 1 : this.mode === "triangular2" ? 1 / 2 ** (cycle - 1) : this.gamma ** t;
    return { s, scale };
  }

  protected getLr(): number[] {
    const { s, scale } = this.position(this.lastEpoch);
    this.maxMomentums.forEach((max, i) => this.setMomentum?.(i, max - (max - this.baseMomentums[i]) * s * scale));
    return this.baseLrs.map((baseLr, i) => baseLr + (this.maxLrs[i] - baseLr) * s * scale);
  }

  /** A function of the step alone that also sets momentum: it does not chain. */
  protected override chaining(): "closed" {
    return "closed";
  }
}
