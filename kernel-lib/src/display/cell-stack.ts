/// <reference types="node" />
import { resolve, sep } from "node:path";
import { isAnomalyEnabled } from "../autograd/grad-mode";
import { inTslabKernel, kernelHandlerClass } from "./kernel";

/**
 * Error stacks that speak about the student's cell, not about the engine.
 *
 * What tslab 1.0.22 prints for an error (read in node_modules/tslab/dist):
 * executor.js compiles the cell (TypeScript → ES module → CommonJS), wraps it in
 * `(function(exports, require) { … })` and runs it with `vm.runInThisContext`,
 * then prints a thrown error with `console.error(e)`, i.e. `util.inspect`: its
 * `stack`, then its own enumerable properties. So a shape error showed
 * - first, a caret line from the engine (`…/kernel-lib/dist/core/errors.js:21`,
 *   `throw new KernelError(op, message);`, `^`): vm's `displayErrors` prepends
 *   the source line of the `throw` to `stack`;
 * - then the message, kernel-lib's frames, and the cell as
 *   `evalmachine.<anonymous>:8:35`, a line of the COMPILED cell: tslab keeps no
 *   source map, and compiling adds lines (`Object.defineProperty(exports, …)`,
 *   `exports.a = a;` after each declaration, one line per statement), so the
 *   number does not match the cell. kernel-lib did nothing to the stack;
 * - then tslab's and node's own frames, and `{ op: 'matmul' }`.
 *
 * What `tidyStack` makes of it, inside a kernel: the message first, then one
 * line per frame of the cell (`at line 3 of the cell: const b = matmul(a, a)`;
 * `at line 4 of an earlier cell, in run: …` for a function defined before),
 * and frames of the student's other files as they are; kernel-lib's, tslab's
 * and node's frames are left out. `stack` is then made read-only, so vm's
 * caret line is not prepended. `detectAnomaly(true)` or KERNEL_LIB_FULL_STACK=1
 * keep the full stack.
 *
 * How a compiled line is found in the cell: the cell's source comes from
 * tslab's request handler (its execute method is wrapped when kernel-lib loads,
 * so the cell that first imports kernel-lib is not known yet, unless the
 * kernel was started with kernel-preload.js); the compiled
 * code is the script tslab hands to `vm.runInThisContext` (wrapped likewise).
 * Compiled and source lines
 * are matched by their words once tslab's rewrites are undone
 * (`(0, kernel_lib_1.matmul)(a, a)` → `matmul(a, a)`): the source line sharing
 * most of them, the k-th of equals for the k-th repeat.
 */

/** kernel-lib's folder: frames in files under it are the engine's. */
const ENGINE_DIR = resolve(__dirname, "..", "..") + sep;
/** tslab names the cells' script so (vm's default file name). */
const CELL_FILE = "evalmachine.<anonymous>";
/** How tslab's wrapper function starts (executor.js). */
const WRAPPER = /^\((?:async )?function\s*\(exports, require\)/;
/** Enough frames to reach the cell under a deep engine call (fit → model → layer → op → check). */
const FRAMES = 100;

/** A cell as the student wrote it (null if not known) and as tslab compiled it (the script vm runs), line by line. */
interface CellRecord {
  source: string[] | null;
  compiled: string[];
}
/** The source of the cell being executed, until its script runs. */
let pendingSource: string | null = null;
/** The cells run so far, latest last: a function defined in an earlier cell may be in the stack. */
const cells: CellRecord[] = [];
/** Cells kept; older ones are forgotten (their functions then map to "this cell" without a line). */
const CELLS_KEPT = 500;
const WRAPPED = Symbol.for("kernel-lib.cellSourceRecorder");

/**
 * Wraps tslab's execute handler and `vm.runInThisContext` once, so the source
 * and the compiled code of every later cell are known. Returns false (and does
 * nothing) outside a kernel.
 */
export function recordCellSources(): boolean {
  const handler = kernelHandlerClass();
  if (handler === null) return false;
  recordCompiledCells();
  const proto = handler.prototype as Record<string | symbol, unknown>;
  const execute = proto.handleExecuteImpl;
  if (proto[WRAPPED] === true || typeof execute !== "function") return true;
  proto.handleExecuteImpl = function (this: unknown, request: { code?: unknown }, ...rest: unknown[]): unknown {
    pendingSource = typeof request?.code === "string" ? request.code : null;
    return (execute as (...args: unknown[]) => unknown).call(this, request, ...rest);
  };
  proto[WRAPPED] = true;
  return true;
}

/**
 * tslab runs each compiled cell with `vm.runInThisContext` (the module object
 * every `require("vm")` shares); the wrapped call keeps the last cell script.
 * The script cannot be read from the stack instead: V8 hides the function of
 * a frame (`CallSite.getFunction()`) under a strict-mode frame, and the
 * engine's frames are strict.
 */
function recordCompiledCells(): void {
  const vm = require("node:vm") as typeof import("node:vm") & Record<symbol, unknown>;
  if (vm[WRAPPED] === true) return;
  const run = vm.runInThisContext;
  vm.runInThisContext = function (this: unknown, code: string, ...rest: unknown[]): unknown {
    if (typeof code === "string" && WRAPPER.test(code)) {
      cells.push({ source: pendingSource?.split("\n") ?? null, compiled: code.split("\n") });
      if (cells.length > CELLS_KEPT) cells.shift();
      pendingSource = null;
    }
    return (run as (...args: unknown[]) => unknown).call(this, code, ...rest);
  } as typeof vm.runInThisContext;
  vm[WRAPPED] = true;
}

/** Whether errors keep every frame: under `detectAnomaly(true)`, or with KERNEL_LIB_FULL_STACK=1. */
export function fullStackWanted(): boolean {
  return isAnomalyEnabled() || process.env.KERNEL_LIB_FULL_STACK === "1";
}

/**
 * Inside a tslab kernel, replaces `error.stack` by the message and the frames
 * of the student's code (see the module comment). Call it from the error's
 * constructor. Elsewhere, or when the full stack is wanted, does nothing.
 */
export function tidyStack(error: Error): void {
  if (!inTslabKernel() || fullStackWanted()) return;
  const sites = callSites();
  // The outermost cell frame is tslab's call of its wrapper (`})(__tslab__.exports, …)`), not the student's code.
  const outermost = sites.map((site) => site.getFileName()).lastIndexOf(CELL_FILE);
  const frames: string[] = [];
  for (const [i, site] of sites.entries()) {
    const file = site.getFileName() ?? "";
    if (file === CELL_FILE) {
      if (i !== outermost) frames.push(cellFrame(site));
    }
    else if (file !== "" && !file.startsWith(ENGINE_DIR) && !file.startsWith("node:") && !file.includes(`${sep}tslab${sep}`)) frames.push(`    at ${site}`);
  }
  const stack = [`${error.name}: ${error.message}`, ...frames].join("\n");
  Object.defineProperty(error, "stack", { value: stack, writable: false, configurable: true, enumerable: false });
}

function callSites(): NodeJS.CallSite[] {
  const { prepareStackTrace, stackTraceLimit } = Error;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.stackTraceLimit = FRAMES;
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, tidyStack);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * The cell a frame runs in: the latest one for top-level code; for a named
 * function, the latest cell whose compiled script defines it (a helper from an
 * earlier cell). All cells share vm's file name, so this is how they are told apart.
 */
function cellOf(fn: string | null): CellRecord | undefined {
  const latest = cells[cells.length - 1];
  if (fn === null || fn === "" || latest === undefined) return latest;
  const name = fn.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // `function run(`, `const run =`, or a method `  forward(x) {`.
  const defines = new RegExp(`(?:function\\s+|(?:const|let|var)\\s+)${name}\\b|^\\s*(?:async\\s+)?${name}\\s*\\(`);
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i].compiled.some((line) => defines.test(line))) return cells[i];
  return latest;
}

