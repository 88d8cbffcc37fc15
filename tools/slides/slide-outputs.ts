/**
 * A code cell's outputs as a slide shows them.
 *
 * Charts: a Vega-Lite output is drawn again for the projector, from its
 * spec, with larger axis, legend and title fonts (PROJECTOR_CHART_CONFIG),
 * so that a chart can be shrunk to the room left on a slide and its labels
 * still read at 12 px or more (fit.js computes each chart's smallest scale
 * from its label sizes). SVG is preferred because it stays sharp at any
 * size; without a spec (or when it fails to render) the stored
 * `image/svg+xml` is used, then a stored PNG, as the HTML pages do.
 *
 * Side by side: in a cell tagged `slide-side-by-side`, consecutive chart
 * outputs are put in one row (`.chart-row`), which fit.js sizes as a unit.
 */
import { renderOutput, type OutputContext } from "../course/render-output";
import type { MimeBundle, Output } from "../notebook/outputs";
import type { JsonValue } from "../notebook/protocol";
import { SVG_MIME, vegaLiteMime, vegaLiteToSvg } from "../notebook/vegalite-svg";

/** Vega-Lite `config` merged under each chart's own: text sizes a projector needs. */
export const PROJECTOR_CHART_CONFIG = {
  axis: { labelFontSize: 15, titleFontSize: 16 },
  legend: { labelFontSize: 15, titleFontSize: 16, symbolSize: 120, labelLimit: 280, titleLimit: 280 },
  header: { labelFontSize: 15, titleFontSize: 16 },
  title: { fontSize: 18 },
} as const;

type JsonObject = { [key: string]: JsonValue };
const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** `base` with `over` merged in, recursively; `over` wins. */
function mergeConfig(base: JsonObject, over: JsonObject): JsonObject {
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    merged[key] = isObject(value) && isObject(base[key]) ? mergeConfig(base[key] as JsonObject, value) : value;
  }
  return merged;
}

/** The spec with the projector's text sizes; the chart's own config wins where it sets one. */
export function projectorSpec(spec: JsonObject): JsonObject {
  const own = isObject(spec.config) ? spec.config : {};
  return { ...spec, config: mergeConfig(PROJECTOR_CHART_CONFIG as unknown as JsonObject, own) };
}

/** The bundle a slide shows: a Vega-Lite chart redrawn for the projector (else the bundle as stored). */
async function projectorBundle(data: MimeBundle, context: OutputContext): Promise<MimeBundle> {
  const mime = vegaLiteMime(data);
  const spec = mime === undefined ? undefined : data[mime];
  if (!isObject(spec)) return data;
  try {
    return { ...data, [SVG_MIME]: await vegaLiteToSvg(projectorSpec(spec)) };
  } catch (err) {
    if (SVG_MIME in data) return data; // the stored rendering still shows the chart
    context.warnings.push(`${context.label}: cell ${context.cellNumber}: chart could not be redrawn for the slides: ${(err as Error).message}`);
    return data;
  }
}

/**
 * A training run's live progress display (kernel-lib's progressBundle: a <progress> bar, counters,
 * a sparkline): it is for watching a run, not for projecting, so slides leave it out.
 */
export function isProgressDisplay(output: Output): boolean {
  if (output.output_type !== "display_data") return false;
  const html = output.data["text/html"];
  const text = Array.isArray(html) ? html.join("") : typeof html === "string" ? html : "";
  return text.includes("<progress ") && text.includes(" elapsed");
}

const isChart = (html: string): boolean => html.startsWith('<div class="output-svg">') || html.startsWith('<img class="output-image"');

/** The outputs' HTML (`<div class="outputs">…`), "" when none shows; charts in rows when `sideBySide`. */
export async function renderSlideOutputs(outputs: readonly Output[], context: OutputContext, sideBySide: boolean): Promise<string> {
  const parts: string[] = [];
  let row: string[] = [];
  const endRow = () => {
    if (row.length > 1) parts.push(`<div class="output chart-row">\n${row.join("\n")}\n</div>`);
    else if (row.length === 1) parts.push(`<div class="output">${row[0]}</div>`);
    row = [];
  };
  for (const output of outputs) {
    if (isProgressDisplay(output)) continue;
    const shown = output.output_type === "display_data" || output.output_type === "execute_result" ? { ...output, data: await projectorBundle(output.data, context) } : output;
    const html = await renderOutput(shown, context);
    if (html === "") continue;
    if (sideBySide && isChart(html)) {
      row.push(html);
      continue;
    }
    endRow();
    parts.push(`<div class="output">${html}</div>`);
  }
  endRow();
  return parts.length === 0 ? "" : `<div class="outputs">\n${parts.join("\n")}\n</div>`;
}
