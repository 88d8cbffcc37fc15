import { checkOneOf, checkPositive, checkPositiveInteger, checkUnitInterval } from "../validate";
import { checkTime } from "./check";

export type AnnealStrategy = "cos" | "linear";

export interface OneCycleOptions {
  /** The peak learning rate. */
  maxLr: number;
  /** Length of the cycle in steps (usually epochs × batches per epoch). */
  totalSteps: number;
  /** Fraction of the cycle spent increasing the lr. Default 0.3. */
  pctStart?: number;
  /** The cycle starts at maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** The cycle ends at maxLr / (divFactor·finalDivFactor). Default 1e4. */
  finalDivFactor?: number;
  /** Shape of each phase. Default "cos". */
  annealStrategy?: AnnealStrategy;
  /** Come back down to the start value before the final annihilation (fast.ai's original shape). Default false. */
  threePhase?: boolean;
}

/**
 * The 1cycle policy (Smith, 2018; torch.optim.lr_scheduler.OneCycleLR): one
 * rise of the lr from initialLr = maxLr/divFactor to maxLr over the first
 * pctStart of training, then a long fall to minLr = initialLr/finalDivFactor.
 * The high middle acts as a regularizer; the low end converges. Good for
 * fast training of a fixed number of steps, with a maxLr from an lr range test.
 *
 *   two phases:   step 0 → pctStart·totalSteps − 1          initialLr → maxLr
 *                 → totalSteps − 1                          maxLr → minLr
 *   three phases: step 0 → pctStart·totalSteps − 1          initialLr → maxLr
 *                 → 2·pctStart·totalSteps − 2               maxLr → initialLr
 *                 → totalSteps − 1                          initialLr → minLr
 *
 * Within a phase from step a to step b, with pct = (t − a)/(b − a):
 *   cos:    lr = end + ½·(start − end)·(1 + cos(π·pct))
 *   linear: lr = start + (end − start)·pct
 *
 * Defaults: pctStart 0.3, divFactor 25, finalDivFactor 1e4, "cos", two phases.
 * Lesson: notebooks/src/07-lr-schedules.ts §3 (the schedules)
 */
export function oneCycle(t: number, options: OneCycleOptions): number {
  checkTime("oneCycle", t);
  const { maxLr, divFactor = 25, finalDivFactor = 1e4 } = options;
  const shape = oneCycleShape("oneCycle", options);
  const initialLr = maxLr / divFactor;
  const minLr = initialLr / finalDivFactor;
  const waypoints = shape.threePhase ? [initialLr, maxLr, initialLr, minLr] : [initialLr, maxLr, minLr];
  return annealThrough(t, shape, waypoints);
}

/** Where the phases of a one-cycle schedule end, and how each is interpolated. */
export interface OneCycleShape {
  totalSteps: number;
  /** The step at which each phase ends (the last one at totalSteps − 1). */
  phaseEnds: number[];
  annealStrategy: AnnealStrategy;
  threePhase: boolean;
}

/** Validates the options shared by `oneCycle` and `OneCycleLR`, and lays out the phases. */
export function oneCycleShape(op: string, options: Omit<OneCycleOptions, "maxLr">): OneCycleShape {
  const { totalSteps, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4, annealStrategy = "cos", threePhase = false } = options;
  checkPositiveInteger(op, "totalSteps", totalSteps);
  checkUnitInterval(op, "pctStart", pctStart);
  checkOneOf(op, "annealStrategy", annealStrategy, ["cos", "linear"]);
  checkPositive(op, "divFactor", divFactor);
  checkPositive(op, "finalDivFactor", finalDivFactor);
  const rise = pctStart * totalSteps - 1;
  const phaseEnds = threePhase ? [rise, 2 * pctStart * totalSteps - 2, totalSteps - 1] : [rise, totalSteps - 1];
  return { totalSteps, phaseEnds, annealStrategy, threePhase };
}

/**
 * The value at step t of a path through `waypoints` (one more than phases):
 * phase i goes from waypoints[i] to waypoints[i+1]. Steps past the last phase
 * extrapolate it, as PyTorch does.
 */
export function annealThrough(t: number, shape: OneCycleShape, waypoints: readonly number[]): number {
  const anneal = shape.annealStrategy === "cos" ? annealCos : annealLinear;
  let start = 0;
  const last = shape.phaseEnds.length - 1;
  for (let i = 0; i <= last; i++) {
    const end = shape.phaseEnds[i];
    if (t <= end || i === last) {
      // A phase of length 0 (tiny pctStart·totalSteps) is already complete.
      const pct = end > start ? (t - start) / (end - start) : 1;
      return anneal(waypoints[i], waypoints[i + 1], pct);
    }
    start = end;
  }
  return waypoints[waypoints.length - 1]; // unreachable: the last phase always returns
}

/** Cosine interpolation from `start` (pct = 0) to `end` (pct = 1). */
export function annealCos(start: number, end: number, pct: number): number {
  return end + 0.5 * (start - end) * (1 + Math.cos(Math.PI * pct));
}

/** Straight-line interpolation from `start` (pct = 0) to `end` (pct = 1). */
export function annealLinear(start: number, end: number, pct: number): number {
  return start + (end - start) * pct;
}
