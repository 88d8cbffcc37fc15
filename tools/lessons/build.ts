/**
 * `npm run lessons -- [NN …] [--no-execute]` builds notebooks/NN-topic.ipynb
 * from notebooks/src/NN-topic.ts and executes it with the headless runner, so
 * the committed notebook carries fresh outputs. A lesson that fails to run is
 * not written.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { readNotebook, writeNotebook, type Cell } from "../notebook/notebook";
import { DEFAULT_HOOKS, runNotebookFile } from "../notebook/run-notebook";
import { parsePercent, toNotebook } from "./percent";
import { fillQuotes, matchesTemplate } from "./quotes";

/** What runs on an executed lesson before it is written: static SVGs of the charts, then the quoted results written into the text. */
export const LESSON_HOOKS = [...DEFAULT_HOOKS, fillQuotes];

export const root = resolve(__dirname, "../..");
export const notebooksDir = join(root, "notebooks");
const sourcesDir = join(notebooksDir, "src");

/** The lesson sources, optionally only those whose names start with one of `filters` (e.g. "04"). */
export function lessonSources(filters: readonly string[] = []): string[] {
  return readdirSync(sourcesDir)
    .filter((f) => /^\d\d-.*\.ts$/.test(f))
    .filter((f) => filters.length === 0 || filters.some((p) => f.startsWith(p)))
    .sort()
    .map((f) => join(sourcesDir, f));
}

export function notebookPathFor(source: string): string {
  return join(notebooksDir, basename(source).replace(/\.ts$/, ".ipynb"));
}

/** The cells a lesson source produces (no outputs). */
export function cellsOf(source: string): Cell[] {
  return parsePercent(readFileSync(source, "utf8"), source);
}

/** Lessons whose committed notebook does not match its source (cell types, sources, metadata). */
export async function staleLessons(): Promise<string[]> {
  const stale: string[] = [];
  for (const source of lessonSources()) {
    const expected = cellsOf(source);
    let actual: Cell[];
    try {
      actual = (await readNotebook(notebookPathFor(source))).cells;
    } catch {
      stale.push(basename(source));
      continue;
    }
    // Markdown may differ from its source only where {{name}} was filled with a quoted result.
    const key = (cells: Cell[]) => JSON.stringify(cells.map((c) => [c.cell_type, c.metadata.slideshow ?? null, c.metadata.tags ?? null]));
    const same = key(expected) === key(actual) && expected.every((c, i) => matchesTemplate(String(c.source), String(actual[i].source)));
    if (!same) stale.push(basename(source));
  }
  return stale;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { "no-execute": { type: "boolean", default: false } } });
  const sources = lessonSources(positionals);
  if (sources.length === 0) {
    console.error(`no lesson matches ${positionals.join(", ")} in notebooks/src`);
    process.exit(2);
  }
  let failed = 0;
  for (const source of sources) {
    const target = notebookPathFor(source);
    const notebook = toNotebook(cellsOf(source));
    if (values["no-execute"]) {
      await writeNotebook(target, notebook);
      console.log(`BUILT ${basename(target)} (not executed)`);
      continue;
    }
    // Execute a fresh copy in the notebooks folder's context, and only then replace the committed one.
    const scratch = join(mkdtempSync(join(tmpdir(), "lesson-")), basename(target));
    await writeNotebook(scratch, notebook);
    const started = Date.now();
    const result = await runNotebookFile(scratch, { cwd: notebooksDir, outFile: target, label: basename(target), hooks: LESSON_HOOKS });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.failure) {
      failed++;
      console.error(`FAIL ${basename(target)} (${seconds} s)\n${result.failure.message}`);
    } else {
      console.log(`PASS ${basename(target)} (${seconds} s)`);
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}

if (require.main === module) void main();
