import { fail } from "../core/errors";
import { RichOutput } from "./mime";
import { alignColumns, escapeHtml, numberFormat } from "./text";
import { checkIntegerIn } from "../core/validate";

/** One row of a table: column name → value (numbers, strings, booleans; null/undefined print empty). */
export type TableRow = Readonly<Record<string, unknown>>;

export interface TableOptions {
  /** Decimals of non-integer numbers (default 4; scientific notation where magnitudes need it). */
  digits?: number;
  /** A line above the table. */
  caption?: string;
  /** Which columns, in which order (default: every key, in order of first appearance). */
  columns?: readonly string[];
  /** Above this many rows, only the first and last halves are shown (default 100). */
  maxRows?: number;
}

/**
 * A table for `show`: HTML for the notebook, aligned plain-text columns as the
 * fallback. Numbers share one format per column (see `numberFormat`) and are
 * right-aligned, so a column of losses reads at a glance.
 *
 *   show(table(history.epochs, { digits: 3, caption: "per-epoch logs" }))
 */
export function table(rows: readonly TableRow[], options: TableOptions = {}): RichOutput {
  const digits = options.digits ?? 4;
  const maxRows = options.maxRows ?? 100;
  if (!Array.isArray(rows)) fail("table", `expected an array of row objects, got ${typeof rows}`);
  checkIntegerIn("table", "digits", digits, 0, 20);
  checkIntegerIn("table", "maxRows", maxRows, 2);
  const columns = [...(options.columns ?? columnsOf(rows))];
  const { body, numeric } = cellTexts(rows, columns, digits, maxRows);
  const htmlText = htmlTable(columns, body, numeric, options.caption);
  const lines = alignColumns(columns, body, numeric);
  const plain = [...(options.caption === undefined ? [] : [options.caption]), ...lines].join("\n");
  return new RichOutput({ "text/html": htmlText, "text/plain": plain });
}

/**
 * The text of every shown cell (the first and last halves of `maxRows`, "…" between),
 * and which columns are numeric: only numbers (or blanks) and at least one number.
 */
function cellTexts(rows: readonly TableRow[], columns: readonly string[], digits: number, maxRows: number): { body: string[][]; numeric: boolean[] } {
  const numeric = columns.map((c) => rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === "number") && rows.some((r) => typeof r[c] === "number"));
  const formats = columns.map((c, i) => (numeric[i] ? numberFormat(rows.map((r) => r[c]).filter((v): v is number => typeof v === "number"), digits) : null));
  const text = (row: TableRow, i: number): string => {
    const v = row[columns[i]];
    if (v === null || v === undefined) return "";
    const format = formats[i];
    if (format !== null && typeof v === "number") return format(v);
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  };
  const shown = rows.length > maxRows ? [...rows.slice(0, Math.ceil(maxRows / 2)), null, ...rows.slice(rows.length - Math.floor(maxRows / 2))] : rows;
  const body = shown.map((row) => (row === null ? columns.map(() => "…") : columns.map((_, i) => text(row, i))));
  return { body, numeric };
}

function htmlTable(columns: readonly string[], body: readonly string[][], numeric: readonly boolean[], caption: string | undefined): string {
  const header = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const cell = (t: string, i: number) => `<td${numeric[i] ? ' style="text-align:right"' : ""}>${escapeHtml(t)}</td>`;
  const htmlRows = body.map((cells) => `<tr>${cells.map(cell).join("")}</tr>`).join("");
  const captionHtml = caption === undefined ? "" : `<caption>${escapeHtml(caption)}</caption>`;
  return `<table>${captionHtml}<thead><tr>${header}</tr></thead><tbody>${htmlRows}</tbody></table>`;
}

/** Every key of every row, in order of first appearance. */
function columnsOf(rows: readonly TableRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}
