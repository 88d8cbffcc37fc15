/**
 * Lessons → reveal.js slide decks for instructors, from the outputs stored
 * in the notebooks (nothing runs):
 *
 *   npm run slides -- [lessons…] [--out DIR] [--no-code] [--no-outputs] [--pdf] [--measure]
 *
 * A lesson is a notebook path or the start of a name in notebooks/ ("04",
 * "4", "04-batch"); none means all. The output folder (default build/slides/)
 * gets one `NN-topic.html` per lesson, `index.html`, and `assets/` with
 * reveal.js, KaTeX and the theme, so it works offline from file:// and can
 * be copied to a USB stick as it is. `--pdf` also prints `NN-topic.pdf`
 * next to each deck with headless Chromium; `--measure` then opens each deck
 * at 1280×720 and reports the slides that do not fit or have small text
 * (measure.ts; exit status 1 if any).
 *
 * Slides follow the notebooks' `metadata.slideshow.slide_type` (grouping.ts).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { copyLocalImages, DEFAULT_NOTEBOOKS_DIR, notebookFiles, PROJECT_ROOT } from "../course/html";
import { lessonInfo } from "../course/lesson-page";
import { createMarkdown } from "../course/render-markdown";
import { readNotebook } from "../notebook/notebook";
import { writeSlideAssets } from "./assets";
import { renderDeckPage, renderIndexPage, type IndexEntry } from "./deck-page";
import { groupSlides } from "./grouping";
import { renderSlides, type SlideContentOptions } from "./render-slides";
import { runMain } from "../run-main";

export const DEFAULT_SLIDES_DIR = path.join(PROJECT_ROOT, "build", "slides");
export const SLIDES_TITLE = "Training Deep Neural Networks — slides";

/**
 * The notebooks `args` name: paths to .ipynb files as they are, anything
 * else the start of a file name in `notebooksDir` ("4" means "04"). No args:
 * every notebook there. Throws naming the argument that matches nothing.
 */
export function resolveLessons(args: readonly string[], notebooksDir: string = DEFAULT_NOTEBOOKS_DIR): string[] {
  const available = notebookFiles(notebooksDir);
  if (args.length === 0) return available;
  const files: string[] = [];
  for (const arg of args) {
    if (arg.endsWith(".ipynb")) {
      if (!existsSync(arg)) throw new Error(`no notebook ${arg}`);
      files.push(path.resolve(arg));
      continue;
    }
    const prefix = /^\d$/.test(arg) ? `0${arg}` : arg;
    const matches = available.filter((file) => path.basename(file).startsWith(prefix));
    if (matches.length === 0) {
      const names = available.map((file) => path.basename(file, ".ipynb")).join(", ") || "none";
      throw new Error(`no lesson matches "${arg}" in ${path.relative(process.cwd(), notebooksDir) || "."} (lessons: ${names})`);
    }
    files.push(...matches);
  }
  return [...new Set(files)];
}

export interface BuildOptions extends SlideContentOptions {
  /** Output folder; default build/slides/. */
  outDir?: string;
  /** Also print each deck to PDF next to it (needs Chromium, see browser.ts). */
  pdf?: boolean;
  /** Heading of the index page; default SLIDES_TITLE. */
  title?: string;
}

export interface BuiltDeck {
  /** The notebook. */
  source: string;
  /** The deck's absolute path, e.g. ".../build/slides/04-batch-normalization.html". */
  file: string;
  title: string;
  /** The notebook's slides (grouping.ts): horizontal, and all including vertical ones; fit.js may add "(cont.)" slides in the browser. */
  horizontal: number;
  total: number;
  /** Charts (inline SVG outputs) in the deck. */
  charts: number;
  /** The PDF's absolute path, with `pdf: true`. */
  pdf?: string;
  /** Slides as shown after fitting (= PDF pages), with `pdf: true`. */
  shown?: number;
}

export interface SlidesBuild {
  outDir: string;
  indexFile: string;
  decks: BuiltDeck[];
  /** Problems that did not stop the build, each naming its notebook (and cell). */
  warnings: string[];
}

