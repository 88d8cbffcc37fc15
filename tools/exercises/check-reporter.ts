/**
 * The Vitest reporter behind `npm run check` (check-run.ts): writes every
 * graded test ("… (N pts)") and every test file that failed to load (a
 * syntax error, an import that throws) to the JSON file named by
 * CHECK_RESULTS. It prints nothing: check-run.ts makes the report.
 */
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { Reporter, TestModule } from "vitest/node";
import { POINTS } from "../../test/exercises/points-reporter";

export interface ReportedTest {
  name: string;
  points: number;
  passed: boolean;
  message: string;
}

export interface ReportedModule {
  /** "04-batch-normalization" */
  lesson: string;
  tests: ReportedTest[];
  /** Errors while loading the test file or what it imports. */
  loadErrors: string[];
}

export default class CheckReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const out: ReportedModule[] = modules.map((mod) => {
      const tests: ReportedTest[] = [];
      for (const test of mod.children.allTests()) {
        const m = POINTS.exec(test.name);
        if (!m) continue;
        const result = test.result();
        // The lesson's own describe ("04 batch normalization > …") says nothing the report does not.
        const name = test.fullName.replace(POINTS, "").trim().replace(/^\d\d [^>]*> /, "");
        const message = result.state === "failed" ? (result.errors?.[0]?.message ?? "failed") : "";
        tests.push({ name, points: Number(m[1]), passed: result.state === "passed", message });
      }
      const loadErrors = mod.errors().map((e) => e.message ?? String(e));
      return { lesson: basename(mod.moduleId).replace(/\.test\.ts$/, ""), tests, loadErrors };
    });
    if (process.env.CHECK_RESULTS) writeFileSync(process.env.CHECK_RESULTS, JSON.stringify(out));
  }
}
