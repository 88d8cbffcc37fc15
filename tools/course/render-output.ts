/**
 * nbformat outputs → HTML, one representation per output, as a front end
 * picks it from the MIME bundle.
 *
 * Why this order (MIME_ORDER): the richest form a static page can show
 * wins. A Vega-Lite chart shows its `image/svg+xml` copy (sent by the
 * kernel with the spec and a PNG), or is rendered here when an older notebook lacks it. Text goes
 * through escapeHtml; `text/html` and SVG are inserted as they are, since
 * the notebooks are our own lessons.
 */
import type { MimeBundle, Output } from "../notebook/outputs";
import { SVG_MIME, vegaLiteMime, vegaLiteToSvg } from "../notebook/vegalite-svg";
import { renderTex } from "./markdown-math";
import { escapeHtml, type Markdown } from "./render-markdown";

/** Where an output is, for messages: "notebooks/x.ipynb cell 4". */
export interface OutputContext {
  label: string;
  cellNumber: number;
  md: Markdown;
  /** Problems that did not stop the export (a chart that failed to render). */
  warnings: string[];
}

/** Removes ANSI colour codes (tslab colours its error messages). */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}

/** What a terminal shows for carriage returns: each line keeps only its text after the last "\r". */
export function applyCarriageReturns(text: string): string {
  return text
    .split("\n")
    .map((line) => line.slice(line.lastIndexOf("\r", line.length - 2) + 1).replace(/\r$/, ""))
    .join("\n");
}

function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.join("");
  return JSON.stringify(value, null, 2);
}

/** `$$x$$`, `$x$`, `\[x\]`, `\(x\)` → x; anything else is taken as bare TeX. */
export function latexBody(latex: string): string {
  const text = latex.trim();
  const pairs: [string, string][] = [["$$", "$$"], ["\\[", "\\]"], ["$", "$"], ["\\(", "\\)"]];
  for (const [open, close] of pairs) {
    if (text.length > open.length + close.length && text.startsWith(open) && text.endsWith(close)) {
      return text.slice(open.length, text.length - close.length);
    }
  }
  return text;
}

const pre = (className: string, text: string): string =>
  `<pre class="${className}">${escapeHtml(applyCarriageReturns(stripAnsi(text)))}</pre>`;

function image(mime: string, data: unknown): string {
  return `<img class="output-image" alt="" src="data:${mime};base64,${asText(data).replace(/\s/g, "")}">`;
}

async function chart(data: MimeBundle, mime: string, context: OutputContext): Promise<string> {
  try {
    return `<div class="output-svg">${await vegaLiteToSvg(data[mime])}</div>`;
  } catch (err) {
    const message = `${context.label}: cell ${context.cellNumber}: Vega-Lite chart could not be rendered: ${(err as Error).message}`;
    context.warnings.push(message);
    return pre("output-error", message);
  }
}

/** The HTML of one MIME bundle: its best representation, or "" if none is shown statically. */
export async function renderMimeBundle(data: MimeBundle, context: OutputContext): Promise<string> {
  if (SVG_MIME in data) return `<div class="output-svg">${asText(data[SVG_MIME])}</div>`;
  const vegaLite = vegaLiteMime(data);
  if (vegaLite !== undefined) return chart(data, vegaLite, context);
  if ("text/html" in data) return `<div class="output-html">${asText(data["text/html"])}</div>`;
  for (const mime of ["image/png", "image/jpeg", "image/gif"]) if (mime in data) return image(mime, data[mime]);
  if ("text/markdown" in data) return `<div class="output-markdown">${context.md.render(asText(data["text/markdown"]))}</div>`;
  if ("text/latex" in data) return `<div class="output-latex">${renderTex(latexBody(asText(data["text/latex"])), true)}</div>`;
  if ("text/plain" in data) return pre("output-text", asText(data["text/plain"]));
  if ("application/json" in data) return pre("output-text", asText(data["application/json"]));
  return "";
}

/** One output's HTML, without its prompt. */
export async function renderOutput(output: Output, context: OutputContext): Promise<string> {
  switch (output.output_type) {
    case "stream":
      return pre(`output-stream ${output.name}`, output.text);
    case "error": {
      const text = output.traceback.length > 0 ? output.traceback.join("\n") : `${output.ename}: ${output.evalue}`;
      return pre("output-error", text);
    }
    case "display_data":
    case "execute_result":
      return renderMimeBundle(output.data, context);
  }
}

/** Jupyter's prompt: `Out[n]:` for execute results, nothing for the other outputs. */
function outputPrompt(output: Output): string {
  if (output.output_type !== "execute_result") return "";
  return `Out[${output.execution_count === null ? " " : output.execution_count}]:`;
}

/** All outputs of a cell, each a row of prompt and content. */
export async function renderOutputs(outputs: Output[], context: OutputContext): Promise<string> {
  const rows: string[] = [];
  for (const output of outputs) {
    const html = await renderOutput(output, context);
    if (html === "") continue;
    rows.push(`<div class="output"><div class="prompt">${outputPrompt(output)}</div><div class="output-body">${html}</div></div>`);
  }
  return rows.length === 0 ? "" : `<div class="outputs">\n${rows.join("\n")}\n</div>`;
}
