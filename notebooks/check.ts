/**
 * Grade your exercises from inside a lesson notebook:
 *
 *   import { check } from "./check";
 *   await check("04");
 *
 * It grades exercises/04-*.ts with the same tests and points as
 * `npm run check -- 04` (it runs that command, in a child process, so every
 * call sees your file as it is now: edit, save, run the cell again) and shows
 * a table: each test, its points, expected vs got, and a hint. A file that
 * does not compile scores 0 with the compiler's message; type errors are
 * warnings. Where the notebook cannot show HTML, the same report is text.
 *
 * The course's own build (the headless runner in tools/notebook) does not
 * grade: it has no answers of yours to grade, and the stored lesson shows a
 * note saying how to run the check instead.
 *
 * Why it lives here, beside the notebooks: tslab compiles a notebook's
 * relative imports only from the notebook's own folder down (its TypeScript
 * rootDir), so it imports nothing else of the course (the report comes
 * ready-made from the command, as text and HTML).
 */
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { RichOutput, show } from "kernel-lib";

/** What `npm run check -- NN --json` prints (tools/exercises/check-report.ts has the full type). */
export interface CheckOutput {
  earned: number;
  total: number;
  lessons: { lesson: string; earned: number; total: number; error: string | null }[];
  /** The report as text (the fallback) and as HTML (the table). */
  text: string;
  html: string;
}

/** The course folder holding this file: the nearest folder above it whose package.json is the course's. */
function courseRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      if (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).name === "deep-training-course") return dir;
    } catch {
      // no package.json here: keep looking
    }
    if (path.dirname(dir) === dir) throw new Error(`check(): ${__dirname} is not inside the course folder (no package.json named "deep-training-course" above it)`);
  }
}

/** Runs `npm run check -- <lesson> --json` (without npm) and returns its report. */
export function gradeNow(lesson: string): Promise<CheckOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import=tsx", path.join("tools", "exercises", "check.ts"), "--json", lesson], {
      cwd: courseRoot(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      const json = stdout.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(json) as CheckOutput);
      } catch {
        reject(new Error(`check("${lesson}"): grading failed (exit status ${code}); run \`npm run check -- ${lesson}\` in a terminal to see why:\n${(stderr || stdout).trim()}`));
      }
    });
  });
}

/** True when the course's headless runner runs this notebook (it marks its kernels). */
function inCourseBuild(): boolean {
  return process.env.KERNEL_LIB_STORED_RUN === "1";
}

/** Grades exercises/<lesson>-*.ts now and shows the points table (HTML, with a text fallback). */
export async function check(lesson: string): Promise<void> {
  if (!/^\d\d?$/.test(lesson)) throw new Error(`check("${lesson}"): give the lesson's number, e.g. check("04")`);
  const number = lesson.padStart(2, "0");
  if (inCourseBuild()) {
    const file = readdirSync(path.join(courseRoot(), "exercises")).find((f) => f.startsWith(`${number}-`)) ?? `${number}-….ts`;
    const text = `Run this cell to grade your exercises/${file} (or \`npm run check -- ${number}\` in a terminal). The stored lesson shows this note instead: the course build has no answers of yours to grade.`;
    show(new RichOutput({ "text/html": `<p><i>${text.replace(/`([^`]*)`/g, "<code>$1</code>")}</i></p>`, "text/plain": text }));
    return;
  }
  const report = await gradeNow(number);
  show(new RichOutput({ "text/html": report.html, "text/plain": report.text }));
}
