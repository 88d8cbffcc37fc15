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
 * Why cells are <div>s and never <section>s: reveal.js takes every
 * <section> inside `.slides` for a slide.
 */
import { isHtmlRaw } from "../course/lesson-page";
import { highlightCode, type Markdown, type MarkdownEnv } from "../course/render-markdown";
import { renderOutputs } from "../course/render-output";
import { cellTags } from "../notebook/notebook";
import type { Block, DeckCell, Slide, Subslide } from "./grouping";

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

/** Code taller than this many lines gets a smaller font (and scrolls beyond the slide's limit: slides.css). */
const LONG_CODE_LINES = 14;
const VERY_LONG_CODE_LINES = 24;

/** "code-long" / "code-very-long" for long sources, so slides.css can shrink them; "" otherwise. */
export function codeSizeClass(source: string): string {
  const lines = source.split("\n").length;
  if (lines > VERY_LONG_CODE_LINES) return "code-very-long";
  if (lines > LONG_CODE_LINES) return "code-long";
  return "";
}

async function renderCodeCell(entry: DeckCell, md: Markdown, context: SlideRenderContext): Promise<string> {
  const { cell, number } = entry;
  if (cell.cell_type !== "code") return "";
  const tags = cellTags(cell);
  const showInput = context.code !== false && !tags.includes("remove-input") && cell.source.trim() !== "";
  const showOutputs = context.outputs !== false && !tags.includes("remove-output");
  const input = showInput
    ? `<pre class="${["hljs", "code-input", codeSizeClass(cell.source)].filter(Boolean).join(" ")}"><code class="language-typescript">${highlightCode(cell.source, "typescript")}</code></pre>`
    : "";
  const outputContext = { label: context.label, cellNumber: number, md, warnings: context.warnings };
  const outputs = showOutputs ? await renderOutputs(cell.outputs, outputContext) : "";
  if (input === "" && outputs === "") return "";
  // Code and a chart side by side (slides.css) use a 16:9 slide better than stacked.
  const beside = input !== "" && outputs.includes('class="output-svg"') ? " has-chart" : "";
  return `<div class="cell code${beside}">\n${input}\n${outputs}\n</div>`;
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
      return `<div class="cell markdown">\n${md.render(cell.source, env)}</div>`;
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
