/**
 * A markdown-it plugin for TeX math as Jupyter writes it, rendered with KaTeX:
 *
 * - inline `$…$` (inline style) and `$$…$$` inside a paragraph (display style);
 * - a block of `$$ … $$` lines, or one `\begin{align} … \end{align}` style
 *   environment, on lines of its own (display style).
 *
 * Rules for `$…$` follow pandoc, so prices and shell variables stay text:
 * the opening `$` must not be followed by a space, the closing one must not
 * be preceded by a space nor followed by a digit, and `\$` is a literal
 * dollar. Code spans and fenced code are left alone because markdown-it
 * consumes them before this rule sees their `$`. A formula KaTeX cannot
 * parse is shown as its source in red (`throwOnError: false`), not dropped.
 */
import katex from "katex";
import type MarkdownItModule from "markdown-it";

type MarkdownIt = MarkdownItModule.MarkdownIt;
type StateInline = MarkdownItModule.StateInline;
type StateBlock = MarkdownItModule.StateBlock;

/**
 * What KaTeX emits: "htmlAndMathml" (default) needs KaTeX's CSS and fonts;
 * "mathml" needs neither (browsers render MathML natively), for places
 * where our stylesheets are not loaded, such as reveal.js's speaker view.
 */
export type MathOutput = "htmlAndMathml" | "mathml";

/** KaTeX HTML for one formula; bad TeX becomes a red source span instead of an exception. */
export function renderTex(tex: string, displayMode: boolean, output: MathOutput = "htmlAndMathml"): string {
  return katex.renderToString(tex, { displayMode, throwOnError: false, output });
}

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

/** Index of the closing delimiter at or after `from`, skipping `\`-escaped characters; -1 if none. */
function findClosing(src: string, from: number, end: number, delimiter: string): number {
  for (let pos = from; pos < end; pos++) {
    const ch = src.charCodeAt(pos);
    if (ch === BACKSLASH) {
      pos++;
      continue;
    }
    if (ch === DOLLAR && src.startsWith(delimiter, pos)) return pos;
  }
  return -1;
}

function isSpace(ch: number): boolean {
  return ch === 0x20 || ch === 0x09 || ch === 0x0a;
}

function isDigit(ch: number): boolean {
  return ch >= 0x30 && ch <= 0x39;
}

function mathInline(state: StateInline, silent: boolean): boolean {
  const { src, pos, posMax } = state;
  if (src.charCodeAt(pos) !== DOLLAR) return false;
  const display = src.charCodeAt(pos + 1) === DOLLAR;
  const delimiter = display ? "$$" : "$";
  const start = pos + delimiter.length;
  if (start >= posMax || (!display && isSpace(src.charCodeAt(start)))) return false;
  let close = findClosing(src, start, posMax, delimiter);
  // A "$" preceded by a space or followed by a digit does not close inline math: look further.
  while (!display && close !== -1 && (isSpace(src.charCodeAt(close - 1)) || isDigit(src.charCodeAt(close + 1)))) {
    close = findClosing(src, close + 1, posMax, delimiter);
  }
  if (close === -1 || close === start) return false;
  if (!silent) {
    const token = state.push(display ? "math_display" : "math_inline", "math", 0);
    token.content = src.slice(start, close);
    token.markup = delimiter;
  }
  state.pos = close + delimiter.length;
  return true;
}

function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
}

/** Where a display block starts: `$$`, or `\begin{env}`; null for other lines. */
function blockOpening(first: string): { close: RegExp; keepDelimiters: boolean } | null {
  if (first.startsWith("$$")) return { close: /\$\$\s*$/, keepDelimiters: false };
  const env = /^\\begin\{([A-Za-z]+\*?)\}/.exec(first);
  if (env === null) return null;
  const name = env[1].replace("*", "\\*");
  return { close: new RegExp(`\\\\end\\{${name}\\}\\s*$`), keepDelimiters: true };
}

function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false; // indented code
  const first = lineText(state, startLine);
  const opening = blockOpening(first);
  if (opening === null) return false;
  // One line: "$$ x $$" or "\begin{aligned} … \end{aligned}".
  const rest = opening.keepDelimiters ? first : first.slice(2);
  let last = startLine;
  if (!opening.close.test(rest)) {
    for (last = startLine + 1; last < endLine; last++) {
      if (state.sCount[last] < state.blkIndent) return false; // left the container (list item, quote)
      if (opening.close.test(lineText(state, last))) break;
    }
    if (last >= endLine) return false; // never closed: not math, let the paragraph have it
  }
  if (silent) return true;
  const body = state.getLines(startLine, last + 1, state.blkIndent, false).trim();
  const tex = opening.keepDelimiters ? body : body.slice(2, -2);
  const token = state.push("math_block", "math", 0);
  token.block = true;
  token.content = tex.trim();
  token.map = [startLine, last + 1];
  token.markup = opening.keepDelimiters ? "" : "$$";
  state.line = last + 1;
  return true;
}

/** Installs the math rules and their KaTeX renderers (`output` as in renderTex). */
export function mathPlugin(md: MarkdownIt, output: MathOutput = "htmlAndMathml"): void {
  md.inline.ruler.after("escape", "math_inline", mathInline);
  md.block.ruler.before("fence", "math_block", mathBlock, { alt: ["paragraph", "reference", "blockquote", "list"] });
  md.renderer.rules.math_inline = (tokens, idx) => renderTex(tokens[idx].content, false, output);
  md.renderer.rules.math_display = (tokens, idx) => renderTex(tokens[idx].content, true, output);
  md.renderer.rules.math_block = (tokens, idx) => `<div class="math-block">${renderTex(tokens[idx].content, true, output)}</div>\n`;
}
