/**
 * The public tests are scored the same way by both paths: Vitest with the
 * points reporter (what `npm run check` runs on a student's machine) and the
 * autograder's sandbox harness. Checked test by test on submissions with a
 * plausible bug in every exercise, and on a partly correct one.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../../../tools/grader/config";
import { gradeSubmission } from "../../../tools/grader/grade";
import type { GradedResult } from "../../exercises/points-reporter";

const root = resolve(__dirname, "..", "..", "..");

/** One plausible bug per exercise: [file, what the solution says, what the buggy submission says]. */
const BUGS: [string, string, string][] = [
  ["01-why-deep-is-hard", "total += layerSizes[i - 1] * layerSizes[i] + layerSizes[i];", "total += layerSizes[i - 1] * layerSizes[i];"],
  ["02-initialization", "return Math.sqrt(2 / fanIn);", "return Math.sqrt(1 / fanIn);"],
  ["03-activations", "dydx.push(v > 0 ? 1 : negativeSlope);", "dydx.push(v >= 0 ? 1 : negativeSlope);"],
  ["04-batch-normalization", "sigma2[j] += (row[j] - mu[j]) ** 2 / n;", "sigma2[j] += (row[j] - mu[j]) ** 2 / (n - 1);"],
  ["05-residuals-and-clipping", "const coef = maxNorm / (total + 1e-6);", "const coef = maxNorm / total;"],
  ["06-optimizers", "hyper.rho * si + (1 - hyper.rho) * g[i] * g[i]", "hyper.rho * si + g[i] * g[i]"],
  ["07-lr-schedules", "return lr0 * gamma ** Math.floor(epoch / stepSize);", "return lr0 * gamma ** (epoch / stepSize);"],
  ["08-regularization", "if (p === 1) return { out: x.map(() => 0), mask: x.map(() => 0) };", ""],
  ["09-transfer-learning", 'prefix === "" || name === prefix', "name === prefix"],
  ["10-modern-recipe", "if (!(numClasses >= 2)) throw", "if (numClasses < 0) throw"],
  ["11-convolutional-networks", "(variance[c] += (v - mean[c]) ** 2 / m)", "(variance[c] += (v - mean[c]) ** 2 / (m - 1))"],
];

function buggySubmission(): string {
  const dir = mkdtempSync(join(tmpdir(), "submission-bugs-"));
  mkdirSync(join(dir, "exercises"));
  for (const [name, from, to] of BUGS) {
    const source = readFileSync(join(root, "solutions", `${name}.ts`), "utf8");
    expect(source.split(from).length, `the bug for ${name} no longer applies: update BUGS`).toBe(2);
    writeFileSync(join(dir, "exercises", `${name}.ts`), source.replace(from, to));
  }
  return dir;
}

/** The stubs, with exercise 07 partly done (test/fixtures/submissions/partly-correct). */
function partlyCorrect(): string {
  const dir = mkdtempSync(join(tmpdir(), "submission-partly-"));
  mkdirSync(join(dir, "exercises"));
  for (const f of readdirSync(join(root, "exercises")).filter((f) => /^\d\d-.*\.ts$/.test(f))) copyFileSync(join(root, "exercises", f), join(dir, "exercises", f));
  copyFileSync(join(root, "test/fixtures/submissions/partly-correct/exercises/07-lr-schedules.ts.fixture"), join(dir, "exercises/07-lr-schedules.ts"));
  return dir;
}

/** Per-test points the Vitest way: a course copy whose exercises/ is the submission, graded by `npm run check`'s command. */
function vitestPoints(submission: string): Map<string, number> {
  const course = mkdtempSync(join(tmpdir(), "course-vitest-"));
  for (const link of ["kernel-lib", "node_modules"]) symlinkSync(join(root, link), join(course, link));
  copyFileSync(join(root, "vitest.config.mts"), join(course, "vitest.config.mts"));
  mkdirSync(join(course, "test/exercises"), { recursive: true });
  for (const f of readdirSync(join(root, "test/exercises"))) copyFileSync(join(root, "test/exercises", f), join(course, "test/exercises", f));
  mkdirSync(join(course, "exercises"));
  copyFileSync(join(root, "exercises/support.ts"), join(course, "exercises/support.ts"));
  for (const f of readdirSync(join(submission, "exercises"))) copyFileSync(join(submission, "exercises", f), join(course, "exercises", f));
  const out = join(course, "points.json");
  const run = spawnSync(join(root, "node_modules/.bin/vitest"), ["run", "test/exercises/", "--reporter=./test/exercises/points-reporter.ts"], {
    cwd: course, env: { ...process.env, GRADE_TARGET: "exercises", POINTS_JSON: out }, encoding: "utf8", timeout: 240_000,
  });
  expect(run.status === 0 || run.status === 1, run.stderr).toBe(true);
  const results = JSON.parse(readFileSync(out, "utf8")) as GradedResult[];
  return new Map(results.map((r) => [`${r.exercise}: ${displayName(r.name)}`, r.earned]));
}

function displayName(fullName: string): string {
  const parts = fullName.split(" > ");
  return parts[parts.length - 1].replace(/\s*\(\d+(?:\.\d+)? pts?\)$/, "");
}

async function graderPoints(submission: string): Promise<Map<string, number>> {
  const graded = await gradeSubmission(submission, { config: loadConfig(), typecheck: false });
  return new Map(graded.report.results.filter((r) => r.kind === "test").map((r) => [`${r.exercise}: ${r.name}`, r.earned]));
}

describe("public tests: the Vitest path and the sandbox path give the same points", () => {
  for (const [label, make] of [["a bug in every exercise", buggySubmission], ["a partly correct submission", partlyCorrect]] as const) {
    it(label, async () => {
      const submission = make();
      const [viaVitest, viaGrader] = [vitestPoints(submission), await graderPoints(submission)];
      expect(viaVitest.size).toBeGreaterThan(80);
      expect([...viaGrader.keys()].sort()).toEqual([...viaVitest.keys()].sort());
      const differences = [...viaVitest].filter(([name, points]) => viaGrader.get(name) !== points).map(([name, points]) => `${name}: vitest ${points}, grader ${viaGrader.get(name)}`);
      expect(differences).toEqual([]);
      // Some tests pass and some fail, so the comparison is not vacuous.
      expect([...viaVitest.values()].some((p) => p > 0)).toBe(true);
      expect([...viaVitest.values()].some((p) => p === 0)).toBe(true);
    }, 300_000);
  }
});
