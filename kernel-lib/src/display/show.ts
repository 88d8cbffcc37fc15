import { Tensor } from "../tensor";
import { History } from "../train/history";
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from "../charts/spec";
import { withChartImages } from "./chart-output";
import { warmChartRenderer } from "./chart-render";
import { inTslabKernel, publish } from "./kernel";
import { isDisplayable, VEGA_LITE_MIME, type MimeBundle } from "./mime";
import { table, type TableRow } from "./table";
import { tensorBundle } from "./tensor-view";

export { VEGA_LITE_MIME };

// In a notebook, charts are drawn by a worker that takes a second to start: start it now,
// while the first cells run, rather than at the first chart.
if (inTslabKernel()) warmChartRenderer();

/**
 * Shows `x` in the notebook, in the richest form the front end can render, with a
 * plain-text fallback in the same output:
 * - a Vega-Lite spec (from `charts.*`) → an interactive chart, plus the same chart
 *   as SVG and PNG for front ends that cannot draw Vega-Lite (see withChartImages);
 * - a Tensor → an HTML table (small 1-D/2-D; large ones summarized);
 * - `table(...)`, `markdown(...)`, `latex(...)`, `html(...)`, or anything with
 *   `toMimeBundle()` → its bundle;
 * - an array of row objects, or a `History` → a table;
 * - anything else → its text.
 * Outside a notebook kernel (plain Node, tests) it prints the text form to stdout.
 */
export function show(x: unknown): void {
  const bundle = mimeBundleOf(x);
  if (!inTslabKernel()) {
    console.log(bundle["text/plain"]);
    return;
  }
  // Charts are drawn only here, for the notebook: scripts and tests never load the renderer.
  const { data, metadata } = withChartImages(bundle);
  if (!publish(data, metadata)) console.log(bundle["text/plain"]);
}

/** The bundle `show(x)` sends (exported for tests and for your own display code). */
export function mimeBundleOf(x: unknown): MimeBundle {
  if (isDisplayable(x)) return x.toMimeBundle();
  if (x instanceof Tensor) return tensorBundle(x);
  if (x instanceof History) return table(x.epochs.map((logs, i) => ({ epoch: i + 1, ...logs })), { caption: "training history" }).bundle;
  if (isVegaLiteSpec(x)) return vegaLiteBundle(x);
  if (Array.isArray(x) && x.length > 0 && x.every(isPlainObject)) return table(x as TableRow[]).bundle;
  return { "text/plain": typeof x === "string" ? x : textOf(x) };
}

/** A spec with a Vega-Lite $schema, or the top-level key of a Vega-Lite view or composition. */
export function isVegaLiteSpec(x: unknown): x is VegaLiteSpec {
  if (!isPlainObject(x)) return false;
  if (typeof x.$schema === "string") return x.$schema.includes("vega-lite");
  return ["mark", "layer", "facet", "hconcat", "vconcat", "concat", "repeat"].some((key) => key in x);
}

function vegaLiteBundle(spec: VegaLiteSpec): MimeBundle {
  const withSchema = typeof spec.$schema === "string" ? spec : { $schema: VEGA_LITE_SCHEMA, ...spec };
  return { [VEGA_LITE_MIME]: withSchema, "text/plain": chartSummary(spec) };
}

/** "Chart: Loss curves — train vs validation loss per epoch": what a text-only viewer shows. */
export function chartSummary(spec: VegaLiteSpec): string {
  const title = titleText(spec.title);
  const description = typeof spec.description === "string" ? spec.description : "";
  if (title === "" && description === "") return "Chart (Vega-Lite; open in Jupyter to see it)";
  return `Chart: ${[title, description].filter((s) => s !== "").join(" — ")}`;
}

function titleText(title: unknown): string {
  if (typeof title === "string") return title;
  if (Array.isArray(title)) return title.join(" ");
  if (isPlainObject(title)) return titleText(title.text);
  return "";
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function textOf(x: unknown): string {
  if (x === undefined || typeof x === "function" || typeof x === "symbol") return String(x);
  if (typeof x === "object" && x !== null && !Array.isArray(x) && x.toString !== Object.prototype.toString) return String(x);
  try {
    return JSON.stringify(x, null, 2) ?? String(x);
  } catch {
    return String(x); // cyclic
  }
}
