/**
 * What `npm run check` and a notebook's `await check("04")` report, and how
 * it reads: text for the terminal (and every front end's fallback), HTML for
 * the notebook. Pure functions with no dependency, so the notebook side can
 * import this file into the kernel cheaply.
 */

export interface GradedTest {
  /** The test's name without its points, e.g. "batchNormForward: matches F.batchNorm (training mode)". */
  name: string;
  points: number;
  earned: number;
  passed: boolean;
  /** The grader's feedback when it failed ("what: expected … but got …\n  input: …\n  hint: …"), else "". */
  message: string;
}

export interface LessonReport {
  /** "04-batch-normalization" */
  lesson: string;
  /** "exercises/04-batch-normalization.ts" */
  file: string;
  earned: number;
  total: number;
  tests: GradedTest[];
  /** The file does not compile or load ("exercises/04-….ts:12:5: ')' expected."): every test scores 0. */
  error: string | null;
  /** Type errors (tsc against the stub's declared types): warnings, the code still ran. */
  typeWarnings: string[];
}

export interface CheckReport {
  lessons: LessonReport[];
  earned: number;
  total: number;
}

/** A grader's message split into the columns of the table (whatever is not recognised stays in `detail`). */
export interface Feedback {
  detail: string;
  /** What was compared ("running mean after one batch"), when the message says. */
  what: string | null;
  expected: string | null;
  got: string | null;
  input: string | null;
  hint: string | null;
}

/** Splits "what: expected X but got Y (…)\n  input: …\n  hint: …" (test/exercises/grading-core.ts) into columns. */
export function parseFeedback(message: string): Feedback {
  const lines = message.split("\n");
  const take = (label: string): string | null => {
    const i = lines.findIndex((line) => line.trimStart().startsWith(`${label}: `));
    if (i < 0) return null;
    const value = lines[i].trimStart().slice(label.length + 2);
    lines.splice(i, 1);
    return value;
  };
  const hint = take("hint");
  const input = take("input");
  const detail = lines.join("\n").trim();
  const m = /^(?:(.*?): )?expected ([\s\S]+?) but got ([\s\S]+?)(?: at position (\d+))?(?: \(relative error [^)]*\))?$/.exec(lines[0] ?? "");
  if (m === null) return { detail, what: null, expected: null, got: null, input, hint: hint ?? notImplementedHint(detail) };
  const where = m[4] !== undefined ? ` (position ${m[4]})` : "";
  return { detail, what: m[1] ?? null, expected: m[2] + where, got: m[3], input, hint };
}

/** A stub's "… is not implemented yet. Hint: …" carries its own hint. */
function notImplementedHint(detail: string): string | null {
  return /is not implemented yet\. Hint: (.*)$/s.exec(detail)?.[1] ?? null;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function bar(earned: number, total: number): string {
  const filled = total === 0 ? 0 : Math.round((10 * earned) / total);
  return "█".repeat(filled) + "░".repeat(10 - filled);
}

/** The terminal's report: points per lesson, then what to work on. */
export function formatText(report: CheckReport, options: { details?: boolean } = {}): string {
  const lines = ["", "Points"];
  for (const l of report.lessons) {
    const note = l.error !== null ? "  does not compile" : l.typeWarnings.length > 0 ? "  type warnings" : "";
    lines.push(`  ${pad(l.lesson, 28)} ${String(l.earned).padStart(4)} / ${pad(String(l.total), 4)} ${bar(l.earned, l.total)}${note}`);
  }
  lines.push(`  ${pad("total", 28)} ${String(report.earned).padStart(4)} / ${report.total}`);
  for (const l of report.lessons.filter((l) => l.error !== null)) {
    lines.push("", `✗ ${l.file} does not compile, so none of its ${l.total} points count:`, `    ${l.error}`);
  }
  for (const l of report.lessons.filter((l) => l.typeWarnings.length > 0)) {
    lines.push("", `⚠ ${l.file}: type errors (warnings: the code still ran, but they are often the bug):`);
    for (const w of l.typeWarnings) lines.push(`    ${w}`);
  }
  const failed = report.lessons.flatMap((l) => (l.error === null ? l.tests.filter((t) => !t.passed).map((t) => ({ l, t })) : []));
  const details = options.details ?? report.lessons.length === 1;
  if (failed.length > 0 && (details || failed.length <= 20)) {
    lines.push("", "To work on:");
    for (const { l, t } of failed) lines.push(`  ✗ ${l.lesson} > ${t.name} (${t.points} ${t.points === 1 ? "pt" : "pts"})`, `    ${t.message.split("\n").join("\n    ")}`);
  } else if (failed.length > 20) {
    lines.push("", `${failed.length} graded tests still fail (check one lesson at a time to see them: npm run check -- 04).`);
  }
  return lines.join("\n");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const CELL = 'style="text-align:left;vertical-align:top;padding:2px 8px"';
const CODE = 'style="white-space:pre-wrap;font-size:90%"';

/** The notebook's report: one table per lesson (test, points, expected vs got, hint). Inline styles only: no CSS to load. */
export function formatHtml(report: CheckReport): string {
  const parts: string[] = [];
  for (const l of report.lessons) {
    const ok = l.earned === l.total && l.error === null;
    parts.push(`<div class="course-check" data-lesson="${escapeHtml(l.lesson)}">`);
    parts.push(`<p><b>${escapeHtml(l.file)}: ${l.earned} / ${l.total} points</b>${ok ? " ✓ all tests pass" : ""}</p>`);
    if (l.error !== null) {
      parts.push(`<p style="color:#b00020"><b>Does not compile, so none of its ${l.total} points count:</b></p><pre ${CODE}>${escapeHtml(l.error)}</pre>`);
    }
    if (l.typeWarnings.length > 0) {
      parts.push(`<p style="color:#8a5a00"><b>Type errors</b> (warnings: the code still ran, but they are often the bug):</p><pre ${CODE}>${escapeHtml(l.typeWarnings.join("\n"))}</pre>`);
    }
    parts.push(`<table class="course-check-table"><thead><tr><th ${CELL}></th><th ${CELL}>test</th><th ${CELL}>points</th><th ${CELL}>expected</th><th ${CELL}>got</th><th ${CELL}>hint</th></tr></thead><tbody>`);
    const code = (text: string): string => (text === "" ? "" : `<code ${CODE}>${escapeHtml(text)}</code>`);
    for (const t of l.tests) {
      const f = t.passed || l.error !== null ? null : parseFeedback(t.message);
      // A stub's message is its hint: "got" just says so, the hint column has the rest.
      const got = f === null ? "" : f.got ?? (/ is not implemented yet\./.test(f.detail) ? "not implemented yet" : f.detail);
      const detail = f !== null && f.got !== null && f.input !== null ? `${got}\ninput: ${f.input}` : got;
      parts.push(
        `<tr><td ${CELL}>${t.passed ? "✓" : "✗"}</td><td ${CELL}>${escapeHtml(t.name)}${f?.what ? `<br><small style="color:#666">checked: ${escapeHtml(f.what)}</small>` : ""}</td><td ${CELL}>${t.earned} / ${t.points}</td>` +
          `<td ${CELL}>${code(f?.expected ?? "")}</td><td ${CELL}>${f?.got === null ? escapeHtml(detail) : code(detail)}</td><td ${CELL}>${escapeHtml(f?.hint ?? "")}</td></tr>`,
      );
    }
    parts.push("</tbody></table></div>");
  }
  if (report.lessons.length > 1) parts.push(`<p><b>total: ${report.earned} / ${report.total} points</b></p>`);
  return parts.join("\n");
}
