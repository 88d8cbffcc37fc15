/**
 * The adversarial suite: submissions that are broken or hostile, each with
 * the tests it must pass (and so the score it must get). Zero false passes:
 * every unit outside a case's `passes` must score 0; every run yields a valid
 * results.json. Limits are tightened (3 CPU-seconds per test, small memory)
 * so the suite stays quick; the attacks are the same at the default limits.
 */
import { afterEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { loadConfig } from "../../../tools/grader/config";
import { gradeSubmission, type Graded } from "../../../tools/grader/grade";
import { checkResults } from "../../../tools/grader/results";
import type { UnitResult } from "../../../tools/grader/score";
import { ownTmpdir, processesMentioning, waitUntil } from "../../helpers/processes";

const root = resolve(__dirname, "..", "..", "..");
const fixtures = join(root, "test/fixtures/submissions");
// Every sandbox of this file lives under a TMPDIR of its own: none may survive its test.
const ownTmp = ownTmpdir("grader-adversarial-");
afterEach(async () => {
  expect(await waitUntil(() => processesMentioning(ownTmp).length === 0, 5_000), processesMentioning(ownTmp).join("\n")).toBe(true);
});

const config = loadConfig({ limits: { unitCpuMs: 8_000, unitMs: 20_000, fileMs: 60_000, submissionMs: 150_000, heapMiB: 256, rssMiB: 768, parallel: 2 } });

/** Copies a fixture folder, dropping the ".fixture" suffix of its files. */
function fromFixture(name: string): string {
  const out = mkdtempSync(join(tmpdir(), `submission-${name}-`));
  const copy = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const src = join(dir, entry.name);
      const dst = join(out, relative(join(fixtures, name), src)).replace(/\.fixture$/, "");
      if (entry.isDirectory()) copy(src);
      else {
        mkdirSync(dirname(dst), { recursive: true });
        copyFileSync(src, dst);
      }
    }
  };
  copy(join(fixtures, name));
  return out;
}

/** A submission holding every file of `folder` (solutions/ or exercises/). */
function allOf(folder: "solutions" | "exercises"): string {
  const out = mkdtempSync(join(tmpdir(), `submission-${folder}-`));
  mkdirSync(join(out, "exercises"));
  for (const f of readdirSync(join(root, folder)).filter((f) => /^\d\d-.*\.ts$/.test(f))) copyFileSync(join(root, folder, f), join(out, "exercises", f));
  return out;
}

interface Case {
  name: string;
  submission: () => string;
  /** The units this submission must pass; all others must score 0. */
  passes: (r: UnitResult) => boolean;
  typecheck?: boolean;
  check?: (g: Graded) => void;
}

const ex07 = (r: UnitResult) => r.exercise === "07-lr-schedules";
const notes = (g: Graded, exercise: string) => g.report.exercises.find((e) => e.exercise === exercise)!.notes.join("\n");
const messages = (g: Graded, exercise: string) => g.report.results.filter((r) => r.exercise === exercise).map((r) => r.message).join("\n");

