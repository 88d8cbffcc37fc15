/**
 * Measures built decks in headless Chromium, at the deck's own size
 * (1280×720), slide by slide and fragment state by fragment state: does
 * each slide fit the screen with nothing cut or scrolled, and is its text
 * large enough to read from the back of the room?
 *
 *   npm run slides -- --measure            build every deck, then measure it
 *   npx tsx tools/slides/measure.ts DIR    measure the decks already in DIR
 *
 * What "fits" means (MEASURE_SLIDE, run in the page): the slide's box lies
 * inside the viewport, and neither the slide nor anything in it that clips
 * or scrolls (overflow other than visible) has more content than room.
 * Text sizes, in pixels as rendered (READABLE_PX): body text (markdown,
 * tables, headings) at least 24, code and printed output at least 16, chart
 * axis and legend labels at least 12. Display equations may be scaled down
 * to fit the width (never clipped); math counts as math, not body text, and
 * every glyph of it, sub- and superscripts included (KaTeX sets a script of
 * a script at half size), must be at least 12 px, as chart labels.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { runMain } from "../run-main";

/** The smallest sizes, in rendered px at 1280×720, for each kind of text. */
export const READABLE_PX = { body: 24, code: 16, math: 12, chart: 12 } as const;
export type TextKind = keyof typeof READABLE_PX;

export const VIEWPORT = { width: 1280, height: 720 } as const;

/** One slide (or one fragment state of it) that does not fit or has small text. */
export interface SlideProblem {
  /** reveal.js indices: horizontal, vertical, fragment (-1: before the first). */
  h: number;
  v: number;
  f: number;
  /** The slide's first heading or first words, to find it. */
  title: string;
  /** Content height / room (1 when it fits). */
  ratio: number;
  /** What is cut or scrolled: "slide 1.53× the screen", "pre.hljs scrolls 40 px"… */
  overflow: string[];
  /** Text below READABLE_PX: "body 19.5px: «Table cell»". */
  smallText: string[];
}

export interface DeckMeasure {
  deck: string;
  slides: number;
  /** Fragment states walked (one per slide, plus one per fragment). */
  states: number;
  /** Slides with a problem in any state (one entry per slide: its worst state). */
  problems: SlideProblem[];
  /** Slides whose content is taller or wider than the screen (ratio > 1). */
  overflowing: number;
}

// Browser-side code is a string: the project's TypeScript has no DOM types.
const MEASURE_DECK = `(async () => {
  const READABLE = ${JSON.stringify(READABLE_PX)};
  const VIEW = ${JSON.stringify(VIEWPORT)};
  Reveal.configure({ transition: "none", backgroundTransition: "none" });
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const describe = (el) => el.tagName.toLowerCase() + (el.classList.length ? "." + [...el.classList].join(".") : "");
  const scaleOf = () => {
    const slides = document.querySelector(".reveal .slides");
    return slides.getBoundingClientRect().width / slides.offsetWidth;
  };
  function kindOf(el) {
    const svgText = el.closest("svg text");
    if (svgText) {
      return svgText.closest(".role-axis-label, .role-axis-title, .role-legend-label, .role-legend-title, .role-title") ? "chart" : null;
    }
    if (el.closest(".katex")) return "math";
    if (el.closest("pre, code")) return "code";
    return "body";
  }
  function renderedSize(el, kind, scale) {
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (kind !== "chart") return size * scale;
    const svg = el.closest("svg");
    const outer = svg.ownerSVGElement ? svg.ownerSVGElement : svg;
    const box = outer.getBoundingClientRect();
    const vb = outer.viewBox && outer.viewBox.baseVal && outer.viewBox.baseVal.width ? outer.viewBox.baseVal.width : outer.width.baseVal.value;
    return size * (box.width / vb);
  }
  function measure(slide) {
    const scale = scaleOf();
    const overflow = [];
    const box = slide.getBoundingClientRect();
    const ratio = Math.max(slide.scrollHeight / slide.clientHeight, slide.scrollWidth / slide.clientWidth);
    if (box.left < -1 || box.top < -1 || box.right > VIEW.width + 1 || box.bottom > VIEW.height + 1) {
      overflow.push("slide box " + Math.round(box.width) + "×" + Math.round(box.height) + " at " + Math.round(box.left) + "," + Math.round(box.top) + " leaves the viewport");
    }
    if (ratio > 1.005) overflow.push("slide content " + ratio.toFixed(2) + "× its room");
    // Inside a chart or a formula, clipping is how they are drawn: their boxes are checked as wholes.
    for (const el of slide.querySelectorAll("*:not(svg *):not(.katex *)")) {
      if (el.closest("aside.notes")) continue;
      const style = getComputedStyle(el);
      if (style.display === "none") continue;
      const clipsY = style.overflowY !== "visible", clipsX = style.overflowX !== "visible";
      if (clipsY && el.scrollHeight > el.clientHeight + 1) overflow.push(describe(el) + " scrolls " + (el.scrollHeight - el.clientHeight) + " px down");
      else if (clipsX && el.scrollWidth > el.clientWidth + 1) overflow.push(describe(el) + " scrolls " + (el.scrollWidth - el.clientWidth) + " px across");
    }
    const smallText = [];
    const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.replace(/[\\s\\u200b]/g, "")) continue;
      const el = node.parentElement;
      if (!el || seen.has(el) || el.closest("aside.notes, .katex-mathml, script, style")) continue;
      seen.add(el);
      if (el.getClientRects().length === 0) continue;
      const kind = kindOf(el);
      if (kind === null) continue;
      const px = renderedSize(el, kind, scale);
      if (px < READABLE[kind] - 0.05) smallText.push(kind + " " + px.toFixed(1) + "px: «" + node.textContent.trim().slice(0, 40) + "»");
    }
    return { ratio, overflow: [...new Set(overflow)], smallText };
  }
  const slides = Reveal.getSlides();
  const results = [];
  let states = 0;
  for (const slide of slides) {
    const { h, v } = Reveal.getIndices(slide);
    const fragments = new Set([...slide.querySelectorAll(".fragment")].map((f) => Number(f.getAttribute("data-fragment-index") || 0))).size;
    const heading = slide.querySelector("h1, h2, h3, h4, p, li");
    const title = (heading ? heading.textContent : slide.textContent).replace(/\\s+/g, " ").trim().slice(0, 60);
    let worst = null;
    for (let f = -1; f < fragments; f++) {
      Reveal.slide(h, v === undefined ? 0 : v, f);
      await frame();
      states++;
      const m = measure(Reveal.getCurrentSlide());
      if (worst === null || m.ratio > worst.ratio || (m.overflow.length + m.smallText.length > worst.overflow.length + worst.smallText.length && m.ratio >= worst.ratio)) {
        worst = { h, v: v === undefined ? 0 : v, f, title, ...m };
      }
    }
    results.push(worst);
  }
  return { slides: slides.length, states, results };
})()`;

