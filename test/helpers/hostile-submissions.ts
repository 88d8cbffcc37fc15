/**
 * Hostile submissions for the grader's tests (test/tools/grader/hostile*.test.ts):
 * a submission folder made of solution or stub files with an attack edited
 * in, and the points one exercise earned.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import type { Graded } from "../../tools/grader/grade";

const root = resolve(__dirname, "..", "..");

export type SubmissionFiles = Record<string, { from: "solutions" | "exercises"; edit?: (src: string) => string }>;

/** A submission folder under `parent` with the given exercise files, each a solution or stub with edits. */
export function submissionIn(parent: string, files: SubmissionFiles): string {
  const dir = mkdtempSync(join(parent, "submission-"));
  mkdirSync(join(dir, "exercises"));
  for (const [name, { from, edit }] of Object.entries(files)) {
    const src = readFileSync(join(root, from, `${name}.ts`), "utf8");
    const out = edit ? edit(src) : src;
    if (edit) expect(out, `the edit of ${name} no longer applies`).not.toBe(src);
    writeFileSync(join(dir, "exercises", `${name}.ts`), out);
  }
  return dir;
}

/** Replaces the body of `export function name(…) {…}` (up to the next line that is exactly "}"). */
export function replaceBody(src: string, name: string, body: string): string {
  const start = src.indexOf(`export function ${name}(`);
  const open = src.indexOf("{\n", start);
  const close = src.indexOf("\n}\n", open);
  return `${src.slice(0, open)}{\n${body}\n}\n${src.slice(close + 3)}`;
}

export const points = (g: Graded, exercise: string): number => g.report.results.filter((r) => r.exercise === exercise).reduce((s, r) => s + r.earned, 0);
export const maxPoints = (g: Graded, exercise: string): number => g.report.results.filter((r) => r.exercise === exercise).reduce((s, r) => s + r.points, 0);
export const messages = (g: Graded, exercise: string): string => g.report.results.filter((r) => r.exercise === exercise).map((r) => `${r.name}: ${r.message}`).join("\n");
