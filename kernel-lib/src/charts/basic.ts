import { fail } from "../core/errors";
import type { Tensor } from "../tensor";
import { HEIGHT, WIDTH, decimate, decimateBy, distinct, drawable, field, scale, short, spec, type VegaLiteSpec } from "./spec";

/** A data row: column name → value. */
export type Row = Readonly<Record<string, unknown>>;

export interface LineOptions {
  /** Column for the horizontal axis. */
  x: string;
  /** Column for the vertical axis. */
  y: string;
  /** Column that splits the rows into lines, one color each. */
  color?: string;
  logX?: boolean;
  logY?: boolean;
  /** "quantitative" (default) for numbers; "ordinal" for ordered categories such as layer names. */
  xType?: "quantitative" | "ordinal";
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** Draw a dot at every point (default: when there are at most 60 rows). */
  points?: boolean;
  /** Column holding each point's spread (e.g. the standard deviation over seeds): draws an error bar from y − e to y + e. */
  yError?: string;
}

/**
 * Lines of `y` against `x`, one per value of `color`: the general chart the
 * others specialize. Rows whose x or y cannot be drawn (NaN, ±∞, ≤ 0 on a log
 * axis) are left out; series longer than 5,000 points are thinned.
 *
 *   charts.line(rows, { x: "step", y: "loss", color: "optimizer", logY: true })
 */
export function line(rows: readonly Row[], options: LineOptions): VegaLiteSpec {
  const { x, y, color } = options;
  const ordinal = options.xType === "ordinal";
  const kept = rows.filter((r) => drawable(r[y], options.logY) && (ordinal || drawable(r[x], options.logX)));
  if (kept.length === 0) fail("charts.line", `no drawable rows: need numeric "${x}" and "${y}" columns (${rows.length} rows given)`);
  const values = color === undefined ? decimate(kept) : decimateBy(kept, (r) => r[color]);
  const encoding = {
    x: ordinal
      ? { field: field(x), type: "ordinal", sort: distinct(values.map((r) => r[x])), title: options.xTitle ?? x }
      : { field: field(x), type: "quantitative", scale: scale(options.logX), title: options.xTitle ?? x },
    y: { field: field(y), type: "quantitative", scale: scale(options.logY), title: options.yTitle ?? y },
    ...(color === undefined ? {} : { color: { field: field(color), type: "nominal", sort: distinct(values.map((r) => r[color])), title: color } }),
  };
  const mark = { type: "line", point: options.points ?? values.length <= 60, tooltip: true };
  return spec(
    { width: WIDTH, height: HEIGHT, data: { values }, ...withErrorBars("charts.line", rows, { mark, encoding }, y, options.yError, options.logY) },
    options.title,
  );
}

/**
 * `view` alone, or layered with error bars from y − e to y + e where e is the
 * `yError` column. On a log axis the lower end is kept positive (at y/1000):
 * log(y − e) does not exist when e ≥ y.
 */
function withErrorBars(op: string, rows: readonly Row[], view: { mark: VegaLiteSpec; encoding: Record<string, unknown> }, y: string, yError: string | undefined, logY: boolean | undefined): VegaLiteSpec {
  if (yError === undefined) return view;
  const bad = rows.find((r) => drawable(r[y], logY) && !(typeof r[yError] === "number" && Number.isFinite(r[yError]) && (r[yError] as number) >= 0));
  if (bad !== undefined) fail(op, `yError column "${yError}" must hold a finite number ≥ 0 on every row, got ${String(bad[yError])}; pass the spread (e.g. standard deviation) of "${y}"`);
  const [v, e] = [`datum[${JSON.stringify(y)}]`, `datum[${JSON.stringify(yError)}]`];
  const low = logY ? `max(${v} - ${e}, ${v} / 1000)` : `${v} - ${e}`;
  const { y: yEncoding, ...rest } = view.encoding;
  return {
    layer: [
      view,
      {
        transform: [{ calculate: low, as: "__low" }, { calculate: `${v} + ${e}`, as: "__high" }],
        mark: { type: "errorbar", ticks: true },
        encoding: { ...rest, y: { ...(yEncoding as VegaLiteSpec), field: "__low" }, y2: { field: "__high" } },
      },
    ],
  };
}

