/**
 * The grading vocabulary of test/exercises: each graded test carries its
 * points in its name ("… (2 pts)"), which the points reporter adds up, and
 * fails with feedback a student can act on: the case, the input, expected vs
 * got, the relative error and a hint.
 */
import { it } from "vitest";

/** A graded test worth `points`. */
export function graded(name: string, points: number, fn: () => void | Promise<void>): void {
  it(`${name} (${points} ${points === 1 ? "pt" : "pts"})`, fn);
}

export {
  relativeError, expectClose, closeMismatch, expectEqual, equalMismatch, GradingError, flatValues,
  type CloseOptions, type Numeric,
} from "./grading-core";
