// No orphaned kernels: a runner that is signalled, crashes, or is SIGKILLed
// must not leave its tslab kernel running. The runner here is a separate
// process (fixtures/notebooks/run-and-report-pid.ts). For signals and crashes
// the kernel is stuck in `while (true) {}`, so its watchdog cannot run and
// only the runner's own exit/signal handlers can have killed it.
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ReportingRunner, isRunning, startReportingRunner, waitUntil } from "../../helpers/processes";

const SLEEP_NOTEBOOK = path.join(__dirname, "..", "..", "fixtures", "notebooks", "sleep.ipynb");
const BUSY_NOTEBOOK = path.join(__dirname, "..", "..", "fixtures", "notebooks", "infinite-loop.ipynb");

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU time (user + system) of a process, in clock ticks, from /proc. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime, stime
}

/**
 * Waits until the kernel has spent CPU on the cell (compiling, then looping):
 * from then on it never returns to its event loop, so its watchdog cannot
 * fire. Measured as CPU time rather than wall time because the machine may
 * be busy with other work.
 */
async function waitUntilBusy(pid: number, timeoutMs = 30_000): Promise<void> {
  const start = cpuTicks(pid);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await sleep(200);
    if (cpuTicks(pid) - start >= 50) return; // 0.5 s of CPU at 100 ticks/s
  }
  throw new Error(`kernel ${pid} never became busy`);
}

/** Runners and kernels of the current test, killed afterwards if a test failed midway. */
const started: { runner: ChildProcess; kernelPid: number }[] = [];
afterEach(() => {
  for (const { runner, kernelPid } of started.splice(0)) {
    runner.kill("SIGKILL");
    try {
      process.kill(-kernelPid, "SIGKILL");
    } catch {
      // already gone, as it should be
    }
  }
});

/** Starts the helper runner and resolves with it and its kernel's pid. */
async function startRunner(notebook: string): Promise<ReportingRunner> {
  const run = await startReportingRunner(notebook, { timeoutMs: 30_000 });
  started.push({ runner: run.runner, kernelPid: run.kernelPid });
  return run;
}

describe("no orphaned kernels", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("kills the kernel when the runner gets %s", async (signal) => {
    const { runner, kernelPid, exited } = await startRunner(BUSY_NOTEBOOK);
    await waitUntilBusy(kernelPid);
    expect(isRunning(kernelPid)).toBe(true);
    runner.kill(signal);
    await exited;
    expect(runner.signalCode).toBe(signal); // re-raised: the runner died of the signal
    expect(await waitUntil(() => !isRunning(kernelPid), 3_000)).toBe(true);
  });

  it("kills the kernel when the runner throws", async () => {
    const { runner, kernelPid, exited } = await startRunner(BUSY_NOTEBOOK);
    await waitUntilBusy(kernelPid);
    runner.kill("SIGUSR2"); // the helper throws from its SIGUSR2 handler
    expect(await exited).not.toBe(0);
    expect(await waitUntil(() => !isRunning(kernelPid), 3_000)).toBe(true);
  });

  it("the kernel's watchdog ends it when the runner is SIGKILLed", async () => {
    // An idle kernel (awaiting a promise), so the watchdog's timer can fire.
    const { runner, kernelPid, exited } = await startRunner(SLEEP_NOTEBOOK);
    runner.kill("SIGKILL");
    await exited;
    expect(await waitUntil(() => !isRunning(kernelPid), 5_000)).toBe(true);
  });
});
