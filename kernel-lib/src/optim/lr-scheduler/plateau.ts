import { fail } from "../../core/errors";
import type { Optimizer } from "../optimizer";
import { checkEps, checkIntegerIn, checkNonNegative, invalid } from "../validate";
import { perGroup } from "./lr-scheduler";

export interface ReduceLROnPlateauOptions {
  /** "min": the metric should go down (a loss); "max": up (an accuracy). Default "min". */
  mode?: "min" | "max";
  /** The lr is multiplied by this on a plateau. Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** How much better counts as an improvement. Default 1e-4. */
  threshold?: number;
  /** "rel": better than best·(1 ∓ threshold); "abs": better than best ∓ threshold. Default "rel". */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Lower bound on the lr, one value or one per group. Default 0. */
  minLr?: number | readonly number[];
  /** A reduction smaller than eps is skipped. Default 1e-8. */
  eps?: number;
}

export interface PlateauStateDict {
  lastEpoch: number;
  lastLr: number[];
  best: number;
  numBadEpochs: number;
  cooldownCounter: number;
}

/**
 * Reduces the lr when a validation metric stops improving
 * (torch.optim.lr_scheduler.ReduceLROnPlateau). Call `step(metric)` once per
 * epoch with, e.g., the validation loss:
 *
 *   better(a)  = a < best·(1 − threshold)  (min, rel)   a < best − threshold  (min, abs)
 *                a > best·(1 + threshold)  (max, rel)   a > best + threshold  (max, abs)
 *   if better(metric): best ← metric, numBadEpochs ← 0   else numBadEpochs += 1
 *   during cooldown (cooldownCounter > 0): cooldownCounter −= 1, numBadEpochs ← 0
 *   if numBadEpochs > patience:
 *     lr ← max(lr·factor, minLr)   (skipped if it would change lr by ≤ eps)
 *     cooldownCounter ← cooldown, numBadEpochs ← 0
 *
 * So with patience p the lr drops on the (p+1)-th epoch in a row without
 * improvement. Use it when you cannot guess a schedule in advance.
 * Defaults: mode "min", factor 0.1, patience 10, threshold 1e-4, "rel",
 * cooldown 0, minLr 0, eps 1e-8.
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  readonly mode: "min" | "max";
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: "rel" | "abs";
  readonly cooldown: number;
  readonly minLrs: readonly number[];
  readonly eps: number;
  /** The best metric so far. */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    const op = "ReduceLROnPlateau";
    const { mode = "min", factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = "rel", cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    if (mode !== "min" && mode !== "max") fail(op, `mode "${String(mode)}" is unknown; use "min" or "max"`);
    if (thresholdMode !== "rel" && thresholdMode !== "abs") fail(op, `thresholdMode "${String(thresholdMode)}" is unknown; use "rel" or "abs"`);
    if (!(factor > 0 && factor < 1)) invalid(op, "factor", factor, "in (0, 1): the rate is multiplied by it");
    checkIntegerIn(op, "patience", patience, 0);
    checkIntegerIn(op, "cooldown", cooldown, 0);
    checkNonNegative(op, "threshold", threshold);
    checkEps(op, eps);
    this.minLrs = perGroup(op, "minLr", minLr, optimizer.paramGroups.length);
    this.minLrs.forEach((m) => checkNonNegative(op, "minLr", m));
    this.optimizer = optimizer;
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.eps = eps;
    this.best = mode === "min" ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Records this epoch's metric and reduces the lr if it has plateaued. */
  step(metric: number): void {
    if (typeof metric !== "number") fail("ReduceLROnPlateau", `step needs the metric as a number (e.g. loss.item()), got ${typeof metric}`);
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs right after a reduction are not held against the new lr
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Whether `a` improves on the best metric by more than the threshold (NaN never does). */
  isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === "min") return this.thresholdMode === "rel" ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === "rel" ? a > best * (1 + threshold) : a > best + threshold;
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const newLr = Math.max(group.lr * this.factor, this.minLrs[i]);
      if (group.lr - newLr > this.eps) group.lr = newLr;
    });
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): PlateauStateDict {
    const { lastEpoch, best, numBadEpochs, cooldownCounter } = this;
    return { lastEpoch, lastLr: [...this.lastLr], best, numBadEpochs, cooldownCounter };
  }

  loadStateDict(dict: PlateauStateDict): void {
    this.lastEpoch = dict.lastEpoch;
    this.lastLr = [...dict.lastLr];
    this.best = dict.best;
    this.numBadEpochs = dict.numBadEpochs;
    this.cooldownCounter = dict.cooldownCounter;
  }
}
