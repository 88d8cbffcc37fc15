/// <reference types="node" />
import { resolve, sep } from "node:path";
import { isAnomalyEnabled } from "../autograd/grad-mode";
import { inTslabKernel, kernelHandlerClass } from "./kernel";

/**
 * Error stacks that speak about the student's cell, not about tslab or the engine.
 *
 * What tslab 1.0.22 prints for an error (read in node_modules/tslab/dist):
 * executor.js compiles the cell (TypeScript → ES module → CommonJS), wraps it in
 * `(function(exports, require) { … })(__tslab__.exports, __tslab__.require)`
 * (`async function` when the cell has a top-level `await`) and runs that with
 * `vm.runInThisContext`. An error thrown while it runs, or the rejection of the
 * async function's promise, is printed with `console.error(e)`, i.e.
 * `util.inspect`: its `stack`, then its own enumerable properties; the cell is
 * marked failed. So an error showed
 * - first, for a synchronous throw, vm's caret line (`evalmachine.<anonymous>:8`,
 *   the source line of the `throw`, `^`): vm's `displayErrors` prepends it to
 *   `stack`; for a KernelError that was the engine's `throw new KernelError(…)`;
 * - then the message, and the cell as `evalmachine.<anonymous>:8:27`, a line of
 *   the COMPILED cell: tslab keeps no source map, and compiling adds lines
 *   (`Object.defineProperty(exports, …)`, `exports.a = a;` after each
 *   declaration, one line per statement), so the number does not match the cell;
 * - then kernel-lib's, tslab's and node's own frames (`node:vm`, executor.js,
 *   jupyter.js), and for a KernelError `{ op: 'matmul' }`.
 * A TypeScript error in the cell is another path: tslab prints the compiler's
 * `1:7 - Type 'string' is not assignable…` with the cell's own line and column,
 * and runs nothing; that is left as it is.
 *
 * What is printed instead, inside a kernel: the message first, then one line
 * per frame of the cell (`at line 3 of the cell: const b = matmul(a, a)`;
 * `at line 4 of an earlier cell, in run: …` for a function defined before),
 * and frames of the student's other files as they are; kernel-lib's, tslab's
 * and node's frames are left out, and so is tslab's call of its wrapper. An
 * error with no frame of the student's shows its message alone.
 * `detectAnomaly(true)` or KERNEL_LIB_FULL_STACK=1 keep the full stack.
 * Two ways in:
 * - `tidyStack`, from KernelError's constructor: reads the call sites there, and
 *   makes `stack` read-only, so vm's caret line is not prepended;
 * - `tidyThrown`, for any error that escapes a cell (a TypeError, the student's
 *   own `throw`, a rejected top-level `await`): the wrapped
 *   `vm.runInThisContext` (below) catches it, rewrites its printed `stack`
 *   (and its `cause`'s) from the frames read back from the text, and rethrows
 *   the same error, so tslab fails the cell as before. Error.stackTraceLimit is
 *   raised in the kernel, so the cell is still in the stack under a deep engine
 *   call. Outside a kernel nothing is wrapped and nothing changes.
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
/** tslab's call of its wrapper, the last line of every compiled cell: not the student's code. */
const WRAPPER_CALL = /^\}\)\(__tslab__\.exports, __tslab__\.require\)/;
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
/** Errors whose stack was already rewritten (a KernelError at its construction, a rethrown error). */
const tidied = new WeakSet<object>();
/** Called before each cell runs (memory/tidy.ts closes the scopes an interrupted cell left open). */
const cellStartHooks: (() => void)[] = [];

/** Runs `hook` before each cell of a tslab kernel (never outside a kernel). */
export function onCellStart(hook: () => void): void {
  cellStartHooks.push(hook);
}

/**
 * Wraps tslab's execute handler and `vm.runInThisContext` once, so the source
 * and the compiled code of every later cell are known, and errors escaping it
 * are tidied. Returns false (and does nothing) outside a kernel.
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
 * every `require("vm")` shares); the wrapped call keeps the last cell script,
 * and tidies what the cell throws, or what its promise rejects with (a cell
 * with a top-level `await`), before tslab sees it. The same error goes on, so
 * tslab marks the cell failed exactly as before. The script cannot be read
 * from the stack instead: V8 hides the function of a frame
 * (`CallSite.getFunction()`) under a strict-mode frame, and the engine's
 * frames are strict.
 */
