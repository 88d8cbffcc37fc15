/**
 * One notebook → one HTML page (and the lesson's title and summary for the
 * index), from the outputs stored in the notebook: nothing is executed.
 *
 * Cells tagged `remove-cell`, `remove-input` or `remove-output` (Jupyter
 * Book's tags) lose that part on the page, so a lesson can hide set-up code.
 * Speaker notes (markdown cells of slide type "notes") are folded into a
 * <details> labelled "For instructors": students read the lesson, not the notes.
 */
import { cellTags, type Cell, type CodeCell, type Notebook } from "../notebook/notebook";
import { escapeHtml, highlightCode, plainText, type Markdown, type MarkdownEnv, type Token } from "./render-markdown";
import { lessonSummary } from "./lesson-summary";
import { renderOutputs } from "./render-output";

export interface LessonInfo {
  /** Plain text of the first markdown heading (or the fallback given). */
  title: string;
  /** The first heading as inline HTML (math rendered). */
  titleHtml: string;
  /** The first markdown paragraph as inline HTML, without a closing list lead-in (lessonSummary); "" if there is none. */
  summaryHtml: string;
}

/** Title = first markdown heading, summary = first markdown paragraph (see lessonSummary). */
export function lessonInfo(notebook: Notebook, md: Markdown, fallbackTitle: string): LessonInfo {
  let heading: Token | undefined;
  let paragraph: Token | undefined;
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "markdown") continue;
    const tokens = md.parse(cell.source, {});
    for (let i = 0; i + 1 < tokens.length; i++) {
      if (tokens[i].type === "heading_open") heading ??= tokens[i + 1];
      if (tokens[i].type === "paragraph_open" && tokens[i].level === 0) paragraph ??= tokens[i + 1];
    }
    if (heading !== undefined && paragraph !== undefined) break;
  }
  const title = (heading !== undefined ? plainText(heading) : "") || fallbackTitle;
  return {
    title,
    titleHtml: heading !== undefined ? md.renderInline(heading.content) : escapeHtml(title),
    summaryHtml: paragraph !== undefined ? md.renderInline(lessonSummary(paragraph.content)) : "",
  };
}

export interface PageLink {
  href: string;
  title: string;
}

export interface PageOptions {
  md: Markdown;
  /** Name of the notebook in messages and in the page footer. */
  label: string;
  title: string;
  previous?: PageLink;
  next?: PageLink;
  /** Collects problems that did not stop the export. */
  warnings: string[];
  /** Collects relative image paths the markdown refers to (to be copied next to the page). */
  localImages: string[];
}

/** A raw cell meant for HTML output (`raw_mimetype` or `format` "text/html"); other raw cells are not shown. */
export function isHtmlRaw(cell: Cell): boolean {
  const format = cell.metadata.raw_mimetype ?? cell.metadata.format;
  return format === "text/html";
}

/** A cell whose slide type is "notes": the speaker notes of the slide before it. */
export function isSpeakerNotes(cell: Cell): boolean {
  return (cell.metadata.slideshow as { slide_type?: string } | undefined)?.slide_type === "notes";
}

async function renderCodeCell(cell: CodeCell, cellNumber: number, tags: string[], options: PageOptions): Promise<string> {
  const count = cell.execution_count === null ? " " : String(cell.execution_count);
  const input = tags.includes("remove-input")
    ? ""
    : `<div class="input"><div class="prompt">In [${count}]:</div>` +
      `<pre class="hljs"><code class="language-typescript">${highlightCode(cell.source, "typescript")}</code></pre></div>`;
  const context = { label: options.label, cellNumber, md: options.md, warnings: options.warnings };
  const outputs = tags.includes("remove-output") ? "" : await renderOutputs(cell.outputs, context);
  if (input === "" && outputs === "") return "";
  return `<section class="cell code">\n${input}\n${outputs}\n</section>`;
}

async function renderCell(cell: Cell, cellNumber: number, env: MarkdownEnv, options: PageOptions): Promise<string> {
  const tags = cellTags(cell);
  if (tags.includes("remove-cell")) return "";
  switch (cell.cell_type) {
    case "code":
      return renderCodeCell(cell, cellNumber, tags, options);
    case "markdown": {
      const attachments = (cell as { attachments?: MarkdownEnv["attachments"] }).attachments;
      const cellEnv: MarkdownEnv = { ...env, attachments };
      const html = options.md.render(cell.source, cellEnv);
      // Speaker notes are for whoever presents the slides, not lesson prose: folded away and labelled.
      if (isSpeakerNotes(cell)) return `<details class="cell instructor-notes">\n<summary>For instructors</summary>\n${html}</details>`;
      return `<section class="cell markdown">\n${html}</section>`;
    }
    case "raw":
      return isHtmlRaw(cell) ? `<section class="cell raw">${cell.source}</section>` : "";
  }
}

function pageNav(options: PageOptions): string {
  const link = (page: PageLink | undefined, rel: string, arrow: string): string =>
    page ? `<a rel="${rel}" href="${escapeHtml(page.href)}">${rel === "prev" ? `${arrow} ` : ""}${escapeHtml(page.title)}${rel === "next" ? ` ${arrow}` : ""}</a>` : "<span></span>";
  return `<nav class="pager">${link(options.previous, "prev", "←")}<a href="index.html">All lessons</a>${link(options.next, "next", "→")}</nav>`;
}

/** The stylesheets a course page links (copied by writeAssets). */
const COURSE_STYLESHEETS = ["assets/katex/katex.min.css", "assets/hljs.css", "assets/course.css"];

/** A page's doctype and <head>, linking `stylesheets` (the course pages' by default; the slide decks pass theirs). */
export function pageHead(title: string, stylesheets: readonly string[] = COURSE_STYLESHEETS): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    ...stylesheets.map((href) => `<link rel="stylesheet" href="${href}">`),
    "</head>",
  ].join("\n");
}

/** The whole HTML page of a notebook. */
export async function renderLessonPage(notebook: Notebook, options: PageOptions): Promise<string> {
  const env: MarkdownEnv = { headingIds: new Set(), localImages: options.localImages };
  const cells: string[] = [];
  for (const [index, cell] of notebook.cells.entries()) {
    const html = await renderCell(cell, index + 1, env, options);
    if (html !== "") cells.push(html);
  }
  return [
    pageHead(options.title),
    "<body>",
    pageNav(options),
    '<main class="notebook">',
    ...cells,
    "</main>",
    pageNav(options),
    `<footer>Exported from <code>${escapeHtml(options.label)}</code>. Run it yourself: <code>npm start</code>.</footer>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
