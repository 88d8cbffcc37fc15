/// <reference types="node" />
import { SingleBar } from "cli-progress";
import { openDisplay, type DisplayHandle } from "./kernel";
import { progressBundle, type ProgressState } from "./progress-view";
import { formatDuration } from "./text";

/**
 * Where a training-progress display goes: a notebook output updated in place,
 * a terminal bar, or one line per epoch. `LiveProgress` decides when to draw
 * (throttling); a sink only draws.
 */
export interface ProgressSink {
  /** Draws `state` after `event`; returns true if it wrote anything. */
  render(state: ProgressState, event: ProgressEvent): boolean;
}

/** "batch": a throttled tick inside an epoch; "epoch": an epoch ended; "end": training ended. */
export type ProgressEvent = "begin" | "batch" | "epoch" | "end";

/** The part of a Node stream a terminal display needs (process.stderr, or a fake one in tests). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** One notebook output, rewritten in place at every event (update_display_data). */
export class NotebookSink implements ProgressSink {
  private constructor(private readonly handle: DisplayHandle) {}

  /** Null outside a tslab kernel. */
  static open(): NotebookSink | null {
    const handle = openDisplay();
    return handle === null ? null : new NotebookSink(handle);
  }

  render(state: ProgressState): boolean {
    this.handle.update(progressBundle(state));
    return true;
  }
}

/** One line per finished epoch (and one when training stops early): for logs, CI, and streams that are not terminals. */
export class EpochLineSink implements ProgressSink {
  constructor(private readonly stream: ProgressStream) {}

  render(state: ProgressState, event: ProgressEvent): boolean {
    if (event === "epoch") {
      this.stream.write(`epoch ${state.epoch}/${state.epochs}  ${metrics(state.lastEpoch)}  (${formatDuration(state.elapsedMs)} elapsed)\n`);
      return true;
    }
    if (event === "end" && state.status !== "done") {
      this.stream.write(`training ${state.status} after epoch ${state.epoch}/${state.epochs}\n`);
      return true;
    }
    return false;
  }
}

/**
 * A cli-progress bar per epoch on a terminal, as Keras prints them: the bar
 * moves during the epoch, then stays as a finished line with the epoch's
 * metrics. The line is formatted here; cli-progress does the redrawing.
 */
export class TerminalBarSink implements ProgressSink {
  private bar: SingleBar | null = null;
  private line = "";

  constructor(private readonly stream: ProgressStream) {}

  render(state: ProgressState, event: ProgressEvent): boolean {
    if (event === "begin") return false;
    if (event === "end") return this.finish(state);
    this.line = this.format(state, event);
    if (this.bar === null) {
      this.bar = new SingleBar({
        stream: this.stream as NodeJS.WritableStream,
        format: () => this.line,
        fps: DORMANT_FPS,
        hideCursor: false,
        gracefulExit: false,
        linewrap: true,
      });
      this.bar.start(state.batches, state.batch);
    } else {
      this.bar.update(state.batch);
      this.bar.render(); // LiveProgress decides when to draw (see DORMANT_FPS)
    }
    releaseTimer(this.bar);
    if (event === "epoch") this.stopBar();
    return true;
  }

  /** Closes a bar left open (training stopped inside an epoch) and says why training ended early. */
  private finish(state: ProgressState): boolean {
    const open = this.bar !== null;
    this.stopBar();
    if (state.status === "done") return open;
    this.stream.write(`training ${state.status} after epoch ${state.epoch}/${state.epochs}\n`);
    return true;
  }

  private stopBar(): void {
    this.bar?.stop();
    this.bar = null;
  }

  private format(state: ProgressState, event: ProgressEvent): string {
    const width = 24;
    const done = Math.round((width * Math.min(state.batch, state.batches)) / Math.max(1, state.batches));
    const bar = "█".repeat(done) + "░".repeat(width - done);
    const numbers = event === "batch" ? metrics(state.current) : metrics(state.lastEpoch);
    const timing = event === "batch" && state.etaMs !== null ? `ETA ${formatDuration(state.etaMs)}` : formatDuration(state.elapsedMs);
    return `epoch ${state.epoch}/${state.epochs} ${bar} ${state.batch}/${state.batches}  ${timing}  ${numbers}`;
  }
}

/**
 * cli-progress redraws from a timer every 1000/fps ms while a bar is active, and
 * each firing schedules the next. Training is synchronous, so the timer cannot
 * fire during it; but if training throws, the bar is never stopped, and the
 * timer would redraw forever and keep Node alive. So the timer is made dormant
 * (1e-6 fps: one redraw per ~11 days), every redraw is asked for explicitly
 * with `render()`, and the pending timer is unref'd so it never holds the process.
 */
const DORMANT_FPS = 1e-6;

/** Unrefs the bar's pending redraw timer (an internal field, checked before use). */
function releaseTimer(bar: SingleBar | null): void {
  const timer = (bar as unknown as { timer?: { unref?: () => void } } | null)?.timer;
  if (typeof timer?.unref === "function") timer.unref();
}

function metrics(logs: Record<string, number>): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k} ${k === "lr" ? v.toExponential(2) : v.toFixed(4)}`)
    .join("  ");
}
