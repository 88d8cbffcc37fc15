// End-to-end tests of the notebook runner against the REAL tslab kernel.
// Each test starts its own kernel (~2 s) and checks afterwards that the
// kernel process is gone, so a leak shows up at the test that caused it.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  CellExecutionError,
  CellTimeoutError,
  KernelDiedInCellError,
  KernelStartupError,
  NotebookFormatError,
} from "../../../tools/notebook/errors";
import { KernelClient } from "../../../tools/notebook/kernel-client";
import type { CodeCell, Notebook } from "../../../tools/notebook/notebook";
import type { Output } from "../../../tools/notebook/outputs";
import { trackedProcessGroups } from "../../../tools/notebook/process-guard";
import { runNotebookFile, type NotebookRunResult, type RunNotebookFileOptions } from "../../../tools/notebook/run-notebook";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "notebooks");
const fixture = (name: string): string => path.join(FIXTURES, name);

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

let kernelPids: number[] = [];

async function run(name: string, options: RunNotebookFileOptions = {}): Promise<NotebookRunResult> {
  return runNotebookFile(fixture(name), {
    cellTimeoutMs: 20_000,
    ...options,
    onKernelStarted: (pid) => kernelPids.push(pid),
  });
}

afterEach(() => {
  for (const pid of kernelPids) expect(processExists(pid), `kernel ${pid} still running`).toBe(false);
  expect(trackedProcessGroups()).toEqual([]);
  kernelPids = [];
});

function codeCell(notebook: Notebook, cellNumber: number): CodeCell {
  const cell = notebook.cells[cellNumber - 1];
  if (cell.cell_type !== "code") throw new Error(`cell ${cellNumber} is not code`);
  return cell;
}

function streamText(outputs: Output[], name: "stdout" | "stderr"): string {
  return outputs.map((o) => (o.output_type === "stream" && o.name === name ? o.text : "")).join("");
}

describe("KernelClient", () => {
  it("reports a kernel that cannot start, with its output, instead of waiting", async () => {
    const attempt = KernelClient.start({ cwd: FIXTURES, tslabBin: path.join(FIXTURES, "no-such-tslab.js") });
    await expect(attempt).rejects.toThrow(KernelStartupError);
    await expect(attempt).rejects.toThrow(/kernel exited during startup \(exit code 1\)[\s\S]*Cannot find module/);
  });
});

