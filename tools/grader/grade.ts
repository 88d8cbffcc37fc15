/**
 * Grades one submission: take its exercise files, build a fresh sandbox, run
 * every exercise there (public tests and hidden cases, in parallel), type-check
 * at the same time, and score what was observed against the manifest.
 * Whatever happens inside the sandbox, the result is a complete report.
 */
import { join } from "node:path";
import { loadConfig, type GraderConfig } from "./config";
import { courseImage } from "./image";
import { isolation } from "./isolation";
import { referenceManifest } from "./reference";
import { toGradescope, type ExerciseNotes, type GradescopeResults, type Report } from "./results";
import { runAll, runAlone } from "./run-all";
import { sameExpected } from "./score";
import type { Manifest } from "./reference";
import type { ExerciseRun } from "./run-exercise";
import type { Sandbox } from "./sandbox";
import { makeSandbox } from "./sandbox";
import { scoreExercise } from "./score";
import { readSubmission } from "./submission";
import { typecheck } from "./typecheck";

export interface GradeOptions {
  config?: GraderConfig;
  /** Run tsc on the submission (default true). */
  typecheck?: boolean;
}

export interface Graded {
  report: Report;
  results: GradescopeResults;
  /** Student output kept per exercise (stdout + stderr, truncated), for the grader's console. */
  studentOutput: Map<string, string>;
}

export async function gradeSubmission(path: string, options: GradeOptions = {}): Promise<Graded> {
  const started = Date.now();
  const config = options.config ?? loadConfig();
  const image = await courseImage();
  const manifest = await referenceManifest(image, config);
  const submission = readSubmission(path, image.exercises, join(image.dir, "unzip.js"));
  // A zip that was refused: every test says why, not "not in the submission".
  const refusal = submission.files.size === 0 ? submission.problems.find((p) => p.startsWith("the zip could not be read")) ?? null : null;
  const notes: string[] = [...submission.problems];
  if (submission.ignoredCount > 0) {
    const shown = submission.ignored.slice(0, 20).join(", ");
    notes.push(`ignored ${submission.ignoredCount} file(s) that are not exercise files (only exercises/NN-topic.ts are graded): ${shown}${submission.ignoredCount > 20 ? ", …" : ""}`);
  }
  const reduced = isolation().missing;
  if (reduced !== null) notes.push(`process isolation is reduced on this grader: ${reduced}`);
  const missing = image.exercises.filter((e) => !submission.files.has(e));
  if (missing.length > 0) notes.push(`no file for: ${missing.join(", ")}`);

  const sandbox = await makeSandbox(image, submission.files);
  try {
    const typeErrors = options.typecheck === false || submission.files.size === 0 ? Promise.resolve(new Map<string, string[]>()) : typecheck(submission.files, { heapMiB: config.limits.typecheckHeapMiB, ms: config.limits.typecheckMs });
    const runs = await runAll(sandbox, image.exercises, config, started);
    await recheckDrifted(sandbox, runs, manifest, config, started);
    const types = await typeErrors;
    if (types.has("*")) notes.push(types.get("*")![0]);

    const results = [];
    const exercises: ExerciseNotes[] = [];
    const studentOutput = new Map<string, string>();
    for (const exercise of image.exercises) {
      const syntax = sandbox.syntaxErrors.get(exercise);
      const reason = refusal !== null
        ? refusal
        : !submission.files.has(exercise)
        ? `exercises/${exercise}.ts is not in the submission`
        : syntax
          ? `exercises/${exercise}.ts does not compile: ${syntax.message}`
          : null;
      const run = runs.get(exercise);
      results.push(...scoreExercise(exercise, manifest.exercises[exercise], run, reason));
      const exNotes: string[] = [];
      if (syntax) exNotes.push(`syntax error: ${syntax.message}`);
      const te = types.get(exercise);
      // tsc's own view of a file that does not compile repeats the syntax error, and that code was not run.
      if (te && !syntax) exNotes.push(`type errors (warnings; the code was still run): ${te.slice(0, 5).join("; ")}${te.length > 5 ? `; … ${te.length - 5} more` : ""}`);
      if (run?.integrity) exNotes.push(`integrity: ${run.integrity}`);
      if (run?.loadError) exNotes.push(run.loadError);
      if (run && run.droppedOutput > 0) exNotes.push(`printed ${run.droppedOutput} bytes more than the ${32} KiB kept per stream`);
      exercises.push({ exercise, notes: exNotes });
      if (run && (run.stdout || run.stderr)) studentOutput.set(exercise, `${run.stdout}${run.stderr ? `\n[stderr]\n${run.stderr}` : ""}`);
    }
    const report: Report = { results, notes, exercises, executionSeconds: (Date.now() - started) / 1000 };
    return { report, results: toGradescope(report, config), studentOutput };
  } finally {
    sandbox.remove();
  }
}

/**
 * A public test that passed in the sandbox but computed other expected values
 * than the reference run did (its inputs drifted: a generator shared with an
 * earlier test that failed early and drew less, or a restart after a crash;
 * or the submission changed what they are computed from) is run again ALONE
 * in a fresh process, and then checked against the reference's lone run.
 * Either way, the expected values a test is scored against come from the
 * manifest, never from the submission's sandbox.
 */
async function recheckDrifted(sandbox: Sandbox, runs: Map<string, ExerciseRun>, manifest: Manifest, config: GraderConfig, started: number): Promise<void> {
  const drifted: { exercise: string; index: number }[] = [];
  for (const [exercise, run] of runs) {
    const units = manifest.exercises[exercise] ?? [];
    if (run.integrity !== null) continue;
    units.forEach((unit, index) => {
      const outcome = run.outcomes.get(index);
      if (unit.kind !== "test" || !outcome?.ok) return;
      const ref = unit.reference ?? [];
      if (outcome.records.length !== ref.length || outcome.records.some((r, j) => !sameExpected(r, ref[j]))) drifted.push({ exercise, index });
    });
  }
  if (drifted.length === 0) return;
  const alone = await runAlone(sandbox, drifted, config, started);
  for (const { exercise, index } of drifted) {
    const run = runs.get(exercise)!;
    run.isolated.add(index);
    run.outcomes.set(index, alone.get(`${exercise}#${index}`) ?? { ok: false, message: "did not finish when run alone (the submission's time was up)", records: [] });
  }
}
