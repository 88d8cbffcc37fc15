/**
 * The comparisons behind test/exercises/grading.ts, free of Vitest so the
 * autograder can run exactly the same checks in its own process (see
 * tools/grader). Exercise graders import these through "./grading".
 */
import type { Tensor } from "kernel-lib";
import { describeInput, difference, formatPair, symptom } from "./feedback";

/** CS231n's measure: |a − b| / max(|a|, |b|), with 0 when both are 0. */
export function relativeError(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

export interface CloseOptions {
  /** What is being checked, e.g. "running mean after one batch". */
  what: string;
  /** The input of this case, shown to the student. */
  input?: unknown;
  /** Accept when the relative error is at most this (CS231n: 1e-7 is great, 1e-4 is suspicious). */
  rtol?: number;
  /** …or when the absolute error is at most this (for values near 0). */
  atol?: number;
  /** A hint for the most likely mistake. */
  hint?: string;
  /**
   * The expected value is computed from the student's own other functions (a check graded on its
   * own, e.g. uniformBound against √3 · YOUR initStd). The autograder then re-checks the values the
   * test compared, not the reference solution's expected value, which would fault the wrong function.
   */
  fromYourCode?: boolean;
}

export type Numeric = number | readonly number[] | ArrayLike<number> | Tensor;

/** Compares numbers, arrays or tensors elementwise and throws a readable report on the first mismatch. */
export function expectClose(got: Numeric, expected: Numeric, options: CloseOptions): void {
  const detail = closeMismatch(flatValues(got, "your result", options.what), flatValues(expected, "the expected result", options.what), options);
  if (detail !== null) throw new GradingError(options, detail);
}

/**
 * The verdict of expectClose on values already flattened: null when they
 * agree, else what differs. Exported so the autograder re-checks each
 * comparison in its own process with exactly this rule.
 */
export function closeMismatch(g: readonly number[], e: readonly number[], options: Pick<CloseOptions, "rtol" | "atol">): string | null {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  if (g.length !== e.length) return `expected ${e.length} value(s) but got ${g.length}`;
  for (let i = 0; i < e.length; i++) {
    const err = relativeError(g[i], e[i]);
    const ok = Number.isFinite(g[i]) ? Math.abs(g[i] - e[i]) <= atol || err <= rtol : Object.is(g[i], e[i]);
    if (!ok) {
      const where = e.length > 1 ? ` at position ${i}` : "";
      const [shownE, shownG] = formatPair(e[i], g[i]);
      const diff = difference(e[i], g[i]);
      const cause = symptom(g, e);
      return `expected ${shownE} but got ${shownG}${where} (${diff ? `${diff}, ` : ""}relative error ${err.toExponential(2)}, allowed ${rtol.toExponential(0)})${cause ? `\n  likely cause: ${cause}` : ""}`;
    }
  }
  return null;
}

/** Exact equality for shapes, counts, booleans, labels. */
export function expectEqual<T>(got: T, expected: T, options: Omit<CloseOptions, "rtol" | "atol">): void {
  const detail = equalMismatch(JSON.stringify(got), JSON.stringify(expected));
  if (detail !== null) throw new GradingError(options, detail);
}

/** The verdict of expectEqual on the two JSON texts (null when equal); exported for the autograder's re-check. */
export function equalMismatch(got: string | undefined, expected: string | undefined): string | null {
  return got === expected ? null : `expected ${expected} but got ${got}`;
}

export class GradingError extends Error {
  constructor(options: Omit<CloseOptions, "rtol" | "atol">, detail: string) {
    const lines = [`${options.what}: ${detail}`];
    const position = /at position (\d+)/.exec(detail);
    if (options.input !== undefined) lines.push(`  input: ${describeInput(options.input, position ? Number(position[1]) : null)}`);
    // When the mismatch itself names a likely cause, the check's fixed hint is a reminder of the formula, not the diagnosis.
    if (options.hint) lines.push(`  ${detail.includes("likely cause:") ? "the formula" : "hint"}: ${options.hint}`);
    super(lines.join("\n"));
    this.name = "GradingError";
  }
}

/** The numbers of a number, array or tensor, in storage order (expectClose compares these). */
export function flatValues(x: Numeric, label: string, what: string): number[] {
  if (typeof x === "number") return [x];
  if (x === null || x === undefined) throw new Error(`${what}: ${label} is ${x}`);
  const maybeTensor = x as Tensor;
  if (maybeTensor.data !== undefined && maybeTensor.shape !== undefined) return Array.from(maybeTensor.data);
  return Array.from(x as ArrayLike<number>);
}
