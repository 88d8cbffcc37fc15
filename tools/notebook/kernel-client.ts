/**
 * A Jupyter kernel client over ZeroMQ: starts a tslab kernel, performs the
 * `kernel_info_request` handshake, runs code with `execute_request`, and shuts
 * the kernel down. No Python, no jupyter_client.
 *
 * Why this shape:
 * - A request is finished only when BOTH its `*_reply` (shell/control) and the
 *   iopub `status: idle` with it as parent have arrived: outputs travel on
 *   iopub and may arrive after the reply, and idle is published after them.
 * - ZeroMQ never reports a dead peer, so every wait also races the kernel
 *   process's exit; a dead kernel rejects outstanding requests with
 *   KernelDiedError instead of hanging.
 * - A timeout escalates: SIGINT (tslab has no `interrupt_request` handler), a
 *   grace period, then SIGKILL of the whole process group.
 * - Sockets: Dealer for shell and control, Subscriber (all topics) for iopub.
 *   No stdin socket (requests say `allow_stdin: false`, so the kernel never
 *   asks) and no heartbeat (we own the process, its exit event is exact).
 */
import { Dealer, Subscriber } from "zeromq";
import { randomUUID } from "node:crypto";
import { createConnectionInfo, endpoint, writeConnectionFile, type ConnectionFile } from "./connection";
import { KernelDiedError, KernelStartupError } from "./errors";
import { describeExit, KernelProcess, type KernelExit } from "./kernel-process";
import { createMessage, decodeMessage, encodeMessage, type JsonObject, type JupyterMessage } from "./protocol";

export interface KernelClientOptions {
  /** Kernel working directory; use the notebook's folder so relative paths work. */
  cwd: string;
  /** How long to wait for the kernel to answer `kernel_info_request`. Default 60 s. */
  startupTimeoutMs?: number;
  /** Extra environment variables for the kernel process. */
  env?: NodeJS.ProcessEnv;
  /** Override the tslab CLI script (tests, or another tslab install). */
  tslabBin?: string;
}

export interface ExecuteOptions {
  /** Interrupt the code after this long; no limit when omitted. */
  timeoutMs?: number;
  /** After SIGINT, how long to wait for the reply before killing the kernel. Default 5 s. */
  interruptGraceMs?: number;
  /** Receives this request's iopub messages (except `status`), in order. */
  onIopub?: (msg: JupyterMessage) => void;
}

export type ExecuteStatus = "ok" | "error" | "abort";

export interface ExecuteReply {
  status: ExecuteStatus;
  executionCount: number | null;
  /** The raw `execute_reply` content. */
  content: JsonObject;
  /** True when the code hit its timeout and was interrupted by SIGINT. */
  timedOut: boolean;
}

const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
const DEFAULT_INTERRUPT_GRACE_MS = 5_000;
const DEFAULT_SHUTDOWN_GRACE_MS = 3_000;
/**
 * How often the handshake re-sends `kernel_info_request` (iopub may miss the
 * first). Requests sent before the kernel listens wait in ZeroMQ's queue and
 * are all answered once it does; only the last complete answer counts. At
 * 1 s, tslab's start (about 2.1 s here) was rounded up to the next whole second.
 */
const HANDSHAKE_RETRY_MS = 100;

const TIMED_OUT = Symbol("timed out");

/** Resolves with the promise's value, or TIMED_OUT after `ms`; rejections pass through. */
/** How many times a kernel is started with fresh ports when one was taken meanwhile. */
const PORT_RETRIES = 3;

async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One outstanding request: done when both its reply and iopub idle have arrived. */
class PendingRequest {
  readonly done: Promise<JupyterMessage>;
  private reply: JupyterMessage | null = null;
  private idle = false;
  private resolve!: (reply: JupyterMessage) => void;
  private rejectDone!: (err: Error) => void;

  constructor(private readonly onIopub?: (msg: JupyterMessage) => void) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.rejectDone = reject;
    });
    // Callers may stop awaiting (timeouts); a later rejection is not "unhandled".
    this.done.catch(() => undefined);
  }

  handleReply(msg: JupyterMessage): void {
    this.reply = msg;
    this.settleIfComplete();
  }

  handleIopub(msg: JupyterMessage): void {
    if (msg.header.msg_type === "status") {
      if (msg.content.execution_state === "idle") this.idle = true;
    } else {
      this.onIopub?.(msg);
    }
    this.settleIfComplete();
  }

  reject(err: Error): void {
    this.rejectDone(err);
  }

  private settleIfComplete(): void {
    if (this.reply !== null && this.idle) this.resolve(this.reply);
  }
}

