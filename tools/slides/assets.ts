/**
 * Everything a deck loads, copied from npm packages into `<outDir>/assets/`
 * so decks work offline from file:// (nothing comes from a CDN):
 *
 *   assets/reveal/   reveal.js, reveal.css, the speaker-notes plugin (notes.js), LICENSE
 *   assets/katex/    KaTeX's CSS and fonts (shared with the HTML export)
 *   assets/hljs.css  highlight.js's GitHub theme (shared with the HTML export)
 *   assets/slides.css  our projector theme (tools/slides/assets/slides.css)
 *   assets/fit.js    lays each slide out to fit 1280×720 (tools/slides/assets/fit.js)
 *   assets/deck.js   scrolling helpers for long slides (tools/slides/assets/deck.js)
 *
 * No reveal.js theme is used: the stock light themes either embed 0.5 MB of
 * fonts or @import Google Fonts; slides.css sets reveal's variables itself.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { copyHighlightTheme, copyKatexAssets, packageDir } from "../course/assets";

/** The files under reveal.js's folder that decks load. */
const REVEAL_FILES: ReadonlyArray<[from: string, to: string]> = [
  ["dist/reveal.css", "reveal.css"],
  ["dist/reveal.js", "reveal.js"],
  ["dist/plugin/notes.js", "notes.js"],
  ["LICENSE", "LICENSE"],
];

/** Copies the decks' scripts, stylesheets and fonts into `<outDir>/assets`. */
export function writeSlideAssets(outDir: string): void {
  const assets = path.join(outDir, "assets");
  const reveal = packageDir("reveal.js");
  mkdirSync(path.join(assets, "reveal"), { recursive: true });
  for (const [from, to] of REVEAL_FILES) copyFileSync(path.join(reveal, from), path.join(assets, "reveal", to));
  copyKatexAssets(assets);
  copyHighlightTheme(assets, "github");
  for (const ours of ["slides.css", "fit.js", "deck.js"]) copyFileSync(path.join(__dirname, "assets", ours), path.join(assets, ours));
}
