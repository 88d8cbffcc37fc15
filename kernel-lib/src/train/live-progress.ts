/// <reference types="node" />
import { inTslabKernel } from "../display/kernel";
import { EpochLineSink, NotebookSink, TerminalBarSink, type ProgressEvent, type ProgressSink, type ProgressStream } from "../display/progress-sinks";
import type { ProgressState } from "../display/progress-view";
import type { Callback, TrainContext } from "./callbacks";
import type { Logs } from "./types";
import { checkNonNegative, checkOneOf } from "../core/validate";

/**
 * How `fit` shows its progress:
 * - "auto": inside a notebook kernel, "live" for a run that lasts more than AUTO_DELAY_MS
 *   (the display appears then, so a quick run leaves no output); nothing elsewhere
 *   (scripts and tests stay quiet), nor when the notebook is executed to be stored
 *   (KERNEL_LIB_STORED_RUN=1, set by the course's headless runner);
 * - "live": one notebook output updated in place (bar, epoch i/N, batch j/M, elapsed, ETA,
 *   latest numbers, a sparkline of the loss per epoch); a terminal display outside a kernel;
 * - "bar": a terminal progress bar per epoch on stderr, or one line per epoch when stderr is not a terminal;
 * - "epochs": one line per epoch on stderr;
 * - "none".
 */
export type ProgressMode = "auto" | "live" | "bar" | "epochs" | "none";

/**
 * How long a run goes on before "auto" shows its display: a run of a second or
 * two is over before a bar would help, and each display is one more output in
 * the notebook (lessons train several models per cell).
 */
export const AUTO_DELAY_MS = 2000;

export interface LiveProgressOptions {
  /** Default "auto": the notebook display inside a kernel, the terminal bar elsewhere. */
  mode?: Exclude<ProgressMode, "none">;
  /** Least time between two redraws inside an epoch (default 250 ms); epoch ends and the end always redraw. */
  throttleMs?: number;
  /**
   * Show nothing until the run has lasted this long (default 0), then the
   * display with the state so far, as tqdm's `delay`: a shorter run leaves no output.
   */
  delayMs?: number;
  /** Where terminal displays write (default process.stderr). */
  stream?: ProgressStream;
  /** Clock in milliseconds (default Date.now); tests pass a fake one. */
  now?: () => number;
}

/**
 * A training-progress display, as a callback for `fit` (which adds one for you:
 * see its `progress` option). Redraws are throttled, at most one per
 * `throttleMs` within an epoch plus one at each epoch end and one at the end,
 * so a fast training loop spends its time training: the per-batch work is one
 * clock read and two additions.
 *
 *   fit(model, train, { ..., progress: "live" })
 *   fit(model, train, { ..., callbacks: [new LiveProgress({ mode: "bar" })], progress: "none" })
 */
export class LiveProgress implements Callback {
  /** How many times the display was drawn in the current (or last) run. */
  updates = 0;
  /** What the display shows now. */
  readonly state: ProgressState = initialState(1, 0);
  readonly mode: Exclude<ProgressMode, "none">;
  readonly throttleMs: number;
  readonly delayMs: number;
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private sink: ProgressSink | null = null;
  /** Whether the sink of this run was opened (once the run has lasted delayMs); at most once per run. */
  private opened = false;
  private startedAt = 0;
  private lastDrawAt = 0;
  private lossSum = 0;
  private seen = 0;

  constructor(options: LiveProgressOptions = {}) {
    this.mode = options.mode ?? "auto";
    this.throttleMs = options.throttleMs ?? 250;
    this.delayMs = options.delayMs ?? 0;
    checkNonNegative("LiveProgress", "throttleMs", this.throttleMs);
    checkNonNegative("LiveProgress", "delayMs", this.delayMs);
    checkOneOf("LiveProgress", "mode", this.mode, ["auto", "live", "bar", "epochs"]);
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? Date.now;
  }

