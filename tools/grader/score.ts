/**
 * Scores what the grader observed against the manifest. A public test earns
 * its points only when ALL of these hold:
 *   - the sandbox reported it finished without an error;
 *   - it made as many comparisons as the reference run (nothing skipped), of
 *     the same kinds;
 *   - every value it reported passes when the grader re-checks it here
 *     against the EXPECTED value of the same comparison in the reference run
 *     (from the manifest, never the one computed in the sandbox), with the
 *     same functions as test/exercises/grading.ts (a caught or swallowed
 *     assertion error still fails).
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

/**
 * The student's side of `got` checked against the reference's side of `ref`
 * (expected value, tolerances, pattern), or why it cannot be.
 */
export function recheckAgainst(got: AssertionRecord, ref: AssertionRecord): string | null {
  switch (ref.k) {
    case "close":
      if (got.k !== "close") return "the test made a different kind of check than for the reference solution";
      // A check whose expected value comes from the student's own other functions (the grader's test code
      // says so, and the reference run said the same at this position): re-check the values it compared.
      if (ref.own === true && got.own === true) return recheck({ ...got, rtol: ref.rtol, atol: ref.atol });
      return recheck({ ...ref, g: got.g });
    case "equal":
      return got.k === "equal" ? recheck({ ...ref, g: got.g }) : "the test made a different kind of check than for the reference solution";
    case "match":
      return got.k === "match" ? recheck({ ...ref, s: got.s }) : "the test made a different kind of check than for the reference solution";
    default:
      return "an unknown kind of comparison";
  }
}

/** True when two records of the same comparison have the same expected side (value, tolerances, pattern). */
export function sameExpected(a: AssertionRecord, b: AssertionRecord): boolean {
  if (a.k !== b.k) return false;
  if (a.k === "close" && b.k === "close") return JSON.stringify(a.e) === JSON.stringify(b.e) && a.rtol === b.rtol && a.atol === b.atol;
  if (a.k === "equal" && b.k === "equal") return a.e === b.e;
  if (a.k === "match" && b.k === "match") return a.source === b.source && a.flags === b.flags && a.not === b.not;
  return false;
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
    // Hidden feedback names the case (its kind of input) and the student's value, never the expected one.
    return compareObserved(outcome.out as Observed, unit.expected as Observed, { rtol: unit.rtol, atol: unit.atol }, "result", false);
  }
  const reference = (run.isolated.has(index) ? unit.alone : unit.reference) ?? [];
  if (outcome.records.length !== reference.length) {
    return `the test made ${outcome.records.length} of the ${reference.length} checks it makes for the reference solution, so it cannot pass`;
  }
  for (let j = 0; j < reference.length; j++) {
    const detail = recheckAgainst(outcome.records[j], reference[j]);
    if (detail !== null) {
      // The sandbox agreed with itself but not with the reference: its expected value was not the course's.
      const sandboxSaid = recheck(outcome.records[j]) === null;
      return sandboxSaid ? `${detail} (checked by the grader against the reference solution's expected value)` : `a check failed but its error did not reach the test runner (it was caught or hidden): ${detail}`;
    }
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
