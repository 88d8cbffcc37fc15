// The notebook runner against hostile or foreign notebooks (issue 17, breaks
// 11–14): a foreign kernelspec is refused by name; a kernel dies with its
// runner even when the runner is SIGKILLed during a busy cell, and takes the
// processes it spawned with it, detached ones too; the connection folders
// (which hold the kernels' signing keys) never stay behind. Each test checks
// that no process is left behind. The runner is a separate process
// (fixtures/notebooks/run-and-report-pid.ts).
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ForeignKernelspecError } from "../../../tools/notebook/errors";
import { runNotebookFile } from "../../../tools/notebook/run-notebook";
import { trackedProcessGroups } from "../../../tools/notebook/process-guard";
import { type ReportingRunner, isRunning, startReportingRunner, waitUntil } from "../../helpers/processes";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "notebooks");

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Live (not zombie) processes whose command line is exactly `argv`. */
function processesRunning(argv: readonly string[]): number[] {
  const wanted = `${argv.join("\0")}\0`;
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8") !== wanted) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z") found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** A `sleep` argument no other process on the machine uses: the detached child is found by its command line. */
const uniqueSeconds = (): string => `${600 + Math.floor(Math.random() * 1000)}.${process.pid}${Date.now() % 100_000}`;

const runners: ChildProcess[] = [];
const strays: number[] = [];
afterEach(() => {
  for (const runner of runners.splice(0)) runner.kill("SIGKILL");
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone, as it should be
    }
  }
});

/** Starts the helper runner on `notebook` with `env` and resolves once its kernel is up. */
function startRunner(notebook: string, env: NodeJS.ProcessEnv): Promise<ReportingRunner> {
  return startReportingRunner(notebook, { env, onStart: (runner) => runners.push(runner) });
}

describe("a notebook for another kernel", () => {
  it("is refused by name before any kernel starts (break 11)", async () => {
    let kernels = 0;
    const result = await runNotebookFile(path.join(FIXTURES, "python-kernel.ipynb"), { onKernelStarted: () => kernels++ });
    expect(result.failure).toBeInstanceOf(ForeignKernelspecError);
    expect(result.failure?.message).toMatch(/python-kernel\.ipynb: refused: this notebook's kernelspec is "python3"/);
    expect(result.failure?.message).toMatch(/runs only the course's TypeScript kernel/);
    expect(kernels).toBe(0);
    expect(result.kernelPid).toBeNull();
    expect(trackedProcessGroups()).toEqual([]);
  });
});

describe("kernels never outlive the runner", () => {
  // Break 12 (with the PID namespace, and with the worker-thread watchdog where namespaces are not used) and 13.
  it.each([
    ["in its own PID namespace", {}],
    ["without a namespace (the watchdog thread)", { NOTEBOOK_RUNNER_NO_NAMESPACE: "1" }],
  ])("SIGKILL to the runner during a busy cell ends the kernel and its detached child, %s", async (_label, extraEnv) => {
    const seconds = uniqueSeconds();
    const tmp = mkdtempSync(path.join(tmpdir(), "runner-tmp-"));
    const { runner, kernelPid, exited } = await startRunner(path.join(FIXTURES, "detached-child.ipynb"), {
      ...extraEnv, DETACHED_SLEEP_SECONDS: seconds, DETACHED_BUSY: "1", TMPDIR: tmp,
    });
    expect(await waitUntil(() => processesRunning(["sleep", seconds]).length === 1, 60_000)).toBe(true);
    strays.push(...processesRunning(["sleep", seconds]));
    await sleep(1000); // the second cell is looping by now: the kernel's main thread cannot run a timer
    runner.kill("SIGKILL");
    await exited;
    const kernelGone = await waitUntil(() => !isRunning(kernelPid), 10_000);
    const childGone = await waitUntil(() => processesRunning(["sleep", seconds]).length === 0, 10_000);
    expect(kernelGone, "the kernel outlived its SIGKILLed runner").toBe(true);
    expect(childGone, "the detached child outlived the kernel").toBe(true);
    // The connection folder went after the handshake, so not even SIGKILL leaves the key behind.
    expect(readdirSync(tmp).filter((f) => f.startsWith("notebook-kernel-"))).toEqual([]);
  }, 120_000);

  it("a normal end of the run takes the detached child with the kernel (break 13)", async () => {
    const seconds = uniqueSeconds();
    process.env.DETACHED_SLEEP_SECONDS = seconds; // the kernel inherits this process's environment
    let seenWhileRunning: number[] = [];
    try {
      // DETACHED_BUSY unset: both cells finish and the runner shuts the kernel down.
      const result = await runNotebookFile(path.join(FIXTURES, "detached-child.ipynb"), {
        onCellFinished: (cell) => {
          if (cell === 1) seenWhileRunning = processesRunning(["sleep", seconds]);
        },
      });
      expect(result.failure).toBeNull();
    } finally {
      delete process.env.DETACHED_SLEEP_SECONDS;
    }
    strays.push(...seenWhileRunning);
    expect(seenWhileRunning).toHaveLength(1);
    expect(await waitUntil(() => processesRunning(["sleep", seconds]).length === 0, 10_000)).toBe(true);
    expect(trackedProcessGroups()).toEqual([]);
  }, 120_000);

  it("SIGTERM to the runner leaves no connection folder and no process (break 14)", async () => {
    const seconds = uniqueSeconds();
    const tmp = mkdtempSync(path.join(tmpdir(), "runner-tmp-"));
    const { runner, kernelPid, exited } = await startRunner(path.join(FIXTURES, "detached-child.ipynb"), { DETACHED_SLEEP_SECONDS: seconds, DETACHED_BUSY: "1", TMPDIR: tmp });
    expect(await waitUntil(() => processesRunning(["sleep", seconds]).length === 1, 60_000)).toBe(true);
    strays.push(...processesRunning(["sleep", seconds]));
    runner.kill("SIGTERM");
    await exited;
    expect(runner.signalCode).toBe("SIGTERM");
    expect(await waitUntil(() => !isRunning(kernelPid), 10_000)).toBe(true);
    expect(await waitUntil(() => processesRunning(["sleep", seconds]).length === 0, 10_000)).toBe(true);
    expect(readdirSync(tmp).filter((f) => f.startsWith("notebook-kernel-"))).toEqual([]);
  }, 120_000);
});
