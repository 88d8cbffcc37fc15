/**
 * Compares the outputs of two executions of one notebook (the committed one
 * and a fresh one), cell by cell, within a float32 tolerance:
 *
 *   - text (streams, text/plain, text/html, text/markdown, text/latex): equal
 *     once every number in it is compared as a number, |a − b| ≤ ABS_TOL or
 *     ≤ REL_TOL·max(|a|, |b|): float32 carries about 7 significant digits,
 *     and a value printed to 4 may flip its last digit when the 7th moves;
 *   - Vega-Lite charts: the specs equal, numbers (the data values) within the
 *     same tolerance;
 *   - images (SVG, PNG) are not compared: they are drawn from the specs.
 */
import type { Notebook } from "../../tools/notebook/notebook";
import type { Output } from "../../tools/notebook/outputs";

export const REL_TOL = 2e-3;
export const ABS_TOL = 1e-6;

const IGNORED_MIME = new Set(["image/svg+xml", "image/png", "image/jpeg"]);
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

export function closeNumbers(a: number, b: number): boolean {
  if (Object.is(a, b) || a === b) return true;
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return Math.abs(a - b) <= ABS_TOL || Math.abs(a - b) <= REL_TOL * Math.max(Math.abs(a), Math.abs(b));
}

/** Why two texts differ beyond the tolerance, or null. */
/** A live progress display's clock ("0:03 elapsed", "ETA 1:02:03"): it times the machine, not the lesson. */
const CLOCK = /\b\d+(?::\d\d){1,2}(?= elapsed)|(?<=ETA )\d+(?::\d\d){1,2}\b/g;

export function textDifference(a: string, b: string): string | null {
  a = a.replace(CLOCK, "⏱");
  b = b.replace(CLOCK, "⏱");
  const skeleton = (s: string) => s.replace(NUMBER, "#");
  if (skeleton(a) !== skeleton(b)) {
    const at = [...a].findIndex((ch, i) => ch !== b[i]);
    return `text differs near ${JSON.stringify(a.slice(Math.max(0, at - 30), at + 30))} / ${JSON.stringify(b.slice(Math.max(0, at - 30), at + 30))}`;
  }
  const na = a.match(NUMBER) ?? [];
  const nb = b.match(NUMBER) ?? [];
  for (let i = 0; i < na.length; i++) {
    if (!closeNumbers(Number(na[i]), Number(nb[i]))) return `number ${na[i]} became ${nb[i]}`;
  }
  return null;
}

/** Why two JSON values (chart specs) differ beyond the tolerance, or null. */
export function jsonDifference(a: unknown, b: unknown, where = "$"): string | null {
  if (typeof a === "number" && typeof b === "number") return closeNumbers(a, b) ? null : `${where}: ${a} became ${b}`;
  if (typeof a === "string" && typeof b === "string") return textDifference(a, b) === null ? null : `${where}: ${JSON.stringify(a)} became ${JSON.stringify(b)}`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${where}: ${a.length} items became ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = jsonDifference(a[i], b[i], `${where}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = jsonDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${where}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${where}: ${JSON.stringify(a)} became ${JSON.stringify(b)}`;
}

function outputDifference(a: Output, b: Output): string | null {
  if (a.output_type !== b.output_type) return `${a.output_type} became ${b.output_type}`;
  if (a.output_type === "stream" && b.output_type === "stream") return a.name !== b.name ? `${a.name} became ${b.name}` : textDifference(a.text, b.text);
  if (!("data" in a) || !("data" in b)) return jsonDifference(a, b); // errors
  const da = a.data as Record<string, unknown>;
  const db = b.data as Record<string, unknown>;
  const mimes = [...new Set([...Object.keys(da), ...Object.keys(db)])].filter((m) => !IGNORED_MIME.has(m)).sort();
  for (const mime of mimes) {
    const [x, y] = [da[mime], db[mime]];
    const joined = (v: unknown) => (Array.isArray(v) ? v.join("") : v);
    const d = typeof joined(x) === "string" && typeof joined(y) === "string"
      ? textDifference(joined(x) as string, joined(y) as string)
      : jsonDifference(x, y);
    if (d) return `${mime}: ${d}`;
  }
  return null;
}

/** Every code cell whose outputs differ beyond the tolerance, as "cell N: why". */
export function notebookOutputDifferences(committed: Notebook, fresh: Notebook): string[] {
  if (committed.cells.length !== fresh.cells.length) return [`${committed.cells.length} cells became ${fresh.cells.length}`];
  const problems: string[] = [];
  committed.cells.forEach((cell, i) => {
    const other = fresh.cells[i];
    if (cell.cell_type !== "code" || other.cell_type !== "code") return;
    if (cell.outputs.length !== other.outputs.length) {
      problems.push(`cell ${i + 1}: ${cell.outputs.length} outputs became ${other.outputs.length}`);
      return;
    }
    cell.outputs.forEach((out, j) => {
      const d = outputDifference(out, other.outputs[j]);
      if (d) problems.push(`cell ${i + 1}, output ${j + 1}: ${d}`);
    });
  });
  return problems;
}
