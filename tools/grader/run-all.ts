/**
 * Runs every exercise of one sandbox, `limits.parallel` sandbox processes at
 * a time, within the submission's clock.
 */
import type { GraderConfig } from "./config";
import { runExercise, type ExerciseRun } from "./run-exercise";
import type { Sandbox } from "./sandbox";

export async function runAll(sandbox: Sandbox, exercises: readonly string[], config: GraderConfig, started: number): Promise<Map<string, ExerciseRun>> {
  const deadline = started + config.limits.submissionMs;
  const queue = exercises.filter((e) => sandbox.compiled.has(e));
  const runs = new Map<string, ExerciseRun>();
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const exercise = next;
      if (Date.now() >= deadline) continue; // the scorer reports these as not run
      runs.set(exercise, await runExercise({
        exercise, courseDir: sandbox.courseDir, scratchParent: sandbox.base, job: sandbox.job(exercise), limits: config.limits, deadline,
      }));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, config.limits.parallel) }, worker));
  return runs;
}
