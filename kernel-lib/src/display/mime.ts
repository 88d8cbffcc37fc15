/**
 * MIME bundles: one value in several formats, the front end picks the richest
 * it can render (Jupyter's display protocol). Every bundle we make carries a
 * "text/plain" form, which is what plain Node, tests and text-only viewers show.
 */

/** The mime type JupyterLab, Notebook 7 and VS Code render Vega-Lite v5 specs with. */
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** mime type → content: strings for text formats, JSON objects for "+json" types (a Vega-Lite spec). */
export type MimeBundle = { "text/plain": string } & Record<string, unknown>;

/** Anything `show` can display: it gives its own bundle (IPython's `_repr_mimebundle_`). */
export interface Displayable {
  toMimeBundle(): MimeBundle;
}

export function isDisplayable(x: unknown): x is Displayable {
  return typeof x === "object" && x !== null && typeof (x as Partial<Displayable>).toMimeBundle === "function";
}

/** Node prints values through this symbol (util.inspect); tslab shows a cell's last value with it. */
const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * A ready-made bundle, as returned by `table`, `markdown`, `latex` and `html`:
 * pass it to `show`. Printed or left as a cell's last value, it shows its text form.
 */
export class RichOutput implements Displayable {
  constructor(readonly bundle: MimeBundle) {}

  toMimeBundle(): MimeBundle {
    return this.bundle;
  }

  toString(): string {
    return this.bundle["text/plain"];
  }

  [inspectCustom](): string {
    return this.toString();
  }
}
