/**
 * A deck → PDF, the way reveal.js documents it: open the deck with
 * `?print-pdf`, which lays every slide out on its own page (a slide taller
 * than the page continues on the next one; fragments are all shown, see
 * REVEAL_CONFIG.pdfSeparateFragments), then print with the page size the
 * deck's CSS asks for.
 */
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";

/** How long one deck may take to lay out for print. */
const READY_TIMEOUT_MS = 30_000;

/** Prints the deck `htmlFile` to `pdfFile` in a new page of `browser`. */
export async function printDeckToPdf(browser: Browser, htmlFile: string, pdfFile: string): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(`${pathToFileURL(htmlFile).href}?print-pdf`);
    await page.waitForSelector("html[data-pdf-ready]", { state: "attached", timeout: READY_TIMEOUT_MS });
    await page.evaluate("document.fonts.ready.then(() => true)");
    await page.pdf({ path: pdfFile, preferCSSPageSize: true, printBackground: true });
  } finally {
    await page.close();
  }
}