/** Builds one deck per notebook in `files` (in this order), the index and the assets. */
export async function buildSlides(files: readonly string[], options: BuildOptions = {}): Promise<SlidesBuild> {
  const outDir = path.resolve(options.outDir ?? DEFAULT_SLIDES_DIR);
  if (options.pdf) {
    // Before building anything: no half-built folder when PDFs cannot be printed.
    const { chromiumMissing } = await import("./browser");
    const missing = chromiumMissing();
    if (missing !== null) throw new Error(`cannot print PDFs: ${missing}`);
  }
  mkdirSync(outDir, { recursive: true });
  writeSlideAssets(outDir);
  const md = createMarkdown();
  const notesMd = createMarkdown({ mathOutput: "mathml" });
  const warnings: string[] = [];
  const decks: BuiltDeck[] = [];
  const entries: IndexEntry[] = [];
  for (const source of files) {
    const notebook = await readNotebook(source);
    const name = path.basename(source, ".ipynb");
    const label = path.relative(process.cwd(), path.resolve(source)) || source;
    const info = lessonInfo(notebook, md, name);
    const env = { headingIds: new Set<string>(), localImages: [] as string[] };
    const context = { md, notesMd, label, warnings, env, code: options.code, outputs: options.outputs };
    const slides = await renderSlides(groupSlides(notebook.cells), context);
    if (slides.total === 0) warnings.push(`${label}: no slide to show (every cell is skipped, notes or empty)`);
    const file = path.join(outDir, `${name}.html`);
    writeFileSync(file, renderDeckPage({ title: info.title, label, sections: slides.html }));
    copyLocalImages(source, env.localImages, outDir, label, warnings);
    const charts = slides.html.split('<div class="output-svg">').length - 1;
    decks.push({ source, file, title: info.title, horizontal: slides.horizontal, total: slides.total, charts });
    entries.push({ page: `${name}.html`, titleHtml: info.titleHtml, summaryHtml: info.summaryHtml });
  }
  if (options.pdf) await printPdfs(decks, entries);
  const indexFile = path.join(outDir, "index.html");
  writeFileSync(indexFile, renderIndexPage(entries, options.title ?? SLIDES_TITLE));
  return { outDir, indexFile, decks, warnings };
}

/** Prints every deck to `<name>.pdf` beside it; loads Chromium only when asked to. */
async function printPdfs(decks: BuiltDeck[], entries: IndexEntry[]): Promise<void> {
  const { launchChromium } = await import("./browser");
  const { printDeckToPdf } = await import("./pdf");
  const browser = await launchChromium();
  try {
    for (const [i, deck] of decks.entries()) {
      const pdf = deck.file.replace(/\.html$/, ".pdf");
      deck.shown = await printDeckToPdf(browser, deck.file, pdf);
      entries[i].slides = deck.shown;
      deck.pdf = pdf;
      entries[i].pdf = path.basename(pdf);
    }
  } finally {
    await browser.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      "no-code": { type: "boolean", default: false },
      "no-outputs": { type: "boolean", default: false },
      pdf: { type: "boolean", default: false },
      measure: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("npm run slides -- [lessons…] [--out DIR] [--no-code] [--no-outputs] [--pdf] [--measure]\n(lessons: 04, 4, 04-batch or notebooks/04-….ipynb; default all)");
    return 0;
  }
  const files = resolveLessons(positionals.filter((arg) => arg !== "--"));
  const started = Date.now();
  const result = await buildSlides(files, {
    outDir: values.out,
    code: !values["no-code"],
    outputs: !values["no-outputs"],
    pdf: values.pdf,
  });
  for (const warning of result.warnings) console.warn(`warning: ${warning}`);
  for (const deck of result.decks) {
    const pdf = deck.pdf ? ` + ${path.basename(deck.pdf)}` : "";
    const shown = deck.shown !== undefined ? `${deck.shown} slides as shown, ` : "";
    console.log(`${path.basename(deck.file)}${pdf}: ${shown}${deck.total} in the notebook (${deck.horizontal} across), ${deck.charts} charts`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${result.decks.length} deck(s) in ${seconds} s. Open ${pathToFileURL(result.indexFile).href}`);
  console.log("Present: F full screen, S speaker view (notes, next slide, timer), Esc overview.");
  if (values.measure) {
    // Every deck at 1280×720 in Chromium; status 1 when a slide does not fit or has small text.
    const { measureAndReport } = await import("./measure");
    return measureAndReport(result.decks.map((deck) => deck.file));
  }
  return 0;
}

if (require.main === module) runMain(main);
