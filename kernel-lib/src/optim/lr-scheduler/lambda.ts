import { fail } from "../../core/errors";
import type { Optimizer } from "../optimizer";
import { LRScheduler } from "./lr-scheduler";

/** A function of the epoch giving a factor (LambdaLR: of the base lr; MultiplicativeLR: of the previous lr). */
export type LrLambda = (epoch: number) => number;

function lambdasFor(op: string, lrLambda: LrLambda | readonly LrLambda[], groups: number): LrLambda[] {
  const lambdas = typeof lrLambda === "function" ? new Array<LrLambda>(groups).fill(lrLambda) : [...lrLambda];
  if (lambdas.length !== groups) fail(op, `Expected ${groups} lrLambdas (one per parameter group), but got ${lambdas.length}`);
  if (lambdas.some((f) => typeof f !== "function")) fail(op, "lrLambda must be a function of the epoch (or one per parameter group)");
  return lambdas;
}

/**
 * Sets the lr to the base lr times a factor of the epoch (torch.optim.lr_scheduler.LambdaLR):
 *
 *   lr = baseLr·lrLambda(lastEpoch)
 *
 * The most general closed-form schedule: any function in `optim.schedules`
 * fits, e.g. { lrLambda: (e) => schedules.cosine(1, e, 100) }. Pass an array
 * for one function per parameter group.
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: readonly LrLambda[];

  constructor(optimizer: Optimizer, options: { lrLambda: LrLambda | readonly LrLambda[] }) {
    super(optimizer);
    this.lrLambdas = lambdasFor(this.name, options.lrLambda, optimizer.paramGroups.length);
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((baseLr, i) => baseLr * this.lrLambdas[i](this.lastEpoch));
  }

  /** Any function of the epoch: it cannot be rescaled step by step, so it does not chain. */
  protected override chaining(): "closed" {
    return "closed";
  }
}

/**
 * Multiplies the current lr by a factor of the epoch (torch.optim.lr_scheduler.MultiplicativeLR):
 *
 *   lr ← lr·lrLambda(lastEpoch)      for lastEpoch > 0 (epoch 0 keeps the group's lr)
 *
 * so lr = baseLr·∏_{i=1..lastEpoch} lrLambda(i). Unlike the closed-form
 * schedulers it reads `group.lr`, so it composes with changes made by others.
 */
export class MultiplicativeLR extends LRScheduler {
  readonly lrLambdas: readonly LrLambda[];

  constructor(optimizer: Optimizer, options: { lrLambda: LrLambda | readonly LrLambda[] }) {
    super(optimizer);
    this.lrLambdas = lambdasFor(this.name, options.lrLambda, optimizer.paramGroups.length);
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.optimizer.paramGroups.map((group, i) => (this.lastEpoch > 0 ? group.lr * this.lrLambdas[i](this.lastEpoch) : group.lr));
  }

  protected override chaining(): "recursive" {
    return "recursive";
  }
}
