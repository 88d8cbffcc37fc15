import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { makeStub } from "../../../tools/exercises/stubs";
import { staleStubs } from "../../../tools/exercises/generate";
import type { GradedResult } from "../../exercises/points-reporter";

const root = resolve(__dirname, "..", "..", "..");

describe("exercise stubs are generated from the solutions", () => {
  it("replaces each marked region with notImplemented(name, hint) and imports it", () => {
    const source = [
      'import { tensor } from "kernel-lib";',
      "export function heStd(fanIn: number): number {",
      "  // BEGIN SOLUTION hint: sqrt(2 / fanIn)",
      "  return Math.sqrt(2 / fanIn);",
      "  // END SOLUTION",
      "}",
    ].join("\n");
    const stub = makeStub(source, "x.ts");
    expect(stub).toContain('return notImplemented("heStd", "sqrt(2 / fanIn)");');
    expect(stub).not.toContain("Math.sqrt(2 / fanIn)");
    expect(stub.split("\n")[1]).toBe('import { notImplemented } from "./support";');
  });

  it("refuses malformed markers", () => {
    expect(() => makeStub("// BEGIN SOLUTION\nx", "a.ts")).toThrow(/never closed/);
    expect(() => makeStub("// END SOLUTION", "a.ts")).toThrow(/END SOLUTION without BEGIN/);
    expect(() => makeStub("export const a = 1;", "a.ts")).toThrow(/no BEGIN SOLUTION region/);
  });

  it("the committed exercises/ are current with solutions/ (run `npm run exercises` if not)", () => {
    expect(staleStubs()).toEqual([]);
  });

  it("every solution has a stub and a grader with the same name", () => {
    const solutions = readdirSync(join(root, "solutions")).filter((f) => /^\d\d-.*\.ts$/.test(f));
    expect(solutions.length).toBeGreaterThan(0);
    for (const f of solutions) {
      expect(readdirSync(join(root, "exercises"))).toContain(f);
      expect(readdirSync(join(root, "test/exercises"))).toContain(f.replace(/\.ts$/, ".test.ts"));
    }
  });
});

describe("grading the pristine stubs", () => {
  it("fails every graded test cleanly and scores 0 points", () => {
    const out = join(mkdtempSync(join(tmpdir(), "points-")), "points.json");
    const run = spawnSync(join(root, "node_modules/.bin/vitest"), ["run", "test/exercises/", "--reporter=./test/exercises/points-reporter.ts"], {
      cwd: root, env: { ...process.env, GRADE_TARGET: "exercises", POINTS_JSON: out }, encoding: "utf8", timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(1); // tests failed, nothing crashed
    const results = JSON.parse(readFileSync(out, "utf8")) as GradedResult[];
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.earned, r.name).toBe(0);
      expect(r.message, r.name).toMatch(/not implemented yet/);
    }
    expect(run.stdout).toMatch(/total\s+0 \/ \d+/);
  }, 120_000);
});
