/// <reference types="node" />
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import type { MimeBundle } from "./mime";

/**
 * Talking to the notebook from inside a tslab kernel (tslab 1.0.22).
 *
 * How to tell that code runs inside the kernel (read in node_modules/tslab/dist):
 * - executor.js runs every cell with a `require` that answers `require("tslab")`
 *   with the kernel's own module (public.js: `display`, `newDisplay`, `versions`),
 *   and stores it, once at start-up, as `globalThis.__tslab__ = { exports, require }`.
 *   That global is our test: it exists in every tslab kernel however the kernel was
 *   started, and nowhere else.
 * - The kernel process is `node …/tslab/bin/tslab kernel --config-path <file>`
 *   (`process.argv[2] === "kernel"`, `require.main` is tslab/bin/tslab). tslab sets
 *   no environment variable of its own; Jupyter may add JPY_PARENT_PID, the headless
 *   runner (tools/notebook) does not. Neither is used here: `__tslab__` is exact.
 *
 * Why library code does not `require("tslab")` itself: only cell code goes through the
 * kernel's hook. A library's own `require` resolves the package on disk, which may be
 * another copy (a global install of tslab) whose display functions are never connected.
 *
 * Why we reach past `display.raw`: `raw(mime, value)` sends a bundle with ONE mime
 * type (any JSON value passes through unchanged). Under it, jupyter.js keeps
 * `lastWriteDisplayData(content, update)`, the function of the cell now running that
 * sends `content` = { data, metadata, transient } as a display_data message, or as
 * update_display_data when `update` is true. Calling it sends a whole bundle, so a
 * chart carries its text/plain fallback in the same output. If a future tslab moves
 * it, we fall back to `raw` with the richest mime type of the bundle.
 */

interface TslabDisplay {
  raw(mime: string, value: unknown): void;
}

interface TslabModule {
  display: TslabDisplay;
  newDisplay(): TslabDisplay;
}

interface DisplayContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

type WriteDisplayData = (content: DisplayContent, update: boolean) => void;

interface TslabGlobal {
  require(id: string): unknown;
}

/** True inside a tslab kernel (a notebook cell, or code it calls), false in plain Node and in tests. */
export function inTslabKernel(): boolean {
  return tslabGlobal() !== null;
}

function tslabGlobal(): TslabGlobal | null {
  const value = (globalThis as { __tslab__?: unknown }).__tslab__;
  if (typeof value !== "object" || value === null) return null;
  return typeof (value as Partial<TslabGlobal>).require === "function" ? (value as TslabGlobal) : null;
}

/** The kernel's own tslab module (what `require("tslab")` gives a cell), or null outside a kernel. */
function kernelTslab(): TslabModule | null {
  const g = tslabGlobal();
  if (g === null) return null;
  const mod = g.require("tslab") as Partial<TslabModule> | null;
  return mod && typeof mod.newDisplay === "function" && typeof mod.display?.raw === "function" ? (mod as TslabModule) : null;
}

type JupyterModule = { lastWriteDisplayData: WriteDisplayData | null; JupyterHandlerImpl?: unknown };
let jupyterCache: { tslab: TslabModule; jupyter: JupyterModule | null } | null = null;

/** tslab's jupyter.js, found next to the kernel's public.js in node's module cache (looked up once). */
function kernelJupyter(tslab: TslabModule): JupyterModule | null {
  if (jupyterCache?.tslab !== tslab) jupyterCache = { tslab, jupyter: findJupyter(tslab) };
  return jupyterCache.jupyter;
}

function findJupyter(tslab: TslabModule): JupyterModule | null {
  if (typeof require === "undefined") return null;
  const publicModule = Object.values(require.cache).find((m) => m?.exports === tslab);
  if (publicModule === undefined) return null;
  const jupyter = require.cache[join(dirname(publicModule.filename), "jupyter.js")]?.exports as
    | { lastWriteDisplayData?: unknown }
    | undefined;
  return jupyter && "lastWriteDisplayData" in jupyter ? (jupyter as JupyterModule) : null;
}

/**
 * The class of tslab's request handler (jupyter.js `JupyterHandlerImpl`), or null
 * outside a kernel; cell-stack.ts wraps its execute method to learn each cell's source.
 */
export function kernelHandlerClass(): { prototype: object } | null {
  const tslab = kernelTslab();
  const handler = tslab === null ? undefined : kernelJupyter(tslab)?.JupyterHandlerImpl;
  return typeof handler === "function" ? (handler as { prototype: object }) : null;
}

/** The mime type a one-mime fallback keeps: the first one that is not the plain-text fallback. */
function richestMime(bundle: MimeBundle): string {
  return Object.keys(bundle).find((mime) => mime !== "text/plain") ?? "text/plain";
}

/**
 * Sends `bundle` to the notebook as one output; with `displayId`, later sends with
 * `update = true` replace that output in place. Returns false outside a kernel.
 */
function send(
  bundle: MimeBundle,
  metadata: Record<string, unknown>,
  displayId: string | undefined,
  update: boolean,
  fallback: (tslab: TslabModule) => TslabDisplay,
): boolean {
  const tslab = kernelTslab();
  if (tslab === null) return false;
  const write = kernelJupyter(tslab)?.lastWriteDisplayData;
  if (typeof write === "function") {
    write({ data: bundle, metadata, transient: displayId === undefined ? {} : { display_id: displayId } }, update);
  } else {
    const mime = richestMime(bundle);
    fallback(tslab).raw(mime, bundle[mime]);
  }
  return true;
}

/**
 * Shows `bundle` as a new output of the running cell, with Jupyter's per-mime
 * `metadata` (e.g. `{ "image/png": { width, height } }`). Returns false (and
 * does nothing) outside a kernel.
 */
export function publish(bundle: MimeBundle, metadata: Record<string, unknown> = {}): boolean {
  return send(bundle, metadata, undefined, false, (tslab) => tslab.display);
}

/** One output that can be rewritten in place (a progress display). */
export interface DisplayHandle {
  /** The first call creates the output; later calls replace its content. */
  update(bundle: MimeBundle): void;
}

/**
 * An output updated in place through Jupyter's display ids (update_display_data), or
 * null outside a kernel. Same effect as `tslab.newDisplay()`, but every update keeps
 * its text/plain fallback (see the module comment).
 */
export function openDisplay(): DisplayHandle | null {
  if (!inTslabKernel()) return null;
  const displayId = randomBytes(8).toString("hex");
  let fallbackDisplay: TslabDisplay | null = null;
  let shown = false;
  return {
    update(bundle: MimeBundle): void {
      send(bundle, {}, displayId, shown, (tslab) => (fallbackDisplay ??= tslab.newDisplay()));
      shown = true;
    },
  };
}
