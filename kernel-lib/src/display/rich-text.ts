import { RichOutput } from "./mime";
import { stripTags } from "./text";

/** Markdown rendered by the notebook; the source itself is the text fallback. `show(markdown("**loss** fell by 3×"))`. */
export function markdown(text: string): RichOutput {
  return new RichOutput({ "text/markdown": text, "text/plain": text });
}

/**
 * A formula typeset by the notebook (MathJax/KaTeX). Jupyter's text/latex needs
 * math delimiters, so a bare formula is wrapped in $$…$$; text that already
 * holds `$` or `\begin{…}` is sent as is.
 *
 *   show(latex("\\mathrm{Var}(W) = \\frac{2}{n_\\mathrm{in}}"))
 */
export function latex(text: string): RichOutput {
  const delimited = /\$|\\begin\{|\\\(|\\\[/.test(text) ? text : `$$${text}$$`;
  return new RichOutput({ "text/latex": delimited, "text/plain": text });
}

/** Raw HTML; its text (tags stripped) is the fallback. */
export function html(text: string): RichOutput {
  return new RichOutput({ "text/html": text, "text/plain": stripTags(text) });
}
