/**
 * Reading, validating and writing .ipynb files (nbformat 4).
 *
 * Why: a malformed notebook must fail with a message naming the file and the
 * problem, before any kernel starts. In memory, multi-line strings (sources,
 * stream text, text MIME data) are single strings; on disk they are written
 * as nbformat does (lists of lines, sorted keys, one-space indent), so
 * executed notebooks diff cleanly against ones saved by Jupyter. Written
 * notebooks are nbformat 4.5: every cell gets an `id` if it lacks one.
 */
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { NotebookFormatError } from "./errors";
import type { Output } from "./outputs";
import type { JsonObject, JsonValue } from "./protocol";

export interface CodeCell {
  cell_type: "code";
  id?: string;
  source: string;
  metadata: JsonObject;
  outputs: Output[];
  execution_count: number | null;
}

export interface TextCell {
  cell_type: "markdown" | "raw";
  id?: string;
  source: string;
  metadata: JsonObject;
}

export type Cell = CodeCell | TextCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: JsonObject;
  cells: Cell[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** nbformat's "multiline string": a string or a list of strings to concatenate. */
function joinMultiline(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((part) => typeof part === "string")) return value.join("");
  return undefined;
}

function normaliseOutput(raw: JsonObject): Output {
  const out: JsonObject = { ...raw };
  if (raw.output_type === "stream") out.text = joinMultiline(raw.text) ?? "";
  if (isObject(raw.data)) {
    const data: JsonObject = {};
    for (const [mime, value] of Object.entries(raw.data)) data[mime] = joinMultiline(value) ?? value;
    out.data = data;
  }
  return out as unknown as Output;
}

function parseCell(raw: unknown, index: number, file: string): Cell {
  const where = `cell ${index + 1}`;
  if (!isObject(raw)) throw new NotebookFormatError(file, `${where} is not a JSON object`);
  const type = raw.cell_type;
  if (type !== "code" && type !== "markdown" && type !== "raw") {
    throw new NotebookFormatError(file, `${where} has unknown cell_type ${JSON.stringify(type)}`);
  }
  const source = joinMultiline(raw.source);
  if (source === undefined) throw new NotebookFormatError(file, `${where} has no string "source"`);
  const metadata = isObject(raw.metadata) ? raw.metadata : {};
  // Unknown fields (e.g. attachments) are kept as they are.
  if (type !== "code") return { ...raw, cell_type: type, source, metadata } as TextCell;
  const outputs = Array.isArray(raw.outputs) ? raw.outputs.filter(isObject).map(normaliseOutput) : [];
  const count = typeof raw.execution_count === "number" ? raw.execution_count : null;
  return { ...raw, cell_type: "code", source, metadata, outputs, execution_count: count } as CodeCell;
}

/** Parses and validates notebook JSON text; `file` is only used in error messages. */
export function parseNotebook(text: string, file: string): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new NotebookFormatError(file, `not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(raw)) throw new NotebookFormatError(file, "top level is not a JSON object");
  if (raw.nbformat !== 4) {
    throw new NotebookFormatError(
      file,
      `nbformat is ${JSON.stringify(raw.nbformat ?? null)}; only nbformat 4 notebooks are supported`,
    );
  }
  if (!Array.isArray(raw.cells)) throw new NotebookFormatError(file, 'missing "cells" array');
  return {
    ...raw,
    nbformat: 4,
    nbformat_minor: typeof raw.nbformat_minor === "number" ? raw.nbformat_minor : 0,
    metadata: isObject(raw.metadata) ? raw.metadata : {},
    cells: raw.cells.map((cell, i) => parseCell(cell, i, file)),
  };
}

/** Reads and validates a notebook file. Throws NotebookFormatError naming the file. */
export async function readNotebook(file: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new NotebookFormatError(file, `cannot read (${(err as Error).message})`);
  }
  return parseNotebook(text, file);
}

/** The tags of a cell (`metadata.tags`), e.g. "raises-exception". */
export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === "string") : [];
}

/** Gives every cell an nbformat 4.5 `id` (8 hex digits) if it has none. */
export function ensureCellIds(notebook: Notebook): void {
  for (const cell of notebook.cells) cell.id ??= randomBytes(4).toString("hex");
}

/** Splits after each newline, as nbformat stores multi-line strings. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** JSON-typed MIME data (application/json, *+json) is stored as JSON, not lines. */
function isJsonMime(mime: string): boolean {
  return mime === "application/json" || mime.endsWith("+json");
}

function outputToDisk(output: Output): JsonValue {
  const out = { ...output } as unknown as JsonObject;
  if (output.output_type === "stream") out.text = splitLines(output.text);
  if (output.output_type === "display_data" || output.output_type === "execute_result") {
    const data: JsonObject = {};
    for (const [mime, value] of Object.entries(output.data)) {
      data[mime] = typeof value === "string" && !isJsonMime(mime) ? splitLines(value) : value;
    }
    out.data = data;
  }
  return out;
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
  return sorted;
}

/** Serialises as nbformat 4.5 JSON text (ids added where missing). */
export function serializeNotebook(notebook: Notebook): string {
  const cells = notebook.cells.map((cell) => {
    const disk = { ...cell, id: cell.id ?? randomBytes(4).toString("hex"), source: splitLines(cell.source) };
    if (cell.cell_type === "code") return { ...disk, outputs: cell.outputs.map(outputToDisk) };
    return disk;
  });
  const disk = { ...notebook, nbformat_minor: Math.max(notebook.nbformat_minor, 5), cells };
  return `${JSON.stringify(sortKeys(disk as unknown as JsonValue), null, 1)}\n`;
}

export async function writeNotebook(file: string, notebook: Notebook): Promise<void> {
  await writeFile(file, serializeNotebook(notebook), "utf8");
}