function recordCompiledCells(): void {
  const vm = require("node:vm") as typeof import("node:vm") & Record<symbol, unknown>;
  if (vm[WRAPPED] === true) return;
  // Node keeps 10 frames: under fit → model → layer → op the cell would be cut off.
  if (Error.stackTraceLimit < FRAMES) Error.stackTraceLimit = FRAMES;
  const run = vm.runInThisContext as (...args: unknown[]) => unknown;
  vm.runInThisContext = function (this: unknown, code: string, ...rest: unknown[]): unknown {
    if (typeof code !== "string" || !WRAPPER.test(code)) return run.call(this, code, ...rest);
    cells.push({ source: pendingSource?.split("\n") ?? null, compiled: code.split("\n") });
    if (cells.length > CELLS_KEPT) cells.shift();
    pendingSource = null;
    for (const hook of cellStartHooks) hook();
    let result: unknown;
    try {
      result = run.call(this, code, ...rest);
    } catch (error) {
      tidyThrown(error);
      throw error;
    }
    if (!(result instanceof Promise)) return result;
    return result.catch((error: unknown) => {
      tidyThrown(error);
      throw error;
    });
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
  replaceStack(error, callSites().map(frameOfSite), true);
}

/**
 * The same for an error that escaped a cell, from the frames its printed
 * `stack` names (vm's caret line above the message is dropped with the rest);
 * then its `cause` and an AggregateError's errors, which util.inspect prints
 * too. Anything else thrown (a string, an object) is left alone.
 */
function tidyThrown(error: unknown): void {
  if (!(error instanceof Error) || tidied.has(error) || fullStackWanted()) return;
  const { stack } = error;
  if (typeof stack !== "string") return;
  // Frames are read after the message, which may span lines; vm's caret lines come before it.
  const message = String(error.message);
  const head = [`${error.name}: ${message}`, message].find((text) => text !== "" && stack.includes(text));
  replaceStack(error, framesOf(head === undefined ? stack : stack.slice(stack.indexOf(head) + head.length)), false);
  const related: unknown[] = [error.cause, ...(error instanceof AggregateError ? error.errors : [])];
  for (const other of related) tidyThrown(other);
}

/** `stack` becomes the error's name and message, then the student's frames. Read-only for a KernelError (see above). */
function replaceStack(error: Error, frames: readonly Frame[], readOnly: boolean): void {
  tidied.add(error);
  const headline = error.message === "" ? error.name : `${error.name}: ${error.message}`;
  const stack = [headline, ...studentFrames(frames)].join("\n");
  try {
    Object.defineProperty(error, "stack", { value: stack, writable: !readOnly, configurable: true, enumerable: false });
  } catch {
    // A frozen error keeps the stack it has.
  }
}

/** One frame of a stack, from a V8 call site or read back from a printed `stack`. */
export interface Frame {
  /** The function's own name (`check` for `Proxy.check`, `Net` for `new Net`), or null for top-level code. */
  fn: string | null;
  /** The script ("evalmachine.<anonymous>" for a cell, a path, `node:vm`), or null for native code. */
  file: string | null;
  /** The line in that script (1-based), or null if not known. */
  line: number | null;
  /** The frame as V8 prints it after "at ". */
  text: string;
}

function frameOfSite(site: NodeJS.CallSite): Frame {
  return { fn: site.getFunctionName() || null, file: site.getFileName() || null, line: site.getLineNumber(), text: String(site) };
}

/** The frames of a printed stack (its `    at …` lines); other lines are skipped. */
export function framesOf(stack: string): Frame[] {
  return stack.split("\n").flatMap((line) => {
    const frame = /^\s+at (.+)$/.exec(line);
    return frame === null ? [] : [parseFrame(frame[1])];
  });
}

/** `async Proxy.check (evalmachine.<anonymous>:5:15)`, `evalmachine.<anonymous>:7:3`, `Array.map (<anonymous>)`. */
function parseFrame(text: string): Frame {
  const call = /^(?:async )?(.*?) \((.*)\)$/.exec(text);
  const where = call === null ? text.replace(/^async /, "") : call[2];
  const place = /^(.*):(\d+):\d+$/.exec(where);
  const name = call === null ? "" : call[1].replace(/^new /, "").replace(/ \[as [^\]]*\]$/, "");
  const fn = name.slice(name.lastIndexOf(".") + 1);
  return {
    fn: fn === "" || fn === "<anonymous>" ? null : fn,
    file: place === null ? null : place[1],
    line: place === null ? null : Number(place[2]),
    text,
  };
}

