/// <reference types="node" />
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Vega-Lite spec → SVG and PNG, synchronously, for `show` (which returns before
 * the cell goes on, so it cannot await).
 *
 * The rendering itself runs in chart-worker.mjs, a worker thread kept for the
 * life of the process: vega is an ES module with top-level await, which this
 * CommonJS engine cannot `require`, but a worker can import. A request goes to
 * the worker on a MessagePort; this thread sleeps in `Atomics.wait` on a shared
 * word until the worker writes the request's id there, then takes the answer
 * off the port with `receiveMessageOnPort` (no event loop needed). Measured on
 * the course's charts (`npm run bench -- --case chart`): starting the worker
 * and loading vega, vega-lite and resvg takes about a second (so a kernel
 * starts it early: warmChartRenderer); a chart then takes tens of milliseconds
 * (a few hundred for a 2× PNG of a large heatmap on a busy machine).
 *
 * A worker that does not answer in time is terminated (the next chart starts a
 * new one) and the call throws, so a broken renderer never hangs a cell.
 */

/** A chart drawn two ways: vector for browsers, bitmap for viewers that show no SVG (untrusted notebooks). */
export interface ChartImages {
  /** An SVG document, `<svg …>…</svg>`, drawn by vega's own SVG renderer. */
  svg: string;
  /** The same chart as PNG, rasterized by resvg at PNG_SCALE× on white. */
  png: Uint8Array;
  /** The chart's size in CSS pixels (the PNG is PNG_SCALE times larger). */
  width: number;
  height: number;
  /** Time the worker spent on each step, in ms (spec → SVG, SVG → PNG); the rest of a call is messaging. */
  svgMs: number;
  pngMs: number;
}

export interface RenderChartOptions {
  /** How long to wait for the renderer; default CHART_TIMEOUT_MS (the first chart includes loading vega). */
  timeoutMs?: number;
}

/** PNG pixels per CSS pixel: 2 keeps charts crisp on high-density screens. */
export const PNG_SCALE = 2;
/** Long enough for a cold start on a slow machine (about 1 s here), short enough that a stuck renderer is noticed. */
export const CHART_TIMEOUT_MS = 30_000;

/**
 * Where the worker's source is. It is plain JavaScript, not compiled, and is
 * loaded from src/ both when this file runs from src/display (tests) and from
 * dist/display (the built package): both are two levels under kernel-lib/.
 */
const WORKER_FILE = resolve(__dirname, "..", "..", "src", "display", "chart-worker.mjs");

interface Answer {
  id: number;
  svg?: string;
  png?: Uint8Array;
  width?: number;
  height?: number;
  svgMs?: number;
  pngMs?: number;
  error?: string;
}

interface Renderer {
  worker: Worker;
  port: MessagePort;
  /** Word 0: the id of the last request the worker answered. */
  signal: Int32Array;
  /** Set if the worker died (an error outside a request); the next call reports it and starts a new one. */
  died: string | null;
}

let renderer: Renderer | null = null;
let lastId = 0;

function startRenderer(): Renderer {
  if (!existsSync(WORKER_FILE)) throw new Error(`the chart renderer is missing (${WORKER_FILE}); reinstall kernel-lib`);
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_FILE, {
    workerData: { port: port2, control: signal.buffer, scale: PNG_SCALE },
    transferList: [port2],
  });
  // Neither may keep a finished script (or a kernel shutting down) alive.
  worker.unref();
  port1.unref();
  const r: Renderer = { worker, port: port1, signal, died: null };
  worker.on("error", (err) => (r.died = err.message));
  return r;
}

function stopRenderer(): void {
  if (renderer === null) return;
  void renderer.worker.terminate();
  renderer.port.close();
  renderer = null;
}

/** Blocks until the worker answers request `id`, or throws after `timeoutMs`. */
function awaitAnswer(r: Renderer, id: number, timeoutMs: number): Answer {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = Atomics.load(r.signal, 0);
    if (seen === id) break;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`the chart renderer did not answer within ${timeoutMs / 1000} s; it was restarted`);
    Atomics.wait(r.signal, 0, seen, left);
  }
  // Answers come in order; an earlier one nobody waited for (the warm-up's) is dropped.
  for (let message = receiveMessageOnPort(r.port); message !== undefined; message = receiveMessageOnPort(r.port)) {
    const answer = message.message as Answer;
    if (answer.id === id) return answer;
  }
  throw new Error("the chart renderer signalled an answer but sent none");
}

/** A small chart drawn once at start-up, so that the first real chart finds vega compiled and warm. */
const WARM_UP_SPEC = {
  title: "warm-up",
  data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
  mark: "line",
  encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
};

/**
 * Starts the renderer without waiting for it: the worker loads vega, vega-lite
 * and resvg (about a second) and draws a small chart while the notebook's
 * first cells run on the main thread, instead of when the first chart is shown.
 * `show` calls it when kernel-lib is loaded in a kernel.
 */
export function warmChartRenderer(): void {
  if (renderer !== null || !existsSync(WORKER_FILE)) return;
  renderer = startRenderer();
  renderer.port.postMessage({ id: ++lastId, spec: WARM_UP_SPEC });
}

/**
 * Renders a Vega-Lite spec to SVG and PNG, blocking until done. Throws an Error
 * whose message says why (an invalid spec, data that could not be loaded, a
 * missing package, a timeout).
 */
export function renderChart(spec: object, options: RenderChartOptions = {}): ChartImages {
  const timeoutMs = options.timeoutMs ?? CHART_TIMEOUT_MS;
  if (renderer?.died != null) {
    const reason = renderer.died;
    stopRenderer();
    throw new Error(`the chart renderer stopped (${reason}); it was restarted`);
  }
  renderer ??= startRenderer();
  const r = renderer;
  const id = ++lastId;
  try {
    r.port.postMessage({ id, spec });
  } catch (err) {
    throw new Error(`the spec cannot be sent to the renderer (it must be plain JSON): ${(err as Error).message}`);
  }
  let answer: Answer;
  try {
    answer = awaitAnswer(r, id, timeoutMs);
  } catch (err) {
    stopRenderer();
    throw err;
  }
  if (answer.error !== undefined) throw new Error(answer.error);
  const { svg, png, width, height, svgMs, pngMs } = answer;
  if (svg === undefined || png === undefined || width === undefined || height === undefined || svgMs === undefined || pngMs === undefined) {
    throw new Error("the chart renderer sent an incomplete answer");
  }
  return { svg, png, width, height, svgMs, pngMs };
}