function replyStatus(content: JsonObject): ExecuteStatus {
  const status = content.status;
  return status === "ok" || status === "abort" ? status : "error";
}

export class KernelClient {
  /** `kernel_info_reply` content from the handshake. */
  kernelInfo: JsonObject = {};
  /** Messages dropped because they failed to decode or verify. */
  readonly protocolErrors: string[] = [];

  private readonly session = randomUUID();
  private readonly shell = new Dealer({ linger: 0 });
  private readonly control = new Dealer({ linger: 0 });
  private readonly iopub = new Subscriber({ linger: 0 });
  private readonly pending = new Map<string, PendingRequest>();
  private death: KernelDiedError | null = null;
  private readonly died: Promise<never>;
  private killedByRunner = false;
  private closed = false;

  private constructor(
    private readonly kernel: KernelProcess,
    private readonly connection: ConnectionFile,
  ) {
    this.died = kernel.exited.then((exit) => {
      this.death = new KernelDiedError(exit, kernel.output, this.killedByRunner);
      for (const request of this.pending.values()) request.reject(this.death);
      this.pending.clear();
      throw this.death;
    });
    this.died.catch(() => undefined);
    const info = connection.info;
    this.shell.connect(endpoint(info, info.shell_port));
    this.control.connect(endpoint(info, info.control_port));
    this.iopub.connect(endpoint(info, info.iopub_port));
    this.iopub.subscribe();
    void this.pump(this.shell);
    void this.pump(this.control);
    void this.pump(this.iopub);
  }

