/**
 * The manifest: what a submission is graded against, made by running the
 * reference solutions through the very same sandbox as a submission. Per
 * exercise, in order, every unit with its points, and
 *   - for a public test: every comparison it makes, with the EXPECTED side
 *     as the reference run computed it (a student's run must make as many
 *     comparisons, and each of its results is compared here with these
 *     values: an expected value computed inside the student's sandbox is
 *     never trusted, since student code can reach what it is computed from);
 *   - for a hidden case: the reference's output and the tolerances.
 * Every reference unit must pass, or grading stops (a broken course is not a
 * student's fault). Cached by the image's hash and the solutions' content.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { POINTS } from "../../test/exercises/points-reporter";
import type { GraderConfig } from "./config";
import type { AssertionRecord } from "./child/channel";
import type { Observed } from "./hidden-api";
import { root, type CourseImage } from "./image";
import { runAll, runAlone } from "./run-all";
import { makeSandbox } from "./sandbox";

export interface ManifestUnit {
  kind: "test" | "hidden";
  /** As listed by the sandbox: Vitest's full name for a test ("04 batch normalization > … (2 pts)"). */
  name: string;
  points: number;
  /** Public tests: the number of comparisons the reference run made. */
  checks?: number;
  /** Public tests: those comparisons as the reference run made them (the expected sides are what a submission is checked against). */
  reference?: AssertionRecord[];
  /** Public tests: the comparisons of the test run ALONE in a fresh process (for a submission's test whose inputs drifted, see grade.ts). */
  alone?: AssertionRecord[];
  /** Hidden cases: the reference output and tolerances. */
  expected?: Observed;
  rtol?: number;
  atol?: number;
}

export interface Manifest {
  key: string;
  exercises: Record<string, ManifestUnit[]>;
}

/** Changes whenever what the manifest holds changes (old cached manifests are then ignored). */
const MANIFEST_FORMAT = "manifest-3: reference comparisons, in sequence and alone";

export function solutionSources(image: CourseImage): Map<string, string> {
  return new Map(image.exercises.map((n) => [n, readFileSync(join(root, "solutions", `${n}.ts`), "utf8")]));
}

/** The manifest for this image and these solutions (from the cache when possible). */
export async function referenceManifest(image: CourseImage, config: GraderConfig): Promise<Manifest> {
  const sources = solutionSources(image);
  const h = createHash("sha256").update(image.hash).update(MANIFEST_FORMAT);
  for (const [n, s] of sources) h.update(n).update("\0").update(s).update("\0");
  const key = h.digest("hex").slice(0, 16);
  const file = join(root, "node_modules/.cache/course-grader", `manifest-${key}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Manifest;

  const sandbox = await makeSandbox(image, sources);
  try {
    // The reference gets generous limits: a slow machine must not turn into a broken manifest.
    const limits = { ...config.limits, unitCpuMs: config.limits.unitCpuMs * 3, unitMs: config.limits.unitMs * 3, fileMs: config.limits.fileMs * 3, submissionMs: config.limits.submissionMs * 3 };
    const runs = await runAll(sandbox, image.exercises, { ...config, limits }, Date.now());
    const manifest: Manifest = { key, exercises: {} };
    const problems: string[] = [];
    for (const exercise of image.exercises) {
      const run = runs.get(exercise);
      if (!run || run.units === null || run.integrity || run.loadError) {
        problems.push(`${exercise}: ${run?.integrity ?? run?.loadError ?? "did not run"}`);
        continue;
      }
      manifest.exercises[exercise] = run.units.map((u, i) => {
        const outcome = run.outcomes.get(i);
        if (!outcome?.ok) problems.push(`${exercise} › ${u.name}: ${outcome?.message ?? "did not finish"}`);
        if (u.kind === "hidden") {
          return { kind: "hidden", name: u.name, points: u.points ?? 0, expected: outcome?.out as Observed, rtol: u.rtol, atol: u.atol };
        }
        const m = POINTS.exec(u.name);
        if (!m) problems.push(`${exercise} › ${u.name}: a test without "(N pts)" in its name (use graded())`);
        return { kind: "test", name: u.name, points: m ? Number(m[1]) : 0, checks: outcome?.records.length ?? 0, reference: outcome?.records ?? [] };
      });
    }
    // Every public test also alone, in a fresh process: what a drifted test of a submission is checked against.
    const lone = image.exercises.flatMap((exercise) => (manifest.exercises[exercise] ?? []).flatMap((u, index) => (u.kind === "test" ? [{ exercise, index }] : [])));
    const aloneOutcomes = await runAlone(sandbox, lone, { ...config, limits }, Date.now());
    for (const { exercise, index } of lone) {
      const outcome = aloneOutcomes.get(`${exercise}#${index}`);
      const unit = manifest.exercises[exercise][index];
      if (!outcome?.ok) problems.push(`${exercise} › ${unit.name} (run alone): ${outcome?.message ?? "did not finish"}`);
      unit.alone = outcome?.records ?? [];
    }
    if (problems.length > 0) throw new Error(`The reference solutions do not pass their own graders in the sandbox:\n  ${problems.join("\n  ")}`);
    mkdirSync(join(root, "node_modules/.cache/course-grader"), { recursive: true });
    writeFileSync(`${file}.${process.pid}`, JSON.stringify(manifest));
    renameSync(`${file}.${process.pid}`, file); // atomic for concurrent graders
    return manifest;
  } finally {
    sandbox.remove();
  }
}
