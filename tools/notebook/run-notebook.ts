/**
 * Executes one notebook on a fresh tslab kernel: the policy layer on top of
 * the kernel client (which cells run, which errors are allowed, what ends a run).
 *
 * Why cells go one at a time, with a pause after an error:
 * under `jupyter nbconvert --execute --allow-errors`, cells after a failing
 * cell came back with no output. The cause is in tslab, not in Jupyter:
 * tslab ignores `stop_on_error` and serialises executions on a promise chain
 * (`TaskQueue` in tslab/dist/util.js). A failing cell leaves that chain
 * rejected, every execution queued onto it is answered `status: "abort"`
 * without running, and the chain is only reset 200 ms later
 * (`execQueue.reset(200)` in tslab/dist/jupyter.js). nbclient sends the next
 * cell as soon as the error reply arrives, well inside those 200 ms, so the
 * following cells are aborted. We therefore send each cell only after the
 * previous one finished (reply + idle), with `stop_on_error: false`, wait
 * ERROR_SETTLE_MS after an error, and re-send a cell that still came back
 * "abort". tslab also never sends iopub `error` messages: the error text
 * arrives on stderr, so failure messages quote the cell's printed output.
 */
import path from "node:path";
import { KERNEL_NAME } from "../course/kernelspec";
import { CellError, CellExecutionError, CellTimeoutError, ForeignKernelspecError, KernelDiedError, KernelDiedInCellError, KernelStartupError } from "./errors";
import { KernelClient, type ExecuteReply } from "./kernel-client";
import { cellTags, ensureCellIds, readNotebook, writeNotebook, type CodeCell, type Notebook } from "./notebook";
import { CellOutputs, DisplayRegistry } from "./outputs";
import type { JsonObject } from "./protocol";
import { addVegaLiteSvgs } from "./vegalite-svg";

/** Longer than tslab's 200 ms queue reset after a failed execution. */
export const ERROR_SETTLE_MS = 300;
/** How often an aborted cell is re-sent before it counts as failed. */
const ABORT_RETRIES = 3;

/**
 * Kernelspec names this runner executes: the course's kernel, and "tslab",
 * the name `tslab install` gives the same kernel (notebooks saved before the
 * course kernel had its own name carry it). Anything else is refused by name.
 */
export const ACCEPTED_KERNELSPECS: ReadonlySet<string> = new Set([KERNEL_NAME, "tslab"]);

/** nbclient's convention: a cell tagged so may raise without failing the run. */
export const RAISES_EXCEPTION_TAG = "raises-exception";

export interface RunNotebookOptions {
  /** Kernel working directory. Default: the notebook file's folder (else process.cwd()). */
  cwd?: string;
  /** Per-cell time limit; default 120 s. */
  cellTimeoutMs?: number;
  /** Let every cell fail without failing the run (nbconvert's --allow-errors). */
  allowErrors?: boolean;
  /** Kernel startup limit; default 60 s. */
  startupTimeoutMs?: number;
  /** After an interrupt, how long before the kernel is killed; default 5 s. */
  interruptGraceMs?: number;
  /** Name of the notebook in messages; defaults to the file path. */
  label?: string;
  /** Called with the kernel's pid once it is running (tests check it is gone afterwards). */
  onKernelStarted?: (pid: number) => void;
  /** Called after each executed code cell with its cell number (1-based, counting every cell, as error messages do) and wall time in ms; the course test's timing report uses it. */
  onCellFinished?: (cellNumber: number, ms: number) => void;
}

/** What ended a run early. */
export type RunFailure = CellError | KernelStartupError;

export interface NotebookRunResult {
  /** The executed notebook (partially executed if `failure` is set). */
  notebook: Notebook;
  /** Null when the run succeeded. */
  failure: RunFailure | null;
  /** Cell errors that were allowed (tagged raises-exception, or allowErrors). */
  allowedErrors: CellError[];
  /** Pid of the kernel used, null if none started. */
  kernelPid: number | null;
  durationMs: number;
}

const DEFAULT_CELL_TIMEOUT_MS = 120_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a cell, re-sending it while tslab answers "abort" (see the module comment). */
async function executeCell(
  client: KernelClient,
  cell: CodeCell,
  options: RunNotebookOptions,
  outputs: CellOutputs,
): Promise<ExecuteReply> {
  for (let attempt = 0; ; attempt++) {
    const reply = await client.execute(cell.source, {
      timeoutMs: options.cellTimeoutMs ?? DEFAULT_CELL_TIMEOUT_MS,
      interruptGraceMs: options.interruptGraceMs,
      onIopub: (msg) => outputs.add(msg),
    });
    if (reply.status !== "abort" || attempt >= ABORT_RETRIES) return reply;
    await sleep(ERROR_SETTLE_MS);
  }
}

/**
 * Executes every code cell of `notebook` (a deep copy is returned; the input
 * is not modified). Never throws for cell failures: they are in `failure`.
 */
