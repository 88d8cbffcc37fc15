/**
 * Hidden cases grade the submission the way the public graders do: a
 * function that takes a forbidden shortcut (test/exercises/shortcuts.ts) is
 * refused, so it scores 0 in the hidden cases too.
 */
import type { HiddenCase } from "../../tools/grader/hidden-api";
import { withoutShortcuts } from "../../test/exercises/forbidden";

export function guarded<M extends object>(exercise: string, cases: HiddenCase<M>[]): HiddenCase<M>[] {
  return cases.map((c) => ({ ...c, run: (ex: M) => c.run(withoutShortcuts(ex, exercise)) }));
}
