/**
 * Slides (grouping.ts) → reveal.js `<section>` markup, with the HTML
 * export's renderers (tools/course): markdown-it + KaTeX for markdown,
 * highlight.js for code, and the outputs as the lesson pages show them
 * (charts as the inline SVG stored next to each Vega-Lite output).
 *
 * What a slide leaves out:
 * - `--no-code` (code: false) drops code cells' source, keeping their
 *   outputs; `--no-outputs` (outputs: false) drops the outputs. Tags
 *   `remove-input` / `remove-output` do the same for one cell.
 * - A cell with nothing left to show is left out; so is a fragment, a
 *   subslide or a slide with nothing left, so `--no-code` gives no empty
 *   slides. The notes of a dropped subslide go with it.
 *
 * Slide tags (README, "Writing lessons for the slides"): `slide-hide-code`
 * and `slide-hide-output` drop a cell's source or outputs on the slides
 * only; `slide-side-by-side` puts a cell's charts in a row;
 * `slide-fragments` makes a markdown cell's list items appear one click at a
 * time. `// slide:` markers choose a code cell's lines (slide-code.ts).
 * How much fits on a slide is decided in the browser (assets/fit.js).
 *
 * Why cells are <div>s and never <section>s: reveal.js takes every
 * <section> inside `.slides` for a slide.
 */
import { isHtmlRaw } from "../course/lesson-page";
import { highlightCode, type Markdown, type MarkdownEnv } from "../course/render-markdown";
import { cellTags } from "../notebook/notebook";
import type { Block, DeckCell, Slide, Subslide } from "./grouping";
import { slideSource } from "./slide-code";
import { renderSlideOutputs } from "./slide-outputs";

export interface SlideContentOptions {
  /** Show the source of code cells (default true; false for `--no-code`). */
  code?: boolean;
  /** Show the outputs of code cells (default true; false for `--no-outputs`). */
  outputs?: boolean;
}

export interface SlideRenderContext extends SlideContentOptions {
  /** Markdown for slide content (KaTeX HTML: the deck loads KaTeX's CSS). */
  md: Markdown;
  /** Markdown for speaker notes: the speaker view loads no stylesheet, so math there is MathML (see renderTex). */
  notesMd: Markdown;
  /** The notebook, in warnings: "notebooks/04-x.ipynb". */
  label: string;
  /** Collects problems that did not stop the build (a chart that could not be rendered). */
  warnings: string[];
  /** Markdown state shared by the whole deck: unique heading ids, and the relative images to copy. */
  env: MarkdownEnv & Required<Pick<MarkdownEnv, "headingIds" | "localImages">>;
}

/** Tags that change a cell on the slides only (the notebook and the HTML pages show it all). */
export const SLIDE_TAGS = {
  hideCode: "slide-hide-code",
  hideOutput: "slide-hide-output",
  sideBySide: "slide-side-by-side",
  fragments: "slide-fragments",
} as const;

/** Code with a chart goes beside it only when short and narrow enough for half a slide. */
const BESIDE_MAX_LINES = 14;
const BESIDE_COLUMN_CHARS = 50;

/** Whether `source` fits the code column beside a chart: its lines, wrapped at the column's width. */
export function fitsBeside(source: string): boolean {
  const lines = source.split("\n");
  const wrapped = lines.reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / BESIDE_COLUMN_CHARS)), 0);
  return lines.length <= BESIDE_MAX_LINES && wrapped <= BESIDE_MAX_LINES + 2;
}

/** The chart column beside code is about this wide (slides.css: 6 of 11 parts of 1200 px). */
const CHART_COLUMN_PX = 640;
/** Charts may shrink to about this share of their width (fit.js: 12 px labels drawn at 15 px). */
const CHART_MIN_SHARE = 0.82;

/** Whether `outputs` hold exactly one chart, narrow enough for the column beside code. */
function chartFitsColumn(outputs: string): boolean {
  const charts = outputs.split('<div class="output-svg">').slice(1);
  if (charts.length !== 1) return false;
  const width = Number(/^<svg[^>]*?\swidth="([\d.]+)"/.exec(charts[0])?.[1] ?? Infinity);
  return width * CHART_MIN_SHARE <= CHART_COLUMN_PX;
}