/** The lines that stay: the cell's frames mapped to its lines, and frames of the student's other files as they are. */
function studentFrames(frames: readonly Frame[]): string[] {
  // Without the compiled cell, tslab's call of its wrapper is known only as the outermost cell frame.
  const outermost = frames.map((frame) => frame.file).lastIndexOf(CELL_FILE);
  return frames.flatMap((frame, i) => {
    const file = frame.file ?? "";
    if (file === CELL_FILE) return cellFrame(frame, i === outermost);
    const engine = file === "" || file.startsWith(ENGINE_DIR) || file.startsWith("node:") || file.includes(`${sep}tslab${sep}`);
    return engine ? [] : [`    at ${frame.text}`];
  });
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
  if (fn === null || latest === undefined) return latest;
  const name = fn.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // `function run(`, `const run =`, `class Net`, or a method `  forward(x) {`.
  const defines = new RegExp(`(?:function\\s+|class\\s+|(?:const|let|var)\\s+)${name}\\b|^\\s*(?:async\\s+)?${name}\\s*\\(`);
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i].compiled.some((line) => defines.test(line))) return cells[i];
  return latest;
}

/**
 * "    at line 3 of the cell: const b = matmul(a, a)", with ", in run" for a
 * function of the cell; without the number when the line is not known. None
 * for tslab's call of its wrapper.
 */
function cellFrame(frame: Frame, outermost: boolean): string[] {
  const inFunction = frame.fn !== null ? `, in ${frame.fn}` : "";
  const cell = cellOf(frame.fn);
  const index = (frame.line ?? 0) - 1;
  const compiledLine = cell?.compiled[index];
  if (cell === undefined || compiledLine === undefined) {
    return outermost ? [] : [`    at this cell${inFunction} (run it again to see the line: kernel-lib was loaded by this run)`];
  }
  if (WRAPPER_CALL.test(compiledLine)) return [];
  const line = cell.source === null ? -1 : sourceLineOf(cell.source, cell.compiled, index);
  const which = cell === cells[cells.length - 1] ? "the cell" : "an earlier cell";
  if (line < 0) return [`    at ${which === "the cell" ? "this cell" : which}${inFunction}: ${undoRewrites(compiledLine).trim()}`];
  return [`    at line ${line + 1} of ${which}${inFunction}: ${cell.source![line].trim()}`];
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
 * none shares at least half of its words. Of lines sharing as many, the one
 * with the fewest words of its own (`f();` is `f();`, not `const f: any = 3;`).
 */
export function sourceLineOf(source: readonly string[], compiled: readonly string[], index: number): number {
  const wanted = words(undoRewrites(compiled[index]));
  if (wanted.length === 0) return -1;
  const scores = source.map((line) => {
    const have = words(line);
    const shared = wanted.filter((w) => have.includes(w)).length / wanted.length;
    return { shared, own: have.filter((w) => !wanted.includes(w)).length };
  });
  const best = Math.max(...scores.map((score) => score.shared));
  if (best < 0.5) return -1;
  const fewest = Math.min(...scores.filter((score) => score.shared === best).map((score) => score.own));
  const tied = scores.flatMap((score, i) => (score.shared === best && score.own === fewest ? [i] : []));
  // The k-th compiled copy of a line is the k-th of the equally good source lines.
  const text = undoRewrites(compiled[index]).trim();
  const repeat = compiled.slice(0, index).filter((l) => undoRewrites(l).trim() === text).length;
  return tied[Math.min(repeat, tied.length - 1)];
}

// When kernel-lib loads in a kernel, so that the cells after this one are known.
recordCellSources();
