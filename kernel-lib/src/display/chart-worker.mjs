// @ts-check
/**
 * The chart renderer, run in a worker thread (started by chart-render.ts).
 *
 * Why a worker, and why this file is plain JavaScript: vega and vega-lite are ES
 * modules only (vega with top-level await), so the CommonJS engine cannot
 * `require` them; an ES-module worker imports them. `show` is synchronous, so
 * the kernel's thread posts a request and blocks on `Atomics.wait` until this
 * thread posts the answer and notifies. The file is not compiled: it is loaded
 * from kernel-lib/src/display both by tests (sources) and by notebooks (dist).
 *
 * Each request { id, spec } gets { id, svg, png, width, height, svgMs, pngMs }
 * or { id, error }:
 * - SVG: vega-lite compiles the spec to Vega; a headless View (renderer "none":
 *   no DOM, no canvas) renders it with `toSVG()`;
 * - PNG: resvg rasterizes that SVG at 2× (crisp on high-density screens) on a
 *   white background (readable on dark themes), with DejaVu Sans loaded from
 *   the dejavu-fonts-ttf package and no system fonts, so the same spec gives
 *   the same bytes on every machine.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { workerData } from "node:worker_threads";

/** @type {{ port: import("node:worker_threads").MessagePort, control: SharedArrayBuffer, scale: number }} */
const { port, control, scale } = workerData;
const signal = new Int32Array(control);

const FONT_FAMILY = "DejaVu Sans";

/**
 * The libraries and font files, loaded once. Loaded here rather than with static
 * imports so that a missing package becomes the answer to every request (the
 * kernel shows the text fallback with the reason) instead of a dead worker.
 */
const libraries = (async () => {
  const require = createRequire(import.meta.url);
  const fontDir = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
  // Vega draws text in "sans-serif", titles in bold; resvg reads the files for every
  // chart, and the two oblique faces (unused by vega's defaults) cost 10% more time.
  const fontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => path.join(fontDir, f));
  const [vega, vl, { Resvg }] = await Promise.all([import("vega"), import("vega-lite"), import("@resvg/resvg-js")]);
  return { vega, vl, Resvg, fontFiles };
})();
libraries.catch(() => {}); // reported with each request

/**
 * A vega logger that prints nothing and keeps the errors: Vega logs some
 * failures instead of throwing (and then draws an empty chart), and only warns
 * when data cannot be loaded.
 * @param {string[]} errors
 */
function collectingLogger(errors) {
  /** @type {any} */
  const logger = {
    level: (/** @type {number | undefined} */ level) => (level === undefined ? 1 : logger),
    error: (/** @type {unknown[]} */ ...args) => {
      errors.push(args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(" "));
      return logger;
    },
    warn: (/** @type {unknown[]} */ ...args) => (args[0] === "Loading failed" ? logger.error(...args) : logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** @param {unknown} spec @returns {Promise<string>} */
async function toSvg(spec) {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new Error(`a Vega-Lite spec must be a JSON object, got ${Array.isArray(spec) ? "an array" : spec === null ? "null" : typeof spec}`);
  }
  /** @type {string[]} */
  const errors = [];
  const logger = collectingLogger(errors);
  const { vega, vl } = await libraries;
  let compiled;
  try {
    compiled = vl.compile(/** @type {any} */ (spec), { logger }).spec;
  } catch (err) {
    throw new Error(`vega-lite cannot compile the spec (${messageOf(err)})`);
  }
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger });
  try {
    const svg = await view.toSVG();
    if (errors.length > 0) throw new Error(errors.join("; "));
    return svg;
  } finally {
    view.finalize();
  }
}

/** @param {string} svg @returns {Promise<{ png: Uint8Array, width: number, height: number }>} */
async function toPng(svg) {
  const { Resvg, fontFiles } = await libraries;
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  // width and height are the SVG's own (CSS pixels), before the zoom.
  return { png: resvg.render().asPng(), width: resvg.width, height: resvg.height };
}

/** @param {unknown} err */
const messageOf = (err) => (err instanceof Error ? err.message : String(err));

port.on("message", async (/** @type {{ id: number, spec: unknown }} */ request) => {
  /** @type {{ id: number, svg?: string, png?: Uint8Array, width?: number, height?: number, svgMs?: number, pngMs?: number, error?: string }} */
  let answer;
  try {
    const started = performance.now();
    const svg = await toSvg(request.spec);
    const drawn = performance.now();
    const png = await toPng(svg);
    answer = { id: request.id, svg, ...png, svgMs: drawn - started, pngMs: performance.now() - drawn };
  } catch (err) {
    answer = { id: request.id, error: messageOf(err) };
  }
  port.postMessage(answer);
  Atomics.store(signal, 0, request.id);
  Atomics.notify(signal, 0);
});
