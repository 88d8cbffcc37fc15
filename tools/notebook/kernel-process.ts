/**
 * The tslab kernel as an operating-system process: start, signal, kill, and
 * learn when it died.
 *
 * Why its own module: the protocol client must never hang on a dead kernel,
 * so process life and death is tracked here, independently of ZeroMQ (which
 * never reports a vanished peer). The kernel runs in its own process group
 * (`detached`), so SIGINT/SIGKILL reach it and everything it spawned, and it
 * is registered with the process guard so it never outlives the runner.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { killProcessGroup, trackProcessGroup, untrackProcessGroup } from "./process-guard";

export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface KernelProcessOptions {
  /** Path of the connection file passed as `--config-path`. */
  connectionFile: string;
  /** Working directory of the kernel: the notebook's folder, so relative paths work. */
  cwd: string;
  /** Extra environment variables for the kernel. */
  env?: NodeJS.ProcessEnv;
  /** tslab's `bin/tslab` script; defaults to the tslab this repository depends on. */
  tslabBin?: string;
}

/** How much of the kernel's own stdout/stderr to keep for error reports. */
const OUTPUT_TAIL_CHARS = 16_000;

/**
 * kernel-lib's kernel preload (records each cell's source, so errors name the
 * cell's line from the first cell on), as node arguments; none before kernel-lib is built.
 */
function kernelLibPreload(): string[] {
  const file = path.join(path.dirname(require.resolve("kernel-lib/package.json")), "dist", "display", "kernel-preload.js");
  return existsSync(file) ? ["--require", file] : [];
}

/** tslab's CLI entry point, found through node's resolution from here. */
export function defaultTslabBin(): string {
  return path.join(path.dirname(require.resolve("tslab/package.json")), "bin", "tslab");
}

export class KernelProcess {
  /** Process id, equal to the process group id. */
  readonly pid: number;
  /** Settles once the process has exited (and been reaped). Never rejects. */
  readonly exited: Promise<KernelExit>;
  private exitInfo: KernelExit | null = null;
  private outputTail = "";

  private constructor(private readonly child: ChildProcess) {
    if (child.pid === undefined) throw new Error("kernel process did not start");
    this.pid = child.pid;
    trackProcessGroup(this.pid);
    const keep = (chunk: Buffer): void => {
      this.outputTail = (this.outputTail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        // The leader is gone; kill anything it left in its group, then forget it.
        killProcessGroup(this.pid);
        untrackProcessGroup(this.pid);
        resolve(this.exitInfo);
      });
    });
  }

  /**
   * Starts `node <tslab> kernel --config-path <file>` with the watchdog and
   * the V8 tuning (kernel-tuning.cjs) preloaded. Node is run directly (not
   * via `#!/usr/bin/env node`) so the kernel uses the same node binary as the runner.
   */
  static async start(options: KernelProcessOptions): Promise<KernelProcess> {
    const watchdog = path.join(__dirname, "kernel-watchdog.cjs");
    const tuning = path.join(__dirname, "kernel-tuning.cjs");
    const bin = options.tslabBin ?? defaultTslabBin();
    const child = spawn(
      process.execPath,
      ["--require", tuning, "--require", watchdog, ...kernelLibPreload(), bin, "kernel", "--config-path", options.connectionFile],
      {
        cwd: options.cwd,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, ...options.env, NOTEBOOK_RUNNER_PARENT_PID: String(process.pid) },
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", reject);
    });
    return new KernelProcess(child);
  }

  /** The exit status if the process has exited, else null. */
  get exitStatus(): KernelExit | null {
    return this.exitInfo;
  }

  /** The last few kilobytes the kernel wrote to its own stdout/stderr. */
  get output(): string {
    return this.outputTail;
  }

  /**
   * SIGINT to the process group. tslab turns it into an exception in the
   * running cell (vm `breakOnSigint`) or a rejection of an awaited promise;
   * tslab does not implement `interrupt_request`, so a signal is the only way.
   */
  interrupt(): void {
    if (this.exitInfo === null) killProcessGroup(this.pid, "SIGINT");
  }

  /** SIGKILL the process group and wait until the kernel is reaped. */
  async kill(): Promise<KernelExit> {
    if (this.exitInfo === null) killProcessGroup(this.pid, "SIGKILL");
    return this.exited;
  }
}

/** Human-readable exit status: "exit code 1" or "signal SIGKILL". */
export function describeExit(exit: KernelExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`;
}