/** Opens a built deck at 1280×720 and measures every slide in every fragment state. */
export async function measureDeck(browser: Browser, htmlFile: string): Promise<DeckMeasure> {
  const page: Page = await browser.newPage({ viewport: { ...VIEWPORT } });
  try {
    await page.goto(pathToFileURL(htmlFile).href);
    await page.waitForSelector("html[data-deck-ready]", { state: "attached", timeout: 30_000 });
    await page.evaluate("document.fonts.ready.then(() => true)");
    const { slides, states, results } = (await page.evaluate(MEASURE_DECK)) as {
      slides: number;
      states: number;
      results: (SlideProblem & { ratio: number })[];
    };
    const problems = results.filter((r) => r.overflow.length > 0 || r.smallText.length > 0);
    const overflowing = results.filter((r) => r.ratio > 1.005).length;
    return { deck: path.basename(htmlFile), slides, states, problems, overflowing };
  } finally {
    await page.close();
  }
}

/** Measures decks (in parallel pages of one browser), in the order given. */
export async function measureDecks(browser: Browser, htmlFiles: readonly string[]): Promise<DeckMeasure[]> {
  return Promise.all(htmlFiles.map((file) => measureDeck(browser, file)));
}

/** A table of the results, one line per deck and one per problem slide (with `detail`). */
export function formatMeasures(measures: readonly DeckMeasure[], detail = true): string {
  const lines: string[] = [];
  let slides = 0;
  let overflowing = 0;
  let problems = 0;
  for (const m of measures) {
    slides += m.slides;
    overflowing += m.overflowing;
    problems += m.problems.length;
    lines.push(`${m.deck}: ${m.slides} slides (${m.states} states), ${m.overflowing} taller/wider than the screen, ${m.problems.length} with a problem`);
    if (!detail) continue;
    for (const p of m.problems) {
      const where = `#/${p.h}/${p.v}${p.f >= 0 ? ` fragment ${p.f}` : ""}`;
      lines.push(`  ${where} «${p.title}»: ${[...p.overflow, ...p.smallText.slice(0, 3)].join("; ")}${p.smallText.length > 3 ? ` (+${p.smallText.length - 3} small texts)` : ""}`);
    }
  }
  lines.push(`total: ${overflowing} of ${slides} slides taller or wider than the screen; ${problems} of ${slides} with any problem (cut, scrolled or small text)`);
  return lines.join("\n");
}

/** Measures `files`, prints the table; 0 when every slide fits with readable text, else 1 (an exit status). */
export async function measureAndReport(files: readonly string[]): Promise<number> {
  const { launchChromium } = await import("./browser");
  const browser = await launchChromium();
  try {
    const measures = await measureDecks(browser, files);
    console.log(formatMeasures(measures));
    return measures.every((m) => m.problems.length === 0) ? 0 : 1;
  } finally {
    await browser.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const dir = argv.find((arg) => arg !== "--") ?? path.join(__dirname, "..", "..", "build", "slides");
  const files = readdirSync(dir)
    .filter((name) => /^\d.*\.html$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
  if (files.length === 0) throw new Error(`no decks (NN-*.html) in ${dir}: build them first with "npm run slides"`);
  return measureAndReport(files);
}

if (require.main === module) runMain(main);