const cases: Case[] = [
  { name: "fully correct (the reference solutions)", submission: () => allOf("solutions"), passes: () => true },
  {
    name: "the pristine stubs", submission: () => allOf("exercises"), passes: () => false,
    check: (g) => expect(g.report.results.every((r) => /not implemented yet/.test(r.message))).toBe(true),
  },
  { name: "partly correct: stepDecay wrong, oneCycle missing", submission: () => fromFixture("partly-correct"), passes: (r) => ex07(r) && !/stepDecay|oneCycle/.test(r.name) },
  {
    name: "a syntax error in one exercise", submission: () => fromFixture("syntax-error"), passes: ex07, typecheck: true,
    check: (g) => {
      expect(messages(g, "01-why-deep-is-hard")).toMatch(/does not compile: exercises\/01-why-deep-is-hard\.ts:3:\d+/);
      // The summary students see lists the lesson with 0 and the compiler's file:line:column; no "type warnings" for code that never ran.
      expect(g.results.output).toMatch(/01-why-deep-is-hard +0 \/ \d+[^\n]*\n +! syntax error: exercises\/01-why-deep-is-hard\.ts:3:\d+: /);
      expect(notes(g, "01-why-deep-is-hard")).not.toMatch(/type errors/);
    },
  },
  {
    name: "type errors only (graded in full, reported as warnings)", submission: () => fromFixture("type-error-only"), passes: ex07, typecheck: true,
    check: (g) => expect(notes(g, "07-lr-schedules")).toMatch(/type errors \(warnings; the code was still run\): line \d+:\d+ TS2322/),
  },
  {
    name: "an infinite loop in one function", submission: () => fromFixture("infinite-loop"), passes: (r) => ex07(r) && !/oneCycle/.test(r.name),
    check: (g) => expect(messages(g, "07-lr-schedules")).toMatch(/timed out after 8 s of computing/),
  },
  {
    name: "a memory bomb (typed arrays and the heap)", submission: () => fromFixture("memory-bomb"),
    passes: (r) => r.exercise === "06-optimizers" && /momentumStep|nesterovStep/.test(r.name),
    check: (g) => {
      expect(messages(g, "06-optimizers")).toMatch(/used more than 768 MiB of memory/);
      expect(messages(g, "06-optimizers")).toMatch(/ran out of memory/);
    },
  },
  {
    name: "process.exit(0) at import", submission: () => fromFixture("exit-at-import"), passes: () => false,
    check: (g) => expect(messages(g, "05-residuals-and-clipping")).toMatch(/ended the sandbox process \(exit code 0\)/),
  },
  {
    name: "a throw at import", submission: () => fromFixture("throw-at-import"), passes: () => false,
    check: (g) => expect(messages(g, "04-batch-normalization")).toMatch(/failed to load: this module refuses to load/),
  },
  {
    name: "writing a fake results.json", submission: () => fromFixture("fake-results"), passes: () => false,
    check: (g) => {
      const out = g.studentOutput.get("08-regularization") ?? "";
      expect(out).toMatch(/could not write \/autograder\/results\/results\.json: ERR_ACCESS_DENIED/);
      expect(out).toMatch(/could not write \.\.\/results\.json: ERR_ACCESS_DENIED/);
      expect(existsSync("/tmp/results.json") && readFileSync("/tmp/results.json", "utf8").includes("999")).toBe(false);
    },
  },
  {
    name: "reading solutions/ and the hidden tests", submission: () => fromFixture("read-solutions"), passes: () => false,
    check: (g) => {
      const out = g.studentOutput.get("09-transfer-learning") ?? "";
      expect(out).not.toMatch(/READ /);
      expect(out).toMatch(/denied \/work\/main\/solutions\/09-transfer-learning\.ts: ERR_ACCESS_DENIED/);
      expect(out).toMatch(/denied \/proc\/self\/environ: ERR_ACCESS_DENIED/);
    },
  },
  {
    name: "monkeypatching expect and reaching the test machinery", submission: () => fromFixture("patch-expect"), passes: () => false,
    check: (g) => {
      const out = g.studentOutput.get("10-modern-recipe") ?? "";
      for (const what of ["require vitest", "require the grading helpers", "require module", "require child_process", "require worker_threads", "require inspector", "patch Error.prototype.message", "patch Function.prototype.call", "patch Object.is", "eval"]) {
        expect(out, what).toMatch(new RegExp(`${what.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} refused`));
      }
      expect(out).toMatch(/process\.mainModule: undefined/);
    },
  },
  {
    name: "patching Math.random (a correct solution that replaces it at import)", submission: () => fromFixture("patch-random"), passes: () => false,
    check: (g) => expect(messages(g, "07-lr-schedules")).toMatch(/failed to load: TypeError: Cannot assign to read only property 'random'/),
  },
  {
    name: "prototype pollution and patched built-ins", submission: () => fromFixture("prototype-pollution"), passes: () => false,
    check: (g) => {
      const out = g.studentOutput.get("02-initialization") ?? "";
      expect(out).not.toMatch(/: patched/);
      expect(out.match(/refused/g)?.length).toBe(9);
    },
  },
  { name: "printing fake \"passed\" lines", submission: () => fromFixture("fake-passed-lines"), passes: () => false },
  {
    name: "forging lines on the grader's result channel (a correct solution, voided)", submission: () => fromFixture("forge-channel"), passes: () => false,
    check: (g) => expect(messages(g, "07-lr-schedules")).toMatch(/integrity check failed/),
  },
  {
    name: "megabytes of output", submission: () => fromFixture("megabytes-output"), passes: ex07,
    check: (g) => expect(notes(g, "07-lr-schedules")).toMatch(/printed \d+ bytes more than/),
  },
  {
    name: "extra files (tests, configs, package.json, solutions, node_modules, a symlink to the solution)",
    submission: () => {
      const dir = fromFixture("extra-files");
      mkdirSync(join(dir, "node_modules/evil"), { recursive: true });
      writeFileSync(join(dir, "node_modules/evil/index.js"), 'module.exports = "pwned";');
      symlinkSync(join(root, "solutions/02-initialization.ts"), join(dir, "exercises/02-initialization.ts"));
      return dir;
    },
    passes: ex07,
    check: (g) => {
      const about = g.report.notes.join("\n");
      for (const f of ["package.json", "vitest.config.mts", "exercises/support.ts", "test/exercises/07-lr-schedules.test.ts", "solutions/01-why-deep-is-hard.ts", "node_modules/", "notes.txt"]) expect(about).toContain(f);
      expect(about).toContain("exercises/02-initialization.ts (not a regular file)");
    },
  },
];

