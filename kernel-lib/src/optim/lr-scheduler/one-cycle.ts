import { fail } from "../../core/errors";
import type { Optimizer } from "../optimizer";
import { type AnnealStrategy, type OneCycleShape, annealThrough, oneCycleShape } from "../schedules/one-cycle";
import { checkPositive, checkPositiveInteger } from "../validate";
import { LRScheduler, perGroup } from "./lr-scheduler";
import { momentumSetter } from "./momentum-cycling";

export interface OneCycleLROptions {
  /** The peak lr, one value or one per group. */
  maxLr: number | readonly number[];
  /** Length of the cycle in steps; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr. Default 0.3. */
  pctStart?: number;
  /** Default "cos". */
  annealStrategy?: AnnealStrategy;
  /** Cycle the momentum (SGD's momentum or Adam's beta1) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak. Default 0.85. */
  baseMomentum?: number | readonly number[];
  /** Momentum at the lr's low points. Default 0.95. */
  maxMomentum?: number | readonly number[];
  /** The cycle starts at maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** The cycle ends at maxLr / (divFactor·finalDivFactor). Default 1e4. */
  finalDivFactor?: number;
  /** Come back to the start lr before the final annihilation. Default false. */
  threePhase?: boolean;
}

/**
 * The 1cycle policy bound to an optimizer (torch.optim.lr_scheduler.OneCycleLR);
 * step it after every batch. The lr follows `schedules.oneCycle` (see there for
 * the phases and formulas): from maxLr/divFactor up to maxLr at step
 * pctStart·totalSteps − 1, then down to maxLr/(divFactor·finalDivFactor) at
 * step totalSteps − 1. With cycleMomentum the momentum goes the opposite way,
 * maxMomentum → baseMomentum → maxMomentum, written into SGD's `momentum` or
 * Adam's `betas[0]`.
 *
 * Stepping past totalSteps is an error, as in PyTorch. The base lr of each
 * group is replaced by maxLr/divFactor (`group.initialLr`).
 *
 * Defaults: pctStart 0.3, "cos", cycleMomentum true (0.85–0.95), divFactor 25,
 * finalDivFactor 1e4, two phases.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly maxLrs: readonly number[];
  readonly cycleMomentum: boolean;
  private readonly shape: OneCycleShape;
  /** Per group, the lr at each phase boundary. */
  private readonly lrWaypoints: readonly number[][];
  private readonly momentumWaypoints: readonly number[][];
  private readonly setMomentum: ((groupIndex: number, momentum: number) => void) | null;

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    // Everything is validated before the optimizer is touched.
    const op = "OneCycleLR";
    const n = optimizer.paramGroups.length;
    const { divFactor = 25, finalDivFactor = 1e4, cycleMomentum = true, threePhase = false } = options;
    const maxLrs = perGroup(op, "maxLr", options.maxLr, n);
    maxLrs.forEach((maxLr) => checkPositive(op, "maxLr", maxLr));
    const totalSteps = resolveTotalSteps(op, options);
    const shape = oneCycleShape(op, { ...options, totalSteps });
    const setMomentum = cycleMomentum ? momentumSetter(op, optimizer) : null;
    const baseMomentum = perGroup(op, "baseMomentum", options.baseMomentum ?? 0.85, n);
    const maxMomentum = perGroup(op, "maxMomentum", options.maxMomentum ?? 0.95, n);

    // The cycle's starting lr is the base lr, so it must be in place before super() records it.
    optimizer.paramGroups.forEach((group, i) => {
      group.initialLr = maxLrs[i] / divFactor;
    });
    super(optimizer);
    this.totalSteps = totalSteps;
    this.shape = shape;
    this.maxLrs = maxLrs;
    this.lrWaypoints = maxLrs.map((maxLr) => {
      const initialLr = maxLr / divFactor;
      const minLr = initialLr / finalDivFactor;
      return threePhase ? [initialLr, maxLr, initialLr, minLr] : [initialLr, maxLr, minLr];
    });
    this.cycleMomentum = cycleMomentum;
    this.setMomentum = setMomentum;
    this.momentumWaypoints = baseMomentum.map((base, i) => {
      const max = maxMomentum[i];
      return threePhase ? [max, base, max, max] : [max, base, max];
    });
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch > this.totalSteps) {
      fail(this.name, `Tried to step ${this.lastEpoch} times. The specified number of total steps is ${this.totalSteps}`);
    }
    this.momentumWaypoints.forEach((waypoints, i) => this.setMomentum?.(i, annealThrough(this.lastEpoch, this.shape, waypoints)));
    return this.lrWaypoints.map((waypoints) => annealThrough(this.lastEpoch, this.shape, waypoints));
  }

  /** The cycle is a function of the step alone and also sets momentum: it does not chain. */
  protected override chaining(): "closed" {
    return "closed";
  }

}

function resolveTotalSteps(op: string, options: OneCycleLROptions): number {
  const { totalSteps, epochs, stepsPerEpoch } = options;
  if (totalSteps !== undefined) {
    checkPositiveInteger(op, "totalSteps", totalSteps);
    return totalSteps;
  }
  if (epochs === undefined || stepsPerEpoch === undefined) fail(op, "You must define either totalSteps OR (epochs AND stepsPerEpoch)");
  checkPositiveInteger(op, "epochs", epochs);
  checkPositiveInteger(op, "stepsPerEpoch", stepsPerEpoch);
  return epochs * stepsPerEpoch;
}
