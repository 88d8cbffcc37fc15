/**
 * `npm run check -- [04 …] [--json]`: grades YOUR exercises (exercises/*.ts)
 * with the same tests that grade the reference solutions, and prints your
 * points with feedback (check-run.ts does the grading, check-report.ts the
 * wording). Without lesson numbers, every exercise is graded.
 *
 * Exit status: 0 when every file compiled (failing tests are the normal state
 * while you work), 1 when a file does not compile or load (its lesson scores
 * 0), 2 for a bad argument. --json prints the CheckReport instead (a
 * notebook's `await check("04")` reads it: notebooks/check.ts). With
 * POINTS_JSON=<file> it also writes every graded test's result there.
 */
import { writeFileSync } from "node:fs";
import { formatHtml, formatText } from "./check-report";
import { runCheck } from "./check-run";
import { runMain } from "../run-main";

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const unknown = argv.filter((a) => a.startsWith("-") && a !== "--" && a !== "--json");
  if (unknown.length > 0) {
    console.error(`error: unknown option ${unknown.join(" ")}\nUsage: npm run check -- [04 …] [--json]`);
    return 2;
  }
  let report;
  try {
    report = await runCheck(argv.filter((a) => !a.startsWith("-")));
  } catch (err) {
    if (!/^no exercise file matches/.test((err as Error).message)) throw err;
    console.error(`error: ${(err as Error).message}`);
    return 2;
  }
  // --json: the report with its text and HTML forms, for a notebook's check() (notebooks/check.ts).
  // POINTS_JSON=<file>: every graded test as JSON, as test/exercises/points-reporter.ts writes it.
  if (process.env.POINTS_JSON) {
    const results = report.lessons.flatMap((l) => l.tests.map((t) => ({ exercise: l.lesson, ...t })));
    writeFileSync(process.env.POINTS_JSON, JSON.stringify(results, null, 2));
  }
  console.log(json ? JSON.stringify({ ...report, text: formatText(report, { details: true }).trim(), html: formatHtml(report) }) : formatText(report));
  return report.lessons.some((l) => l.error !== null) ? 1 : 0;
}

if (require.main === module) runMain(main);
