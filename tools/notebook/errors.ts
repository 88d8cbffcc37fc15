/**
 * Every way running a notebook can fail, as distinct error classes.
 *
 * Why: callers (the CLI, tests) branch on the kind of failure, and each
 * message must say on its own where it happened (file, cell number, a source
 * excerpt) and what the kernel printed, so a CI log is enough to act on.
 */
import type { KernelExit } from "./kernel-process";
import { describeExit } from "./kernel-process";

/** The .ipynb file is unreadable, not JSON, or not nbformat 4. */
export class NotebookFormatError extends Error {
  override name = "NotebookFormatError";
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** The kernel did not answer `kernel_info_request` in time, or died while starting. */
export class KernelStartupError extends Error {
  override name = "KernelStartupError";
  constructor(
    message: string,
    readonly kernelOutput: string,
  ) {
    super(kernelOutput.trim() ? `${message}\n--- kernel output ---\n${kernelOutput.trim()}` : message);
  }
}

/** The notebook asks for another kernel than the course's (metadata.kernelspec.name): refused before any kernel starts. */
export class ForeignKernelspecError extends KernelStartupError {
  override name = "ForeignKernelspecError";
  constructor(
    readonly notebook: string,
    readonly kernelspec: string,
    readonly expected: string,
  ) {
    super(
      `${notebook}: refused: this notebook's kernelspec is "${kernelspec}" (metadata.kernelspec.name), and this runner runs only the course's TypeScript kernel "${expected}". ` +
        `Run it with Jupyter and the "${kernelspec}" kernel, or, if it is a course notebook, set its kernel to "${expected}".`,
      "",
    );
  }
}

/** The kernel process exited while a request was outstanding. */
export class KernelDiedError extends Error {
  override name = "KernelDiedError";
  constructor(
    readonly exit: KernelExit,
    readonly kernelOutput: string,
    /** True when we killed it ourselves (a timed-out cell ignored SIGINT). */
    readonly killedByRunner = false,
  ) {
    super(`kernel died (${describeExit(exit)})${killedByRunner ? " after being killed by the runner" : ""}`);
  }
}

/** Where in a notebook a cell failure happened, for messages. */
export interface CellLocation {
  /** Notebook file, or a label for in-memory notebooks. */
  notebook: string;
  /** 1-based position among all cells (markdown included), as Jupyter shows it. */
  cellNumber: number;
  source: string;
}

const EXCERPT_LINES = 8;

/** The first lines of a cell's source, indented, for error messages. */
export function sourceExcerpt(source: string): string {
  const lines = source.split("\n");
  const shown = lines.slice(0, EXCERPT_LINES).map((line) => `    ${line}`);
  if (lines.length > EXCERPT_LINES) shown.push(`    ... (${lines.length - EXCERPT_LINES} more lines)`);
  return shown.join("\n");
}

/**
 * Drops stack frames inside tslab and node's vm module: they are the same
 * for every cell and bury the frames of the notebook's own code.
 */
export function tidyTraceback(text: string): string {
  const internal = /^\s+at .*(node:vm:|node_modules[\\/]tslab[\\/]|sigintHandlersWrap)/;
  return text
    .split("\n")
    .filter((line) => !internal.test(line))
    .join("\n");
}

function cellMessage(where: CellLocation, what: string, details: string): string {
  const tidy = tidyTraceback(details).trim();
  const body = tidy ? `\n--- output ---\n${tidy}` : "";
  return `${where.notebook}: cell ${where.cellNumber} ${what}\n--- source ---\n${sourceExcerpt(where.source)}${body}`;
}

/** Base of all failures attributed to one cell. */
export abstract class CellError extends Error {
  constructor(
    readonly where: CellLocation,
    what: string,
    /** Traceback or whatever the cell printed (tslab reports errors on stderr). */
    readonly details: string,
  ) {
    super(cellMessage(where, what, details));
  }
}

/** The cell raised (or failed to type-check) and was not allowed to. */
export class CellExecutionError extends CellError {
  override name = "CellExecutionError";
  constructor(where: CellLocation, traceback: string) {
    super(where, "raised an error", traceback);
  }
}

/** The cell ran past its timeout and was interrupted (or, failing that, killed). */
export class CellTimeoutError extends CellError {
  override name = "CellTimeoutError";
  constructor(
    where: CellLocation,
    readonly timeoutMs: number,
    readonly kernelKilled: boolean,
    printed: string,
  ) {
    const how = kernelKilled ? "the kernel ignored SIGINT and was killed" : "interrupted with SIGINT";
    super(where, `timed out after ${timeoutMs / 1000} s (${how})`, printed);
  }
}

/**
 * The kernel process exited while this cell ran (e.g. `process.exit(1)`),
 * or had already exited when the cell was due (`beforeCell`).
 */
export class KernelDiedInCellError extends CellError {
  override name = "KernelDiedInCellError";
  constructor(
    where: CellLocation,
    readonly exit: KernelExit,
    printed: string,
    readonly beforeCell = false,
  ) {
    const what = beforeCell ? "could not run: the kernel had already died" : "killed the kernel";
    super(where, `${what} (${describeExit(exit)})`, printed);
  }
}
