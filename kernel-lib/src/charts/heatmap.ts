import { fail } from "../core/errors";
import { spec, type VegaLiteSpec } from "./spec";

export interface HeatmapOptions {
  /** Column labels, left to right (default "0", "1", …). */
  xLabels?: readonly string[];
  /** Row labels, top to bottom (default "0", "1", …). */
  yLabels?: readonly string[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** d3-format of the numbers in the cells (default "d" for whole numbers, ".2f" otherwise). */
  valueFormat?: string;
  /** Vega color scheme (default "blues"). */
  scheme?: string;
  /** Print the value in each cell (default: when there are at most 400 cells). */
  showValues?: boolean;
}

/**
 * `matrix[row][col]` as colored cells with the numbers printed in them: a
 * confusion matrix (rows = true class, columns = predicted), a weight matrix,
 * a correlation table. Text is white on dark cells so it stays readable.
 *
 *   show(charts.heatmap(diagnostics.confusionMatrix(yHat, y), { xTitle: "predicted", yTitle: "true" }))
 */
export function heatmap(matrix: readonly (readonly number[])[], options: HeatmapOptions = {}): VegaLiteSpec {
  const rows = matrix.length;
  const cols = rows === 0 ? 0 : matrix[0].length;
  if (rows === 0 || cols === 0) fail("charts.heatmap", "the matrix is empty");
  matrix.forEach((r, i) => {
    if (r.length !== cols) fail("charts.heatmap", `row ${i} has ${r.length} values, row 0 has ${cols}; every row needs the same length`);
  });
  const xLabels = labels("xLabels", options.xLabels, cols);
  const yLabels = labels("yLabels", options.yLabels, rows);
  const values = matrix.flatMap((r, i) => r.map((v, j) => ({ row: yLabels[i], col: xLabels[j], value: Number.isFinite(v) ? v : null })));
  const finite = values.flatMap((c) => (c.value === null ? [] : [c.value]));
  const lo = Math.min(...finite), hi = Math.max(...finite);
  const format = options.valueFormat ?? (finite.every(Number.isInteger) ? "d" : ".2f");
  const showValues = options.showValues ?? rows * cols <= 400;
  // Cells big enough for their numbers; without numbers (an image), as small as fits 420 px.
  const cell = Math.max(showValues ? 18 : 2, Math.min(50, Math.floor(420 / Math.max(rows, cols))));
  // In cells under 12 px, labels would overlap: leave them out.
  const axis = (extra: VegaLiteSpec) => (cell < 12 ? { labels: false, ticks: false, ...extra } : extra);
  return spec(
    {
      width: cell * cols,
      height: cell * rows,
      data: { values },
      encoding: {
        x: { field: "col", type: "ordinal", sort: xLabels, title: options.xTitle ?? null, axis: axis({ labelAngle: 0, orient: "top" }) },
        y: { field: "row", type: "ordinal", sort: yLabels, title: options.yTitle ?? null, axis: axis({}) },
      },
      layer: [
        {
          mark: { type: "rect", tooltip: true },
          encoding: { color: { field: "value", type: "quantitative", scale: { scheme: options.scheme ?? "blues" }, title: null } },
        },
        ...(showValues
          ? [
              {
                mark: { type: "text", fontSize: Math.max(9, Math.min(14, cell / 3)) },
                encoding: {
                  text: { field: "value", type: "quantitative", format },
                  // Dark cells get white text; the threshold is the middle of the color range.
                  color: { condition: { test: `datum.value > ${(lo + hi) / 2}`, value: "white" }, value: "black" },
                },
              },
            ]
          : []),
      ],
    },
    options.title,
  );
}

function labels(name: string, given: readonly string[] | undefined, n: number): string[] {
  if (given === undefined) return Array.from({ length: n }, (_, i) => String(i));
  if (given.length !== n) fail("charts.heatmap", `${name} has ${given.length} labels for ${n} ${name === "xLabels" ? "columns" : "rows"}`);
  if (new Set(given).size !== n) fail("charts.heatmap", `${name} has duplicates; cells with equal labels would overlap`);
  return given.map(String);
}
