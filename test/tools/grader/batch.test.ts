/**
 * Batch mode: a folder of submissions (folders and zips) graded into a CSV,
 * one row per submission and one column per exercise, with a progress bar;
 * a submission that cannot be graded gets a row, the batch goes on.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { packSubmission } from "../../../tools/release/submit";
import { checkResults } from "../../../tools/grader/results";

const root = resolve(__dirname, "..", "..", "..");

describe("npm run grade -- --batch", () => {
  it("grades every folder and zip into a CSV of scores and a results.json each", () => {
    const batch = mkdtempSync(join(tmpdir(), "batch-"));
    // alice: the stubs, as `npm run submit` zips them; bob: exercise 07 partly done; carol: an empty zip file.
    writeFileSync(join(batch, "alice.zip"), packSubmission(root).zip);
    mkdirSync(join(batch, "bob/exercises"), { recursive: true });
    copyFileSync(join(root, "test/fixtures/submissions/partly-correct/exercises/07-lr-schedules.ts.fixture"), join(batch, "bob/exercises/07-lr-schedules.ts"));
    writeFileSync(join(batch, "carol.zip"), "");
    writeFileSync(join(batch, "README.txt"), "not a submission");
    const csv = join(batch, "scores.csv");
    const resultsDir = join(batch, "results");
    const run = spawnSync(join(root, "node_modules/.bin/tsx"), ["tools/grader/cli.ts", "--batch", batch, "--csv", csv, "--results-dir", resultsDir, "--no-typecheck"], { cwd: root, encoding: "utf8", timeout: 240_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/grading .* 3\/3/);
    const rows = readFileSync(csv, "utf8").trim().split("\n").map((l) => l.split(","));
    const exercises = readdirSync(join(root, "solutions")).filter((f) => /^\d\d-/.test(f)).map((f) => f.replace(/\.ts$/, ""));
    expect(rows[0]).toEqual(["submission", "score", "max_score", ...exercises, "type_warnings", "notes"]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(["alice.zip", "bob", "carol.zip"]);
    const [alice, bob, carol] = rows.slice(1);
    expect(alice[1]).toBe("0");
    expect(Number(bob[1])).toBeGreaterThan(0);
    expect(bob[1]).toBe(bob[3 + exercises.indexOf("07-lr-schedules")]);
    expect(carol[1]).toBe("0");
    expect(carol.join(",")).toMatch(/could not be read/);
    expect(readdirSync(resultsDir).sort()).toEqual(["alice.json", "bob.json", "carol.json"]);
    for (const f of readdirSync(resultsDir)) expect(checkResults(JSON.parse(readFileSync(join(resultsDir, f), "utf8")))).toEqual([]);
  }, 240_000);
});
