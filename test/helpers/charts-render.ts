// Shared by the charts-*.test.ts files: proves a chart builder's spec is valid
// Vega-Lite by compiling it (vega-lite) and drawing it headless to SVG (vega),
// exactly what a notebook front end does. Both packages are ESM with top-level
// await, so they are imported dynamically (they cannot load inside the kernel).
import type { charts } from "kernel-lib";

type VegaLiteSpec = charts.VegaLiteSpec;

export interface Rendered {
  svg: string;
  /** Warnings vega-lite printed while compiling (an ignored encoding, an invalid field type, …). */
  warnings: string[];
  /** The compiled Vega spec, to inspect data set sizes. */
  vega: { data?: { name: string; values?: unknown[] }[] };
}

/** The part of vega-lite used here (its types need a module resolution this repository does not use). */
interface VegaLite {
  compile(spec: unknown, options: { logger: unknown }): { spec: unknown };
}

export async function render(spec: VegaLiteSpec): Promise<Rendered> {
  const vegaLite = "vega-lite";
  const vl = (await import(vegaLite)) as VegaLite;
  const vega = await import("vega");
  const warnings: string[] = [];
  const collect = (...args: unknown[]) => {
    warnings.push(args.map(String).join(" "));
    return logger;
  };
  const logger = { level: () => logger, error: (...args: unknown[]) => { throw new Error(args.map(String).join(" ")); }, warn: collect, info: () => logger, debug: () => logger };
  const compiled = vl.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled as Parameters<typeof vega.parse>[0]), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return { svg, warnings, vega: compiled as Rendered["vega"] };
}

/**
 * Number of drawn items of one kind, by their ARIA role description: "line mark"
 * (one per line), "point", "bar", "rect mark", "text mark", "rule mark", "tick".
 */
export function items(svg: string, role: string): number {
  return svg.split(`role="graphics-symbol" aria-roledescription="${role}"`).length - 1;
}

/** The ARIA labels of the drawn items of one kind ("epoch: 1; loss: 0.5; curve: train loss"), which name their data. */
export function itemLabels(svg: string, role: string): string[] {
  return [...svg.matchAll(new RegExp(`aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="${role}"`, "g"))].map((m) => m[1]);
}

/** Text elements' contents, in drawing order (axis labels, titles, legends, cell values). */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}
