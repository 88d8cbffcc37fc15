import { fail } from "../../core/errors";
import type { Optimizer } from "../optimizer";
import { LRScheduler, type SchedulerStateDict, loadWrappedStates } from "./lr-scheduler";

/**
 * Runs schedulers one after another, switching at the milestone epochs
 * (torch.optim.lr_scheduler.SequentialLR). Scheduler i is in charge from
 * milestones[i−1] on; at its milestone it restarts from its own epoch 0, so
 *
 *   new SequentialLR(opt, {
 *     schedulers: [new LinearLR(opt, { startFactor: 0.1, totalIters: 5 }), new CosineAnnealingLR(opt, { tMax: 95 })],
 *     milestones: [5],
 *   })
 *
 * warms up linearly for epochs 0–4 and is a cosine over epochs 5–100 counted
 * from 0 (the same as `schedules.warmupCosine`).
 *
 * Constructing the wrapped schedulers already stepped them (each sets the lr
 * to its epoch-0 value); this constructor undoes that and replays the first
 * scheduler's initial step, exactly as PyTorch does.
 */
export class SequentialLR extends LRScheduler {
  readonly schedulers: readonly LRScheduler[];
  readonly milestones: readonly number[];

  constructor(optimizer: Optimizer, options: { schedulers: readonly LRScheduler[]; milestones: readonly number[] }) {
    super(optimizer);
    const { schedulers, milestones } = options;
    if (schedulers.length === 0) fail(this.name, "expects at least one scheduler");
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) fail(this.name, `scheduler ${i} (${s.name}) is bound to a different optimizer than the one given`);
    });
    if (milestones.length !== schedulers.length - 1) {
      fail(this.name, `expects one milestone fewer than schedulers: got ${schedulers.length} schedulers and ${milestones.length} milestones`);
    }
    milestones.forEach((m, i) => {
      if (!Number.isInteger(m) || m <= 0 || (i > 0 && m <= milestones[i - 1])) {
        fail(this.name, `milestones must be increasing positive integers, got [${milestones.join(", ")}]`);
      }
    });
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];

    // Undo the wrapped schedulers' initial steps, then take only the first one's.
    for (const group of optimizer.paramGroups) group.lr = group.initialLr as number;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0].restart();
    this.lastEpoch = 0;
    this.lastLr = this.schedulers[0].getLastLr();
  }

  /** The scheduler in charge at `epoch`: the number of milestones ≤ epoch. */
  private activeIndex(epoch: number): number {
    return this.milestones.filter((m) => m <= epoch).length;
  }

  override step(): void {
    this.lastEpoch += 1;
    const index = this.activeIndex(this.lastEpoch);
    const scheduler = this.schedulers[index];
    // At its milestone the next scheduler restarts at its own epoch 0 (PyTorch's scheduler.step(0)).
    if (index > 0 && this.milestones[index - 1] === this.lastEpoch) scheduler.restart();
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  protected getLr(): number[] {
    return this.schedulers[this.activeIndex(this.lastEpoch)].getLastLr();
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(dict: SchedulerStateDict): void {
    super.loadStateDict(dict);
    loadWrappedStates(this.name, this.schedulers, dict.schedulers);
  }
}
