import { fail } from "../core/errors";
import { History } from "../train/history";
import { HEIGHT, WIDTH, decimateBy, distinct, drawable, scale, spec, type VegaLiteSpec } from "./spec";

/** One point of a curve in long format, as `History.toRows()` makes them. */
export interface CurveRow {
  epoch: number;
  name: string;
  value: number;
}

export interface CurvesOptions {
  /** Which logged quantities to draw (default ["loss", "valLoss"], or ["accuracy", "valAccuracy"]). */
  metrics?: readonly string[];
  logScale?: boolean;
  title?: string;
}

/**
 * Training and validation loss per epoch (lesson 8: the gap between the two
 * curves is overfitting; both flat and high is underfitting). Takes the
 * `History` returned by `fit` (epochs counted from 1, as the epoch lines print
 * them) or long rows { epoch, name, value }, one curve per name (e.g. one
 * per run). "valLoss" is drawn as "validation loss", "loss" as "train loss".
 *
 *   show(charts.lossCurves(history, { logScale: true }))
 */
export function lossCurves(historyOrRows: History | readonly CurveRow[], options: CurvesOptions = {}): VegaLiteSpec {
  return curves("charts.lossCurves", historyOrRows, options, ["loss", "valLoss"], "loss", options.title ?? "Loss");
}

/** Training and validation accuracy per epoch; like `lossCurves`, with a percent axis when values are fractions. */
export function accuracyCurves(historyOrRows: History | readonly CurveRow[], options: CurvesOptions = {}): VegaLiteSpec {
  return curves("charts.accuracyCurves", historyOrRows, options, ["accuracy", "valAccuracy"], "accuracy", options.title ?? "Accuracy");
}

function curves(op: string, source: History | readonly CurveRow[], options: CurvesOptions, defaults: string[], yTitle: string, title: string): VegaLiteSpec {
  const metrics = options.metrics ?? (source instanceof History ? defaults : undefined);
  const all = source instanceof History ? source.epochs.flatMap((logs, i) => Object.entries(logs).map(([name, value]) => ({ epoch: i + 1, name, value }))) : [...source];
  const rows = all.filter((r) => (metrics === undefined || metrics.includes(r.name)) && drawable(r.value, options.logScale));
  if (rows.length === 0) {
    const have = distinct(all.map((r) => r.name)).join(", ") || "nothing";
    fail(op, `no drawable values of ${(metrics ?? defaults).join(", ")} (the data has: ${have}); pass { metrics: [...] }`);
  }
  // History keys read better spelled out ("valLoss" → "validation loss"); other names (runs, series) stay as given.
  const label = (name: string) => (source instanceof History || isLogKey(name) ? curveLabel(name) : name);
  const values = decimateBy(rows.map((r) => ({ ...r, curve: label(r.name) })), (r) => r.curve);
  const fractions = values.every((r) => r.value >= 0 && r.value <= 1);
  return spec(
    {
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      mark: { type: "line", point: values.length <= 120, tooltip: true },
      encoding: {
        x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1, format: "d" } },
        y: { field: "value", type: "quantitative", scale: scale(options.logScale), title: yTitle, ...(yTitle === "accuracy" && fractions ? { axis: { format: "%" } } : {}) },
        color: { field: "curve", type: "nominal", sort: distinct(values.map((r) => r.curve)), title: null },
      },
    },
    title,
  );
}

/** A quantity `fit` logs: loss, accuracy, or their validation forms (valLoss, valAccuracy, …). */
function isLogKey(name: string): boolean {
  return name === "loss" || name === "accuracy" || /^val[A-Z]/.test(name);
}

/** "loss" → "train loss", "valLoss" → "validation loss", "valAccuracy" → "validation accuracy". */
export function curveLabel(name: string): string {
  if (/^val[A-Z]/.test(name)) return `validation ${name[3].toLowerCase()}${name.slice(4)}`;
  if (name === "lr") return "learning rate";
  return `train ${name}`;
}

/** One learning-rate schedule: the rate at every step (epoch or batch). */
export interface LrSeries {
  name: string;
  lrs: readonly number[];
}

export interface LrScheduleOptions {
  logScale?: boolean;
  title?: string;
  /** What one step is (default "step"; "epoch" or "batch"). */
  xTitle?: string;
}

/**
 * Learning rate against step for one or more schedules (lesson 7: step decay,
 * cosine, warmup, one-cycle side by side). Takes series { name, lrs } or rows
 * { step, lr, name? }.
 */
export function lrSchedule(seriesOrRows: readonly LrSeries[] | readonly { step: number; lr: number; name?: string }[], options: LrScheduleOptions = {}): VegaLiteSpec {
  const rows = seriesOrRows.flatMap((s) =>
    "lrs" in s ? s.lrs.map((lr, step) => ({ step, lr, name: s.name })) : [{ step: s.step, lr: s.lr, name: s.name ?? "lr" }],
  );
  const kept = rows.filter((r) => drawable(r.lr, options.logScale));
  if (kept.length === 0) fail("charts.lrSchedule", `no drawable learning rates (${rows.length} given${options.logScale ? "; a log scale needs rates > 0" : ""})`);
  const values = decimateBy(kept, (r) => r.name);
  return spec(
    {
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      mark: { type: "line", interpolate: "step-after", tooltip: true },
      encoding: {
        x: { field: "step", type: "quantitative", title: options.xTitle ?? "step" },
        y: { field: "lr", type: "quantitative", scale: options.logScale ? { type: "log" } : { zero: true }, title: "learning rate" },
        color: { field: "name", type: "nominal", sort: distinct(values.map((r) => r.name)), title: null },
      },
    },
    options.title ?? "Learning-rate schedule",
  );
}
