/**
 * A Vitest reporter that turns graded tests ("… (N pts)") into a points
 * summary per exercise file, e.g.
 *
 *   04-batch-norm        7 / 10   ████████░░
 *   total               17 / 42
 *
 * With POINTS_JSON=<file> it also writes the per-test results as JSON (the
 * autograder builds on this).
 */
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

/** How a graded test's name carries its points: "… (2 pts)" (also read by tools/grader). */
export const POINTS = /\((\d+(?:\.\d+)?) pts?\)$/;

export interface GradedResult {
  exercise: string;
  name: string;
  points: number;
  earned: number;
  passed: boolean;
  message: string;
}

export default class PointsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const results: GradedResult[] = [];
    for (const mod of modules) {
      const exercise = basename(mod.moduleId).replace(/\.test\.ts$/, "");
      for (const test of mod.children.allTests()) {
        const m = POINTS.exec(test.name);
        if (!m) continue;
        const points = Number(m[1]);
        const result = test.result();
        const passed = result.state === "passed";
        const message = result.state === "failed" ? (result.errors?.[0]?.message ?? "failed") : "";
        results.push({ exercise, name: test.fullName, points, earned: passed ? points : 0, passed, message });
      }
    }
    if (process.env.POINTS_JSON) writeFileSync(process.env.POINTS_JSON, JSON.stringify(results, null, 2));
    printSummary(results);
  }
}

function printSummary(results: GradedResult[]): void {
  const byExercise = new Map<string, { earned: number; total: number }>();
  for (const r of results) {
    const s = byExercise.get(r.exercise) ?? { earned: 0, total: 0 };
    s.earned += r.earned;
    s.total += r.points;
    byExercise.set(r.exercise, s);
  }
  const lines = ["", "Points"];
  let earned = 0;
  let total = 0;
  for (const [name, s] of [...byExercise].sort()) {
    const filled = s.total === 0 ? 0 : Math.round((10 * s.earned) / s.total);
    lines.push(`  ${name.padEnd(28)} ${String(s.earned).padStart(4)} / ${String(s.total).padEnd(4)} ${"█".repeat(filled)}${"░".repeat(10 - filled)}`);
    earned += s.earned;
    total += s.total;
  }
  lines.push(`  ${"total".padEnd(28)} ${String(earned).padStart(4)} / ${total}`);
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0 && failed.length <= 20) {
    lines.push("", "To work on:");
    for (const r of failed) lines.push(`  ✗ ${r.name}\n    ${r.message.split("\n").join("\n    ")}`);
  } else if (failed.length > 20) {
    lines.push("", `${failed.length} graded tests still fail (run one exercise at a time to see them: npm run check -- 04).`);
  }
  console.log(lines.join("\n"));
}