  /**
   * Starts a kernel and completes the handshake; on failure nothing is left running.
   * The ports are picked free and then handed to the kernel, so another process
   * (e.g. a second kernel starting at the same moment) can take one in between:
   * when the kernel reports EADDRINUSE, it is started again with fresh ports.
   */
  static async start(options: KernelClientOptions): Promise<KernelClient> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await KernelClient.startOnce(options);
      } catch (err) {
        const portTaken = err instanceof KernelStartupError && err.kernelOutput.includes("EADDRINUSE");
        if (!portTaken || attempt >= PORT_RETRIES) throw err;
      }
    }
  }

  private static async startOnce(options: KernelClientOptions): Promise<KernelClient> {
    const connection = await writeConnectionFile(await createConnectionInfo());
    let kernel: KernelProcess;
    try {
      kernel = await KernelProcess.start({
        connectionFile: connection.path,
        cwd: options.cwd,
        env: options.env,
        tslabBin: options.tslabBin,
      });
    } catch (err) {
      await connection.remove();
      throw new KernelStartupError(`could not start the kernel: ${(err as Error).message}`, "");
    }
    const client = new KernelClient(kernel, connection);
    try {
      await client.handshake(options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS);
    } catch (err) {
      await client.shutdown(0);
      throw err;
    }
    // The kernel has read its connection file and bound its ports: the key need not stay on disk.
    await connection.remove();
    return client;
  }

  /** Kernel process id (the node process running tslab). */
  get pid(): number {
    return this.kernel.pid;
  }

  /** Whether the kernel process is still running. */
  get alive(): boolean {
    return this.kernel.exitStatus === null;
  }

  /**
   * Runs `code` and resolves with the reply once the kernel is idle again.
   * Outputs are delivered through `options.onIopub` as they arrive.
   * Rejects with KernelDiedError if the kernel exits meanwhile (including
   * when it had to be killed after ignoring an interrupt).
   */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteReply> {
    // Sent one at a time with stop_on_error false: see run-notebook.ts for why.
    const request = createMessage(
      "execute_request",
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false },
      this.session,
    );
    const pending = await this.send(this.shell, request, options.onIopub);
    const toReply = (msg: JupyterMessage, timedOut: boolean): ExecuteReply => ({
      status: replyStatus(msg.content),
      executionCount: typeof msg.content.execution_count === "number" ? msg.content.execution_count : null,
      content: msg.content,
      timedOut,
    });
    if (options.timeoutMs === undefined) return toReply(await pending.done, false);

    const first = await within(pending.done, options.timeoutMs);
    if (first !== TIMED_OUT) return toReply(first, false);
    this.kernel.interrupt();
    const second = await within(pending.done, options.interruptGraceMs ?? DEFAULT_INTERRUPT_GRACE_MS);
    if (second !== TIMED_OUT) return toReply(second, true);
    this.killedByRunner = true;
    await this.kernel.kill();
    return toReply(await pending.done, true); // rejects: the exit handler failed it
  }

  /**
   * Asks the kernel to exit (`shutdown_request` on control), kills its
   * process group if it lingers past `graceMs`, and releases sockets and the
   * connection file. Safe to call more than once.
   */
  async shutdown(graceMs = DEFAULT_SHUTDOWN_GRACE_MS): Promise<KernelExit> {
    if (this.alive && graceMs > 0) {
      try {
        await this.send(this.control, createMessage("shutdown_request", { restart: false }, this.session));
        await within(this.kernel.exited, graceMs);
      } catch {
        // The kernel died on its own; nothing to ask.
      }
    }
    const exit = await this.kernel.kill();
    if (!this.closed) {
      this.closed = true;
      this.shell.close();
      this.control.close();
      this.iopub.close();
      await this.connection.remove();
    }
    return exit;
  }

  /** The kernel's own stdout/stderr (outside cells), for diagnostics. */
  get kernelOutput(): string {
    return this.kernel.output;
  }

  /**
   * Sends `kernel_info_request` until one completes (reply + iopub idle):
   * the iopub subscription may not be connected in time for the first one
   * (ZeroMQ's "slow joiner"), and waiting for idle proves that it is.
   */
  private async handshake(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      // tslab does not exit when a port is taken; it only logs the rejection.
      if (this.kernel.output.includes("EADDRINUSE")) {
        throw new KernelStartupError("kernel could not bind its ports", this.kernel.output);
      }
      if (remaining <= 0) {
        throw new KernelStartupError(
          `kernel did not answer kernel_info_request within ${timeoutMs / 1000} s`,
          this.kernel.output,
        );
      }
      const request = createMessage("kernel_info_request", {}, this.session);
      try {
        const pending = await this.send(this.shell, request);
        const reply = await within(pending.done, Math.min(HANDSHAKE_RETRY_MS, remaining));
        if (reply !== TIMED_OUT) {
          this.kernelInfo = reply.content;
          return;
        }
      } catch (err) {
        if (err instanceof KernelDiedError) {
          throw new KernelStartupError(`kernel exited during startup (${describeExit(err.exit)})`, err.kernelOutput);
        }
        throw err;
      }
      this.pending.delete(request.header.msg_id);
    }
  }

  /** Registers a pending request, then sends it; fails fast on a dead kernel. */
  private async send(
    socket: Dealer,
    msg: JupyterMessage,
    onIopub?: (msg: JupyterMessage) => void,
  ): Promise<PendingRequest> {
    if (this.death) throw this.death;
    const pending = new PendingRequest(onIopub);
    const id = msg.header.msg_id;
    this.pending.set(id, pending);
    // Forget requests once done; late messages for them are ignored.
    void pending.done.then(() => this.pending.delete(id), () => undefined);
    await Promise.race([socket.send(encodeMessage(msg, this.connection.info.key)), this.died]);
    return pending;
  }

  /** Reads one socket until it is closed, routing messages by parent msg_id. */
  private async pump(socket: Dealer | Subscriber): Promise<void> {
    try {
      for await (const frames of socket) {
        let msg: JupyterMessage;
        try {
          msg = decodeMessage(frames, this.connection.info.key);
        } catch (err) {
          this.protocolErrors.push((err as Error).message);
          continue;
        }
        const parentId = msg.parent_header.msg_id;
        const request = parentId === undefined ? undefined : this.pending.get(parentId);
        if (request === undefined) continue;
        if (socket === this.iopub) request.handleIopub(msg);
        else request.handleReply(msg);
      }
    } catch (err) {
      if (!this.closed) this.protocolErrors.push(`socket read failed: ${(err as Error).message}`);
    }
  }
}
