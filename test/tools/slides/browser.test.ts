// The real lesson decks in a real browser: every notebook in notebooks/ is
// built (as `npm run slides` does) and opened from file:// in headless
// Chromium (Debian's /usr/bin/chromium through playwright-core). For each
// deck: reveal.js counts at least the slides the grouping says (fit.js adds
// "(cont.)" slides; test/tools/slides/fit.test.ts checks they fit), every chart's SVG
// has a size, math rendered (KaTeX elements, no KaTeX error), slide numbers
// show, and the console shows no error and nothing was fetched from the
// network. A screenshot of one chart slide per deck is saved to
// build/test-results/slides/ (a CI artifact).
// (speaker view: test/tools/slides/fit.test.ts; PDFs: test/tools/slides/pdf.test.ts).
//
// Skipped, with the reason printed, where Chromium is missing (.ci/run
// installs Debian's `chromium` when it can).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_NOTEBOOKS_DIR, notebookFiles } from "../../../tools/course/html";
import { readNotebook, type Notebook } from "../../../tools/notebook/notebook";
import { chromiumMissing, launchChromium } from "../../../tools/slides/browser";
import { buildSlides, type SlidesBuild } from "../../../tools/slides/build";
import { countSlides, groupSlides, slideType } from "../../../tools/slides/grouping";

const ARTIFACTS = path.join(__dirname, "..", "..", "..", "build", "test-results", "slides");
const LESSONS = notebookFiles(DEFAULT_NOTEBOOKS_DIR);

const missing = chromiumMissing();
if (missing !== null) console.warn(`slides-browser: skipped, ${missing}`);

/** What a deck's page reports about itself (evaluated in the browser: see DECK_REPORT). */
interface DeckReport {
  total: number;
  horizontal: number;
  slideNumber: string;
  katex: number;
  katexErrors: number;
  notes: number;
  charts: { h: number; v: number; width: number; height: number }[];
}

// Browser-side code is a string: the project's TypeScript has no DOM types.
const DECK_REPORT = `(async () => {
  Reveal.configure({ transition: "none" });
  Reveal.slide(0, 0);
  const report = {
    total: Reveal.getTotalSlides(),
    horizontal: Reveal.getHorizontalSlides().length,
    slideNumber: (document.querySelector(".reveal .slide-number")?.textContent ?? "").replace(/\\s+/g, " ").trim(),
    katex: document.querySelectorAll(".reveal .slides .katex").length,
    katexErrors: document.querySelectorAll(".reveal .katex-error").length,
    notes: document.querySelectorAll(".reveal aside.notes").length,
    charts: [],
  };
  // Slides far from the current one are display: none, so each chart is measured on its own slide.
  for (const slide of document.querySelectorAll(".reveal .slides section.deck-slide")) {
    const svgs = slide.querySelectorAll(".output-svg > svg");
    if (svgs.length === 0) continue;
    const { h, v } = Reveal.getIndices(slide);
    Reveal.slide(h, v ?? 0);
    for (const svg of svgs) {
      const box = svg.getBoundingClientRect();
      report.charts.push({ h, v: v ?? 0, width: box.width, height: box.height });
    }
  }
  return report;
})()`;

/** Goes to slide (h, v) with every fragment shown, and scrolls the first chart there into view. */
const showChart = (h: number, v: number): string => `(async () => {
  Reveal.slide(${h}, ${v}, Number.MAX_SAFE_INTEGER);
  const slide = Reveal.getCurrentSlide();
  const chart = slide.querySelector(".output-svg > svg");
  const scale = slide.getBoundingClientRect().height / slide.clientHeight;
  slide.scrollTop += (chart.getBoundingClientRect().top - slide.getBoundingClientRect().top) / scale - 40;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
})()`;

/** What the notebook says a deck must have: slides by the grouping, and its charts and formulas. */
function expectations(notebook: Notebook): { horizontal: number; total: number; charts: number; math: boolean; notes: number } {
  const slides = groupSlides(notebook.cells);
  const shown = notebook.cells.filter((cell) => slideType(cell) !== "skip");
  const charts = shown.reduce(
    (sum, cell) => sum + (cell.cell_type === "code" ? cell.outputs.filter((o) => "data" in o && "image/svg+xml" in o.data).length : 0),
    0,
  );
  const math = shown.some((cell) => cell.cell_type === "markdown" && /\$[^$\s]/.test(cell.source));
  const notes = slides.reduce((sum, slide) => sum + slide.subslides.filter((sub) => sub.notes.length > 0).length, 0);
  return { ...countSlides(slides), charts, math, notes };
}

/** Records what the page must not do: log an error, throw, fail a request, or ask the network. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`failed request: ${request.url()} (${request.failure()?.errorText})`));
  page.on("request", (request) => {
    if (!/^(file|data|blob|about):/.test(request.url())) problems.push(`network request: ${request.url()}`);
  });
  return problems;
}

describe.skipIf(missing !== null)(`lesson decks in Chromium${missing === null ? "" : ` (skipped: ${missing})`}`, () => {
  let work: string;
  let build: SlidesBuild;
  let browser: Browser;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "slides-browser-"));
    mkdirSync(ARTIFACTS, { recursive: true });
    [build, browser] = await Promise.all([buildSlides(LESSONS, { outDir: work }), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("builds a deck for every lesson, without warnings", () => {
    expect(LESSONS.length).toBeGreaterThan(0);
    expect(build.decks.map((deck) => path.basename(deck.file, ".html"))).toEqual(LESSONS.map((file) => path.basename(file, ".ipynb")));
    expect(build.warnings).toEqual([]);
  });

  // Concurrent: each deck in its own page (and renderer process) of the one browser.
  it.concurrent.for(LESSONS.map((file) => [path.basename(file, ".ipynb"), file]))("%s: slides, charts, math, console", async ([name, file], { expect }) => {
    const expected = expectations(await readNotebook(file));
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const problems = watch(page);
    try {
      await page.goto(pathToFileURL(path.join(work, `${name}.html`)).href);
      await page.waitForSelector("html[data-deck-ready]", { state: "attached", timeout: 20_000 });
      const report = (await page.evaluate(DECK_REPORT)) as DeckReport;

      expect(report.horizontal).toBeGreaterThanOrEqual(expected.horizontal);
      expect(report.total).toBeGreaterThanOrEqual(expected.total);
      expect(report.slideNumber).toBe(`1 / ${report.total}`);
      expect(report.notes).toBeGreaterThanOrEqual(expected.notes); // a "(cont.)" slide repeats its notes
      expect(report.charts).toHaveLength(expected.charts);
      for (const chart of report.charts) {
        expect(chart.width > 0 && chart.height > 0, `chart on slide ${chart.h}/${chart.v}: ${chart.width}×${chart.height}`).toBe(true);
      }
      if (expected.math) expect(report.katex).toBeGreaterThan(0);
      expect(report.katexErrors).toBe(0);

      if (report.charts.length > 0) {
        await page.evaluate(showChart(report.charts[0].h, report.charts[0].v));
        await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

});
