import type { MimeBundle } from "./mime";
import { compactNumber, escapeHtml, formatDuration } from "./text";

/** Everything a training-progress display shows at one moment. */
export interface ProgressState {
  /** 1-based epoch in progress (or last finished). */
  epoch: number;
  epochs: number;
  /** Batches finished in this epoch, out of `batches`. */
  batch: number;
  batches: number;
  elapsedMs: number;
  /** Estimated time to the end of the run; null before the first batch. */
  etaMs: number | null;
  /** Running mean of the loss (and metrics) over the batches of this epoch so far. */
  current: Record<string, number>;
  /** Logs of the last finished epoch (loss, valLoss, accuracy, lr, …). */
  lastEpoch: Record<string, number>;
  /** Training and validation loss per finished epoch, for the sparkline. */
  lossHistory: readonly number[];
  valLossHistory: readonly number[];
  status: "running" | "done" | "stopped early" | "diverged";
}

/** Fraction of the whole run done, in [0, 1]. */
export function progressFraction(s: ProgressState): number {
  const total = s.epochs * s.batches;
  if (s.status === "done") return 1;
  if (total === 0) return (s.epoch - 1) / Math.max(1, s.epochs);
  return Math.min(1, ((s.epoch - 1) * s.batches + s.batch) / total);
}

/** "epoch 3/10  batch 45/100  0:12 elapsed  ETA 0:30  loss 0.1234": one line, for terminals and text viewers. */
export function progressLine(s: ProgressState): string {
  const parts = [`epoch ${s.epoch}/${s.epochs}`, `batch ${s.batch}/${s.batches}`, `${formatDuration(s.elapsedMs)} elapsed`];
  if (s.status !== "running") parts.push(s.status);
  else if (s.etaMs !== null) parts.push(`ETA ${formatDuration(s.etaMs)}`);
  return [...parts, logsText(s.current), logsText(s.lastEpoch, "last epoch: ")].filter((p) => p !== "").join("  ");
}

/** The live display: HTML for the notebook (bar, counters, numbers, sparkline), and `progressLine` as text. */
export function progressBundle(s: ProgressState): MimeBundle {
  const percent = Math.round(progressFraction(s) * 100);
  const timing = s.status === "running" ? (s.etaMs === null ? "" : ` · ETA ${formatDuration(s.etaMs)}`) : ` · <b>${s.status}</b>`;
  const rows = [
    `<div><b>epoch ${s.epoch}/${s.epochs}</b> · batch ${s.batch}/${s.batches} · ${formatDuration(s.elapsedMs)} elapsed${timing}</div>`,
    `<div><progress value="${percent}" max="100" style="width:320px;vertical-align:middle"></progress> ${percent}%</div>`,
    `<div>${escapeHtml(logsText(s.current))}</div>`,
    s.lossHistory.length === 0 ? "" : `<div>${escapeHtml(logsText(s.lastEpoch, "last epoch: "))}</div>`,
    sparkline([
      { values: s.lossHistory, color: "#1f77b4", label: "train loss" },
      { values: s.valLossHistory, color: "#ff7f0e", label: "validation loss" },
    ]),
  ];
  const htmlText = `<div style="font-family:monospace;font-size:12px;line-height:1.6">${rows.filter((r) => r !== "").join("")}</div>`;
  return { "text/html": htmlText, "text/plain": progressLine(s) };
}

function logsText(logs: Record<string, number>, prefix = ""): string {
  const entries = Object.entries(logs).filter(([k]) => k !== "epoch");
  return entries.length === 0 ? "" : prefix + entries.map(([k, v]) => `${k} ${compactNumber(v)}`).join("  ");
}

export interface SparklineSeries {
  values: readonly number[];
  color: string;
  label: string;
}

/**
 * A tiny inline SVG chart of a few series sharing one vertical scale (log when
 * every value is positive and they span more than a factor 20, as losses
 * often do). Built by hand: the kernel cannot load vega. Empty until some
 * series has two points.
 */
export function sparkline(series: readonly SparklineSeries[], width = 160, height = 36): string {
  const drawn = series.filter((s) => s.values.filter(Number.isFinite).length >= 2);
  if (drawn.length === 0) return "";
  const all = drawn.flatMap((s) => s.values.filter(Number.isFinite));
  const log = all.every((v) => v > 0) && Math.max(...all) / Math.min(...all) > 20;
  const t = (v: number) => (log ? Math.log10(v) : v);
  const lo = Math.min(...all.map(t)), hi = Math.max(...all.map(t));
  const pad = 2;
  const xOf = (i: number, n: number) => pad + (i * (width - 2 * pad)) / Math.max(1, n - 1);
  const yOf = (v: number) => pad + (hi === lo ? (height - 2 * pad) / 2 : ((hi - t(v)) * (height - 2 * pad)) / (hi - lo));
  const paths = drawn.map((s) => {
    const d = s.values
      .map((v, i) => (Number.isFinite(v) ? `${xOf(i, s.values.length).toFixed(1)},${yOf(v).toFixed(1)}` : null))
      .filter((p): p is string => p !== null);
    return `<polyline points="${d.join(" ")}" fill="none" stroke="${s.color}" stroke-width="1.5"><title>${escapeHtml(s.label)}</title></polyline>`;
  });
  const legend = drawn.map((s) => `<span style="color:${s.color}">━ ${escapeHtml(s.label)}</span>`).join(" ");
  return (
    `<div><svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" style="vertical-align:middle;background:#fafafa">` +
    `${paths.join("")}</svg> <small>${legend}${log ? " (log scale)" : ""}</small></div>`
  );
}
