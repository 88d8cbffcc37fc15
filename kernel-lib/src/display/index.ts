/**
 * Notebook displays: `show(x)` for charts, tensors and tables, and the helpers
 * that build rich outputs. Inside a tslab kernel they become Jupyter outputs;
 * elsewhere `show` prints their text form.
 */
export { show, mimeBundleOf, isVegaLiteSpec, chartSummary, VEGA_LITE_MIME } from "./show";
export { table, type TableOptions, type TableRow } from "./table";
export { markdown, latex, html } from "./rich-text";
export { RichOutput, type Displayable, type MimeBundle } from "./mime";
export { withChartImages, drawChart, type ChartDrawing, type DisplayOutput } from "./chart-output";
export { renderChart, PNG_SCALE, type ChartImages, type RenderChartOptions } from "./chart-render";
export { inTslabKernel, openDisplay, type DisplayHandle } from "./kernel";
export { quote, quoteTexts, QUOTE_MIME, type Quotable } from "./quote";
export { meanSd, formatMeanSd, withinNoise } from "./mean-sd";
