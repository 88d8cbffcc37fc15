/**
 * Hostile homework at process level (issue 17) and the result channel's
 * per-run secret (issue 16's anchor): one test per break, each asserting the
 * score or behaviour it must get AND that no process is left behind.
 *
 * Submissions hold only the attacked exercise files (the others are missing
 * and score 0), so each grade runs one or two sandboxes. Every sandbox and
 * type check of this file lives under a TMPDIR of its own, so "left behind"
 * is: a live process whose command line mentions that folder.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { deflateRawSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, type GraderConfig } from "../../../tools/grader/config";
import { gradeSubmission, type Graded } from "../../../tools/grader/grade";
import { isolation } from "../../../tools/grader/isolation";
import { checkResults, toGradescope } from "../../../tools/grader/results";
import { scoreExercise } from "../../../tools/grader/score";
import type { ManifestUnit } from "../../../tools/grader/reference";
import type { ExerciseRun } from "../../../tools/grader/run-exercise";
import { maxPoints, messages, points, replaceBody, submissionIn, type SubmissionFiles } from "../../helpers/hostile-submissions";
import { ownTmpdir, processesMentioning, waitUntil } from "../../helpers/processes";

const root = resolve(__dirname, "..", "..", "..");
const TSX = join(root, "node_modules/.bin/tsx");
const ownTmp = ownTmpdir("grader-hostile-");

const config = loadConfig({ limits: { unitCpuMs: 8_000, unitMs: 20_000, fileMs: 60_000, submissionMs: 150_000, heapMiB: 256, rssMiB: 768, parallel: 2 } });
const iso = isolation();
const fullIsolation = iso.level === "namespaces" && iso.otherUid;

afterEach(async () => {
  // Sandboxes, type checks and child graders all live under ownTmp: none may survive a test.
  expect(await waitUntil(() => processesMentioning(ownTmp).length === 0, 5_000), processesMentioning(ownTmp).join("\n")).toBe(true);
});

const submission = (files: SubmissionFiles) => submissionIn(ownTmp, files);

const L07 = "07-lr-schedules";

async function grade(dir: string, options: { typecheck?: boolean; config?: GraderConfig } = {}): Promise<Graded> {
  const g = await gradeSubmission(dir, { config: options.config ?? config, typecheck: options.typecheck ?? false });
  expect(checkResults(g.results)).toEqual([]);
  return g;
}

describe("points without solving", () => {
  it("1. mutating the inputs earns nothing: read-only copies, and expected values from the reference run", async () => {
    const g = await grade(submission({
      "01-why-deep-is-hard": { from: "exercises", edit: (s) => replaceBody(s, "fitPolynomial", "  (y as number[]).fill(0);\n  return new Array<number>(degree + 1).fill(0);") },
    }));
    expect(points(g, "01-why-deep-is-hard")).toBe(0);
    expect(messages(g, "01-why-deep-is-hard")).toMatch(/fitPolynomial changed an argument it must leave unchanged/);
  }, 240_000);

  it("1b. an expected value computed in the sandbox is never trusted: the grader checks against the manifest's", () => {
    // The sandbox reported got = expected = 42 (a forged expectation); the reference run expected 7.
    const unit: ManifestUnit = { kind: "test", name: "t (1 pt)", points: 1, checks: 1, reference: [{ k: "close", g: [7], e: [7] }], alone: [{ k: "close", g: [7], e: [7] }] };
    const run: ExerciseRun = {
      exercise: "x", units: [{ kind: "test", name: "t (1 pt)" }], outcomes: new Map([[0, { ok: true, message: "", records: [{ k: "close", g: [42], e: [42] }] }]]),
      isolated: new Set(), integrity: null, loadError: null, stdout: "", stderr: "", droppedOutput: 0, elapsedMs: 0,
    };
    const [forged] = scoreExercise("x", [unit], run, null);
    expect(forged.earned).toBe(0);
    expect(forged.message).toMatch(/expected 7 but got 42 .*checked by the grader against the reference solution's expected value/);
    run.outcomes.set(0, { ok: true, message: "", records: [{ k: "close", g: [7], e: [42] }] });
    expect(scoreExercise("x", [unit], run, null)[0].earned).toBe(1);
  });

  it("2. the engine's kernels cannot be swapped: student code sees kernel-lib without backend", async () => {
    const g = await grade(submission({
      [L07]: {
        from: "solutions",
        edit: (s) => `import * as K from "kernel-lib";\nconst b = (K as unknown as { backend?: { setKernels?: unknown } }).backend;\nconsole.log(\`backend: \${typeof b}\`);\n${s}`,
      },
    }));
    expect(g.studentOutput.get(L07)).toMatch(/backend: undefined/);
    expect(points(g, L07)).toBe(maxPoints(g, L07));
  }, 240_000);

  it("3. returned engine objects whose methods lie, or Proxies, are refused", async () => {
    const g = await grade(submission({
      "10-modern-recipe": {
        from: "solutions",
        edit: (s) => s.replace("  return new nn.Sequential(...layers);\n", [
          "  const honest = new nn.Sequential(...layers);",
          "  const liar = new nn.Sequential(new nn.Linear(1, 1));",
          "  for (const k of [\"children\", \"modules\", \"namedModules\", \"parameters\", \"namedParameters\", \"forward\"]) (liar as unknown as Record<string, unknown>)[k] = (...a: unknown[]) => (honest as unknown as Record<string, (...x: unknown[]) => unknown>)[k](...a);",
          "  return sizes.length === 3 ? (new Proxy(honest, {}) as nn.Sequential) : liar;",
          "",
        ].join("\n")),
      },
    }));
    const recipe = g.report.results.filter((r) => r.exercise === "10-modern-recipe" && /^recipeModel/.test(r.name) && r.kind === "test");
    expect(recipe.length).toBeGreaterThan(0);
    for (const r of recipe) {
      expect(r.earned, r.name).toBe(0);
      expect(r.message).toMatch(/replaces the method "\w+" of Sequential|is a Proxy/);
    }
  }, 240_000);

  it("4. hidden inputs cannot leak to another process: each sandbox process has a scratch folder of its own", async () => {
    // 01 marks its scratch folder at import (in every process, hidden cases included); 07 probes for the mark
    // with mkdir (write-only access still leaks a bit through EEXIST) and fails a public test if it sees it.
    const probe = [
      "import * as fs from \"node:fs\";",
      "function seen(): boolean { try { fs.mkdirSync(\"mark-from-01\"); return false; } catch (e) { return (e as { code?: string }).code === \"EEXIST\"; } }",
      "let firstProbe: boolean | null = null;",
      "",
    ].join("\n");
    const g = await grade(submission({
      "01-why-deep-is-hard": { from: "solutions", edit: (s) => `import * as fs from "node:fs";\ntry { fs.mkdirSync("mark-from-01"); } catch {}\nconsole.log(\`marked \${process.cwd()}\`);\n${s}` },
      [L07]: {
        from: "solutions",
        edit: (s) => `${probe}${s.replace("export function stepDecay(lr0: number, epoch: number, stepSize: number, gamma: number): number {\n", "export function stepDecay(lr0: number, epoch: number, stepSize: number, gamma: number): number {\n  firstProbe ??= seen();\n  if (firstProbe) throw new Error(\"LEAK: the mark of exercise 01 is visible here\");\n")}`,
      },
    }), { config: { ...config, limits: { ...config.limits, parallel: 1 } } });
    expect(g.studentOutput.get("01-why-deep-is-hard")).toMatch(/marked /);
    expect(messages(g, L07)).not.toMatch(/LEAK/);
    expect(points(g, L07)).toBe(maxPoints(g, L07));
  }, 240_000);

  it("5. hidden scores stay out of the top-level output unless hidden results are visible", async () => {
    const g = await grade(submission({ [L07]: { from: "solutions" } }));
    const hidden = toGradescope(g.report, { ...config, hiddenVisibility: "after_published" });
    expect(hidden.output).not.toMatch(/hidden \d+\/\d+/);
    expect(hidden.output).toMatch(/\(\+ \d+ hidden\)/);
    expect(hidden.output).toMatch(/total \(public\)/);
    expect(hidden.tests.filter((t) => t.tags.includes("hidden")).every((t) => t.visibility === "after_published")).toBe(true);
    const visible = toGradescope(g.report, { ...config, hiddenVisibility: "visible" });
    expect(visible.output).toMatch(/hidden \d+\/\d+/);
  }, 240_000);
});

describe("a result, always", () => {
  it.skipIf(!fullIsolation)("6. a sandbox cannot signal, stop or inspect the grader", async () => {
    const attack = [
      "const tried: string[] = [];",
      "const attempt = (what: string, f: () => unknown) => { try { f(); tried.push(`${what}: sent`); } catch (e) { tried.push(`${what}: ${(e as { code?: string }).code}`); } };",
      "attempt(\"SIGKILL to the parent\", () => process.kill(process.ppid, \"SIGKILL\"));",
      "attempt(\"SIGSTOP to everyone\", () => process.kill(-1, \"SIGSTOP\"));",
      "attempt(\"SIGKILL to everyone\", () => process.kill(-1, \"SIGKILL\"));",
      "attempt(\"SIGTERM to the process group\", () => process.kill(0, \"SIGTERM\"));",
      // Which pids exist here? Only this process's own threads (kill() accepts a thread id): the grader's pid does not.
      "const visible: number[] = [];",
      "for (let pid = 2; pid < 4000; pid++) { try { process.kill(pid, 0); visible.push(pid); } catch {} }",
      "tried.push(`visible pids: ${visible.length}`);",
      "console.log(`ppid ${process.ppid}, pid ${process.pid}; ${tried.join(\"; \")}`);",
      // Stay alive a moment, so that the test sees this sandbox and signals the grader while it waits on it.
      "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);",
      "",
    ].join("\n");
    const dir = submission({ [L07]: { from: "solutions", edit: (s) => `${attack}${s}` } });
    const out = join(ownTmp, "signals.json");
    const run = spawn(TSX, ["tools/grader/cli.ts", dir, "--out", out, "--no-typecheck"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    run.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    run.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    // Listen before waiting: a grader that ends meanwhile must not leave the test waiting for a 'close' already emitted.
    const closed = new Promise<number | null>((r) => run.on("close", (c) => r(c)));
    // SIGUSR1 from outside must not open the grader's inspector either (tsx runs the grader in a child node).
    expect(await waitUntil(() => processesMentioning(ownTmp).some((p) => p.includes("harness.js")), 60_000)).toBe(true);
    // Only the grader itself (tsx's child, with the loader): tsx's own wrapper process is not the grader.
    // Only this test's grader (its command line names this test's submission), not graders other test files run meanwhile.
    for (const line of processesMentioning(dir)) if (line.includes("cli.ts") && line.includes("loader.mjs")) process.kill(Number(line.split(":")[0]), "SIGUSR1");
    const code = await closed;
    expect(code, stderr).toBe(0);
    expect(stderr).not.toMatch(/Debugger listening/);
    const results = JSON.parse(readFileSync(out, "utf8")) as { score: number; tests: { name: string; score: number; max_score: number }[] };
    expect(checkResults(results)).toEqual([]);
    const l07 = results.tests.filter((t) => t.name.startsWith(L07));
    expect(l07.every((t) => t.score === t.max_score)).toBe(true);
    expect(stdout).toMatch(/ppid 0, pid 1;/); // the sandbox is the first process of a PID namespace of its own
    const visible = Number(/visible pids: (\d+)/.exec(stdout)?.[1]);
    expect(visible).toBeLessThan(32); // its own threads: nothing else lives in its PID namespace
  }, 240_000);

  it("7. a SIGKILLed grader takes its sandboxes with it, and leaves the provisional results.json", async () => {
    const dir = submission({ [L07]: { from: "solutions", edit: (s) => `${s}\nwhile (Date.now() > 0) { /* keeps the sandbox busy */ }\n` } });
    const out = join(ownTmp, "killed.json");
    const run = spawn(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), "tools/grader/cli.ts", dir, "--out", out, "--no-typecheck"], { cwd: root, stdio: "ignore" });
    expect(await waitUntil(() => processesMentioning(ownTmp).some((p) => p.includes("harness.js")), 60_000)).toBe(true);
    // tsx runs the grader in a child node process: kill that one (the grader), then tsx.
    for (const line of processesMentioning("tools/grader/cli.ts")) {
      const pid = Number(line.split(":")[0]);
      if (pid !== run.pid) process.kill(pid, "SIGKILL");
    }
    run.kill("SIGKILL");
    expect(await waitUntil(() => processesMentioning(ownTmp).filter((p) => p.includes("harness.js")).length === 0, 10_000)).toBe(true);
    const provisional = JSON.parse(readFileSync(out, "utf8")) as { score: number; output: string };
    expect(checkResults(provisional)).toEqual([]);
    expect(provisional.score).toBe(0);
    expect(provisional.output).toMatch(/Grading did not finish/);
  }, 240_000);

  it("8. a batch grades each submission in its own child: one that kills its grader gets a row, leaves no sandbox on disk, and the next is graded", async () => {
    const tempBefore = new Set(readdirSync(ownTmp));
    const batch = mkdtempSync(join(ownTmp, "batch-"));
    const victim = submission({ [L07]: { from: "solutions", edit: (s) => `${s}\nwhile (Date.now() > 0) { /* keeps the sandbox busy */ }\n` } });
    // The next submission tries to read the one before it (the batch folder is not the sandbox's): it may not.
    const peek = `import * as fs from "node:fs";\ntry { fs.readFileSync(${JSON.stringify(join(batch, "a-victim", "exercises", `${L07}.ts`))}); throw new Error("LEAK: read another submission"); } catch (e) { if (/LEAK/.test(String(e))) throw e; }\n`;
    const honest = submission({ [L07]: { from: "solutions", edit: (s) => `${peek}${s}` } });
    spawnSync("cp", ["-r", victim, join(batch, "a-victim")]);
    spawnSync("cp", ["-r", honest, join(batch, "b-honest")]);
    const csv = join(batch, "scores.csv");
    const run = spawn(TSX, ["tools/grader/cli.ts", "--batch", batch, "--csv", csv, "--no-typecheck"], { cwd: root, stdio: "ignore" });
    const closed = new Promise<number | null>((r) => run.on("close", (c) => r(c)));
    // When a-victim's sandbox runs, kill its child grader (as a crash of the grader would).
    expect(await waitUntil(() => processesMentioning(ownTmp).some((p) => p.includes("harness.js")), 90_000)).toBe(true);
    for (const line of processesMentioning(join(batch, "a-victim"))) if (line.includes("cli.ts")) process.kill(Number(line.split(":")[0]), "SIGKILL");
    const code = await closed;
    expect(code).toBe(0);
    const rows = readFileSync(csv, "utf8").trim().split("\n");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/^a-victim,,,.*grader error: the grader stopped \(signal SIGKILL\)/);
    expect(rows[2]).toMatch(/^b-honest,\d+,/);
    expect(Number(rows[2].split(",")[1])).toBeGreaterThan(0);
    // Each child grader had a TMPDIR of its own, removed by the batch: the killed one's sandbox is gone too.
    expect(readdirSync(ownTmp).filter((f) => /^course-/.test(f) && !tempBefore.has(f))).toEqual([]);
  }, 300_000);

  it("9. a zip with overlapping entries is refused with a clear message and 0, without inflating anything", async () => {
    // One deflate stream of 50 MB of "A", listed 100 times: the classic overlapping-entries bomb.
    const data = deflateRawSync(Buffer.alloc(50 * 1024 * 1024, 65), { level: 9 });
    const name = Buffer.from(`exercises/${L07}.ts`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(100, 22);
    local.writeUInt16LE(name.length, 26);
    const central: Buffer[] = [];
    for (let k = 0; k < 100; k++) {
      const n = k === 0 ? name : Buffer.from(`exercises/01-why-deep-is-hard-${k}.ts`);
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(8, 10);
      h.writeUInt32LE(data.length, 20);
      h.writeUInt32LE(100, 24);
      h.writeUInt16LE(n.length, 28);
      central.push(h, n);
    }
    const cd = Buffer.concat(central);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(100, 8);
    eocd.writeUInt16LE(100, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(30 + name.length + data.length, 16);
    const zip = join(ownTmp, "overlapping.zip");
    writeFileSync(zip, Buffer.concat([local, name, data, cd, eocd]));
    const g = await grade(zip, { typecheck: true });
    expect(g.results.score).toBe(0);
    expect(g.report.results.every((r) => /the zip was refused: the entries .* share their data \(overlapping entries: a zip bomb\)/.test(r.message))).toBe(true);
    expect(g.report.notes.join("\n")).toMatch(/overlapping entries/);
  }, 120_000);

  it("10. a type bomb stops the type check at its memory cap, says so, and the code is still graded", async () => {
    const bomb = [
      "type D = \"0\" | \"1\" | \"2\" | \"3\" | \"4\" | \"5\" | \"6\" | \"7\" | \"8\" | \"9\";",
      "type K = `${D}${D}${D}${D}`;",
      "type Grid = { [P in K]: { [Q in K]: [P, Q] } };",
      "export const cell: Grid[K][K] = [\"0\", \"0\"];",
      "",
    ].join("\n");
    const dir = submission({ [L07]: { from: "solutions", edit: (s) => `${s}\n${bomb}` } });
    const g = await grade(dir, { typecheck: true, config: { ...config, limits: { ...config.limits, typecheckHeapMiB: 256 } } });
    expect(g.report.notes.join("\n")).toMatch(/the type check ran out of memory \(tsc's heap is capped at 256 MiB\): a type too complex to check; no type warnings are reported, and the code was still run/);
    expect(points(g, L07)).toBe(maxPoints(g, L07));
  }, 240_000);
});

describe("the result channel's per-run secret (PrairieLearn-style)", () => {
  const channel = (attack: string) => submission({ [L07]: { from: "solutions", edit: (s) => `import * as fs from "node:fs";\n${attack}\n${s}` } });

  it("a replayed line (a well-formed message under another run's secret) voids the exercise", async () => {
    const stale = "3f".repeat(24);
    const g = await grade(channel(`for (let i = 0; i < 20; i++) { try { fs.writeSync(3, \`${stale} \${JSON.stringify({ t: "end", i, ok: true })}\\n\`); } catch {} }`));
    expect(points(g, L07)).toBe(0);
    expect(messages(g, L07)).toMatch(/integrity check failed/);
  }, 240_000);

  it("a suppressed channel (fd 3 closed, or reopened on a file) earns nothing", async () => {
    const g = await grade(channel(`try { fs.closeSync(3); } catch {}\ntry { fs.openSync("swallow.txt", "w"); } catch {}`));
    expect(points(g, L07)).toBe(0);
  }, 240_000);

  it("a partial line written ahead of the harness's corrupts it and voids the exercise", async () => {
    const g = await grade(channel(`try { fs.writeSync(3, "x"); } catch {}`));
    expect(points(g, L07)).toBe(0);
    expect(messages(g, L07)).toMatch(/integrity check failed/);
  }, 240_000);
});

