import { fail } from "../core/errors";
import { makeGrid, runEdges, runs } from "./grid";
import { decimate, distinct, spec, type VegaLiteSpec } from "./spec";
import { checkIntegerIn } from "../core/validate";

/** The iterates of one optimizer on a 2-D function: [x, y] after each step, starting point first. */
export interface OptimizerPath {
  name: string;
  points: readonly (readonly [number, number])[];
}

export interface LossSurfaceOptions {
  /** The function being minimized, e.g. (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2 (Rosenbrock). */
  f: (x: number, y: number) => number;
  paths: readonly OptimizerPath[];
  xRange: [number, number];
  yRange: [number, number];
  /** Grid cells along each axis for the background (default 60). */
  resolution?: number;
  /** Color by log₁₀(f − min f) (default true): the narrow valleys of ill-conditioned problems become visible. */
  logColor?: boolean;
  /** Number of color bands, like contour levels (default 12). */
  bands?: number;
  /** A point to mark with a cross, usually the minimum (e.g. [1, 1] for Rosenbrock). */
  optimum?: [number, number];
  title?: string;
}

/** Points kept per optimizer path; longer paths are thinned evenly. */
const MAX_PATH_POINTS = 1000;

/**
 * Optimizer trajectories over the landscape they descend (lesson 6: SGD
 * zig-zagging across the narrow valley of an ill-conditioned quadratic while
 * momentum and Adam run along it; the curved valley of Rosenbrock). The
 * background is f on a grid, quantized into `bands` color bands of equal width
 * in log₁₀(f − f_min + ε) (ε = 10⁻³·(f_max − f_min) keeps the minimum finite),
 * which reads like a contour plot. Each path is a line with a dot per step.
 */
export function lossSurfaceTrajectories(options: LossSurfaceOptions): VegaLiteSpec {
  const op = "charts.lossSurfaceTrajectories";
  const bands = options.bands ?? 12;
  const logColor = options.logColor ?? true;
  checkIntegerIn(op, "bands", bands, 2);
  const grid = makeGrid(op, options.xRange, options.yRange, options.resolution ?? 60);
  const n = grid.xs.length;
  const f = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) f[j * n + i] = options.f(grid.xs[i], grid.ys[j]);

  const level = colorLevels(op, f, logColor);
  const { lo, width } = level;
  const bandOf = (k: number): number => (Number.isFinite(level.values[k]) ? Math.min(bands - 1, Math.floor((level.values[k] - lo) / (width / bands))) : bands - 1);
  const background = runs(grid, (i, j) => bandOf(j * n + i)).map((r) => ({ i0: r.i0, i1: r.i1, j: r.j, band: r.value }));

  const pathRows = options.paths.flatMap((p) => {
    if (p.points.length === 0) fail(op, `path "${p.name}" has no points`);
    const rows = p.points.map(([x, y], step) => ({ name: p.name, step, x, y })).filter((r) => Number.isFinite(r.x) && Number.isFinite(r.y));
    return decimate(rows, MAX_PATH_POINTS);
  });
  const scaleOf = (range: [number, number]) => ({ domain: range, nice: false, zero: false });
  const x = { type: "quantitative", scale: scaleOf(options.xRange), title: "x" };
  const y = { type: "quantitative", scale: scaleOf(options.yRange), title: "y" };
  return spec(
    {
      width: 420,
      height: 360,
      layer: [
        {
          data: { values: background },
          // Each band is drawn in the color of its middle level.
          transform: [...runEdges(grid), { calculate: `${lo} + (datum.band + 0.5) * ${width / bands}`, as: "level" }],
          mark: { type: "rect", strokeWidth: 0.6 }, // outlined in its own color: no seams between neighbours
          encoding: {
            x: { field: "x0", ...x }, x2: { field: "x1" }, y: { field: "y0", ...y }, y2: { field: "y1" },
            color: { field: "level", type: "quantitative", scale: { scheme: "viridis" }, title: logColor ? "log₁₀(f − min f)" : "f" },
            stroke: { field: "level", type: "quantitative", scale: { scheme: "viridis" }, legend: null },
          },
        },
        {
          data: { values: pathRows },
          mark: { type: "line", point: { size: 16 }, clip: true, strokeWidth: 2 },
          encoding: {
            x: { field: "x", ...x }, y: { field: "y", ...y }, order: { field: "step" },
            color: { field: "name", type: "nominal", sort: distinct(pathRows.map((r) => r.name)), scale: { scheme: "set1" }, title: null },
          },
        },
        ...(options.optimum === undefined
          ? []
          : [{ data: { values: [{ x: options.optimum[0], y: options.optimum[1] }] }, mark: { type: "point", shape: "cross", size: 160, filled: true, color: "white" }, encoding: { x: { field: "x", ...x }, y: { field: "y", ...y } } }]),
      ],
      resolve: { scale: { color: "independent" } },
    },
    options.title ?? "Optimizer trajectories",
  );
}

/** The colored quantity per grid cell (log₁₀(f − f_min + ε), or f) and its finite range [lo, lo + width]. */
function colorLevels(op: string, f: Float64Array, log: boolean): { values: Float64Array; lo: number; width: number } {
  let fMin = Infinity, fMax = -Infinity;
  for (const v of f) {
    if (!Number.isFinite(v)) continue;
    if (v < fMin) fMin = v;
    if (v > fMax) fMax = v;
  }
  if (fMin === Infinity) fail(op, "f is not finite anywhere on the grid; check xRange, yRange and f");
  const eps = fMax > fMin ? 1e-3 * (fMax - fMin) : 1;
  const values = log ? f.map((v) => Math.log10(v - fMin + eps)) : f;
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { values, lo, width: hi > lo ? hi - lo : 1 };
}