describe("adversarial submissions: each gets exactly the points it earns", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const graded = await gradeSubmission(c.submission(), { config, typecheck: c.typecheck ?? false });
      expect(checkResults(graded.results)).toEqual([]);
      const falsePasses = graded.report.results.filter((r) => r.passed && !c.passes(r)).map((r) => `${r.exercise}: ${r.name}`);
      const missed = graded.report.results.filter((r) => !r.passed && c.passes(r)).map((r) => `${r.exercise}: ${r.name}: ${r.message}`);
      expect(falsePasses, "false passes").toEqual([]);
      expect(missed, "points it should have earned").toEqual([]);
      const expectedScore = graded.report.results.filter(c.passes).reduce((s, r) => s + r.points, 0);
      expect(graded.results.score).toBe(expectedScore);
      c.check?.(graded);
    }, 240_000);
  }
});

describe("the command line", () => {
  it("writes a valid results.json that a student's own files cannot replace, and the same score every time", () => {
    const dir = mkdtempSync(join(tmpdir(), "grade-cli-"));
    const submission = fromFixture("partly-correct");
    const run = (out: string) => spawnSync(join(root, "node_modules/.bin/tsx"), ["tools/grader/cli.ts", submission, "--out", out, "--no-typecheck", "--quiet"], { cwd: root, encoding: "utf8", timeout: 180_000 });
    const first = run(join(dir, "a/results.json"));
    expect(first.status, first.stderr).toBe(0);
    const second = run(join(dir, "b/results.json"));
    expect(second.status, second.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, "a/results.json"), "utf8")) as { score: number; tests: unknown[]; execution_time: number };
    const b = JSON.parse(readFileSync(join(dir, "b/results.json"), "utf8")) as typeof a;
    expect(checkResults(a)).toEqual([]);
    expect({ ...a, execution_time: 0 }).toEqual({ ...b, execution_time: 0 });
    expect(a.score).toBeGreaterThan(0);
    expect(first.stdout).toMatch(new RegExp(`score ${a.score} / \\d+ in [\\d.]+ s`));
    expect(statSync(join(dir, "a/results.json")).size).toBeGreaterThan(1000);
  }, 240_000);

  it("still writes a valid results.json when the submission cannot be read", () => {
    const out = join(mkdtempSync(join(tmpdir(), "grade-cli-")), "results.json");
    const run = spawnSync(join(root, "node_modules/.bin/tsx"), ["tools/grader/cli.ts", "/nonexistent/submission.zip", "--out", out, "--quiet"], { cwd: root, encoding: "utf8", timeout: 120_000 });
    expect(run.status).toBe(1);
    const results = JSON.parse(readFileSync(out, "utf8")) as { score: number; output: string };
    expect(checkResults(results)).toEqual([]);
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/could not grade this submission/);
  }, 120_000);
});