export async function executeNotebook(notebook: Notebook, options: RunNotebookOptions = {}): Promise<NotebookRunResult> {
  const started = Date.now();
  const executed = structuredClone(notebook);
  ensureCellIds(executed);
  const label = options.label ?? "<notebook>";
  const timeoutMs = options.cellTimeoutMs ?? DEFAULT_CELL_TIMEOUT_MS;
  const result: NotebookRunResult = { notebook: executed, failure: null, allowedErrors: [], kernelPid: null, durationMs: 0 };
  const finish = (): NotebookRunResult => ({ ...result, durationMs: Date.now() - started });

  // A notebook written for another kernel (python3, …) is refused by name, instead of failing on TypeScript parse errors.
  const spec = notebook.metadata.kernelspec;
  const specName = typeof spec === "object" && spec !== null && !Array.isArray(spec) ? spec.name : undefined;
  if (specName !== undefined && !ACCEPTED_KERNELSPECS.has(String(specName))) {
    return { ...finish(), failure: new ForeignKernelspecError(label, String(specName), KERNEL_NAME) };
  }

  let client: KernelClient;
  try {
    client = await KernelClient.start({ cwd: options.cwd ?? process.cwd(), startupTimeoutMs: options.startupTimeoutMs });
  } catch (err) {
    if (err instanceof KernelStartupError) return { ...finish(), failure: err };
    throw err;
  }
  result.kernelPid = client.pid;
  const displays = new DisplayRegistry();
  try {
    options.onKernelStarted?.(client.pid);
    const languageInfo = client.kernelInfo.language_info;
    if (typeof languageInfo === "object" && languageInfo !== null && !Array.isArray(languageInfo)) {
      executed.metadata.language_info = languageInfo as JsonObject;
    }
    for (const [index, cell] of executed.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const outputs = new CellOutputs(displays);
      cell.outputs = outputs.outputs;
      cell.execution_count = null;
      if (cell.source.trim() === "") continue; // Jupyter does not send empty cells.
      const where = { notebook: label, cellNumber: index + 1, source: cell.source };
      const allowed = options.allowErrors === true || cellTags(cell).includes(RAISES_EXCEPTION_TAG);

      let reply: ExecuteReply;
      const diedBefore = !client.alive; // e.g. a timer of an earlier cell called process.exit
      const cellStarted = Date.now();
      try {
        reply = await executeCell(client, cell, { ...options, cellTimeoutMs: timeoutMs }, outputs);
      } catch (err) {
        if (!(err instanceof KernelDiedError)) throw err;
        const printed = [outputs.text(), err.kernelOutput].filter((text) => text.trim()).join("\n");
        result.failure = err.killedByRunner
          ? new CellTimeoutError(where, timeoutMs, true, printed)
          : new KernelDiedInCellError(where, err.exit, printed, diedBefore);
        return finish();
      }
      cell.execution_count = reply.executionCount;
      options.onCellFinished?.(index + 1, Date.now() - cellStarted);

      let error: CellError | null = null;
      if (reply.timedOut) {
        // A timeout is a runner limit, not an exception the cell means to raise.
        error = new CellTimeoutError(where, timeoutMs, false, outputs.text());
        if (!options.allowErrors) {
          result.failure = error;
          return finish();
        }
      } else if (reply.status !== "ok") {
        const details = reply.status === "abort" ? "the kernel aborted this execution" : outputs.text();
        error = new CellExecutionError(where, details);
        if (!allowed) {
          result.failure = error;
          return finish();
        }
      }
      if (error) {
        result.allowedErrors.push(error);
        await sleep(ERROR_SETTLE_MS);
      }
    }
    return finish();
  } finally {
    await client.shutdown();
  }
}

/**
 * A step run on a successfully executed notebook before it is written, such
 * as adding static renderings of outputs. It may change the notebook in
 * place; each problem it returns names its cell, and the first one becomes
 * the run's failure (so the notebook is not written in place).
 */
export type NotebookHook = (notebook: Notebook, label: string) => Promise<CellError[]>;

/** Hooks used when a notebook is written and `hooks` is not given: SVG copies of Vega-Lite charts. */
export const DEFAULT_HOOKS: readonly NotebookHook[] = [addVegaLiteSvgs];

export interface RunNotebookFileOptions extends RunNotebookOptions {
  /** Where to write the executed notebook; omit to leave files untouched. */
  outFile?: string;
  /** Also write when the run failed (for inspecting partial outputs). */
  writeOnFailure?: boolean;
  /**
   * Post-execution hooks, run in order after a successful run. Default:
   * DEFAULT_HOOKS when `outFile` is set (what is written is what readers
   * see), none otherwise; pass [] to write the raw kernel outputs.
   */
  hooks?: readonly NotebookHook[];
}

/** Runs the hooks; returns the first problem any of them reports, or null. */
async function runHooks(notebook: Notebook, label: string, hooks: readonly NotebookHook[]): Promise<CellError | null> {
  for (const hook of hooks) {
    const problems = await hook(notebook, label);
    if (problems.length > 0) return problems[0];
  }
  return null;
}

/**
 * Reads, executes and optionally writes a notebook file. The kernel runs in
 * the notebook's folder. After a successful run the hooks (see `hooks`) may
 * add to the outputs before the notebook is written. Throws
 * NotebookFormatError for a malformed file; cell failures are reported in
 * the result.
 */
export async function runNotebookFile(file: string, options: RunNotebookFileOptions = {}): Promise<NotebookRunResult> {
  const notebook = await readNotebook(file);
  const label = options.label ?? file;
  let result = await executeNotebook(notebook, { cwd: path.dirname(path.resolve(file)), ...options, label });
  const hooks = options.hooks ?? (options.outFile !== undefined ? DEFAULT_HOOKS : []);
  if (result.failure === null && hooks.length > 0) {
    const problem = await runHooks(result.notebook, label, hooks);
    if (problem !== null) result = { ...result, failure: problem };
  }
  if (options.outFile !== undefined && (result.failure === null || options.writeOnFailure === true)) {
    await writeNotebook(options.outFile, result.notebook);
  }
  return result;
}
