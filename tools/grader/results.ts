/**
 * Gradescope's results.json and the readable summary printed beside it.
 * Format: https://gradescope-autograders.readthedocs.io/en/latest/specs/
 */
import type { GraderConfig, Visibility } from "./config";
import type { UnitResult } from "./score";

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  output: string;
  visibility: Visibility;
  tags: string[];
}

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  visibility: Visibility;
  stdout_visibility: Visibility;
  tests: GradescopeTest[];
}

export interface ExerciseNotes {
  exercise: string;
  /** Warnings and errors about this exercise (syntax, types, time, memory, integrity). */
  notes: string[];
}

export interface Report {
  results: UnitResult[];
  /** About the submission as a whole (ignored files, problems). */
  notes: string[];
  exercises: ExerciseNotes[];
  executionSeconds: number;
}

/** Points are sums of small integers or halves: round away float noise so the same submission always prints the same score. */
const tidy = (x: number) => Math.round(x * 1000) / 1000;

export function toGradescope(report: Report, config: GraderConfig): GradescopeResults {
  const numbering = new Map<string, number>();
  const exerciseIndex = (e: string) => Number(/^(\d\d)/.exec(e)?.[1] ?? 0);
  const tests = report.results.map((r) => {
    const n = (numbering.get(r.exercise) ?? 0) + 1;
    numbering.set(r.exercise, n);
    return {
      name: `${r.exercise}${r.kind === "hidden" ? " (hidden)" : ""}: ${r.name}`,
      number: `${exerciseIndex(r.exercise)}.${n}`,
      score: r.earned,
      max_score: r.points,
      output: r.passed ? "passed" : r.message,
      visibility: r.kind === "hidden" ? config.hiddenVisibility : config.publicVisibility,
      tags: [r.exercise, r.kind === "hidden" ? "hidden" : "public"],
    };
  });
  return {
    score: tidy(report.results.reduce((s, r) => s + r.earned, 0)),
    execution_time: Math.round(report.executionSeconds * 10) / 10,
    output: summary(report, config.hiddenVisibility === "visible"),
    visibility: config.visibility,
    stdout_visibility: config.stdoutVisibility,
    tests,
  };
}

/**
 * The per-exercise table, the notes, and what failed (hidden cases by name
 * only). With `showHidden` false (hidden results not yet visible, as
 * configured), it shows public points only and nothing of the hidden cases'
 * outcome: the top-level output is always visible.
 */
export function summary(report: Report, showHidden = true): string {
  const lines = [showHidden ? "Points per exercise (public tests + hidden tests)" : "Public tests per exercise (the hidden tests' results are shown when grades are published)", ""];
  let earned = 0;
  let total = 0;
  for (const { exercise, notes } of report.exercises) {
    const rs = report.results.filter((r) => r.exercise === exercise);
    const sum = (kind: "test" | "hidden", f: (r: UnitResult) => number) => tidy(rs.filter((r) => r.kind === kind).reduce((s, r) => s + f(r), 0));
    const shown = showHidden ? rs : rs.filter((r) => r.kind === "test");
    const e = tidy(shown.reduce((s, r) => s + r.earned, 0));
    const t = tidy(shown.reduce((s, r) => s + r.points, 0));
    earned += e;
    total += t;
    const filled = t === 0 ? 0 : Math.round((10 * e) / t);
    lines.push(`  ${exercise.padEnd(28)} ${String(e).padStart(5)} / ${String(t).padEnd(5)} ${"█".repeat(filled)}${"░".repeat(10 - filled)}  ${showHidden ? `(public ${sum("test", (r) => r.earned)}/${sum("test", (r) => r.points)}, hidden ${sum("hidden", (r) => r.earned)}/${sum("hidden", (r) => r.points)})` : `(+ ${sum("hidden", (r) => r.points)} hidden)`}`);
    for (const n of notes) lines.push(`      ! ${n.split("\n").join("\n        ")}`);
  }
  lines.push(`  ${(showHidden ? "total" : "total (public)").padEnd(28)} ${String(tidy(earned)).padStart(5)} / ${tidy(total)}`);
  if (report.notes.length > 0) lines.push("", "About the submission:", ...report.notes.map((n) => `  - ${n}`));
  const failed = report.results.filter((r) => !r.passed && r.kind === "test");
  if (failed.length > 0 && failed.length <= 30) {
    lines.push("", "Public tests to work on:");
    for (const r of failed) lines.push(`  ✗ ${r.exercise}: ${r.name}\n      ${r.message.split("\n").slice(0, 6).join("\n      ")}`);
  } else if (failed.length > 30) {
    lines.push("", `${failed.length} public tests fail (npm run check -- NN shows them one exercise at a time).`);
  }
  return lines.join("\n");
}

/**
 * `text` with control characters other than newline and tab shown as \xNN: what
 * a submission prints or puts in an error message reaches the grader's
 * terminal, where escape sequences could clear it, move the cursor or rewrite
 * lines (say, a fake final score).
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

const VISIBILITIES = new Set(["hidden", "after_due_date", "after_published", "visible"]);

/** What is wrong with a results.json (empty when it follows Gradescope's format and adds up). */
export function checkResults(value: unknown): string[] {
  const problems: string[] = [];
  const r = value as Partial<GradescopeResults> | null;
  if (r === null || typeof r !== "object") return ["not an object"];
  if (typeof r.score !== "number" || !Number.isFinite(r.score)) problems.push("score is not a finite number");
  if (typeof r.execution_time !== "number") problems.push("execution_time is not a number");
  if (typeof r.output !== "string") problems.push("output is not a string");
  if (!VISIBILITIES.has(r.visibility as string)) problems.push("visibility is not one of Gradescope's values");
  if (!VISIBILITIES.has(r.stdout_visibility as string)) problems.push("stdout_visibility is not one of Gradescope's values");
  if (!Array.isArray(r.tests)) return [...problems, "tests is not a list"];
  r.tests.forEach((t, i) => {
    const where = `tests[${i}]`;
    for (const k of ["name", "number", "output"] as const) if (typeof t[k] !== "string") problems.push(`${where}.${k} is not a string`);
    if (typeof t.score !== "number" || typeof t.max_score !== "number" || t.score < 0 || t.score > t.max_score) problems.push(`${where}: score must be within [0, max_score]`);
    if (!VISIBILITIES.has(t.visibility)) problems.push(`${where}.visibility is not one of Gradescope's values`);
    if (!Array.isArray(t.tags) || t.tags.some((x) => typeof x !== "string")) problems.push(`${where}.tags is not a list of strings`);
  });
  const sum = tidy(r.tests.reduce((s, t) => s + (typeof t.score === "number" ? t.score : 0), 0));
  if (typeof r.score === "number" && Math.abs(sum - r.score) > 1e-9) problems.push(`score ${r.score} is not the sum of the tests' scores (${sum})`);
  return problems;
}
