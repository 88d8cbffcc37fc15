/**
 * Makes sure no kernel outlives the runner.
 *
 * Why: a kernel is a separate process group (so one signal reaches it and
 * anything it spawned). Nothing kills it when the runner dies, so we keep a
 * registry of live kernel process groups and SIGKILL them from `exit` and from
 * SIGINT/SIGTERM/SIGHUP handlers. The handlers are installed only while a
 * kernel is alive, so a host process (a test runner) keeps its own signal
 * behaviour otherwise. A runner killed with SIGKILL cannot run handlers; for
 * that case the kernel carries a parent-death signal or a watchdog
 * (kernel-process.ts, kernel-watchdog.cjs).
 *
 * It also removes files that must not outlive the runner (the kernels'
 * connection folders, which hold their signing keys) on the same paths.
 */
import { rmSync } from "node:fs";

const liveGroups = new Set<number>();
const livePaths = new Set<string>();
const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
let installed = false;

/** SIGKILL a whole process group; a group that is already gone is fine. */
export function killProcessGroup(pgid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

function killAll(): void {
  for (const pgid of liveGroups) killProcessGroup(pgid);
  liveGroups.clear();
  for (const p of livePaths) rmSync(p, { recursive: true, force: true });
  livePaths.clear();
}

function onExit(): void {
  killAll();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  uninstall();
  // If nobody else handles this signal, re-raise it so the runner dies the
  // way it would have without us (exit status 128 + signal number).
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off("exit", onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Registers a kernel's process group to be killed if the runner exits. */
export function trackProcessGroup(pgid: number): void {
  liveGroups.add(pgid);
  install();
}

/** Forgets a process group once it is known to be dead. */
export function untrackProcessGroup(pgid: number): void {
  liveGroups.delete(pgid);
  if (liveGroups.size === 0 && livePaths.size === 0) uninstall();
}

/** Registers a file or folder to be removed if the runner exits or is signalled. */
export function trackPath(p: string): void {
  livePaths.add(p);
  install();
}

/** Forgets a path once it has been removed. */
export function untrackPath(p: string): void {
  livePaths.delete(p);
  if (liveGroups.size === 0 && livePaths.size === 0) uninstall();
}

/** Process groups of kernels still running (for tests and diagnostics). */
export function trackedProcessGroups(): number[] {
  return [...liveGroups];
}
