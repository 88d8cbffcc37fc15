// PDF handouts of every lesson deck: one page per slide (fragments all
// shown), and no text printed over other text, checked on the text boxes
// poppler's `pdftotext -bbox-layout` extracts (tools/slides/pdf-text.ts:
// no two words of different blocks share more than 30% of their box).
// Skipped, with the reason printed, without Chromium or pdftotext
// (.ci/run installs Debian's chromium and poppler-utils when it can).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { DEFAULT_NOTEBOOKS_DIR, notebookFiles } from "../../../tools/course/html";
import { chromiumMissing, launchChromium } from "../../../tools/slides/browser";
import { buildSlides } from "../../../tools/slides/build";
import { printDeckToPdf } from "../../../tools/slides/pdf";
import { overlappingWords, pdfTextBlocks, pdftotextMissing } from "../../../tools/slides/pdf-text";

const LESSONS = notebookFiles(DEFAULT_NOTEBOOKS_DIR);
const missing = chromiumMissing() ?? pdftotextMissing();
if (missing !== null) console.warn(`slides-pdf: skipped, ${missing}`);

describe.skipIf(missing !== null)(`PDF handouts${missing === null ? "" : ` (skipped: ${missing})`}`, () => {
  let work: string;
  let browser: Browser;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "slides-pdf-"));
    [, browser] = await Promise.all([buildSlides(LESSONS, { outDir: work }), launchChromium()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // A long timeout: ten decks share one browser, on a CI machine busy with the other tests.
  it.concurrent.for(LESSONS.map((file) => path.basename(file, ".ipynb")))("%s: one page per slide, no text over text", { timeout: 180_000 }, async (name, { expect }) => {
    const deck = path.join(work, `${name}.html`);
    const pdf = path.join(work, `${name}.pdf`);
    const slides = await printDeckToPdf(browser, deck, pdf);
    expect(readFileSync(pdf).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const { pages, blocks } = pdfTextBlocks(pdf);
    expect(pages).toBe(slides);
    expect(blocks.length).toBeGreaterThan(slides); // text, not pictures of text
    const overlaps = overlappingWords(blocks).map(({ page, a, b }) => `page ${page}: «${a.text}» over «${b.text}»`);
    expect(overlaps).toEqual([]);
  });
});
