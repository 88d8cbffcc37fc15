/**
 * Grades the student's exercises/NN-topic.ts files with the public graders
 * (test/exercises/NN-topic.test.ts, the same tests and points as the
 * autograder's public part), and returns a CheckReport (check-report.ts).
 *
 * - A file that does not compile is graded, not hidden: its lesson is listed
 *   with 0 of its points and the compiler's message with file:line:column.
 *   Its tests still run, against a stand-in module whose every export throws
 *   that message, so the report names each test and its points.
 * - A file that compiles but fails to load (it throws at import) is treated
 *   the same way, with the error it threw.
 * - Type errors (tsc on the file against the stub's declared types and
 *   kernel-lib's) are warnings: the code still runs, as in the autograder.
 *
 * Vitest and tsc run in child processes, side by side, so every call sees the
 * files as they are now (a notebook's `check` relies on that).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ts from "typescript";
import type { CheckReport, LessonReport } from "./check-report";
import type { ReportedModule } from "./check-reporter";

export const COURSE_ROOT = resolve(__dirname, "../..");

/** The lessons that have an exercise file, e.g. "04-batch-normalization", sorted. */
export function exerciseLessons(root: string = COURSE_ROOT): string[] {
  return readdirSync(join(root, "exercises"))
    .filter((f) => /^\d\d-[\w-]+\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ""))
    .sort();
}

/** The lessons the filters name ("04", "4", "04-batch"); all of them without filters. */
export function selectLessons(all: readonly string[], filters: readonly string[]): string[] {
  if (filters.length === 0) return [...all];
  return filters.flatMap((filter) => {
    const wanted = /^\d$/.test(filter) ? `0${filter}` : filter;
    const found = all.filter((lesson) => lesson.startsWith(wanted));
    if (found.length === 0) throw new Error(`no exercise file matches "${filter}": the exercises are ${all.join(", ")} (e.g. npm run check -- 04)`);
    return found;
  }).filter((lesson, i, list) => list.indexOf(lesson) === i);
}

/** The first syntax error of a TypeScript source as "file:line:column: message", or null. */
export function syntaxError(source: string, file: string): string | null {
  const out = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  });
  const first = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (first === undefined) return null;
  const message = ts.flattenDiagnosticMessageText(first.messageText, " ");
  if (first.file === undefined || first.start === undefined) return `${file}: ${message}`;
  const { line, character } = first.file.getLineAndCharacterOfPosition(first.start);
  return `${file}:${line + 1}:${character + 1}: ${message}`;
}

/**
 * A module standing in for an exercise file that does not compile: every
 * name the grader uses from it (`ex.name`, or a named import) is a function
 * that throws `message`.
 */
export function standInSource(graderSource: string, message: string): string {
  const names = new Set<string>();
  for (const m of graderSource.matchAll(/\bex\.([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  for (const m of graderSource.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']@exercise\/[^"']+["']/g)) {
    for (const part of m[1].split(",")) {
      const name = part.replace(/^\s*type\s+/, "").split(/\s+as\s+/)[0].trim();
      if (/^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
    }
  }
  const lines = [`const message = ${JSON.stringify(message)};`, "function broken(): never {", "  throw new Error(message);", "}"];
  for (const name of [...names].sort()) lines.push(`export const ${name}: any = function () { broken(); };`);
  return `${lines.join("\n")}\n`;
}

interface Finished {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Finished> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer): void => {
      if (output.length < 1_000_000) output += chunk.toString("utf8");
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      done({ code: null, output: `${output}${err.message}` });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/**
 * Type errors per lesson, from tsc on the exercise files (kernel-lib through its
 * built declarations, as a notebook sees it). Errors elsewhere are not the student's.
 */
export async function typeErrors(lessons: readonly string[], root: string = COURSE_ROOT): Promise<Map<string, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), "course-check-types-"));
  try {
    const base = JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    const compilerOptions = { ...base.compilerOptions, noEmit: true, baseUrl: root, paths: {}, typeRoots: [join(root, "node_modules", "@types")] };
    const files = lessons.map((lesson) => join(root, "exercises", `${lesson}.ts`));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files }));
    const tsc = join(root, "node_modules", "typescript", "lib", "tsc.js");
    const { output } = await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { cwd: root, timeoutMs: 120_000 });
    const errors = new Map<string, string[]>();
    for (const line of output.split("\n")) {
      const m = /^exercises[\\/](\d\d-[\w-]+)\.ts\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line.trim());
      if (m === null || !lessons.includes(m[1])) continue;
      errors.set(m[1], [...(errors.get(m[1]) ?? []), `exercises/${m[1]}.ts:${m[2]}:${m[3]}: ${m[5]} (${m[4]})`]);
    }
    return errors;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the graders of `lessons` in one Vitest process; `broken` maps a lesson to the message its stand-in throws. */
