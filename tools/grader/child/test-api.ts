/**
 * What the public graders import from "vitest" and "./grading" when they run
 * inside the sandbox: a lean stand-in for Vitest's `describe`/`it`/`expect`
 * that collects the tests in order, and the real grading helpers of
 * test/exercises/grading.ts with each comparison also reported to the grader
 * (which re-checks it in its own process, so a caught or hidden assertion
 * error still fails the test).
 *
 * A test body runs exactly as under Vitest: the same code, the same
 * comparison functions, the same messages; only where it reports differs.
 */
import { graded } from "../../../test/exercises/grading";
import * as grading from "../../../test/exercises/grading-core";
import type { AssertionRecord } from "./channel";
import { encodeNumber } from "./channel";

export interface CollectedTest {
  /** "describe name > test name", as Vitest's fullName. */
  fullName: string;
  fn: () => unknown;
}

const collected: CollectedTest[] = [];
const suites: string[] = [];
let recorder: ((r: AssertionRecord) => void) | null = null;

/** The tests registered so far, in registration order. */
export function collectedTests(): readonly CollectedTest[] {
  return collected;
}

/** Where comparisons are reported while a test runs (null between tests). */
export function setRecorder(next: ((r: AssertionRecord) => void) | null): void {
  recorder = next;
}

function record(r: AssertionRecord): void {
  if (recorder !== null) recorder(r);
}

export function describe(name: string, fn: () => void): void {
  suites.push(name);
  try {
    fn();
  } finally {
    suites.pop();
  }
}

export function it(name: string, fn: () => unknown): void {
  collected.push({ fullName: [...suites, name].join(" > "), fn });
}
export const test = it;

function unsupported(name: string): never {
  throw new Error(`the grader's test harness does not support ${name}() in exercise graders; compute inputs inside each graded test`);
}
export const beforeAll = (): never => unsupported("beforeAll");
export const beforeEach = (): never => unsupported("beforeEach");
export const afterAll = (): never => unsupported("afterAll");
export const afterEach = (): never => unsupported("afterEach");

/** The subset of Vitest's `expect` the exercise graders use, with the same failure semantics. */
export function expect(actual: unknown) {
  const matchers = (negate: boolean) => ({
    toMatch(pattern: RegExp | string): void {
      const re = typeof pattern === "string" ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : pattern;
      if (typeof actual !== "string") throw new TypeError(`.toMatch() expects to receive a string, but got ${typeof actual}`);
      const s = actual;
      record({ k: "match", s, source: re.source, flags: re.flags, not: negate });
      if (re.test(s) === negate) {
        throw new Error(`expected ${JSON.stringify(s)}${negate ? " not" : ""} to match ${String(re)}`);
      }
    },
  });
  return { ...matchers(false), not: matchers(true) };
}

/** grading.expectClose, reporting the flattened values it compares. */
export function expectClose(got: grading.Numeric, expected: grading.Numeric, options: grading.CloseOptions): void {
  const g = grading.flatValues(got, "your result", options.what);
  const e = grading.flatValues(expected, "the expected result", options.what);
  record({ k: "close", g: g.map(encodeNumber), e: e.map(encodeNumber), rtol: options.rtol, atol: options.atol, ...(options.fromYourCode ? { own: true } : {}) });
  const detail = grading.closeMismatch(g, e, options);
  if (detail !== null) throw new grading.GradingError(options, detail);
}

/** grading.expectEqual, reporting the two JSON texts it compares. */
export function expectEqual<T>(got: T, expected: T, options: Omit<grading.CloseOptions, "rtol" | "atol">): void {
  const g = JSON.stringify(got);
  const e = JSON.stringify(expected);
  record({ k: "equal", g: g ?? null, e: e ?? null });
  const detail = grading.equalMismatch(g, e);
  if (detail !== null) throw new grading.GradingError(options, detail);
}

export { graded };
export const { relativeError, GradingError, flatValues, closeMismatch, equalMismatch } = grading;
export type { CloseOptions, Numeric } from "../../../test/exercises/grading-core";
