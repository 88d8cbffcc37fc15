/**
 * Markdown as the HTML export renders it: markdown-it with KaTeX math,
 * highlighted fenced code, Jupyter-style heading anchors, links between
 * notebooks pointing at their HTML pages, and cell attachments inlined.
 *
 * Why these extras: lessons link to each other as `02-topic.ipynb#Heading`
 * (what works in Jupyter); the exported pages sit side by side as
 * `02-topic.html`, with the same anchors, so those links keep working. Raw
 * HTML in markdown is allowed because the notebooks are our own lessons.
 */
import hljs from "highlight.js";
import MarkdownIt from "markdown-it";
import { mathPlugin, type MathOutput } from "./markdown-math";

/** A configured markdown-it instance. */
export type Markdown = MarkdownIt.MarkdownIt;
export type Token = MarkdownIt.Token;

/** Per-render context: the cell's attachments, and local images to copy next to the page. */
export type MarkdownEnv = MarkdownIt.Env & {
  /** nbformat cell attachments: file name → MIME bundle (base64 data). */
  attachments?: Record<string, Record<string, unknown>>;
  /** Filled while rendering: relative image paths the page refers to. */
  localImages?: string[];
  /** Heading ids used so far on the page, so repeated headings get unique ids. */
  headingIds?: Set<string>;
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Syntax-highlighted HTML for `code` (no wrapper); plain escaped text for unknown languages. */
export function highlightCode(code: string, language: string): string {
  if (language !== "" && hljs.getLanguage(language) !== undefined) {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  }
  return escapeHtml(code);
}

/** The plain text of an inline token (markup and math delimiters dropped), e.g. for titles and anchors. */
export function plainText(inline: Token): string {
  return (inline.children ?? [])
    .map((child) => (child.type === "text" || child.type === "code_inline" || child.type.startsWith("math") ? child.content : ""))
    .join("")
    .trim();
}

/** Jupyter's heading anchor: the heading's text with spaces turned into "-". */
export function headingAnchor(text: string): string {
  return text.trim().replace(/\s+/g, "-");
}

function headingIds(md: Markdown): void {
  md.core.ruler.push("heading_ids", (state) => {
    const env = state.env as MarkdownEnv;
    const used = (env.headingIds ??= new Set());
    state.tokens.forEach((token, i) => {
      if (token.type !== "heading_open") return;
      const base = headingAnchor(plainText(state.tokens[i + 1])) || "section";
      let id = base;
      for (let n = 1; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      token.attrSet("id", id);
    });
  });
}

/** Relative `x.ipynb` / `x.ipynb#anchor` → `x.html…`; absolute URLs are left alone. */
export function notebookLinkToHtml(href: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) return href;
  return href.replace(/\.ipynb(?=$|#|\?)/, ".html");
}

function isRelativePath(src: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith("/") && !src.startsWith("#");
}

/** A token attribute as a string ("" when absent). */
function attr(token: Token, name: string): string {
  return String(token.attrGet(name) ?? "");
}

function linksAndImages(md: Markdown): void {
  const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx].attrSet("href", notebookLinkToHtml(attr(tokens[idx], "href")));
    return defaultLink(tokens, idx, options, env, self);
  };
  const defaultImage = md.renderer.rules.image;
  md.renderer.rules.image = (tokens, idx, options, rawEnv, self) => {
    const env = (rawEnv ?? {}) as MarkdownEnv;
    const token = tokens[idx];
    const src = attr(token, "src");
    if (src.startsWith("attachment:")) {
      const bundle = env.attachments?.[decodeURIComponent(src.slice("attachment:".length))];
      const mime = bundle && Object.keys(bundle).find((type) => type.startsWith("image/"));
      if (bundle && mime) token.attrSet("src", `data:${mime};base64,${String(bundle[mime]).replace(/\s/g, "")}`);
    } else if (src !== "" && isRelativePath(src)) {
      (env.localImages ??= []).push(decodeURIComponent(src.split(/[?#]/)[0]));
    }
    return defaultImage ? defaultImage(tokens, idx, options, rawEnv, self) : self.renderToken(tokens, idx, options);
  };
}

export interface MarkdownOptions {
  /** How formulas are emitted (see renderTex); default "htmlAndMathml". */
  mathOutput?: MathOutput;
}

/** A markdown-it instance configured for lessons (math, highlighting, anchors, links). */
export function createMarkdown(options: MarkdownOptions = {}): Markdown {
  const md = new MarkdownIt({
    html: true,
    highlight: (code, language) => `<pre class="hljs"><code class="language-${escapeHtml(language)}">${highlightCode(code, language)}</code></pre>`,
  });
  md.use(mathPlugin, options.mathOutput ?? "htmlAndMathml");
  md.use(headingIds);
  md.use(linksAndImages);
  return md;
}
