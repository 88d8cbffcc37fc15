/**
 * "No process left behind", for tests of the grader and the notebook runner:
 * live (not zombie) processes found through /proc, by what their command line
 * mentions, and a poll that waits for a condition without a timed assertion.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/** Live processes (other than this one) whose command line mentions `marker`, as "pid: command line". */
export function processesMentioning(marker: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmd.includes(marker)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z") found.push(`${entry}: ${cmd.split("\0").join(" ")}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Running = exists and is not a zombie (PID 1 here may not reap orphans promptly). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Polls `condition` every 100 ms until it holds or `timeoutMs` passes; returns its last value. */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

/**
 * A temporary folder of this test file's own, made TMPDIR for everything it
 * starts (sandboxes, type checks, child graders), so that "left behind" is
 * "a live process mentioning this folder". World-traversable: sandboxes run
 * as another uid.
 */
export function ownTmpdir(prefix: string): string {
  const saved = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  // The file's other tests (and the next file in this worker) get the TMPDIR they had.
  afterAll(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  });
  return dir;
}

/** A notebook runner started as a child (test/fixtures/notebooks/run-and-report-pid.ts), its kernel's pid, and its exit. */
export interface ReportingRunner {
  runner: ChildProcess;
  kernelPid: number;
  exited: Promise<number | null>;
}

const REPORTING_RUNNER = join(__dirname, "..", "fixtures", "notebooks", "run-and-report-pid.ts");
const REPO_ROOT = join(__dirname, "..", "..");

/**
 * Runs `notebook` through the headless runner in a child process, which
 * prints "KERNEL <pid>" once its kernel is up; resolves then. `onStart` gets
 * the child first, so the caller can end it if the kernel never reports.
 */
export async function startReportingRunner(notebook: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; onStart?: (runner: ChildProcess) => void } = {}): Promise<ReportingRunner> {
  const runner = spawn(process.execPath, ["--import", "tsx", REPORTING_RUNNER, notebook], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  options.onStart?.(runner);
  const exited = new Promise<number | null>((resolve) => runner.once("exit", (code) => resolve(code)));
  let stdout = "";
  const kernelPid = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no kernel pid reported; output: ${stdout}`)), options.timeoutMs ?? 60_000);
    runner.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /KERNEL (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return { runner, kernelPid, exited };
}
