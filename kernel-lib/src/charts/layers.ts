import { fail } from "../core/errors";
import { HEIGHT, WIDTH, distinct, drawable, spec, type VegaLiteSpec } from "./spec";
import { checkPositiveInteger } from "../core/validate";

/**
 * Charts of a network layer by layer (lessons 1–3): how activations and
 * gradients change with depth. They take the outputs of `diagnostics`
 * (`activationStats`, `layerGradientNorms`) or any rows of the same shape.
 */

/** Values observed in one layer; `ActivationStats` (with `sample` > 0) fits. */
export interface LayerValues {
  layer: string;
  values: readonly number[];
  /** The module's class name, shown in the panel title when given (ActivationStats has it). */
  type?: string;
}

export interface LayerHistogramsOptions {
  /** Bars per histogram (default 30). */
  bins?: number;
  title?: string;
  /** Panels per row (default up to 4). */
  columns?: number;
  /** One value axis for every layer (default true): spreading or shrinking with depth is then visible. */
  sharedX?: boolean;
}

/**
 * One histogram per layer, side by side, of the values each layer produced:
 * the picture of the initialization lesson (tanh activations collapsing to 0
 * with too small weights, saturating at ±1 with too large ones). Bars are
 * binned here, so the spec holds `bins` numbers per layer, not the samples.
 * Each panel is titled with the layer, its type and its standard deviation.
 */
export function layerHistograms(stats: readonly LayerValues[], options: LayerHistogramsOptions = {}): VegaLiteSpec {
  const bins = options.bins ?? 30;
  checkPositiveInteger("charts.layerHistograms", "bins", bins);
  const layers = checkedLayers("charts.layerHistograms", stats);
  const shared = options.sharedX ?? true;
  const overall = range(layers.flatMap((l) => l.finite));
  const values = layers.flatMap((l) => histogram(l.finite, bins, shared ? overall : range(l.finite)).map((b) => ({ panel: l.label, ...b })));
  return spec(
    {
      data: { values },
      columns: options.columns ?? Math.min(layers.length, 4),
      facet: { field: "panel", type: "nominal", sort: layers.map((l) => l.label), title: null },
      spec: {
        width: 170,
        height: 100,
        mark: { type: "bar", tooltip: true },
        encoding: {
          x: { field: "x0", type: "quantitative", bin: { binned: true }, title: "value" },
          x2: { field: "x1" },
          y: { field: "fraction", type: "quantitative", title: "fraction", axis: { format: "%" } },
        },
      },
      ...(shared ? {} : { resolve: { scale: { x: "independent" } } }),
    },
    options.title ?? "Values per layer",
  );
}

export interface LayerBoxPlotsOptions {
  title?: string;
  yTitle?: string;
}

/**
 * A box per layer: the median, the middle half (q1 to q3) and whiskers to the
 * most extreme values within 1.5·(q3 − q1) of the box (Tukey's rule). Computed
 * here from the samples, so the spec stays small whatever their number.
 */
export function layerBoxPlots(stats: readonly LayerValues[], options: LayerBoxPlotsOptions = {}): VegaLiteSpec {
  const layers = checkedLayers("charts.layerBoxPlots", stats, false);
  const values = layers.map((l) => ({ layer: l.label, ...fiveNumbers(l.finite) }));
  const y = (name: string) => ({ field: name, type: "quantitative", title: options.yTitle ?? "value" });
  return spec(
    {
      width: Math.max(WIDTH, 90 * layers.length),
      height: HEIGHT,
      data: { values },
      encoding: { x: { field: "layer", type: "nominal", sort: layers.map((l) => l.label), title: "layer", axis: { labelAngle: 0 } } },
      layer: [
        { mark: { type: "rule" }, encoding: { y: y("lower"), y2: { field: "upper" } } },
        { mark: { type: "bar", size: 18, tooltip: true }, encoding: { y: y("q1"), y2: { field: "q3" } } },
        { mark: { type: "tick", size: 18, color: "white", thickness: 2 }, encoding: { y: y("median") } },
      ],
    },
    options.title ?? "Values per layer",
  );
}

/** Mean and standard deviation of one layer's output; `ActivationStats` fits. `series` compares runs. */
export interface LayerStatsRow {
  layer: string;
  mean: number;
  std: number;
  series?: string;
}

/**
 * Mean and standard deviation of each layer's output, in forward order: with a
 * bad initialization the std shrinks (or grows) geometrically with depth, which
 * `logY` turns into a straight line. Rows with `series` (e.g. "xavier", "he")
 * become one line each, std solid and mean dashed.
 */
