// `npm run check` and a notebook's `await check("04")`: the report's wording
// (pure functions), and whole runs on a scratch copy of the course whose
// exercise files we break: a syntax error is graded (0 of the lesson's
// points, the compiler's file:line:col, exit status 1), a type error is a
// warning and the code still runs.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatHtml, formatText, parseFeedback, type CheckReport } from "../../../tools/exercises/check-report";
import { selectLessons, standInSource, syntaxError } from "../../../tools/exercises/check-run";
import { KERNEL_DISPLAY_NAME, KERNEL_NAME, writeKernelSpecFolder } from "../../../tools/course/kernelspec";
import { nbconvertMissing as missingNbconvert } from "../../helpers/jupyter";

const ROOT = path.join(__dirname, "..", "..", "..");

const nbconvertMissing = missingNbconvert();

describe("choosing and reading exercise files", () => {
  const all = ["01-why-deep-is-hard", "04-batch-normalization", "10-modern-recipe"];

  it("selects lessons by number or name prefix, once each, and names the choices when nothing matches", () => {
    expect(selectLessons(all, [])).toEqual(all);
    expect(selectLessons(all, ["04", "4", "04-batch"])).toEqual(["04-batch-normalization"]);
    expect(() => selectLessons(all, ["11"])).toThrow(/no exercise file matches "11": the exercises are 01-why-deep-is-hard, 04-batch/);
  });

  it("reports a syntax error with file:line:column, and nothing for a type error", () => {
    expect(syntaxError("export function f(x: number) {\n  return Math.max(x, 1;\n}\n", "exercises/04-x.ts")).toBe("exercises/04-x.ts:2:23: ')' expected.");
    expect(syntaxError("export const C: string = [1].length;\n", "exercises/04-x.ts")).toBeNull();
  });

  it("stands in for a broken file with every name the grader uses, each throwing the compiler's message", () => {
    const grader = 'import * as ex from "@exercise/04-x";\nimport { Later, type Shape } from "@exercise/04-x";\nex.forward(1); new ex.Stopper();';
    const source = standInSource(grader, "exercises/04-x.ts:2:22: ',' expected.");
    expect(source).toContain("export const forward: any");
    expect(source).toContain("export const Stopper: any");
    expect(source).toContain("export const Later: any");
    expect(source).toContain(JSON.stringify("exercises/04-x.ts:2:22: ',' expected."));
  });
});

describe("the report", () => {
  const message = "running mean: expected 0.5 but got 0.25 at position 1 (relative error 5.00e-1, allowed 1e-5)\n  input: [[1,2]]\n  hint: divide by N";

  it("splits a grader's message into expected, got, input and hint", () => {
    expect(parseFeedback(message)).toEqual({
      detail: "running mean: expected 0.5 but got 0.25 at position 1 (relative error 5.00e-1, allowed 1e-5)",
      what: "running mean", expected: "0.5 (position 1)", got: "0.25", input: "[[1,2]]", hint: "divide by N",
    });
    expect(parseFeedback("f is not implemented yet. Hint: loop over rows")).toMatchObject({ expected: null, hint: "loop over rows" });
  });

  const report: CheckReport = {
    earned: 2, total: 5,
    lessons: [{
      lesson: "04-x", file: "exercises/04-x.ts", earned: 2, total: 5, error: null, typeWarnings: ["exercises/04-x.ts:3:9: Type 'number' is not assignable to type 'string'. (TS2322)"],
      tests: [
        { name: "forward <b>works</b>", points: 2, earned: 2, passed: true, message: "" },
        { name: "running stats", points: 3, earned: 0, passed: false, message },
      ],
    }],
  };

  it("as text: points per lesson, type warnings, and each failing test with its feedback", () => {
    const text = formatText(report);
    expect(text).toContain("04-x                            2 / 5    ████░░░░░░  type warnings");
    expect(text).toContain("⚠ exercises/04-x.ts: type errors (warnings: the code still ran");
    expect(text).toContain("✗ 04-x > running stats (3 pts)\n    running mean: expected 0.5");
  });

  it("as HTML: a table of test, points, expected, got and hint, escaped", () => {
    const html = formatHtml(report);
    expect(html).toContain("<b>exercises/04-x.ts: 2 / 5 points</b>");
    expect(html).toContain("<th style=\"text-align:left;vertical-align:top;padding:2px 8px\">expected</th>");
    expect(html).toContain("forward &lt;b&gt;works&lt;/b&gt;");
    expect(html).toMatch(/running stats<br><small [^>]*>checked: running mean<\/small><\/td><td [^>]*>0 \/ 3<\/td><td [^>]*><code [^>]*>0.5 \(position 1\)<\/code><\/td><td [^>]*><code [^>]*>0.25\ninput: \[\[1,2\]\]<\/code><\/td><td [^>]*>divide by N<\/td>/);
  });
});