describe("runNotebookFile with the tslab kernel", () => {
  it("collects stdout/stderr, rich displays and in-place display updates", async () => {
    const result = await run("outputs.ipynb");
    expect(result.failure).toBeNull();
    expect(result.kernelPid).toEqual(kernelPids[0]);
    const nb = result.notebook;
    expect(nb.nbformat_minor).toBeGreaterThanOrEqual(5);

    // Consecutive stdout writes are merged into one stream output.
    expect(codeCell(nb, 1).outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "out 1\nout 2\n" },
      { output_type: "stream", name: "stderr", text: "err 1\n" },
    ]);
    expect(codeCell(nb, 1).execution_count).toBe(1);

    expect(codeCell(nb, 3).outputs).toEqual([
      { output_type: "display_data", data: { "application/vnd.vegalite.v5+json": { mark: "point" } }, metadata: {} },
      { output_type: "display_data", data: { "text/html": "<b>bold</b>" }, metadata: {} },
    ]);

    // d.text("a"); d.text("b") -> one output showing "b".
    expect(codeCell(nb, 4).outputs).toEqual([
      { output_type: "display_data", data: { "text/plain": "b" }, metadata: {} },
    ]);

    // The kernel runs in the notebook's folder.
    expect(streamText(codeCell(nb, 5).outputs, "stdout")).toBe(`cwd ${FIXTURES}\n`);
    expect(nb.metadata.language_info).toMatchObject({ name: "typescript" });
  });

  it("fails the run on an error cell, naming the cell, and runs nothing after it", async () => {
    const result = await run("error.ipynb");
    const failure = result.failure;
    expect(failure).toBeInstanceOf(CellExecutionError);
    if (!(failure instanceof CellExecutionError)) return;
    expect(failure.where.cellNumber).toBe(3);
    expect(failure.message).toContain("error.ipynb: cell 3 raised an error");
    expect(failure.message).toContain('throw new Error("boom");'); // source excerpt
    expect(failure.message).toContain("Error: boom"); // traceback
    expect(failure.message).not.toContain("node_modules/tslab"); // internal frames trimmed
    expect(streamText(codeCell(result.notebook, 1).outputs, "stdout")).toBe("before\n");
    expect(codeCell(result.notebook, 4).outputs).toEqual([]);
    expect(codeCell(result.notebook, 4).execution_count).toBeNull();
  });

  it("lets cells tagged raises-exception fail and still runs the cells after them", async () => {
    const result = await run("raises-exception.ipynb");
    expect(result.failure).toBeNull();
    expect(result.allowedErrors.map((e) => e.where.cellNumber)).toEqual([2, 3]);
    // A TypeScript type error is a failed cell too (tslab does not run it).
    expect(result.allowedErrors[1]).toBeInstanceOf(CellExecutionError);
    expect(result.allowedErrors[1].message).toContain("raises-exception.ipynb: cell 3 raised an error");
    expect(streamText(codeCell(result.notebook, 2).outputs, "stderr")).toContain("Error: boom");
    expect(streamText(codeCell(result.notebook, 3).outputs, "stderr")).toContain(
      "Type 'string' is not assignable to type 'number'",
    );
    // tslab would abort this cell if sent right after the error; the runner waits.
    expect(streamText(codeCell(result.notebook, 4).outputs, "stdout")).toBe("after\n");
    expect(codeCell(result.notebook, 4).execution_count).toBe(4);
  });

  it("interrupts a cell that exceeds the timeout; with allowErrors the kernel runs later cells", async () => {
    const started = Date.now();
    const result = await run("infinite-loop.ipynb", { cellTimeoutMs: 3_000, allowErrors: true });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.failure).toBeNull();
    const timeout = result.allowedErrors[0];
    expect(timeout).toBeInstanceOf(CellTimeoutError);
    if (!(timeout instanceof CellTimeoutError)) return;
    expect(timeout.where.cellNumber).toBe(1);
    expect(timeout.kernelKilled).toBe(false); // SIGINT was enough
    expect(timeout.message).toContain("infinite-loop.ipynb: cell 1 timed out after 3 s (interrupted with SIGINT)");
    expect(timeout.message).toContain("looping");
    expect(streamText(codeCell(result.notebook, 1).outputs, "stderr")).toContain("interrupted by `SIGINT`");
    expect(streamText(codeCell(result.notebook, 2).outputs, "stdout")).toBe("still alive\n");
  });

  it("fails the run and kills the kernel when an interrupted cell does not stop within the grace period", async () => {
    const result = await run("ignores-sigint.ipynb", { cellTimeoutMs: 2_000, interruptGraceMs: 1_000 });
    const failure = result.failure;
    expect(failure).toBeInstanceOf(CellTimeoutError);
    if (!(failure instanceof CellTimeoutError)) return;
    expect(failure.kernelKilled).toBe(true);
    expect(failure.message).toContain("cell 1 timed out after 2 s (the kernel ignored SIGINT and was killed)");
    expect(failure.message).toContain("blocking");
  });

  it("reports a kernel that dies in a cell (process.exit) without hanging", async () => {
    const result = await run("process-exit.ipynb");
    const failure = result.failure;
    expect(failure).toBeInstanceOf(KernelDiedInCellError);
    if (!(failure instanceof KernelDiedInCellError)) return;
    expect(failure.where.cellNumber).toBe(2);
    expect(failure.exit.code).toBe(1);
    expect(failure.message).toContain("process-exit.ipynb: cell 2 killed the kernel (exit code 1)");
    expect(failure.message).toContain("process.exit(1);");
    expect(streamText(codeCell(result.notebook, 1).outputs, "stdout")).toBe("before exit\n");
    expect(codeCell(result.notebook, 3).outputs).toEqual([]);
  });

  it.each([
    ["not-json.ipynb", "not valid JSON"],
    ["no-cells.ipynb", 'missing "cells" array'],
    ["nbformat-3.ipynb", "nbformat is 3; only nbformat 4 notebooks are supported"],
  ])("rejects malformed notebook %s naming the file, without starting a kernel", async (name, problem) => {
    const file = path.join("malformed", name);
    const attempt = run(file);
    await expect(attempt).rejects.toThrow(NotebookFormatError);
    await expect(attempt).rejects.toThrow(`${fixture(file)}: ${problem}`);
    expect(kernelPids).toEqual([]);
  });
});
