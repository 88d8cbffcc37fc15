/**
 * Scores what the grader observed against the manifest. A public test earns
 * its points only when ALL of these hold:
 *   - the sandbox reported it finished without an error;
 *   - every comparison it reported passes when the grader re-checks it here,
 *     with the same functions as test/exercises/grading.ts (a caught or
 *     swallowed assertion error still fails);
 *   - it made as many comparisons as the reference run (nothing skipped).
 * A hidden case earns its points when its output matches the reference's
 * output (compared here, never in the sandbox).
 */
import { closeMismatch, equalMismatch } from "../../test/exercises/grading-core";
import { decodeNumber, type AssertionRecord } from "./child/channel";
import { compareObserved, type Observed } from "./hidden-api";
import type { ManifestUnit } from "./reference";
import type { ExerciseRun } from "./run-exercise";

export interface UnitResult {
  exercise: string;
  kind: "test" | "hidden";
  /** The test's name without the describe prefix and the "(N pts)" suffix. */
  name: string;
  points: number;
  earned: number;
  passed: boolean;
  /** Why it failed (empty when it passed). */
  message: string;
}

/** Why a re-checked comparison fails, or null. */
export function recheck(r: AssertionRecord): string | null {
  switch (r.k) {
    case "close":
      return closeMismatch(r.g.map(decodeNumber), r.e.map(decodeNumber), { rtol: r.rtol, atol: r.atol });
    case "equal":
      return equalMismatch(r.g ?? undefined, r.e ?? undefined);
    case "match": {
      const matched = new RegExp(r.source, r.flags.replace(/[gy]/g, "")).test(r.s);
      return matched === r.not ? `expected ${JSON.stringify(r.s.slice(0, 200))}${r.not ? " not" : ""} to match /${r.source}/${r.flags}` : null;
    }
    default:
      return "an unknown kind of comparison";
  }
}

export function displayName(unit: ManifestUnit): string {
  const parts = unit.name.split(" > ");
  return parts[parts.length - 1].replace(/\s*\(\d+(?:\.\d+)? pts?\)$/, "");
}

function verdict(unit: ManifestUnit, run: ExerciseRun, index: number): string | null {
  const outcome = run.outcomes.get(index);
  if (outcome === undefined) return run.loadError ?? "did not run (the exercise's time was up)";
  if (!outcome.ok) return outcome.message || "failed";
  if (unit.kind === "hidden") {
    return compareObserved(outcome.out as Observed, unit.expected as Observed, { rtol: unit.rtol, atol: unit.atol });
  }
  for (const r of outcome.records) {
    const detail = recheck(r);
    if (detail !== null) return `a check failed but its error did not reach the test runner (it was caught or hidden): ${detail}`;
  }
  if (outcome.records.length !== unit.checks) {
    return `the test made ${outcome.records.length} of the ${unit.checks} checks it makes for the reference solution, so it cannot pass`;
  }
  return null;
}

/** One result per manifest unit of `exercise`; `reason` (a syntax error, a missing file) fails them all. */
export function scoreExercise(exercise: string, units: readonly ManifestUnit[], run: ExerciseRun | undefined, reason: string | null): UnitResult[] {
  const listedOk = run?.units == null || JSON.stringify(run.units.map((u) => [u.kind, u.name])) === JSON.stringify(units.map((u) => [u.kind, u.name]));
  return units.map((unit, i) => {
    let why: string | null;
    if (reason !== null) why = reason;
    else if (run === undefined) why = "not run: the submission's time was up";
    else if (run.integrity !== null) why = `integrity check failed, so nothing of this exercise counts: ${run.integrity}`;
    else if (!listedOk) why = "integrity check failed: the sandbox listed other tests than the course has";
    else why = verdict(unit, run, i);
    const passed = why === null;
    return { exercise, kind: unit.kind, name: displayName(unit), points: unit.points, earned: passed ? unit.points : 0, passed, message: why ?? "" };
  });
}
