import type { Logs } from "./types";

/**
 * What `fit` returns: one `Logs` record per finished epoch (loss, valLoss,
 * metrics, lr, …), like Keras's `History`. `history.get("valLoss")` gives
 * the column for a chart.
 */
export class History {
  readonly epochs: Logs[] = [];
  /** Set by EarlyStopping when it ends training early (0-based epoch). */
  stoppedEpoch: number | null = null;
  /** Set by EarlyStopping: the epoch whose weights were kept. */
  bestEpoch: number | null = null;

  record(logs: Logs): void {
    this.epochs.push({ ...logs });
  }

  /** The values of one quantity over the epochs (NaN where an epoch lacks it). */
  get(name: string): number[] {
    return this.epochs.map((e) => e[name] ?? NaN);
  }

  /** Names of every quantity recorded. */
  keys(): string[] {
    return [...new Set(this.epochs.flatMap((e) => Object.keys(e)))];
  }

  /** The last epoch's logs (empty before the first epoch ends). */
  get last(): Logs {
    return this.epochs[this.epochs.length - 1] ?? {};
  }

  /** Rows { epoch, name, value } for a long-format chart (one line per quantity). */
  toRows(names: readonly string[] = this.keys()): { epoch: number; name: string; value: number }[] {
    return this.epochs.flatMap((e, epoch) => names.filter((n) => n in e).map((name) => ({ epoch, name, value: e[name] })));
  }
}
