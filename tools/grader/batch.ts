/**
 * Batch mode: every folder and .zip inside a folder is one submission (its
 * name identifies the student). Each is graded in a child process of its own
 * (the single-submission command line), one after the other (each one
 * already uses the cores in parallel), with a clock: a submission that kills,
 * hangs or crashes its grader gets a row saying so, and the next one is
 * graded all the same. The CSV (one row per submission, one column per
 * exercise) gets its header first and each row as soon as it is known, so an
 * interrupted batch keeps every score it finished.
 */
import { spawn } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SingleBar, Presets } from "cli-progress";
import type { GraderConfig } from "./config";
import type { Graded } from "./grade";
import { exerciseNames, root } from "./image";

export interface BatchOptions {
  csv: string;
  resultsDir: string | null;
  config: GraderConfig;
  typecheck: boolean;
}

/** What a child grader reports back to the batch, besides results.json. */
export interface BatchSummary {
  score: number;
  max: number;
  perExercise: Record<string, number>;
  typeWarnings: number;
  notes: string[];
}

/** Written by `cli.ts --summary FILE` for the batch. */
export function writeSummary(file: string, graded: Graded): void {
  const perExercise: Record<string, number> = {};
  for (const r of graded.report.results) perExercise[r.exercise] = (perExercise[r.exercise] ?? 0) + r.earned;
  const summary: BatchSummary = {
    score: graded.results.score,
    max: graded.report.results.reduce((s, r) => s + r.points, 0),
    perExercise,
    typeWarnings: graded.report.exercises.filter((e) => e.notes.some((n) => n.startsWith("type errors"))).length,
    notes: graded.report.notes,
  };
  writeFileSync(file, JSON.stringify(summary));
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** How long one submission's child may take: the submission's own limit plus the type check and the start-up. */
function childLimitMs(config: GraderConfig): number {
  return config.limits.submissionMs + 180_000;
}

interface ChildOutcome {
  summary: BatchSummary | null;
  why: string | null;
}

/**
 * Grades one submission in a child grader process; never throws. The child's
 * TMPDIR (where its sandbox and type check live) is `tmp`, removed by the
 * caller: a child grader killed by the clock or a crash cannot clean up after
 * itself, and its sandbox copies of the course would pile up over a batch.
 */
function gradeInChild(submission: string, out: string, summaryFile: string, tmp: string, options: BatchOptions): Promise<ChildOutcome> {
  const tsx = realpathSync(join(root, "node_modules/.bin/tsx"));
  const l = options.config.limits;
  const args = [
    tsx, join(__dirname, "cli.ts"), submission, "--out", out, "--summary", summaryFile, "--quiet",
    "--unit-timeout", String(l.unitCpuMs / 1000), "--file-timeout", String(l.fileMs / 1000),
    "--submission-timeout", String(l.submissionMs / 1000), "--parallel", String(l.parallel),
    ...(options.typecheck ? [] : ["--no-typecheck"]),
  ];
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"], detached: true, env: { ...process.env, TMPDIR: tmp } });
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr.length < 8000 ? (stderr += c.toString("utf8")) : undefined));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }, childLimitMs(options.config));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, "SIGKILL"); // anything the child grader left in its group
      } catch {
        // gone
      }
      const summary = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, "utf8")) as BatchSummary) : null;
      const lastLine = stderr.trim().split("\n").filter(Boolean).slice(-1)[0] ?? "";
      const why = summary !== null ? null
        : timedOut ? `the grader did not finish in ${childLimitMs(options.config) / 1000} s`
          : `the grader stopped (${signal ? `signal ${signal}` : `exit code ${code}`})${lastLine ? `: ${lastLine}` : ""}`;
      resolvePromise({ summary, why });
    });
  });
}

export async function gradeBatch(folder: string, options: BatchOptions): Promise<string[][]> {
  const entries = readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isDirectory() || (d.isFile() && d.name.endsWith(".zip")))
    .map((d) => d.name)
    .sort();
  const exercises = exerciseNames();
  const rows: string[][] = [["submission", "score", "max_score", ...exercises, "type_warnings", "notes"]];
  const writeRow = (row: string[]) => appendFileSync(options.csv, `${row.map(csvField).join(",")}\n`);
  writeFileSync(options.csv, "");
  writeRow(rows[0]);
  const bar = new SingleBar({ format: "grading {bar} {value}/{total} | {name}", hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 }, Presets.shades_classic);
  bar.start(entries.length, 0, { name: "" });
  if (options.resultsDir) mkdirSync(options.resultsDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "course-batch-"));
  // Each child grader's TMPDIR; traversable (not listable) by sandboxes that run as another uid (isolation.ts).
  const tmps = mkdtempSync(join(tmpdir(), "course-batch-tmp-"));
  chmodSync(tmps, 0o711);
  try {
    for (const name of entries) {
      bar.update({ name });
      const stem = name.replace(/\.zip$/, "");
      const out = options.resultsDir ? join(options.resultsDir, `${stem}.json`) : join(work, `${stem}.json`);
      const tmp = mkdtempSync(join(tmps, "grader-"));
      chmodSync(tmp, 0o711);
      const { summary, why } = await gradeInChild(join(folder, name), out, join(work, `${stem}.summary.json`), tmp, options).finally(() => rmSync(tmp, { recursive: true, force: true }));
      const row = summary
        ? [name, String(summary.score), String(summary.max), ...exercises.map((e) => String(summary.perExercise[e] ?? 0)), String(summary.typeWarnings), summary.notes.join(" | ")]
        : [name, "", "", ...exercises.map(() => ""), "", `grader error: ${why}`];
      rows.push(row);
      writeRow(row);
      bar.increment();
    }
  } finally {
    bar.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(tmps, { recursive: true, force: true });
  }
  return rows;
}