describe("npm run check on a scratch copy of the course", () => {
  // Symlinks to the real engine, tools, graders and node_modules; exercises/ is a copy we may break, and
  // tools/exercises a copy too (node resolves a symlinked script to its real folder, the real course).
  const work = mkdtempSync(path.join(tmpdir(), "exercise-check-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const course = path.join(work, "course");
  mkdirSync(path.join(course, "test"), { recursive: true });
  mkdirSync(path.join(course, "tools"), { recursive: true });
  for (const name of ["node_modules", "kernel-lib"]) symlinkSync(path.join(ROOT, name), path.join(course, name));
  for (const name of readdirSync(path.join(ROOT, "tools")).filter((n) => n !== "exercises")) symlinkSync(path.join(ROOT, "tools", name), path.join(course, "tools", name));
  cpSync(path.join(ROOT, "tools", "exercises"), path.join(course, "tools", "exercises"), { recursive: true });
  symlinkSync(path.join(ROOT, "test", "exercises"), path.join(course, "test", "exercises"));
  for (const name of ["package.json", "tsconfig.json"]) cpSync(path.join(ROOT, name), path.join(course, name));
  cpSync(path.join(ROOT, "exercises"), path.join(course, "exercises"), { recursive: true });
  const exercise = path.join(course, "exercises", "04-batch-normalization.ts");
  const stub = readFileSync(exercise, "utf8");

  function check(...args: string[]): { status: number | null; report: CheckReport & { text: string; html: string }; output: string } {
    const result = spawnSync(process.execPath, ["--import", "tsx", path.join(course, "tools", "exercises", "check.ts"), ...args, "--json"], { cwd: course, encoding: "utf8", timeout: 120_000 });
    const last = result.stdout.trim().split("\n").pop() ?? "";
    return { status: result.status, report: JSON.parse(last), output: result.stdout + result.stderr };
  }

  it("a syntax error costs the lesson all its points, with the compiler's file:line:col, exit status 1; other lessons are graded", () => {
    const clean = check("04");
    expect(clean.status, clean.output).toBe(0);
    const points = clean.report.total;
    expect(points).toBeGreaterThan(0);

    writeFileSync(exercise, stub.replace(/(return notImplemented\("batchNormForward", "[^"]*")\);/, "$1;"));
    const broken = check("03", "04");
    expect(broken.status, broken.output).toBe(1);
    const bn = broken.report.lessons.find((l) => l.lesson === "04-batch-normalization")!;
    expect(bn).toMatchObject({ earned: 0, total: points });
    expect(bn.error).toMatch(/^exercises\/04-batch-normalization\.ts:\d+:\d+: '\)' expected\.$/);
    expect(bn.tests.map((t) => t.name)).toEqual(clean.report.lessons[0].tests.map((t) => t.name));
    expect(broken.report.lessons.map((l) => l.lesson)).toEqual(["03-activations", "04-batch-normalization"]);
    expect(broken.report.text).toContain("04-batch-normalization          0 / 31   ░░░░░░░░░░  does not compile");
    expect(broken.report.html).toContain("Does not compile, so none of its 31 points count");
  });

  it("a type error is a warning from tsc, and the code still runs", () => {
    writeFileSync(exercise, stub.replace(/(\n  return notImplemented\("batchNormForward")/, "\n  const C: string = x[0].length;$1"));
    const typed = check("04");
    expect(typed.status, typed.output).toBe(0);
    const bn = typed.report.lessons[0];
    expect(bn.error).toBeNull();
    expect(bn.typeWarnings).toEqual([expect.stringMatching(/^exercises\/04-batch-normalization\.ts:\d+:9: Type 'number' is not assignable to type 'string'\. \(TS2322\)$/)]);
    // It ran: the stub's own message, not a compile error, is the feedback.
    expect(bn.tests[0].message).toContain("batchNormForward is not implemented yet");
  });
  it.skipIf(nbconvertMissing !== null)(`in a notebook, await check() grades the file as it is now: run twice around an edit, it sees the edit${nbconvertMissing === null ? "" : ` (skipped: ${nbconvertMissing})`}`, () => {
    writeFileSync(exercise, stub);
    const notebooks = path.join(course, "notebooks");
    mkdirSync(notebooks, { recursive: true });
    cpSync(path.join(ROOT, "notebooks", "check.ts"), path.join(notebooks, "check.ts"));
    const solved = readFileSync(path.join(ROOT, "solutions", "04-batch-normalization.ts"), "utf8");
    const cell = (id: string, source: string) => ({ cell_type: "code", execution_count: null, id, metadata: {}, outputs: [], source });
    writeFileSync(path.join(notebooks, "check-twice.ipynb"), JSON.stringify({
      cells: [
        cell("first", 'import { check } from "./check";\nawait check("04");'),
        cell("edit", `require("fs").writeFileSync(${JSON.stringify(exercise)}, ${JSON.stringify(solved)});`),
        cell("second", 'await check("04");'),
      ],
      metadata: { kernelspec: { display_name: KERNEL_DISPLAY_NAME, language: "typescript", name: KERNEL_NAME } },
      nbformat: 4, nbformat_minor: 5,
    }));
    const jupyter = path.join(work, "jupyter");
    writeKernelSpecFolder(path.join(jupyter, "path", "kernels", KERNEL_NAME));
    const env = { ...process.env, JUPYTER_PATH: path.join(jupyter, "path"), JUPYTER_DATA_DIR: path.join(jupyter, "data"), JUPYTER_CONFIG_DIR: path.join(jupyter, "config"), JUPYTER_RUNTIME_DIR: path.join(jupyter, "runtime") };
    const run = spawnSync("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=180", "--output", "executed.ipynb", "check-twice.ipynb"], { cwd: notebooks, env, encoding: "utf8", timeout: 240_000 });
    expect(run.status, run.stderr).toBe(0);
    const executed = JSON.parse(readFileSync(path.join(notebooks, "executed.ipynb"), "utf8")) as { cells: { outputs: { data?: Record<string, string | string[]> }[] }[] };
    const html = (i: number): string => [executed.cells[i].outputs[0]?.data?.["text/html"] ?? ""].flat().join("");
    const text = (i: number): string => [executed.cells[i].outputs[0]?.data?.["text/plain"] ?? ""].flat().join("");
    expect(html(0)).toContain("<b>exercises/04-batch-normalization.ts: 0 / 31 points</b>");
    expect(html(0)).toContain('<table class="course-check-table">');
    expect(text(0)).toContain("04-batch-normalization          0 / 31");
    expect(html(2)).toContain("<b>exercises/04-batch-normalization.ts: 31 / 31 points</b> ✓ all tests pass");
  }, 300_000);
});
