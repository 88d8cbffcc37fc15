import { renderChart, type RenderChartOptions } from "./chart-render";
import { VEGA_LITE_MIME, type MimeBundle } from "./mime";

/** One output as Jupyter stores it: the bundle and its per-mime metadata. */
export interface DisplayOutput {
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

/**
 * Adds static drawings to a chart's bundle, so that every front end shows the
 * chart: JupyterLab, Notebook 7 and VS Code draw the Vega-Lite spec
 * (interactive); classic Notebook, untrusted notebooks (which hide SVG),
 * GitHub and nbviewer show the PNG; static HTML and slides use the SVG. The
 * PNG is drawn at 2× and its metadata gives the size in CSS pixels, so it
 * shows at the chart's size, crisp on high-density screens.
 *
 * If the chart cannot be drawn, the bundle keeps the spec, and its text says
 * why the picture is missing (rather than failing the cell: the numbers the
 * cell printed are still worth having). A bundle that is not a chart, or that
 * already has a PNG, is returned as it is.
 */
export function withChartImages(bundle: MimeBundle, options?: RenderChartOptions): DisplayOutput {
  const spec = bundle[VEGA_LITE_MIME];
  if (typeof spec !== "object" || spec === null || "image/png" in bundle) return { data: bundle, metadata: {} };
  try {
    const drawing = drawChart(spec, options);
    return { data: { ...bundle, ...drawing.data }, metadata: drawing.metadata };
  } catch (err) {
    const note = `(no picture of this chart: ${(err as Error).message}; a front end that draws Vega-Lite, such as JupyterLab, still shows it)`;
    return { data: { ...bundle, "text/plain": `${bundle["text/plain"]}\n${note}` }, metadata: {} };
  }
}

/** The part of an output that pictures a chart: the two images, and the PNG's size. */
export interface ChartDrawing {
  data: { "image/svg+xml": string; "image/png": string };
  metadata: { "image/png": { width: number; height: number } };
}

/**
 * `spec` drawn as `image/svg+xml` and `image/png` (base64, as Jupyter stores
 * images), with the PNG's size in CSS pixels as its metadata, to merge into
 * the chart's output. Throws when the chart cannot be drawn (the notebook
 * runner reports that).
 */
export function drawChart(spec: object, options?: RenderChartOptions): ChartDrawing {
  const { svg, png, width, height } = renderChart(spec, options);
  return {
    data: { "image/svg+xml": svg, "image/png": Buffer.from(png).toString("base64") },
    metadata: { "image/png": { width, height } },
  };
}