export interface BarOptions {
  /** Category column (bars in the order of the rows). */
  x: string;
  /** Height column. */
  y: string;
  /** Column splitting each category into side-by-side bars. */
  color?: string;
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** Column holding each bar's spread (e.g. the standard deviation over seeds): draws an error bar from y − e to y + e. */
  yError?: string;
}

/** Bars of `y` per category `x`, grouped side by side by `color` when given; with error bars when `yError` is given. */
export function bar(rows: readonly Row[], options: BarOptions): VegaLiteSpec {
  const { x, y, color } = options;
  const values = rows.filter((r) => drawable(r[y], false));
  if (values.length === 0) fail("charts.bar", `no rows with a finite numeric "${y}" (${rows.length} rows given)`);
  const categories = distinct(values.map((r) => String(r[x])));
  // Horizontal labels while they fit under their bars (about 6.5 px per character); slanted when they would overlap.
  const fits = Math.max(...categories.map((c) => c.length)) * 6.5 <= WIDTH / categories.length;
  const encoding = {
    x: {
      field: field(x), type: "nominal", sort: distinct(values.map((r) => r[x])), title: options.xTitle ?? x,
      axis: fits ? { labelAngle: 0 } : { labelAngle: -35, labelAlign: "right", labelLimit: 220 },
    },
    y: { field: field(y), type: "quantitative", title: options.yTitle ?? y },
    ...(color === undefined
      ? {}
      : {
          color: { field: field(color), type: "nominal", sort: distinct(values.map((r) => r[color])), title: color },
          xOffset: { field: field(color), type: "nominal", sort: distinct(values.map((r) => r[color])) },
        }),
  };
  return spec(
    { width: WIDTH, height: HEIGHT, data: { values }, ...withErrorBars("charts.bar", values, { mark: { type: "bar", tooltip: true }, encoding }, y, options.yError, false) },
    options.title,
  );
}

export interface ScatterOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
}

/**
 * The rows of `x` ([n, 2]) as points, colored by `labels` ([n], class ids) when
 * given: a 2-D dataset at a glance. More than 5,000 points are thinned evenly.
 */
export function scatter(x: Tensor, labels?: Tensor, options: ScatterOptions = {}): VegaLiteSpec {
  if (x.ndim !== 2 || x.shape[1] !== 2) fail("charts.scatter", `x must have shape [n, 2], got [${x.shape.join(", ")}]`);
  const n = x.shape[0];
  if (labels !== undefined && labels.size !== n) fail("charts.scatter", `labels has ${labels.size} values for ${n} points; pass one label per row of x`);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = { x: short(x.data[2 * i]), y: short(x.data[2 * i + 1]) };
    if (labels !== undefined) row.label = String(labels.data[i]);
    if (Number.isFinite(row.x) && Number.isFinite(row.y)) rows.push(row);
  }
  const values = decimate(rows);
  const classes = distinct(values.map((r) => r.label)).sort(byNumber);
  return spec(
    {
      width: 360,
      height: 360,
      data: { values },
      mark: { type: "point", filled: true, opacity: 0.8, size: 30 },
      encoding: {
        x: { field: "x", type: "quantitative", scale: { zero: false }, title: options.xTitle ?? "x1" },
        y: { field: "y", type: "quantitative", scale: { zero: false }, title: options.yTitle ?? "x2" },
        ...(labels === undefined ? {} : { color: { field: "label", type: "nominal", scale: { domain: classes }, title: "class" } }),
      },
    },
    options.title,
  );
}

/** Sorts class labels "0", "1", "10", "2" as numbers when they are numbers. */
export function byNumber(a: unknown, b: unknown): number {
  const na = Number(a), nb = Number(b);
  return Number.isNaN(na) || Number.isNaN(nb) ? String(a).localeCompare(String(b)) : na - nb;
}
