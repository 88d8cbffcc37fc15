// Every lesson deck at the deck's size, in real Chromium (Debian's
// /usr/bin/chromium through playwright-core): each slide, in each fragment
// state, fits 1280×720 with nothing cut or scrolled, and its text is at
// least READABLE_PX (body 24 px, code 16, chart labels and math glyphs 12).
// tools/slides/measure.ts does the measuring (also `npm run slides --
// --measure`). Then the speaker view: the current slide whole, the notes
// and the next slide.
//
// Decks are built from the notebooks as committed (or as rebuilt): the
// layout is made in the browser by fit.js, so nothing here depends on the
// exact outputs. Skipped, with the reason printed, without Chromium.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_NOTEBOOKS_DIR, notebookFiles } from "../../../tools/course/html";
import { readNotebook } from "../../../tools/notebook/notebook";
import { chromiumMissing, launchChromium } from "../../../tools/slides/browser";
import { buildSlides, type SlidesBuild } from "../../../tools/slides/build";
import { countSlides, groupSlides } from "../../../tools/slides/grouping";
import { formatMeasures, measureDeck, VIEWPORT } from "../../../tools/slides/measure";

const LESSONS = notebookFiles(DEFAULT_NOTEBOOKS_DIR);
const missing = chromiumMissing();
if (missing !== null) console.warn(`slides-fit: skipped, ${missing}`);

describe.skipIf(missing !== null)(`every slide fits 1280×720${missing === null ? "" : ` (skipped: ${missing})`}`, () => {
  let work: string;
  let build: SlidesBuild;
  let browser: Browser;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "slides-fit-"));
    [build, browser] = await Promise.all([buildSlides(LESSONS, { outDir: work }), launchChromium()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // A long timeout: ten decks share one browser, on a CI machine busy with the other tests.
  it.concurrent.for(LESSONS.map((file) => [path.basename(file, ".ipynb"), file]))("%s: every slide and fragment state fits, text readable", { timeout: 180_000 }, async ([name, file], { expect }) => {
    const measure = await measureDeck(browser, path.join(work, `${name}.html`));
    // fit.js only adds slides ("(cont.)"): never fewer than the notebook's grouping.
    expect(measure.slides).toBeGreaterThanOrEqual(countSlides(groupSlides((await readNotebook(file)).cells)).total);
    expect(measure.states).toBeGreaterThanOrEqual(measure.slides);
    expect(measure.problems, formatMeasures([measure])).toEqual([]);
  });

  it("speaker view: the current slide whole, its notes and the next slide", async () => {
    const deck = build.decks[0];
    const notebook = await readNotebook(deck.source);
    const slides = groupSlides(notebook.cells);
    const h = slides.findIndex((slide) => slide.subslides[0].notes.length > 0);
    expect(h).toBeGreaterThanOrEqual(0);
    const firstNote = slides[h].subslides[0].notes[0].cell.source.split("\n")[0].replace(/[*_`$]/g, "");
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${pathToFileURL(deck.file).href}`);
      await page.waitForSelector("html[data-deck-ready]", { state: "attached", timeout: 20_000 });
      // The notebook's slide h may have moved (cont. slides before it): find its notes' slide.
      const target = (await page.evaluate(
        `(() => { const s = [...document.querySelectorAll("section.deck-slide")].filter((x) => x.querySelector("aside.notes"))[0]; return Reveal.getIndices(s); })()`,
      )) as { h: number; v?: number };
      await page.evaluate(`Reveal.slide(${target.h}, ${target.v ?? 0})`);
      const [speaker] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("s")]);
      await speaker.locator(".speaker-controls-notes .value").waitFor({ timeout: 20_000 });
      await expect.poll(() => speaker.locator(".speaker-controls-notes .value").textContent(), { timeout: 10_000 }).toContain(firstNote.slice(0, 30));
      const current = speaker.frameLocator("#current-slide iframe");
      const upcoming = speaker.frameLocator("#upcoming-slide iframe");
      await current.locator("html[data-deck-ready]").waitFor({ state: "attached", timeout: 20_000 });
      await upcoming.locator("html[data-deck-ready]").waitFor({ state: "attached", timeout: 20_000 });
      const currentFrame = await (await speaker.locator("#current-slide iframe").elementHandle())?.contentFrame();
      expect(currentFrame, "the speaker view's current-slide frame").toBeTruthy();
      // The whole slide is in the frame: nothing below its bottom, nothing to scroll.
      const whole = (await currentFrame!.evaluate(`(() => {
        const slide = Reveal.getCurrentSlide();
        const box = slide.getBoundingClientRect();
        return { fits: slide.scrollHeight <= slide.clientHeight + 1, inside: box.top >= -1 && box.bottom <= innerHeight + 1 && box.left >= -1 && box.right <= innerWidth + 1, indices: Reveal.getIndices() };
      })()`)) as { fits: boolean; inside: boolean; indices: { h: number; v?: number } };
      expect(whole).toMatchObject({ fits: true, inside: true, indices: { h: target.h } });
      await speaker.screenshot({ path: path.join(__dirname, "..", "..", "..", "build", "test-results", "slides", "speaker-view.png") });
    } finally {
      await context.close();
    }
  });

  it("measures at the deck's size", () => {
    expect(VIEWPORT).toEqual({ width: 1280, height: 720 });
  });
});
