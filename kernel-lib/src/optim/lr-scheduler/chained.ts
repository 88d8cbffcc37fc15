import { fail } from "../../core/errors";
import type { Optimizer } from "../optimizer";
import { LRScheduler, type SchedulerStateDict, loadWrappedStates } from "./lr-scheduler";

/**
 * Steps several schedulers together, every epoch (torch.optim.lr_scheduler.ChainedScheduler):
 *
 *   new ChainedScheduler([new ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })])
 *
 * The lr is the product of their factors (0.1·0.9^t for t < 2, then 0.9^t):
 * each chainable scheduler scales the lr it finds by its own change (see
 * `LRScheduler.chaining`). Calling each scheduler's `step()` yourself gives
 * the same result; this only saves the loop. Schedules that are functions of
 * the epoch alone (LambdaLR, OneCycleLR, CyclicLR, warm restarts) refuse to
 * chain; run those one after another with SequentialLR.
 */
export class ChainedScheduler extends LRScheduler {
  readonly schedulers: readonly LRScheduler[];

  constructor(schedulers: readonly LRScheduler[], optimizer: Optimizer | undefined = schedulers[0]?.optimizer) {
    if (schedulers.length === 0 || optimizer === undefined) fail("ChainedScheduler", "expects at least one scheduler");
    super(optimizer);
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) fail(this.name, `scheduler ${i} (${s.name}) is bound to a different optimizer than scheduler 0`);
    });
    this.schedulers = [...schedulers];
    this.lastEpoch = 0;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  override step(): void {
    this.lastEpoch += 1;
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  protected getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(dict: SchedulerStateDict): void {
    super.loadStateDict(dict);
    loadWrappedStates(this.name, this.schedulers, dict.schedulers);
  }
}
