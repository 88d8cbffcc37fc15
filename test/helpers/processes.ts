/**
 * "No process left behind", for tests of the grader and the notebook runner:
 * live (not zombie) processes found through /proc, by what their command line
 * mentions, and a poll that waits for a condition without a timed assertion.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  return dir;
}
