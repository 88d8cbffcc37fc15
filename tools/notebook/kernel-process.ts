/**
 * The tslab kernel as an operating-system process: start, signal, kill, and
 * learn when it died.
 *
 * Why its own module: the protocol client must never hang on a dead kernel,
 * so process life and death is tracked here, independently of ZeroMQ (which
 * never reports a vanished peer). The kernel runs in its own process group
 * (`detached`), so SIGINT/SIGKILL reach it and everything it spawned, and it
 * is registered with the process guard so it never outlives the runner.
 *
 * Where the machine allows it, the kernel is also the first process of a PID
 * namespace of its own, started through
 *   setpriv --pdeathsig KILL -- unshare [--user --map-root-user] --pid --fork --kill-child --mount-proc --
 * so that it dies with the runner even when the runner is SIGKILLed (the
 * parent-death signal reaches `unshare`, which kills the kernel), and when
 * the kernel dies, the kernel kills every process left in its namespace,
 * including children a cell spawned `detached` (in a session of their own,
 * out of reach of a process-group kill). The network is shared: the runner
 * talks to the kernel over loopback. Elsewhere the kernel's watchdog
 * (kernel-watchdog.cjs, a worker thread) covers a runner that is SIGKILLed.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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

let namespacePrefix: string[] | undefined;

/** The command words that put the kernel in a PID namespace of its own, or [] where that is not allowed (measured once). */
export function kernelNamespacePrefix(): string[] {
  if (namespacePrefix !== undefined) return namespacePrefix;
  const deathSig = ["setpriv", "--pdeathsig", "KILL", "--"];
  const ns = ["--pid", "--fork", "--kill-child", "--mount-proc", "--"];
  const candidates = process.env.NOTEBOOK_RUNNER_NO_NAMESPACE === "1" ? [] : [[...deathSig, "unshare", ...ns], [...deathSig, "unshare", "--user", "--map-root-user", ...ns]];
  namespacePrefix = candidates.find((c) => spawnSync(c[0], [...c.slice(1), process.execPath, "-e", "0"], { stdio: "ignore", timeout: 15_000 }).status === 0) ?? [];
  return namespacePrefix;
}

/** The first child of `pid` (the kernel below `unshare`), waiting for it to appear. */
async function firstChild(pid: number, timeoutMs = 10_000): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
      if (kids.length > 0) return Number(kids[0]);
    } catch {
      return null; // gone
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return null;
}

export class KernelProcess {
  /** Process id of the kernel itself (the node process running tslab). */
  readonly pid: number;
  /** Its process group (the session `detached` made; with a namespace, `unshare` leads it). */
  readonly pgid: number;
  /** Settles once the process has exited (and been reaped). Never rejects. */
  readonly exited: Promise<KernelExit>;
  private exitInfo: KernelExit | null = null;
  private outputTail = "";

  private constructor(private readonly child: ChildProcess, kernelPid: number) {
    if (child.pid === undefined) throw new Error("kernel process did not start");
    this.pgid = child.pid;
    this.pid = kernelPid;
    trackProcessGroup(this.pgid);
    const keep = (chunk: Buffer): void => {
      this.outputTail = (this.outputTail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        // The leader is gone; kill anything it left in its group, then forget it.
        killProcessGroup(this.pgid);
        untrackProcessGroup(this.pgid);
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
    const prefix = kernelNamespacePrefix();
    const cmd = [...prefix, process.execPath, "--require", tuning, "--require", watchdog, ...kernelLibPreload(), bin, "kernel", "--config-path", options.connectionFile];
    const child = spawn(cmd[0], cmd.slice(1), {
      cwd: options.cwd,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      // Inside a PID namespace the runner's pid does not exist: the watchdog is not needed there (unshare's parent-death signal is).
      env: {
        ...process.env,
        ...options.env,
        // The notebook is executed to be stored: what depends on the machine or the student's files
        // (fit's "auto" progress, notebooks/check.ts's grading) is left out of it.
        KERNEL_LIB_STORED_RUN: "1",
        ...(prefix.length === 0 ? { NOTEBOOK_RUNNER_PARENT_PID: String(process.pid) } : {}),
      },
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", reject);
    });
    const kernelPid = prefix.length === 0 ? child.pid! : (await firstChild(child.pid!)) ?? child.pid!;
    return new KernelProcess(child, kernelPid);
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
    if (this.exitInfo === null) killProcessGroup(this.pgid, "SIGINT");
  }

  /**
   * SIGKILL the kernel and wait until it is reaped. With a namespace, the
   * kernel is killed first, so that `unshare` reaps it (and then exits the
   * same way): killing both at once would leave the kernel a zombie for the
   * machine's init to reap. Its namespace dies with it; the group is killed
   * too if `unshare` lingers.
   */
  async kill(): Promise<KernelExit> {
    if (this.exitInfo === null) {
      if (this.pid !== this.pgid) {
        try {
          process.kill(this.pid, "SIGKILL");
        } catch {
          // gone
        }
        const fallback = setTimeout(() => killProcessGroup(this.pgid, "SIGKILL"), 2000);
        await this.exited;
        clearTimeout(fallback);
      } else {
        killProcessGroup(this.pgid, "SIGKILL");
      }
    }
    return this.exited;
  }
}

/** Human-readable exit status: "exit code 1" or "signal SIGKILL". */
export function describeExit(exit: KernelExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`;
}