  onTrainBegin(ctx: TrainContext): void {
    Object.assign(this.state, initialState(ctx.epochs, ctx.stepsPerEpoch));
    this.updates = 0;
    this.sink = null;
    this.opened = false; // opened when the run has lasted delayMs (at once when it is 0)
    this.startedAt = this.lastDrawAt = this.now();
    this.draw("begin");
  }

  onEpochBegin(ctx: TrainContext): void {
    Object.assign(this.state, { epoch: ctx.epoch + 1, batch: 0, current: {} });
    this.lossSum = 0;
    this.seen = 0;
  }

  onBatchEnd(_ctx: TrainContext, logs: { batch: number; loss: number; size: number }): void {
    this.lossSum += logs.loss * logs.size;
    this.seen += logs.size;
    this.state.batch = logs.batch + 1;
    if (this.now() - this.lastDrawAt >= this.throttleMs) {
      this.state.current = { loss: this.lossSum / this.seen };
      this.draw("batch");
    }
  }

  onEpochEnd(_ctx: TrainContext, logs: Logs): void {
    const s = this.state;
    s.current = this.seen > 0 ? { loss: this.lossSum / this.seen } : {};
    s.lastEpoch = { ...logs };
    s.lossHistory = [...s.lossHistory, logs.loss ?? NaN];
    if ("valLoss" in logs) s.valLossHistory = [...s.valLossHistory, logs.valLoss];
    this.draw("epoch");
  }

  onTrainEnd(ctx: TrainContext): void {
    const diverged = (ctx.history as { diverged?: boolean }).diverged === true;
    this.state.status = diverged ? "diverged" : ctx.epoch + 1 < ctx.epochs ? "stopped early" : "done";
    this.draw("end");
    this.sink = null;
  }

  private openSink(): ProgressSink {
    const terminal = (): ProgressSink => (this.stream.isTTY === true ? new TerminalBarSink(this.stream) : new EpochLineSink(this.stream));
    switch (this.mode) {
      case "auto":
      case "live":
        return NotebookSink.open() ?? terminal();
      case "bar":
        return terminal();
      case "epochs":
        return new EpochLineSink(this.stream);
    }
  }

  private draw(event: ProgressEvent): void {
    const t = this.now();
    const s = this.state;
    s.elapsedMs = t - this.startedAt;
    const done = (s.epoch - 1) * s.batches + s.batch;
    const total = s.epochs * s.batches;
    s.etaMs = event === "end" ? 0 : done > 0 ? (s.elapsedMs / done) * (total - done) : null;
    if (!this.opened && s.elapsedMs >= this.delayMs) {
      this.sink = this.openSink();
      this.opened = true;
    }
    if (this.sink?.render(s, event)) this.updates++;
    this.lastDrawAt = t;
  }
}

function initialState(epochs: number, batches: number): ProgressState {
  return { epoch: 1, epochs, batch: 0, batches, elapsedMs: 0, etaMs: null, current: {}, lastEpoch: {}, lossHistory: [], valLossHistory: [], status: "running" };
}

/**
 * The progress callback `fit` adds for its `progress` option, or null: for
 * "none", for "auto" outside a notebook kernel, and when the caller already
 * passed a LiveProgress among the callbacks (no second display).
 */
/**
 * True when the notebook is being executed to be stored, not watched (the course's headless
 * runner sets KERNEL_LIB_STORED_RUN=1): "auto" then shows nothing, since whether a run lasts
 * AUTO_DELAY_MS depends on the machine, and a stored notebook must not.
 */
function storedRun(): boolean {
  return typeof process !== "undefined" && process.env.KERNEL_LIB_STORED_RUN === "1";
}

export function progressCallback(mode: ProgressMode, callbacks: readonly Callback[]): LiveProgress | null {
  if (mode === "none" || callbacks.some((c) => c instanceof LiveProgress)) return null;
  if (mode === "auto") return inTslabKernel() && !storedRun() ? new LiveProgress({ mode: "live", delayMs: AUTO_DELAY_MS }) : null;
  checkOneOf("fit", "progress", mode, ["auto", "live", "bar", "epochs", "none"]);
  return new LiveProgress({ mode });
}
