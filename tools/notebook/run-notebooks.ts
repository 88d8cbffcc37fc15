/**
 * CLI: execute notebooks headlessly on the tslab kernel (no Python, no Jupyter).
 *
 *   npm run notebooks -- [paths...] [--out DIR] [--timeout SEC] [--allow-errors] [--no-svg]
 *
 * Paths are .ipynb files or folders (their *.ipynb); default: notebooks/*.ipynb
 * of this repository, sorted. Executed notebooks are written in place, or to
 * --out DIR under their base names. A failed notebook is not written in place
 * (its source stays clean) but is written to --out for inspection. One line
 * per notebook with its time and status, then "N passed, N failed"; the exit
 * status is 1 if any notebook failed, 2 for bad arguments. Vega-Lite charts
 * get a static SVG copy in the written notebook unless --no-svg is given.
 *
 * Argument parsing uses node's util.parseArgs: no dependency, strict mode
 * rejects unknown options.
 */
import { mkdir, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { NotebookFormatError } from "./errors";
import { DEFAULT_HOOKS, runNotebookFile } from "./run-notebook";

const USAGE = `Usage: npm run notebooks -- [paths...] [--out DIR] [--timeout SEC] [--allow-errors] [--no-svg]

  paths            .ipynb files or folders (default: notebooks/*.ipynb)
  --out DIR        write executed notebooks to DIR instead of in place
  --timeout SEC    per-cell time limit in seconds (default 120)
  --allow-errors   cells may raise; the run continues and passes
  --no-svg         do not add SVG renderings of Vega-Lite charts to the outputs
  -h, --help       show this help`;

export interface CliOptions {
  paths: string[];
  outDir: string | null;
  timeoutSec: number;
  allowErrors: boolean;
  help: boolean;
  /** Set (true) only when --no-svg is given. */
  noSvg?: true;
}

/** Thrown for unusable command lines; the CLI prints it with the usage. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function parseCliArgs(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: "string" },
        timeout: { type: "string", default: "120" },
        "allow-errors": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        "no-svg": { type: "boolean", default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const timeoutSec = Number(parsed.values.timeout);
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) {
    throw new UsageError(`--timeout must be a positive number of seconds, got ${JSON.stringify(parsed.values.timeout)}`);
  }
  return {
    paths: parsed.positionals,
    outDir: parsed.values.out ?? null,
    timeoutSec,
    allowErrors: parsed.values["allow-errors"] ?? false,
    help: parsed.values.help ?? false,
    ...(parsed.values["no-svg"] === true ? { noSvg: true as const } : {}),
  };
}

/** This repository's notebooks/ folder (the default input). */
const DEFAULT_DIR = path.resolve(__dirname, "..", "..", "notebooks");

async function notebooksIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir);
  return entries
    .filter((name) => name.endsWith(".ipynb"))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Expands folders to their notebooks; keeps files as given. */
export async function resolveNotebookPaths(paths: string[]): Promise<string[]> {
  if (paths.length === 0) {
    try {
      return await notebooksIn(DEFAULT_DIR);
    } catch {
      return [];
    }
  }
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => null);
    if (info?.isDirectory()) files.push(...(await notebooksIn(given)));
    else files.push(given); // a missing file is reported by the run itself
  }
  return files;
}

const indent = (text: string): string => text.replace(/^/gm, "    ");

/** Runs the CLI; returns the process exit status. */
export async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`error: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const files = await resolveNotebookPaths(options.paths);
  if (files.length === 0) {
    console.log("no notebooks found");
    return 0;
  }
  if (options.outDir !== null) await mkdir(options.outDir, { recursive: true });

  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), path.resolve(file)) || file;
    const outFile = options.outDir === null ? file : path.join(options.outDir, path.basename(file));
    const started = Date.now();
    let problem: string | null = null;
    let note = "";
    try {
      const result = await runNotebookFile(file, {
        label: shown,
        outFile,
        writeOnFailure: options.outDir !== null,
        cellTimeoutMs: options.timeoutSec * 1000,
        allowErrors: options.allowErrors,
        hooks: options.noSvg ? [] : DEFAULT_HOOKS,
      });
      if (result.failure) problem = result.failure.message;
      if (result.allowedErrors.length > 0) note = ` (${result.allowedErrors.length} allowed cell error(s))`;
    } catch (err) {
      if (!(err instanceof NotebookFormatError)) throw err;
      problem = err.message;
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (problem === null) {
      passed++;
      console.log(`PASS ${shown} ${seconds} s${note}`);
    } else {
      failed++;
      console.log(`FAIL ${shown} ${seconds} s\n${indent(problem)}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
