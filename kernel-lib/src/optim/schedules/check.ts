import { checkFiniteNumber, checkNonNegative } from "../../core/validate";

/** The step or epoch a schedule is evaluated at: a finite number ≥ 0 (fractions are fine, e.g. mid-epoch). */
export function checkTime(op: string, t: number): void {
  checkNonNegative(op, "step t", t);
}

export const checkFinite = checkFiniteNumber;