/**
 * "    at line 3 of the cell: const b = matmul(a, a)", with ", in run" for a
 * function of the cell; without the number when the line is not known.
 */
function cellFrame(site: NodeJS.CallSite): string {
  const fn = site.getFunctionName();
  const inFunction = fn !== null && fn !== "" ? `, in ${fn}` : "";
  const cell = cellOf(fn);
  const index = (site.getLineNumber() ?? 0) - 1;
  const compiledLine = cell?.compiled[index];
  if (cell === undefined || compiledLine === undefined) return `    at this cell${inFunction} (run it again to see the line: kernel-lib was loaded by this run)`;
  const line = cell.source === null ? -1 : sourceLineOf(cell.source, cell.compiled, index);
  const which = cell === cells[cells.length - 1] ? "the cell" : "an earlier cell";
  if (line < 0) return `    at ${which === "the cell" ? "this cell" : which}${inFunction}: ${undoRewrites(compiledLine).trim()}`;
  return `    at line ${line + 1} of ${which}${inFunction}: ${cell.source![line].trim()}`;
}

/** A compiled line read as the student wrote it: tslab's `exports.` and import-module prefixes removed. */
export function undoRewrites(line: string): string {
  return line
    .replace(/^\((?:async )?function\s*\(exports, require\)\s*\{\s*/, "")
    .replace(/\bexports\.tsLastExpr\s*=\s*/, "")
    .replace(/\(0,\s*[\w$]+_\d+\.([\w$]+)\)/g, "$1")
    .replace(/\b[\w$]+_\d+\.(?:default\.)?([\w$]+)/g, "$1")
    .replace(/\bexports\.([\w$]+)/g, "$1");
}

const WORD = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
const words = (text: string): string[] => text.match(WORD) ?? [];

/**
 * The index of the source line that compiled line `index` came from, or -1 if
 * none shares at least half of its words.
 */
export function sourceLineOf(source: readonly string[], compiled: readonly string[], index: number): number {
  const wanted = words(undoRewrites(compiled[index]));
  if (wanted.length === 0) return -1;
  const scores = source.map((line) => {
    const have = words(line);
    return wanted.filter((w) => have.includes(w)).length / wanted.length;
  });
  const best = Math.max(...scores);
  if (best < 0.5) return -1;
  const tied = scores.flatMap((score, i) => (score === best ? [i] : []));
  // The k-th compiled copy of a line is the k-th of the equally good source lines.
  const text = undoRewrites(compiled[index]).trim();
  const repeat = compiled.slice(0, index).filter((l) => undoRewrites(l).trim() === text).length;
  return tied[Math.min(repeat, tied.length - 1)];
}

// When kernel-lib loads in a kernel, so that the cells after this one are known.
recordCellSources();
