import { fail } from "../../core/errors";

/** The step or epoch a schedule is evaluated at: a finite number ≥ 0 (fractions are fine, e.g. mid-epoch). */
export function checkTime(op: string, t: number): void {
  if (!(t >= 0) || !Number.isFinite(t)) fail(op, `step t must be a finite number ≥ 0, got ${t}`);
}

export function checkFinite(op: string, name: string, value: number): void {
  if (!Number.isFinite(value)) fail(op, `${name} must be a finite number, got ${value}`);
}
