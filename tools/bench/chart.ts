import { charts, Generator, randn, renderChart, tensor } from "kernel-lib";
import type { CaseContext } from "./cases";
import { median, type Row, timeMedian } from "./harness";

/**
 * What one chart costs in a notebook: `show(spec)` draws it in the kernel as
 * SVG (vega-lite compile, headless vega view, toSVG) and PNG (resvg at 2×),
 * through a worker thread (kernel-lib/src/display/chart-render.ts). Timed on
 * three charts like the lessons' (a few curves, a 10×10 heatmap with numbers,
 * a 500-point scatter): the worker's time for each step, and the whole
 * synchronous call as `show` makes it. The first call, which starts the
 * worker and loads the libraries, is reported separately.
 */

function sampleCharts(seed: number): [string, charts.VegaLiteSpec][] {
  const generator = new Generator(seed);
  const curves = ["sgd", "momentum", "adam"].flatMap((name, k) =>
    Array.from({ length: 30 }, (_, i) => ({ epoch: i + 1, name, value: 2.3 * Math.exp(-(i + 1) / (8 + 6 * k)) + 0.05 * generator.uniform() })),
  );
  const matrix = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 90 : Math.floor(10 * generator.uniform()))));
  const points = randn([500, 2], { generator });
  const labels = tensor(Array.from({ length: 500 }, (_, i) => (points.data[2 * i] > 0 ? 1 : 0)));
  return [
    ["loss curves (3×30 points)", charts.lossCurves(curves, { title: "Loss per epoch" })],
    ["heatmap (10×10, numbers)", charts.heatmap(matrix, { title: "Confusion matrix" })],
    ["scatter (500 points)", charts.scatter(points, labels, { title: "Two classes" })],
  ];
}

export async function chart(ctx: CaseContext): Promise<Row[]> {
  const specs = sampleCharts(ctx.config.seed);
  ctx.log("chart: cold start");
  const coldStart = performance.now();
  renderChart(specs[0][1]);
  const coldMs = performance.now() - coldStart;
  const rows: Row[] = [];
  for (const [name, spec] of specs) {
    ctx.log(`chart: ${name}`);
    const svgMs: number[] = [];
    const pngMs: number[] = [];
    let pngBytes = 0;
    const callMs = timeMedian(() => {
      const images = renderChart(spec);
      svgMs.push(images.svgMs);
      pngMs.push(images.pngMs);
      pngBytes = images.png.length;
    }, ctx.reps);
    rows.push(
      { case: "chart", impl: `${name}: spec→svg`, ms: median(svgMs) },
      { case: "chart", impl: `${name}: svg→png`, ms: median(pngMs) },
      { case: "chart", impl: `${name}: whole call`, ms: callMs, note: `PNG ${(pngBytes / 1024).toFixed(1)} KiB` },
    );
  }
  rows.push({ case: "chart", impl: "first chart (starts the worker, loads vega and resvg)", ms: coldMs });
  return rows;
}
