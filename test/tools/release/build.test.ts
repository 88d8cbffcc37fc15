/**
 * The student release: what it holds and what it must never hold, a leak
 * check that can fail, and the release working on its own — its `npm test`
 * passes with the stubs failing cleanly (0 points), the same public tests give
 * full points to correct work without solutions/, and `npm run submit` makes
 * a zip the autograder grades like the folder.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { unzipSync } from "fflate";
import { buildRelease } from "../../../tools/release/build";
import { distinctiveLines, findLeaks, filesUnder } from "../../../tools/release/leak-check";
import { buildAutograder } from "../../../tools/release/autograder";
import { loadConfig } from "../../../tools/grader/config";
import { gradeSubmission } from "../../../tools/grader/grade";
import type { GradedResult } from "../../exercises/points-reporter";

const root = resolve(__dirname, "..", "..", "..");
const release = join(mkdtempSync(join(tmpdir(), "release-")), "course");
const report = buildRelease(release);
symlinkSync(join(root, "node_modules"), join(release, "node_modules"));

function npm(args: string[], env: Record<string, string> = {}) {
  return spawnSync("npm", args, { cwd: release, encoding: "utf8", timeout: 300_000, env: { ...process.env, ...env } });
}

describe("the student release", () => {
  it("holds the notebooks, stubs, kernel-lib, public graders and README, and no solutions, hidden cases or grader", () => {
    const files = filesUnder(release).map((f) => f.slice(release.length + 1));
    for (const f of ["README.md", "package.json", "vitest.config.mts", "tsconfig.json", "exercises/support.ts", "kernel-lib/src/index.ts", "kernel-lib/weights/digits-conv-body.safetensors", "test/exercises/grading.ts", "tools/release/submit.ts"]) expect(files).toContain(f);
    const solutions = readdirSync(join(root, "solutions")).filter((f) => /^\d\d-/.test(f));
    for (const f of solutions) {
      expect(files).toContain(`exercises/${f}`);
      expect(files).toContain(`test/exercises/${f.replace(/\.ts$/, ".test.ts")}`);
      expect(files).toContain(`notebooks/${f.replace(/\.ts$/, ".ipynb")}`);
    }
    expect(files.filter((f) => /^(solutions|grading|tools\/grader)\//.test(f) || /hidden/.test(f))).toEqual([]);
    const nb = JSON.parse(readFileSync(join(release, "notebooks", readdirSync(join(release, "notebooks"))[0]), "utf8")) as { cells: { outputs?: unknown[] }[] };
    expect(nb.cells.some((c) => (c.outputs ?? []).length > 0)).toBe(true); // outputs kept
    expect(readFileSync(join(release, "README.md"), "utf8")).not.toMatch(/solutions\/|For course authors|For graders/);
    expect(report.problems).toEqual([]);
  });

  it("passes the leak check, and the leak check catches a planted solution", () => {
    expect(report.leaks).toEqual([]);
    expect(report.distinctiveLines).toBeGreaterThan(150);
    const planted = mkdtempSync(join(tmpdir(), "release-planted-"));
    cpSync(join(release, "exercises"), join(planted, "exercises"), { recursive: true });
    copyFileSync(join(root, "solutions/04-batch-normalization.ts"), join(planted, "exercises/04-batch-normalization.ts"));
    const sources = readdirSync(join(root, "solutions")).map((f) => readFileSync(join(root, "solutions", f), "utf8"));
    const leaks = findLeaks(planted, distinctiveLines(sources, []).lines);
    expect(leaks.length).toBeGreaterThan(10);
    expect(leaks.every((l) => l.file === "exercises/04-batch-normalization.ts")).toBe(true);
  });

  it("every package.json script runs a tool the release ships", () => {
    const pkg = JSON.parse(readFileSync(join(release, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(["test", "check", "submit", "start", "notebooks"]));
    for (const command of Object.values(pkg.scripts)) {
      for (const m of command.matchAll(/tsx\s+(\S+\.ts)/g)) expect(existsSync(join(release, m[1])), m[1]).toBe(true);
    }
  });

  it("its own npm test passes, with every stub failing cleanly for 0 points", () => {
    const out = join(release, "points.json");
    const run = npm(["test"], { POINTS_JSON: out });
    expect(run.status, run.stdout.slice(-3000) + run.stderr.slice(-3000)).toBe(0);
    expect(run.stdout).toMatch(/total\s+0 \/ \d+/);
    const results = JSON.parse(readFileSync(out, "utf8")) as GradedResult[];
    expect(results.length).toBeGreaterThan(80);
    for (const r of results) expect(r.message, r.name).toMatch(/not implemented yet/);
  }, 300_000);

  it("gives correct work full points without solutions/, and npm run submit makes a zip the grader scores like the folder", async () => {
    for (const f of readdirSync(join(root, "solutions"))) copyFileSync(join(root, "solutions", f), join(release, "exercises", f));
    const check = npm(["run", "check"]);
    expect(check.status, check.stderr).toBe(0);
    const total = /total\s+(\d+) \/ (\d+)/.exec(check.stdout)!;
    expect(total[1]).toBe(total[2]);

    const zip = join(release, "submission.zip");
    const submit = npm(["run", "submit", "--", "--out", zip]);
    expect(submit.status, submit.stderr).toBe(0);
    const names = Object.keys(unzipSync(new Uint8Array(readFileSync(zip))));
    expect(names.every((n) => /^exercises\/\d\d-[\w-]+\.ts$/.test(n))).toBe(true);
    const folder = mkdtempSync(join(tmpdir(), "submission-folder-"));
    mkdirSync(join(folder, "exercises"));
    for (const n of names) copyFileSync(join(release, n), join(folder, n));
    const config = loadConfig();
    const [fromZip, fromFolder] = [await gradeSubmission(zip, { config, typecheck: false }), await gradeSubmission(folder, { config, typecheck: false })];
    expect(fromZip.results.score).toBe(fromZip.report.results.reduce((s, r) => s + r.points, 0));
    expect(fromZip.results.tests).toEqual(fromFolder.results.tests);
  }, 300_000);
});

describe("the Gradescope autograder zip", () => {
  it("holds setup.sh and run_autograder (executable) and the whole course, hidden cases included, without node_modules", () => {
    const zipPath = buildAutograder(mkdtempSync(join(tmpdir(), "autograder-")));
    const entries = unzipSync(new Uint8Array(readFileSync(zipPath)), { filter: (f) => !f.name.startsWith("source/notebooks/") });
    const names = Object.keys(entries);
    expect(names).toEqual(expect.arrayContaining(["setup.sh", "run_autograder", "source/package.json", "source/package-lock.json", "source/tools/grader/cli.ts", "source/grading/hidden/04-batch-normalization.hidden.ts", "source/solutions/04-batch-normalization.ts"]));
    expect(names.some((n) => n.includes("node_modules/"))).toBe(false);
    const run = new TextDecoder().decode(entries.run_autograder);
    expect(run).toContain('npm run --silent grade -- "$AG/submission" --out "$RESULTS"');
    expect(new TextDecoder().decode(entries["setup.sh"])).toContain("npm run grade -- --prepare");
    writeFileSync(join(tmpdir(), "autograder-listing.txt"), names.join("\n"));
  });
});
