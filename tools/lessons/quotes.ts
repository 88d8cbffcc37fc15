/**
 * Quoted results: a lesson's markdown writes `{{name}}` where it quotes a
 * number its code computed, and a code cell publishes the value with
 * kernel-lib's `quote({ name: value })`. After the lesson has run, the
 * builder writes each value into the text and drops the quote outputs. So
 * the prose cannot drift from the outputs: a renamed, missing or unused
 * quote fails the build (and the course test, which runs every lesson fresh).
 */
import { CellError, type CellLocation } from "../notebook/errors";
import type { Notebook } from "../notebook/notebook";

/** Kept equal to kernel-lib's QUOTE_MIME (kernel-lib/src/display/quote.ts); a test checks it. */
export const QUOTE_MIME = "application/vnd.kernel-lib.quote+json";

/** `{{name}}` in markdown. */
export const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9_]*)\}\}/g;

/** A quote problem, attributed to the cell that shows it. */
export class QuoteError extends CellError {
  override name = "QuoteError";
  constructor(where: CellLocation, problem: string) {
    super(where, "has a problem with a quoted result", problem);
  }
}

/** The placeholders a markdown text uses, in order of appearance. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/**
 * Fills `{{name}}` in every markdown cell from the quote outputs of the code
 * cells and removes those outputs (they are for the builder, not readers).
 * Returns the problems: a name quoted twice, a placeholder with no value, a
 * value no text uses. The notebook is changed in place.
 */
export async function fillQuotes(notebook: Notebook, label: string): Promise<CellError[]> {
  const problems: CellError[] = [];
  const values = new Map<string, { text: string; cell: number }>();
  const at = (index: number): CellLocation => ({ notebook: label, cellNumber: index + 1, source: String(notebook.cells[index].source) });
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    cell.outputs = cell.outputs.filter((output) => {
      if (output.output_type !== "display_data" || !(QUOTE_MIME in output.data)) return true;
      for (const [name, text] of Object.entries(output.data[QUOTE_MIME] as Record<string, string>)) {
        const earlier = values.get(name);
        if (earlier !== undefined) problems.push(new QuoteError(at(index), `"${name}" is quoted again (first in cell ${earlier.cell}); give each quoted value its own name`));
        else values.set(name, { text, cell: index + 1 });
      }
      return false;
    });
  });
  const used = new Set<string>();
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "markdown") return;
    const source = String(cell.source);
    const missing = placeholders(source).filter((name) => !values.has(name));
    if (missing.length > 0) {
      problems.push(new QuoteError(at(index), `no code cell quotes ${missing.map((n) => `{{${n}}}`).join(", ")}: publish it with quote({ ${missing[0]}: … }) before this cell`));
    }
    cell.source = source.replace(PLACEHOLDER, (whole, name: string) => {
      const value = values.get(name);
      if (value === undefined) return whole;
      used.add(name);
      return value.text;
    });
  });
  for (const [name, { cell }] of values) {
    if (!used.has(name)) problems.push(new QuoteError(at(cell - 1), `"${name}" is quoted but no markdown cell uses {{${name}}}; quote only what the text says`));
  }
  return problems;
}

/** True when `filled` is `template` with each `{{name}}` replaced by some text (the staleness check's notion of "same cell"). */
export function matchesTemplate(template: string, filled: string): boolean {
  if (placeholders(template).length === 0) return template === filled;
  const parts = template.split(/\{\{[A-Za-z][A-Za-z0-9_]*\}\}/);
  const pattern = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^\\n]*?");
  return new RegExp(`^${pattern}$`).test(filled);
}
