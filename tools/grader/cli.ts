/**
 * `npm run grade -- SUBMISSION [--out results.json]`
 *     grades a folder or zip; writes Gradescope's results.json and prints a summary.
 * `npm run grade -- --batch FOLDER [--csv scores.csv] [--results-dir DIR]`
 *     grades every folder and .zip inside FOLDER into a CSV, with a progress bar.
 * `npm run grade -- --prepare`
 *     builds the course image and the reference manifest ahead of time (Gradescope's setup.sh).
 * Options: --no-typecheck, --unit-timeout S (CPU seconds per test), --file-timeout S, --submission-timeout S, --parallel N.
 *
 * A provisional results.json ("grading did not finish", score 0) is written
 * before anything else and replaced (atomically) at the end, so a grader that
 * is killed still leaves a valid one. SIGUSR1 would open Node's inspector on
 * the grader: a listener turns that off (Node 20 has no --disable-sigusr1).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gradeBatch, writeSummary } from "./batch";
import { loadConfig, type Limits } from "./config";
import { gradeSubmission } from "./grade";
import { courseImage } from "./image";
import { referenceManifest } from "./reference";
import { checkResults, printable, type GradescopeResults } from "./results";

function limitsFrom(values: Record<string, string | boolean | undefined>): Partial<Limits> {
  const limits: Partial<Limits> = {};
  const seconds = (v: string | boolean | undefined) => (typeof v === "string" ? Number(v) * 1000 : undefined);
  if (values["unit-timeout"]) limits.unitCpuMs = seconds(values["unit-timeout"]);
  if (values["file-timeout"]) limits.fileMs = seconds(values["file-timeout"]);
  if (values["submission-timeout"]) limits.submissionMs = seconds(values["submission-timeout"]);
  if (typeof values.parallel === "string") limits.parallel = Number(values.parallel);
  return limits;
}

/** Writes `results` to `out` atomically (a reader never sees half a file). */
function writeResults(out: string, results: GradescopeResults): void {
  writeFileSync(`${out}.tmp-${process.pid}`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${out}.tmp-${process.pid}`, out);
}

async function main(): Promise<void> {
  process.on("SIGUSR1", () => undefined);
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: "string" }, batch: { type: "string" }, csv: { type: "string" }, "results-dir": { type: "string" },
      prepare: { type: "boolean" }, "no-typecheck": { type: "boolean" }, quiet: { type: "boolean" }, summary: { type: "string" },
      "unit-timeout": { type: "string" }, "file-timeout": { type: "string" }, "submission-timeout": { type: "string" }, parallel: { type: "string" },
    },
  });
  const config = loadConfig({ limits: limitsFrom(values) });
  if (values.prepare) {
    const image = await courseImage();
    await referenceManifest(image, config);
    console.log(`course image ${image.hash} and its reference manifest are ready`);
    return;
  }
  if (values.batch) {
    const csv = resolve(values.csv ?? "scores.csv");
    await gradeBatch(resolve(values.batch), { csv, resultsDir: values["results-dir"] ? resolve(values["results-dir"]) : null, config, typecheck: !values["no-typecheck"] });
    console.log(`scores written to ${csv}`);
    return;
  }
  const submission = positionals.filter((p) => p !== "--")[0];
  if (!submission) {
    console.error("usage: npm run grade -- SUBMISSION [--out results.json]   (or --batch FOLDER [--csv scores.csv])");
    process.exit(2);
  }
  const out = resolve(values.out ?? "results.json");
  mkdirSync(dirname(out), { recursive: true });
  const started = Date.now();
  const failure = (why: string): GradescopeResults => ({
    score: 0, execution_time: Math.round((Date.now() - started) / 100) / 10, output: why,
    visibility: config.visibility, stdout_visibility: config.stdoutVisibility, tests: [],
  });
  writeResults(out, failure("Grading did not finish (the autograder stopped before it could write the results). Score 0; please resubmit or ask your instructor."));
  let graded: Awaited<ReturnType<typeof gradeSubmission>>;
  try {
    graded = await gradeSubmission(resolve(submission), { config, typecheck: !values["no-typecheck"] });
  } catch (e) {
    // Even when grading itself fails, Gradescope gets a valid results.json that says why.
    writeResults(out, failure(`The autograder could not grade this submission: ${(e as Error).message}`));
    if (values.summary) writeFileSync(values.summary, JSON.stringify({ score: 0, max: 0, perExercise: {}, typeWarnings: 0, notes: [`could not grade: ${(e as Error).message}`] }));
    throw e;
  }
  const problems = checkResults(graded.results);
  if (problems.length > 0) throw new Error(`the grader produced an invalid results.json: ${problems.join("; ")}`);
  writeResults(out, graded.results);
  if (values.summary) writeSummary(values.summary, graded);
  if (!values.quiet) {
    console.log(printable(graded.results.output));
    for (const [exercise, text] of graded.studentOutput) console.log(`\n--- output of ${exercise} (truncated) ---\n${printable(text.slice(0, 2000))}`);
  }
  const max = graded.report.results.reduce((s, r) => s + r.points, 0);
  console.log(`\nscore ${graded.results.score} / ${max} in ${graded.results.execution_time} s; results written to ${out}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
