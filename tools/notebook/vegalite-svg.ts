/**
 * Static drawings of Vega-Lite charts in executed notebooks.
 *
 * Why: a Vega-Lite output (`application/vnd.vegalite.v5+json`) is only a
 * spec; JupyterLab draws it with JavaScript, but classic Notebook, untrusted
 * notebooks, GitHub, nbviewer, our HTML export and slides need a picture in
 * the same output's MIME bundle (one output, several representations, as
 * nbformat intends).
 *
 * Who draws: the kernel. `show(spec)` in kernel-lib sends the spec with its
 * `image/svg+xml` and `image/png` (kernel-lib/src/display/chart-render.ts:
 * vega-lite → headless Vega view → SVG, resvg → PNG). This module uses that
 * same renderer, only to fill in charts that arrive without pictures (a
 * notebook run by an older kernel-lib, a chart the kernel could not draw,
 * or a spec sent by other code), and to report a chart that cannot be drawn,
 * naming its cell.
 */
// The two modules, not the display index, which would load the whole engine into the runner.
import { drawChart } from "../../kernel-lib/src/display/chart-output";
import { renderChart } from "../../kernel-lib/src/display/chart-render";
import { CellError, type CellLocation } from "./errors";
import type { Notebook } from "./notebook";
import type { MimeBundle } from "./outputs";
import type { JsonValue } from "./protocol";

/** Vega-Lite MIME types as JupyterLab registers them (v5 is the one tslab lessons use). */
export const VEGALITE_MIME = /^application\/vnd\.vegalite\.v\d+\+json$/;
export const SVG_MIME = "image/svg+xml";
export const PNG_MIME = "image/png";

function asSpec(spec: JsonValue): object {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new Error(`a Vega-Lite spec must be a JSON object, got ${Array.isArray(spec) ? "an array" : spec === null ? "null" : typeof spec}`);
  }
  return spec;
}

/** Renders a Vega-Lite spec to an SVG document string (`<svg …>…</svg>`). Rejects on an invalid spec or data. */
export async function vegaLiteToSvg(spec: JsonValue): Promise<string> {
  return renderChart(asSpec(spec)).svg;
}

/** The first Vega-Lite MIME type in a bundle, if any. */
export function vegaLiteMime(data: MimeBundle): string | undefined {
  return Object.keys(data).find((mime) => VEGALITE_MIME.test(mime));
}

/** A chart whose spec could not be rendered; names the notebook and the cell. */
export class ChartRenderError extends CellError {
  override name = "ChartRenderError";
  constructor(where: CellLocation, problem: string) {
    super(where, "has a Vega-Lite chart that could not be rendered to SVG", problem);
  }
}

/**
 * Gives every Vega-Lite output of the notebook its `image/svg+xml` and
 * `image/png`, where the kernel did not already send both. A spec that fails
 * to render is left as it is and reported, one error per cell; the other
 * charts are still drawn.
 */
export async function addVegaLiteSvgs(notebook: Notebook, label: string): Promise<ChartRenderError[]> {
  const problems: ChartRenderError[] = [];
  for (const [index, cell] of notebook.cells.entries()) {
    if (cell.cell_type !== "code") continue;
    for (const output of cell.outputs) {
      if (output.output_type !== "display_data" && output.output_type !== "execute_result") continue;
      const mime = vegaLiteMime(output.data);
      if (mime === undefined || (SVG_MIME in output.data && PNG_MIME in output.data)) continue;
      try {
        const drawing = drawChart(asSpec(output.data[mime]));
        output.data = { ...output.data, ...drawing.data };
        output.metadata = { ...output.metadata, ...drawing.metadata };
      } catch (err) {
        const where = { notebook: label, cellNumber: index + 1, source: cell.source };
        problems.push(new ChartRenderError(where, `${mime}: ${(err as Error).message}`));
        break; // one report per cell is enough to find it
      }
    }
  }
  return problems;
}
