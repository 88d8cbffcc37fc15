/**
 * Text boxes of a PDF, to check that handouts print no text over other
 * text: poppler's `pdftotext -bbox-layout` groups each page's words into
 * blocks (a paragraph, a code listing, a chart label); two blocks whose
 * boxes intersect mean two pieces of text drawn on top of each other.
 */
import { execFileSync } from "node:child_process";

export interface Box {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface Word extends Box {
  text: string;
}

export interface TextBlock extends Box {
  page: number;
  words: Word[];
}

/** Why `pdftotext` cannot be used (a sentence), or null if it can. */
export function pdftotextMissing(): string | null {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    return null;
  } catch {
    return 'no pdftotext (install poppler-utils: "sudo apt-get install -y poppler-utils")';
  }
}

const attr = (tag: string, name: string): number => Number(new RegExp(`${name}="([-\\d.]+)"`).exec(tag)?.[1] ?? NaN);
const box = (tag: string): Box => ({ xMin: attr(tag, "xMin"), yMin: attr(tag, "yMin"), xMax: attr(tag, "xMax"), yMax: attr(tag, "yMax") });

/** Every text block of `pdfFile`, page by page (pages numbered from 1), and the page count. */
export function pdfTextBlocks(pdfFile: string): { pages: number; blocks: TextBlock[] } {
  const xhtml = execFileSync("pdftotext", ["-bbox-layout", pdfFile, "-"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const blocks: TextBlock[] = [];
  const pages = xhtml.split("<page ").slice(1);
  pages.forEach((page, index) => {
    for (const match of page.matchAll(/<block ([^>]*)>([\s\S]*?)<\/block>/g)) {
      const words = [...match[2].matchAll(/<word ([^>]*)>([^<]*)<\/word>/g)].map((word) => ({ ...box(word[1]), text: word[2] }));
      blocks.push({ page: index + 1, ...box(match[1]), words });
    }
  });
  return { pages: pages.length, blocks };
}

/** At least two visible characters (zero-width spaces, which KaTeX uses as struts, do not count). */
const isWordy = (word: Word): boolean => word.text.replace(/[\s\u200b]/g, "").length >= 2;
const area = (b: Box): number => Math.max(0, b.xMax - b.xMin) * Math.max(0, b.yMax - b.yMin);
const intersection = (a: Box, b: Box): number =>
  Math.max(0, Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin)) * Math.max(0, Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin));

/**
 * Words of different blocks drawn over each other: pairs whose boxes share
 * more than `share` of the smaller word's area. Why words, not blocks:
 * pdftotext puts a formula's sub- and superscripts in blocks of their own
 * whose boxes graze the formula's, and glyph boxes of neighbouring lines
 * touch; neither is text over text, while code printed over a paragraph
 * makes whole words coincide. For the same reason a "word" of one
 * visible character (a script, a big operator such as ∑, whose glyph box
 * reaches its limits) is not compared.
 */
export function overlappingWords(blocks: readonly TextBlock[], share = 0.3): { page: number; a: Word; b: Word }[] {
  const found: { page: number; a: Word; b: Word }[] = [];
  for (let i = 0; i < blocks.length; i++) {
    for (let j = i + 1; j < blocks.length; j++) {
      const [p, q] = [blocks[i], blocks[j]];
      if (p.page !== q.page || intersection(p, q) === 0) continue;
      for (const a of p.words.filter(isWordy)) {
        for (const b of q.words.filter(isWordy)) {
          const smaller = Math.min(area(a), area(b));
          if (smaller > 0 && intersection(a, b) > share * smaller) found.push({ page: p.page, a, b });
        }
      }
    }
  }
  return found;
}