export function layerStatsChart(rows: readonly LayerStatsRow[], options: { title?: string; logY?: boolean } = {}): VegaLiteSpec {
  const long = rows.flatMap((r) =>
    (["std", "mean"] as const).map((stat) => ({ layer: r.layer, stat, value: r[stat], ...(r.series === undefined ? {} : { series: r.series }) })),
  );
  const values = long.filter((r) => drawable(r.value, options.logY));
  if (values.length === 0) fail("charts.layerStatsChart", `no drawable mean/std values in ${rows.length} rows${options.logY ? " (a log scale needs values > 0)" : ""}`);
  const bySeries = rows.some((r) => r.series !== undefined);
  return spec(
    {
      width: Math.max(WIDTH, 50 * distinct(rows.map((r) => r.layer)).length),
      height: HEIGHT,
      data: { values },
      mark: { type: "line", point: true, tooltip: true },
      encoding: {
        x: { field: "layer", type: "ordinal", sort: distinct(rows.map((r) => r.layer)), title: "layer", axis: { labelAngle: 0 } },
        y: { field: "value", type: "quantitative", scale: options.logY ? { type: "log" } : {}, title: "value" },
        color: bySeries ? { field: "series", type: "nominal", title: null } : { field: "stat", type: "nominal", sort: ["std", "mean"], title: null },
        ...(bySeries ? { strokeDash: { field: "stat", type: "nominal", sort: ["std", "mean"], title: null } } : {}),
      },
    },
    options.title ?? "Activation mean and std per layer",
  );
}

/** One gradient norm: `layer` (or `name`, as `layerGradientNorms` returns), and an optional series to compare. */
export interface GradientNormRow {
  layer?: string;
  name?: string;
  norm: number;
  series?: string;
}

/**
 * ‖grad‖ per layer in forward order, one line per series (lesson 1: with
 * sigmoid the norms fall by orders of magnitude towards the input; with ReLU
 * and He initialization they stay level). Log scale by default; zero norms
 * cannot be drawn on it and are left out.
 */
export function gradientNorms(rows: readonly GradientNormRow[], options: { logScale?: boolean; title?: string } = {}): VegaLiteSpec {
  const logScale = options.logScale ?? true;
  const named = rows.map((r) => ({ layer: r.layer ?? r.name ?? "?", norm: r.norm, series: r.series ?? "gradient" }));
  const values = named.filter((r) => drawable(r.norm, logScale));
  if (values.length === 0) fail("charts.gradientNorms", `no drawable norms in ${rows.length} rows${logScale ? " (a log scale needs norms > 0; pass { logScale: false })" : ""}`);
  return spec(
    {
      width: Math.max(WIDTH, 50 * distinct(named.map((r) => r.layer)).length),
      height: HEIGHT,
      data: { values },
      mark: { type: "line", point: true, tooltip: true },
      encoding: {
        x: { field: "layer", type: "ordinal", sort: distinct(named.map((r) => r.layer)), title: "layer (input → output)", axis: { labelAngle: 0 } },
        y: { field: "norm", type: "quantitative", scale: logScale ? { type: "log" } : { zero: true }, title: "‖gradient‖" },
        color: { field: "series", type: "nominal", sort: distinct(named.map((r) => r.series)), title: null },
      },
    },
    options.title ?? "Gradient norm per layer",
  );
}

interface CheckedLayer {
  label: string;
  finite: number[];
}

/** Finite values per layer, with unique labels "layer · Type" (plus " · std 0.31" with `withStd`). */
function checkedLayers(op: string, stats: readonly LayerValues[], withStd = true): CheckedLayer[] {
  if (stats.length === 0) fail(op, "no layers given");
  const seen = new Map<string, number>();
  return stats.map((s) => {
    const finite = s.values.filter((v) => Number.isFinite(v));
    if (finite.length === 0) {
      fail(op, `layer "${s.layer}" has no finite values; record some with activationStats(model, x, { sample: 1000 })`);
    }
    const std = withStd ? `std ${moments(finite).std.toPrecision(2)}` : undefined;
    let label = [s.layer, s.type, std].filter((p) => p !== undefined && p !== "").join(" · ");
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    if (count > 1) label += ` (${count})`;
    return { label, finite };
  });
}

function moments(values: readonly number[]): { mean: number; std: number } {
  let sum = 0, sq = 0;
  for (const v of values) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / values.length;
  return { mean, std: Math.sqrt(Math.max(0, sq / values.length - mean * mean)) };
}

function range(values: readonly number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

/** `bins` equal-width bins over [lo, hi]: edges and the fraction of `values` in each (the last bin includes hi). */
export function histogram(values: readonly number[], bins: number, [lo, hi]: [number, number]): { x0: number; x1: number; fraction: number }[] {
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
  return counts.map((c, i) => ({ x0: lo + i * width, x1: lo + (i + 1) * width, fraction: c / values.length }));
}

/**
 * Quartiles (linear interpolation, numpy's default) and Tukey's whiskers: the
 * most extreme values within 1.5·(q3 − q1) of the box, never inside the box
 * (matplotlib's rule, for samples with a gap right after a quartile).
 */
export function fiveNumbers(values: readonly number[]): { lower: number; q1: number; median: number; q3: number; upper: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number): number => {
    const at = p * (sorted.length - 1);
    const i = Math.floor(at);
    return i + 1 < sorted.length ? sorted[i] + (at - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
  };
  const q1 = q(0.25), median = q(0.5), q3 = q(0.75);
  const reach = 1.5 * (q3 - q1);
  const lower = Math.min(q1, sorted.find((v) => v >= q1 - reach) ?? q1);
  const upper = Math.max(q3, [...sorted].reverse().find((v) => v <= q3 + reach) ?? q3);
  return { lower, q1, median, q3, upper };
}