describe("isolation is measured and reported", () => {
  it("names what is missing when namespaces are unavailable (GRADER_ISOLATION=uid), in the results and the log", () => {
    const script = join(ownTmp, "measure-isolation.ts");
    writeFileSync(script, `import { isolation } from ${JSON.stringify(join(root, "tools/grader/isolation"))};\nconsole.log(JSON.stringify(isolation()));\n`);
    const r = spawnSync(TSX, [script], {
      cwd: root, encoding: "utf8", env: { ...process.env, GRADER_ISOLATION: "uid" }, timeout: 60_000,
    });
    const measured = JSON.parse(r.stdout.trim().split("\n").pop()!) as { level: string; missing: string | null };
    if (process.getuid?.() === 0) {
      expect(measured.level).toBe("uid");
      expect(measured.missing).toMatch(/Linux namespaces are not available here .* run as uid 65534/);
      expect(r.stderr).toMatch(/grader: process isolation is reduced/);
    } else {
      expect(measured.level).toBe("none");
    }
    expect(existsSync(root)).toBe(true);
  }, 60_000);
});

describe("run_autograder", () => {
  it("writes a failure results.json when the grader could not write one", async () => {
    const { RUN_AUTOGRADER } = await import("../../../tools/release/autograder");
    const ag = mkdtempSync(join(ownTmp, "autograder-"));
    mkdirSync(join(ag, "source"));
    mkdirSync(join(ag, "bin"));
    // An npm that dies at once, as a grader killed before it wrote anything would.
    writeFileSync(join(ag, "bin/npm"), "#!/bin/sh\nkill -9 $$\n", { mode: 0o755 });
    writeFileSync(join(ag, "run_autograder"), RUN_AUTOGRADER, { mode: 0o755 });
    const r = spawnSync(join(ag, "run_autograder"), [], { env: { ...process.env, AUTOGRADER_ROOT: ag, PATH: `${join(ag, "bin")}:${process.env.PATH}` }, encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(ag, "results/results.json"), "utf8")) as { score: number; output: string };
    expect(checkResults(results)).toEqual([]);
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/stopped before it could grade this submission \(exit status 137\)/);
  }, 60_000);
});

describe("type errors are warnings, checked against the stub's declared types (issue 16, point 6)", () => {
  it("an export whose signature no longer fits the stub is named, and the code is still graded", async () => {
    const dir = submission({ [L07]: { from: "solutions", edit: (s) => s.replace("export function stepDecay(lr0: number,", "export function stepDecay(lr0: string,").replace("return lr0 * gamma", "return Number(lr0) * gamma") } });
    const g = await grade(dir, { typecheck: true });
    const notes = g.report.exercises.find((e) => e.exercise === L07)!.notes.join("\n");
    expect(notes).toMatch(/type errors \(warnings; the code was still run\): your exports do not match the stub's declared types: Types of property 'stepDecay' are incompatible/);
    expect(points(g, L07)).toBe(maxPoints(g, L07));
  }, 240_000);
});
