import { fail } from "../../core/errors";
import type { Optimizer } from "../optimizer";
import { exponentialGamma, stepDecay } from "../schedules/decay";
import { checkPositive, checkPositiveInteger } from "../validate";
import { LRScheduler } from "./lr-scheduler";

/**
 * Multiplies the lr by gamma every stepSize epochs (torch.optim.lr_scheduler.StepLR):
 *
 *   lr = baseLr·gamma^⌊lastEpoch / stepSize⌋
 *
 * Defaults: gamma 0.1. Example: new StepLR(opt, { stepSize: 30, gamma: 0.1 }).
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
    const { stepSize, gamma = 0.1 } = options;
    checkPositiveInteger(this.name, "stepSize", stepSize);
    checkPositive(this.name, "gamma", gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((baseLr) => stepDecay(baseLr, this.lastEpoch, { stepSize: this.stepSize, gamma: this.gamma }));
  }

  protected override chainFactor(): number {
    return this.lastEpoch % this.stepSize === 0 ? this.gamma : 1;
  }
}

/**
 * Multiplies the lr by gamma at each milestone epoch (torch.optim.lr_scheduler.MultiStepLR):
 *
 *   lr = baseLr·gamma^(number of milestones ≤ lastEpoch)
 *
 * A milestone listed twice counts twice. Defaults: gamma 0.1.
 * Example: new MultiStepLR(opt, { milestones: [30, 80] }).
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: readonly number[];
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { milestones: readonly number[]; gamma?: number }) {
    super(optimizer);
    const { milestones, gamma = 0.1 } = options;
    if (!Array.isArray(milestones) || milestones.some((m) => !Number.isInteger(m) || m < 0)) {
      fail(this.name, `milestones must be a list of integer epochs ≥ 0, got ${String(milestones)}`);
    }
    checkPositive(this.name, "gamma", gamma);
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((baseLr) => baseLr * this.gamma ** passed);
  }

  protected override chainFactor(): number {
    return this.gamma ** this.milestones.filter((m) => m === this.lastEpoch).length;
  }
}

/**
 * Multiplies the lr by gamma every epoch (torch.optim.lr_scheduler.ExponentialLR):
 *
 *   lr = baseLr·gamma^lastEpoch
 *
 * gamma > 1 grows the lr, which is how an lr range test sweeps.
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { gamma: number }) {
    super(optimizer);
    checkPositive(this.name, "gamma", options.gamma);
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((baseLr) => exponentialGamma(baseLr, this.lastEpoch, this.gamma));
  }

  protected override chainFactor(): number {
    return this.gamma;
  }
}
