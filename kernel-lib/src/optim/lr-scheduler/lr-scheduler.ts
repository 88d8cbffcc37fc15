import { fail } from "../../core/errors";
import type { Optimizer } from "../optimizer";

/** What a scheduler saves: where it is in its schedule. Its configuration comes from the constructor. */
export interface SchedulerStateDict {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
  /** The wrapped schedulers' states (SequentialLR). */
  schedulers?: SchedulerStateDict[];
}

/**
 * The base of the learning-rate schedulers (torch.optim.lr_scheduler.LRScheduler).
 *
 * A scheduler sets every parameter group's `lr` from the number of times it
 * has been stepped, `lastEpoch`. Construction records each group's starting
 * lr as `group.initialLr` (kept if an earlier scheduler set it) and copies it
 * into `baseLrs`, then takes the initial step, so right after construction
 * `lastEpoch` is 0 and `group.lr` holds the epoch-0 value:
 *
 *   const scheduler = new optim.lrScheduler.StepLR(opt, { stepSize: 30 });
 *   for (let epoch = 0; epoch < 100; epoch++) {
 *     train(opt);           // opt.step() for every batch
 *     scheduler.step();     // then move the schedule on, once per epoch
 *   }
 *
 * Whether an "epoch" is an epoch or a batch is the caller's choice: call
 * `step()` after each batch for per-iteration schedules (warmup, OneCycleLR).
 *
 * Subclasses implement `getLr()` for the current `lastEpoch` and call
 * `this.initialStep()` as the last line of their constructor: JavaScript
 * initializes a subclass's fields only after `super()` returns, so the base
 * constructor cannot compute the first lr itself.
 *
 * Lesson: notebooks/src/07-lr-schedules.ts §4 (attaching a schedule to an optimizer)
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  /** Each group's lr at the start of the schedule. */
  baseLrs: number[];
  /** How many times `step()` has been called since construction (0 right after it). */
  lastEpoch = -1;
  protected lastLr: number[] = [];

  constructor(optimizer: Optimizer) {
    this.optimizer = optimizer;
    for (const group of optimizer.paramGroups) group.initialLr ??= group.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
  }

  /** The class name, used in error messages. */
  get name(): string {
    return this.constructor.name;
  }

  /** Each group's learning rate at the current `lastEpoch`. */
  protected abstract getLr(): number[];

  /** The constructor's step from lastEpoch −1 to 0 (PyTorch's `_initial_step`). */
  protected initialStep(): void {
    this.step();
  }

  /** Moves the schedule on by one epoch (or batch) and writes the new lr into every group. */
  step(): void {
    this.lastEpoch += 1;
    const lrs = this.getLr();
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = lrs[i];
    });
    this.lastLr = lrs;
  }

  /** The lr of every group as set by the last `step()` (PyTorch's `get_last_lr()`). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * Where the schedule is. Restore it with `loadStateDict` on a scheduler built
   * the same way; restore the optimizer's state dict too, since that holds `lr`.
   */
  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  loadStateDict(dict: SchedulerStateDict): void {
    if (dict.baseLrs.length !== this.optimizer.paramGroups.length) {
      fail(this.name, `loaded state has ${dict.baseLrs.length} learning rates, the optimizer has ${this.optimizer.paramGroups.length} parameter groups`);
    }
    this.lastEpoch = dict.lastEpoch;
    this.baseLrs = [...dict.baseLrs];
    this.lastLr = [...dict.lastLr];
  }
}

/** One value per parameter group: a single value is used for all of them. */
export function perGroup<T>(op: string, name: string, value: T | readonly T[], groups: number): T[] {
  if (!Array.isArray(value)) return new Array<T>(groups).fill(value as T);
  if (value.length !== groups) fail(op, `expected ${groups} values of ${name} (one per parameter group), got ${value.length}`);
  return [...(value as readonly T[])];
}
