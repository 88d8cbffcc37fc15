/**
 * Batch mode: every folder and .zip inside a folder is one submission (its
 * name identifies the student). Grades them one after the other (each one
 * already uses the cores in parallel), shows a progress bar, and writes a CSV
 * of scores: one row per submission, one column per exercise. A submission
 * that breaks the grader gets a row with its error, never stops the batch.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SingleBar, Presets } from "cli-progress";
import type { GraderConfig } from "./config";
import { gradeSubmission } from "./grade";
import { exerciseNames } from "./image";

export interface BatchOptions {
  csv: string;
  resultsDir: string | null;
  config: GraderConfig;
  typecheck: boolean;
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function gradeBatch(folder: string, options: BatchOptions): Promise<string[][]> {
  const entries = readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isDirectory() || (d.isFile() && d.name.endsWith(".zip")))
    .map((d) => d.name)
    .sort();
  const exercises = exerciseNames();
  const rows: string[][] = [["submission", "score", "max_score", ...exercises, "type_warnings", "notes"]];
  const bar = new SingleBar({ format: "grading {bar} {value}/{total} | {name}", hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 }, Presets.shades_classic);
  bar.start(entries.length, 0, { name: "" });
  if (options.resultsDir) mkdirSync(options.resultsDir, { recursive: true });
  for (const name of entries) {
    bar.update({ name });
    try {
      const graded = await gradeSubmission(join(folder, name), { config: options.config, typecheck: options.typecheck });
      const per = exercises.map((e) => String(graded.report.results.filter((r) => r.exercise === e).reduce((s, r) => s + r.earned, 0)));
      const max = graded.report.results.reduce((s, r) => s + r.points, 0);
      const typeWarnings = graded.report.exercises.filter((e) => e.notes.some((n) => n.startsWith("type errors"))).length;
      rows.push([name, String(graded.results.score), String(max), ...per, String(typeWarnings), graded.report.notes.join(" | ")]);
      if (options.resultsDir) writeFileSync(join(options.resultsDir, `${name.replace(/\.zip$/, "")}.json`), JSON.stringify(graded.results, null, 2));
    } catch (e) {
      rows.push([name, "", "", ...exercises.map(() => ""), "", `grader error: ${(e as Error).message}`]);
    }
    bar.increment();
  }
  bar.stop();
  writeFileSync(options.csv, `${rows.map((r) => r.map(csvField).join(",")).join("\n")}\n`);
  return rows;
}
