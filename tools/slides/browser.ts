/**
 * Headless Chromium for PDF export and the browser test, driven by
 * playwright-core with the system's browser (Debian's `chromium` package):
 * playwright never downloads a browser here.
 *
 * The flags: `--headless` without a display, `--no-sandbox` because CI
 * runs as root in a container (where Chromium's sandbox cannot start),
 * `--disable-gpu` with no GPU, and the last three so the browser makes no
 * network requests of its own (decks are offline, and so is CI).
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where Chromium is: $CHROMIUM_PATH if set (e.g. another OS), else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || "/usr/bin/chromium";
}

export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** Why Chromium cannot be used (a sentence for messages and skipped tests), or null if it can. */
export function chromiumMissing(): string | null {
  const executable = chromiumPath();
  if (existsSync(executable)) return null;
  return `no Chromium at ${executable} (install it with "sudo apt-get install -y chromium", or set CHROMIUM_PATH)`;
}

/** Starts headless Chromium. Throws with chromiumMissing's reason when there is none. */
export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing !== null) throw new Error(missing);
  return chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
}