async function runGraders(lessons: readonly string[], broken: ReadonlyMap<string, string>, root: string): Promise<ReportedModule[]> {
  const dir = mkdtempSync(join(tmpdir(), "course-check-"));
  try {
    const standIns: Record<string, string> = {};
    for (const [lesson, message] of broken) {
      const file = join(dir, `${lesson}.ts`);
      writeFileSync(file, standInSource(readFileSync(join(root, "test", "exercises", `${lesson}.test.ts`), "utf8"), message));
      standIns[lesson] = file;
    }
    const results = join(dir, "results.json");
    const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
    const args = [vitest, "run", "--config", join(root, "tools", "exercises", "vitest-check.config.ts"), "--reporter", join(root, "tools", "exercises", "check-reporter.ts"),
      ...lessons.map((lesson) => `test/exercises/${lesson}.test.ts`)];
    // GRADE_TARGET tells the graders' shortcut check (test/exercises/forbidden.ts) which files are graded.
    const env = { ...process.env, CHECK_ROOT: root, CHECK_RESULTS: results, CHECK_STAND_INS: JSON.stringify(standIns), GRADE_TARGET: join(root, "exercises") };
    const finished = await run(process.execPath, args, { cwd: root, env, timeoutMs: 600_000 });
    if (!existsSync(results)) throw new Error(`the graders did not run (vitest exited with ${finished.code}):\n${finished.output.trim()}`);
    return JSON.parse(readFileSync(results, "utf8")) as ReportedModule[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lessonReport(lesson: string, module: ReportedModule | undefined, error: string | null, typeWarnings: string[]): LessonReport {
  const tests = (module?.tests ?? []).map((t) => {
    const passed = error === null && t.passed;
    return { name: t.name, points: t.points, earned: passed ? t.points : 0, passed, message: error === null ? t.message : error };
  });
  const sum = (f: (t: (typeof tests)[number]) => number): number => tests.reduce((a, t) => a + f(t), 0);
  return { lesson, file: `exercises/${lesson}.ts`, earned: sum((t) => t.earned), total: sum((t) => t.points), tests, error, typeWarnings };
}

/** Grades the selected lessons' exercise files now. */
export async function runCheck(filters: readonly string[], root: string = COURSE_ROOT): Promise<CheckReport> {
  const lessons = selectLessons(exerciseLessons(root), filters);
  const broken = new Map<string, string>();
  for (const lesson of lessons) {
    const file = `exercises/${lesson}.ts`;
    const error = syntaxError(readFileSync(join(root, file), "utf8"), file);
    if (error !== null) broken.set(lesson, error);
  }
  const types = typeErrors(lessons.filter((lesson) => !broken.has(lesson)), root);
  let modules = await runGraders(lessons, broken, root);
  // A file that compiles but throws while loading: grade it again as broken, with what it threw.
  const unloaded = modules.filter((m) => !broken.has(m.lesson) && m.loadErrors.length > 0 && m.tests.length === 0);
  if (unloaded.length > 0) {
    for (const m of unloaded) broken.set(m.lesson, `exercises/${m.lesson}.ts could not be loaded: ${m.loadErrors[0]}`);
    const again = await runGraders(unloaded.map((m) => m.lesson), broken, root);
    modules = modules.map((m) => again.find((a) => a.lesson === m.lesson) ?? m);
  }
  const warnings = await types;
  const reports = lessons.map((lesson) => lessonReport(lesson, modules.find((m) => m.lesson === lesson), broken.get(lesson) ?? null, warnings.get(lesson) ?? []));
  return {
    lessons: reports,
    earned: reports.reduce((a, l) => a + l.earned, 0),
    total: reports.reduce((a, l) => a + l.total, 0),
  };
}
