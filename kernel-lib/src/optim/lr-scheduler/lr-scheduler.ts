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

  /**
   * How a step combines with a change someone else (another scheduler, or
   * your own code) made to a group's lr since this scheduler last set it:
   * - "chainable": scale the lr it finds by this schedule's own change, as
   *   PyTorch's chainable forms do, so two schedulers stepped together
   *   multiply (StepLR + ExponentialLR = baseLr·γ₁^⌊t/s⌋·γ₂^t);
   * - "recursive": `getLr()` already reads `group.lr` (MultiplicativeLR);
   * - "closed": the lr is a function of the epoch alone (OneCycleLR, CyclicLR,
   *   LambdaLR…): combining is refused with an error, since overwriting the
   *   other change would lose it silently.
   */
  protected chaining(): "chainable" | "recursive" | "closed" {
    return "chainable";
  }

  /**
   * The value a chainable schedule scales towards (CosineAnnealingLR's etaMin):
   * a chained step maps lr to floor + (lr − floor)·(next − floor)/(prev − floor).
   */
  protected chainFloor(): number {
    return 0;
  }

  /**
   * A chainable schedule's multiplier for this step, where it has an exact
   * one (StepLR: gamma at each boundary, 1 elsewhere); null to use the ratio of
   * the closed form at this epoch and the last.
   */
  protected chainFactor(): number | null {
    return null;
  }

  /** Moves the schedule on by one epoch (or batch) and writes the new lr into every group. */
  step(): void {
    this.lastEpoch += 1;
    const next = this.getLr();
    let previous: number[] | null = null; // the schedule's own values one epoch back, computed only if a chained step needs them
    const previousLr = (i: number): number => (previous ??= this.closedLrAt(this.lastEpoch - 1))[i];
    this.write(this.optimizer.paramGroups.map((group, i) => this.combine(group.lr, i, next[i], previousLr)));
  }

  /** Sets the schedule back to its epoch 0 and writes that lr, whatever the groups hold (SequentialLR's switch). */
  restart(): void {
    this.lastEpoch = 0;
    this.write(this.getLr());
  }

  private write(lrs: number[]): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = lrs[i];
    });
    this.lastLr = lrs;
  }

  /** This step's lr for group i, given the lr `current` found there and the schedule's own `next` value. */
  private combine(current: number, i: number, next: number, previousLr: (i: number) => number): number {
    const mode = this.chaining();
    if (mode === "recursive") return next;
    const first = this.lastEpoch === 0;
    if (mode === "closed") {
      if (first || current === this.lastLr[i]) return next;
      fail(
        this.name,
        `the lr of parameter group ${i} was changed to ${current} since ${this.name} set it to ${this.lastLr[i]} ` +
          `(another scheduler stepped on the same optimizer, or code set group.lr). ${this.name} computes the lr from the epoch ` +
          `alone and would erase that change. To run schedules one after another use SequentialLR; to apply several at once, ` +
          `use ChainedScheduler with chainable schedulers (StepLR, MultiStepLR, ExponentialLR, MultiplicativeLR, LinearLR, ` +
          `ConstantLR, PolynomialLR, CosineAnnealingLR)`,
      );
    }
    // Chainable: scale what is there by this schedule's own change, always (as PyTorch's
    // recursive forms do), so that a change made by someone else is kept whenever it happened.
    if (first && current === this.baseLrs[i]) return next;
    const factor = first ? null : this.chainFactor();
    if (factor !== null) return current * factor;
    const prev = first ? this.baseLrs[i] : previousLr(i);
    if (next === prev) return current; // a flat stretch of the schedule leaves whatever is there untouched
    const floor = this.chainFloor();
    // A schedule sitting exactly at its floor has no ratio to scale by: move by its difference instead (PyTorch's cosine does the same).
    return prev === floor ? current + (next - prev) : floor + ((current - floor) * (next - floor)) / (prev - floor);
  }

  /** The schedule's own value at `epoch` (chainable schedules' getLr is a pure function of lastEpoch). */
  private closedLrAt(epoch: number): number[] {
    const saved = this.lastEpoch;
    this.lastEpoch = epoch;
    try {
      return this.getLr();
    } finally {
      this.lastEpoch = saved;
    }
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

/** Restores the schedulers a wrapper (SequentialLR, ChainedScheduler) holds, one saved state each. */
export function loadWrappedStates(op: string, schedulers: readonly LRScheduler[], saved: readonly SchedulerStateDict[] = []): void {
  if (saved.length !== schedulers.length) fail(op, `loaded state has ${saved.length} schedulers, this one wraps ${schedulers.length}`);
  schedulers.forEach((s, i) => s.loadStateDict(saved[i]));
}
