/**
 * A variant of a reference solution: the solution file with a few exact
 * text edits. Mistakes (mutations.ts) must lose points; correct alternative
 * formulations (alternatives.ts) must keep every point. Both are graded by
 * test/tools/exercises/variants.test.ts through the public graders and the hidden
 * cases.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export interface Variant {
  /** "04-batch-normalization" */
  exercise: string;
  /** The function the edit is in: a mistake may cost only this function's tests (graded on its own). */
  fn: string;
  /** What the variant does, in a student's words. */
  what: string;
  /** [text of the solution, replacement]: each text must occur exactly once. */
  edits: readonly (readonly [string, string])[];
  /** Tests of other functions that legitimately fail too (they call this function by design). */
  alsoFails?: readonly string[];
}

const root = resolve(__dirname, "..");

/** The solution file's text with the variant's edits applied; throws when an edit no longer applies. */
export function applyVariant(v: Variant): string {
  let text = readFileSync(join(root, "solutions", `${v.exercise}.ts`), "utf8");
  for (const [from, to] of v.edits) {
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`variant "${v.what}" (${v.exercise}): expected the text ${JSON.stringify(from.slice(0, 80))} once, found it ${count} times`);
    text = text.replace(from, () => to);
  }
  return text;
}