async function renderCodeCell(entry: DeckCell, md: Markdown, context: SlideRenderContext): Promise<string> {
  const { cell, number } = entry;
  if (cell.cell_type !== "code") return "";
  const tags = cellTags(cell);
  const where = `${context.label} cell ${number}`;
  const source = context.code !== false && !tags.includes("remove-input") && !tags.includes(SLIDE_TAGS.hideCode) ? slideSource(cell.source, where) : "";
  const showOutputs = context.outputs !== false && !tags.includes("remove-output") && !tags.includes(SLIDE_TAGS.hideOutput);
  const input = source.trim() !== "" ? `<pre class="hljs code-input"><code class="language-typescript">${highlightCode(source, "typescript")}</code></pre>` : "";
  const outputContext = { label: context.label, cellNumber: number, md, warnings: context.warnings };
  const sideBySide = tags.includes(SLIDE_TAGS.sideBySide);
  const outputs = showOutputs ? await renderSlideOutputs(cell.outputs, outputContext, sideBySide) : "";
  if (input === "" && outputs === "") return "";
  // Short code and a chart side by side (slides.css) use a 16:9 slide better than stacked.
  const beside = input !== "" && !sideBySide && fitsBeside(source) && chartFitsColumn(outputs) ? " has-chart" : "";
  return `<div class="cell code${beside}">\n${input}\n${outputs}\n</div>`;
}

/** The list items of `html`'s outermost lists as fragments (`<li class="fragment">`). */
export function listItemsAsFragments(html: string): string {
  let depth = 0;
  return html.replace(/<(\/?)(ul|ol)\b[^>]*>|<li>/g, (tag, close: string | undefined, list: string | undefined) => {
    if (list !== undefined) {
      depth += close ? -1 : 1;
      return tag;
    }
    return depth === 1 ? '<li class="fragment">' : tag;
  });
}

/** One cell as slide content; "" when nothing of it is shown. */
export async function renderSlideCell(entry: DeckCell, md: Markdown, context: SlideRenderContext): Promise<string> {
  const { cell } = entry;
  switch (cell.cell_type) {
    case "code":
      return renderCodeCell(entry, md, context);
    case "markdown": {
      if (cell.source.trim() === "") return "";
      const attachments = (cell as { attachments?: MarkdownEnv["attachments"] }).attachments;
      const env: MarkdownEnv = { ...context.env, attachments };
      const html = md.render(cell.source, env);
      const fragments = cellTags(cell).includes(SLIDE_TAGS.fragments);
      return `<div class="cell markdown">\n${fragments ? listItemsAsFragments(html) : html}</div>`;
    }
    case "raw":
      return isHtmlRaw(cell) ? `<div class="cell raw">${cell.source}</div>` : "";
  }
}

async function renderCells(cells: readonly DeckCell[], md: Markdown, context: SlideRenderContext): Promise<string[]> {
  const parts: string[] = [];
  for (const entry of cells) {
    const html = await renderSlideCell(entry, md, context);
    if (html !== "") parts.push(html);
  }
  return parts;
}

async function renderBlock(block: Block, context: SlideRenderContext): Promise<string> {
  const cells = await renderCells(block.cells, context.md, context);
  if (cells.length === 0) return "";
  return block.fragment ? `<div class="fragment">\n${cells.join("\n")}\n</div>` : cells.join("\n");
}

/** The content of one subslide (blocks, then the notes aside); "" when it shows nothing. */
async function renderSubslide(subslide: Subslide, context: SlideRenderContext): Promise<string> {
  const blocks: string[] = [];
  for (const block of subslide.blocks) {
    const html = await renderBlock(block, context);
    if (html !== "") blocks.push(html);
  }
  if (blocks.length === 0) return "";
  const notes = await renderCells(subslide.notes, context.notesMd, context);
  const aside = notes.length > 0 ? `\n<aside class="notes">\n${notes.join("\n")}\n</aside>` : "";
  return `${blocks.join("\n")}${aside}`;
}

export interface RenderedSlides {
  /** The `<section>` elements that go inside reveal.js's `<div class="slides">`. */
  html: string;
  /** What reveal.js will count: horizontal slides, and all slides (subslides included). */
  horizontal: number;
  total: number;
}

/**
 * The reveal.js sections of a deck. A slide with one subslide is one
 * <section>; with several, a <section> holding one <section> per subslide.
 * Every slide reveal.js shows (a leaf section) has the class "deck-slide".
 */
export async function renderSlides(slides: readonly Slide[], context: SlideRenderContext): Promise<RenderedSlides> {
  const sections: string[] = [];
  let total = 0;
  for (const slide of slides) {
    const leaves: string[] = [];
    for (const subslide of slide.subslides) {
      const content = await renderSubslide(subslide, context);
      if (content !== "") leaves.push(`<section class="deck-slide">\n${content}\n</section>`);
    }
    if (leaves.length === 0) continue;
    total += leaves.length;
    sections.push(leaves.length === 1 ? leaves[0] : `<section>\n${leaves.join("\n")}\n</section>`);
  }
  return { html: sections.join("\n"), horizontal: sections.length, total };
}
