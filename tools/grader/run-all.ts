/**
 * Runs every exercise of one sandbox, `limits.parallel` sandbox processes at
 * a time, within the submission's clock.
 */
import type { GraderConfig } from "./config";
import { runExercise, runUnitAlone, type ExerciseRun, type UnitOutcome } from "./run-exercise";
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

/** One unit to run alone in a fresh sandbox process. */
export interface LoneUnit {
  exercise: string;
  index: number;
}

/** Runs each unit alone (see runUnitAlone), `limits.parallel` at a time; outcomes by "exercise#index". */
export async function runAlone(sandbox: Sandbox, units: readonly LoneUnit[], config: GraderConfig, started: number): Promise<Map<string, UnitOutcome>> {
  const deadline = started + config.limits.submissionMs;
  const queue = [...units];
  const outcomes = new Map<string, UnitOutcome>();
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (Date.now() >= deadline) continue;
      const { exercise, index } = next;
      const outcome = await runUnitAlone({
        exercise, courseDir: sandbox.courseDir, scratchParent: sandbox.base, job: sandbox.job(exercise), limits: config.limits, deadline,
      }, index);
      if (outcome !== undefined) outcomes.set(`${exercise}#${index}`, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, config.limits.parallel) }, worker));
  return outcomes;
}
