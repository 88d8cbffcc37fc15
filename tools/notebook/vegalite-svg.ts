/**
 * Static SVG copies of Vega-Lite charts, added to executed notebooks.
 *
 * Why: a Vega-Lite output (`application/vnd.vegalite.v5+json`) is only a
 * spec; JupyterLab draws it with JavaScript, but GitHub, nbviewer, our HTML
 * export and slides show nothing. Adding an `image/svg+xml` rendering to the
 * same output's MIME bundle lets every front end pick what it can show, as
 * nbformat intends (one output, several representations).
 *
 * How: vega-lite compiles the spec to a Vega spec, and a headless Vega View
 * (renderer "none": no DOM, no canvas) renders it with `toSVG()`. Both
 * packages are ES modules only, so they are loaded with a dynamic `import()`
 * on first use; they are typed here by the little we use, because their type
 * declarations cannot be resolved under this repository's CommonJS settings.
 */
import { CellError, type CellLocation } from "./errors";
import type { Notebook } from "./notebook";
import type { MimeBundle } from "./outputs";
import type { JsonValue } from "./protocol";

/** Vega-Lite MIME types as JupyterLab registers them (v5 is the one tslab lessons use). */
export const VEGALITE_MIME = /^application\/vnd\.vegalite\.v\d+\+json$/;
export const SVG_MIME = "image/svg+xml";

interface VegaLiteModule {
  compile(spec: object, options?: { logger?: Logger }): { spec: object };
}
interface VegaView {
  toSVG(): Promise<string>;
  finalize(): void;
}
interface VegaModule {
  parse(spec: object): object;
  View: new (runtime: object, options: { renderer: "none"; logger: Logger }) => VegaView;
}

/** The logger interface of vega and vega-lite (vega-util's LoggerInterface). */
interface Logger {
  level(): number;
  level(level: number): Logger;
  error(...args: readonly unknown[]): Logger;
  warn(...args: readonly unknown[]): Logger;
  info(...args: readonly unknown[]): Logger;
  debug(...args: readonly unknown[]): Logger;
}

/**
 * A logger that prints nothing and keeps the errors. Warnings (e.g. about a
 * v5 `$schema` under vega-lite 6) are not ours to print; errors matter,
 * because Vega logs some failures instead of throwing, and would otherwise
 * render an empty chart.
 */
function collectingLogger(errors: string[]): Logger {
  const logger: Logger = {
    level: ((level?: number) => (level === undefined ? 1 : logger)) as Logger["level"],
    error: (...args) => {
      errors.push(args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(" "));
      return logger;
    },
    // Vega only warns when data cannot be loaded, then draws an empty chart.
    warn: (...args) => (args[0] === "Loading failed" ? logger.error(...args) : logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

// A variable specifier keeps TypeScript from resolving (and failing on) the ESM-only packages.
const VEGA_LITE = "vega-lite";
const VEGA = "vega";
let modules: Promise<{ vl: VegaLiteModule; vega: VegaModule }> | null = null;

function loadVega(): Promise<{ vl: VegaLiteModule; vega: VegaModule }> {
  modules ??= Promise.all([import(VEGA_LITE), import(VEGA)]).then(([vl, vega]) => ({
    vl: vl as VegaLiteModule,
    vega: vega as VegaModule,
  }));
  return modules;
}

/** Renders a Vega-Lite spec to an SVG document string (`<svg …>…</svg>`). Rejects on an invalid spec or data. */
export async function vegaLiteToSvg(spec: JsonValue): Promise<string> {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new Error(`a Vega-Lite spec must be a JSON object, got ${Array.isArray(spec) ? "an array" : typeof spec}`);
  }
  const { vl, vega } = await loadVega();
  const errors: string[] = [];
  const logger = collectingLogger(errors);
  const compiled = vl.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger });
  try {
    const svg = await view.toSVG();
    if (errors.length > 0) throw new Error(errors.join("; "));
    return svg;
  } finally {
    view.finalize();
  }
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
 * Adds `image/svg+xml` next to every Vega-Lite spec in the notebook's
 * outputs (replacing an older rendering). A spec that fails to render is
 * left as it is and reported, one error per cell; the other charts are
 * still rendered.
 */
export async function addVegaLiteSvgs(notebook: Notebook, label: string): Promise<ChartRenderError[]> {
  const problems: ChartRenderError[] = [];
  for (const [index, cell] of notebook.cells.entries()) {
    if (cell.cell_type !== "code") continue;
    for (const output of cell.outputs) {
      if (output.output_type !== "display_data" && output.output_type !== "execute_result") continue;
      const mime = vegaLiteMime(output.data);
      if (mime === undefined) continue;
      try {
        output.data = { ...output.data, [SVG_MIME]: await vegaLiteToSvg(output.data[mime]) };
      } catch (err) {
        const where = { notebook: label, cellNumber: index + 1, source: cell.source };
        problems.push(new ChartRenderError(where, `${mime}: ${(err as Error).message}`));
        break; // one report per cell is enough to find it
      }
    }
  }
  return problems;
}
