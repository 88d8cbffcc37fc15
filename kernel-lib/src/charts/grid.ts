import { fail } from "../core/errors";
import { checkIntegerIn } from "../core/validate";

/**
 * A regular grid over a rectangle, for charts that color the plane (decision
 * regions, loss landscapes). Cell (i, j) is column i (along x) of row j (along
 * y); its center is (xs[i], ys[j]).
 */
export interface Grid {
  /** Cell centers along x and along y. */
  xs: number[];
  ys: number[];
  /** Cell width and height. */
  dx: number;
  dy: number;
}

export function makeGrid(op: string, xRange: readonly [number, number], yRange: readonly [number, number], resolution: number): Grid {
  checkIntegerIn(op, "resolution", resolution, 2, 500);
  for (const [name, [lo, hi]] of [["xRange", xRange], ["yRange", yRange]] as const) {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) fail(op, `${name} must be [low, high] with low < high, got [${lo}, ${hi}]`);
  }
  const dx = (xRange[1] - xRange[0]) / resolution;
  const dy = (yRange[1] - yRange[0]) / resolution;
  const centers = (lo: number, d: number) => Array.from({ length: resolution }, (_, i) => lo + (i + 0.5) * d);
  return { xs: centers(xRange[0], dx), ys: centers(yRange[0], dy), dx, dy };
}

/** One rectangle of equal-valued neighbouring cells: columns i0..i1 of row j. */
export interface Run<T> {
  i0: number;
  i1: number;
  j: number;
  value: T;
}

/**
 * The grid's cells as rectangles, neighbours along x with the same `valueAt(i, j)`
 * merged into one: a decision region or a color band crosses each grid row in
 * a few runs, so an 80×80 grid needs a few hundred rectangles instead of 6,400.
 * Runs hold cell indices (small integers, short in JSON); `runEdges` turns them
 * into coordinates inside the chart.
 */
export function runs<T>(grid: Grid, valueAt: (i: number, j: number) => T): Run<T>[] {
  const out: Run<T>[] = [];
  const n = grid.xs.length;
  for (let j = 0; j < grid.ys.length; j++) {
    let start = 0;
    let current = valueAt(0, j);
    for (let i = 1; i <= n; i++) {
      const v = i < n ? valueAt(i, j) : current;
      if (i < n && v === current) continue;
      out.push({ i0: start, i1: i - 1, j, value: current });
      start = i;
      current = v;
    }
  }
  return out;
}

/** Vega-Lite `calculate` transforms giving each run its edges x0, x1, y0, y1 in data coordinates. */
export function runEdges(grid: Grid): { calculate: string; as: string }[] {
  const left = grid.xs[0] - grid.dx / 2;
  const bottom = grid.ys[0] - grid.dy / 2;
  return [
    { calculate: `${left} + datum.i0 * ${grid.dx}`, as: "x0" },
    { calculate: `${left} + (datum.i1 + 1) * ${grid.dx}`, as: "x1" },
    { calculate: `${bottom} + datum.j * ${grid.dy}`, as: "y0" },
    { calculate: `${bottom} + (datum.j + 1) * ${grid.dy}`, as: "y1" },
  ];
}
