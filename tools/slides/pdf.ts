/**
 * A deck → PDF, the way reveal.js documents it: open the deck with
 * `?print-pdf`, which lays every slide out on its own page (fit.js made each
 * fit one; fragments are all shown, see REVEAL_CONFIG.pdfSeparateFragments),
 * then print with the page size the deck's CSS asks for.
 */
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";

/** How long one deck may take to lay out for print. */
const READY_TIMEOUT_MS = 30_000;

/** Prints the deck `htmlFile` to `pdfFile` in a new page of `browser`; returns the number of slides (= pages). */
export async function printDeckToPdf(browser: Browser, htmlFile: string, pdfFile: string): Promise<number> {
  const page = await browser.newPage();
  try {
    await page.goto(`${pathToFileURL(htmlFile).href}?print-pdf`);
    await page.waitForSelector("html[data-pdf-ready]", { state: "attached", timeout: READY_TIMEOUT_MS });
    await page.evaluate("document.fonts.ready.then(() => true)");
    await page.pdf({ path: pdfFile, preferCSSPageSize: true, printBackground: true });
    return (await page.evaluate("Reveal.getTotalSlides()")) as number;
  } finally {
    await page.close();
  }
}
