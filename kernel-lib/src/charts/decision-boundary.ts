import { fail } from "../core/errors";
import { noGrad } from "../autograd/grad-mode";
import { Tensor } from "../tensor";
import { tensor } from "../ops/creation";
import { byNumber } from "./basic";
import { makeGrid, runEdges, runs } from "./grid";
import { decimate, distinct, short, spec, type VegaLiteSpec } from "./spec";
import { checkNonNegative } from "../core/validate";

export interface DecisionBoundaryOptions {
  /** The model's outputs for a batch of points [m, 2]: class scores [m, C], one logit [m] or [m, 1], or class ids (int32). */
  predict: (points: Tensor) => Tensor;
  /** The data, [n, 2]. */
  x: Tensor;
  /** Class ids of the data, [n]. */
  y: Tensor;
  /** Grid cells along each axis (default 80). */
  resolution?: number;
  /** Margin around the data, as a fraction of its extent on each axis (default 0.1). */
  padding?: number;
  title?: string;
}

/**
 * Which class a 2-D classifier predicts everywhere around the data: the plane
 * is cut into `resolution`² cells, `predict` runs once on all their centers
 * (without gradients), and each region is drawn in its class color under the
 * data points. Neighbouring cells of one class are merged into one rectangle,
 * so the spec stays small. Outputs are read as: int32 → class ids; [m, C] with
 * C > 1 → argmax; a single column → a logit, positive ⇔ class 1 (as `fit`'s
 * accuracy metric reads it).
 *
 *   show(charts.decisionBoundary({ predict: (p) => model.call(p), x, y }))
 */
export function decisionBoundary(options: DecisionBoundaryOptions): VegaLiteSpec {
  const { x, y } = options;
  const op = "charts.decisionBoundary";
  if (x.ndim !== 2 || x.shape[1] !== 2) fail(op, `x must have shape [n, 2], got [${x.shape.join(", ")}]`);
  if (y.size !== x.shape[0]) fail(op, `y has ${y.size} labels for ${x.shape[0]} points; pass one class id per row of x`);
  const padding = options.padding ?? 0.1;
  checkNonNegative(op, "padding", padding);
  const grid = makeGrid(op, paddedRange(x, 0, padding), paddedRange(x, 1, padding), options.resolution ?? 80);

  const n = grid.xs.length;
  const centers = new Float64Array(n * n * 2);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      centers[2 * (j * n + i)] = grid.xs[i];
      centers[2 * (j * n + i) + 1] = grid.ys[j];
    }
  }
  const points = tensor(centers, { shape: [n * n, 2], dtype: x.dtype === "float64" ? "float64" : "float32" });
  const predicted = classesOf(op, noGrad(() => options.predict(points)), n * n);
  const regions = runs(grid, (i, j) => predicted[j * n + i]).map((r) => ({ i0: r.i0, i1: r.i1, j: r.j, class: String(r.value) }));

  const data = decimate(Array.from({ length: x.shape[0] }, (_, k) => ({ x: short(x.data[2 * k]), y: short(x.data[2 * k + 1]), class: String(y.data[k]) })));
  const classes = distinct([...regions.map((r) => r.class), ...data.map((d) => d.class)]).sort(byNumber);
  // Regions in light tints of the points' colors, opaque and outlined in their own color:
  // translucent or unoutlined rects show hairline seams where neighbours meet.
  const colors = classes.map((_, k) => PALETTE[k % PALETTE.length]);
  const color = { field: "class", type: "nominal", scale: { domain: classes, range: colors }, title: "class" };
  const tint = { field: "class", type: "nominal", scale: { domain: classes, range: colors.map(lighten) }, legend: null };
  const axis = (lo: number, hi: number, title: string) => ({ type: "quantitative", scale: { domain: [lo, hi], nice: false, zero: false }, title });
  const xAxis = axis(grid.xs[0] - grid.dx / 2, grid.xs[n - 1] + grid.dx / 2, "x1");
  const yAxis = axis(grid.ys[0] - grid.dy / 2, grid.ys[n - 1] + grid.dy / 2, "x2");
  return spec(
    {
      width: 360,
      height: 360,
      layer: [
        {
          data: { values: regions },
          transform: runEdges(grid),
          mark: { type: "rect", strokeWidth: 0.6 },
          encoding: { x: { field: "x0", ...xAxis }, x2: { field: "x1" }, y: { field: "y0", ...yAxis }, y2: { field: "y1" }, color: tint, stroke: tint },
        },
        {
          data: { values: data },
          mark: { type: "point", filled: true, size: 28, opacity: 0.9, stroke: "white", strokeWidth: 0.5 },
          encoding: { x: { field: "x", ...xAxis }, y: { field: "y", ...yAxis }, color },
        },
      ],
      resolve: { scale: { color: "independent" } },
    },
    options.title ?? "Decision regions",
  );
}

/** Vega's "tableau10" colors, so the classes look as in the other charts. */
const PALETTE = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"];

/** The color mixed with 70% white. */
function lighten(hex: string): string {
  const mix = (at: number) => Math.round(0.3 * parseInt(hex.slice(at, at + 2), 16) + 0.7 * 255).toString(16).padStart(2, "0");
  return `#${mix(1)}${mix(3)}${mix(5)}`;
}

/** [lo, hi] of column `axis` of x, widened by `padding` × its extent on each side. */
function paddedRange(x: Tensor, axis: number, padding: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let k = axis; k < x.size; k += 2) {
    const v = x.data[k];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) fail("charts.decisionBoundary", `column ${axis} of x has no finite values`);
  const margin = hi > lo ? padding * (hi - lo) : 1;
  return [lo - margin, hi + margin];
}

/** One class id per grid point, from whatever form `predict` returns (see decisionBoundary). */
function classesOf(op: string, out: Tensor, m: number): Int32Array {
  if (out.shape[0] !== m) fail(op, `predict returned shape [${out.shape.join(", ")}] for ${m} points; its first axis must be the points`);
  const width = out.size / m;
  const classes = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    if (out.dtype === "int32" && width === 1) classes[k] = out.data[k];
    else if (width === 1) classes[k] = out.data[k] > 0 ? 1 : 0;
    else {
      let best = 0;
      for (let c = 1; c < width; c++) if (out.data[k * width + c] > out.data[k * width + best]) best = c;
      classes[k] = best;
    }
  }
  return classes;
}
