/**
 * `npm run check -- [04 …]`: grades YOUR exercises (exercises/*.ts) with the
 * same tests that grade the reference solutions, and prints your points.
 * Without arguments, every exercise is graded.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(__dirname, "../..");
const filters = process.argv.slice(2).filter((a) => a !== "--");
const patterns = filters.length > 0 ? filters.map((f) => `test/exercises/${f}`) : ["test/exercises/"];
const vitest = resolve(root, "node_modules/.bin/vitest");
const result = spawnSync(vitest, ["run", ...patterns, "--reporter=./test/exercises/points-reporter.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, GRADE_TARGET: "exercises" },
});
// Failing graded tests are the normal state while you work: only a crash is an error here.
process.exit(result.status === null ? 1 : 0);
