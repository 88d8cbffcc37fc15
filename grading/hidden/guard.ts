/**
 * Hidden cases grade the submission the way the public graders do
 * (test/exercises/submission.ts): a function that takes a forbidden shortcut
 * is refused, and one that changes its arguments fails, in the hidden cases
 * too.
 */
import type { HiddenCase } from "../../tools/grader/hidden-api";
import { asGraded } from "../../test/exercises/submission";

export function guarded<M extends object>(exercise: string, cases: HiddenCase<M>[]): HiddenCase<M>[] {
  return cases.map((c) => ({ ...c, run: (ex: M) => c.run(asGraded(ex, exercise)) }));
}
