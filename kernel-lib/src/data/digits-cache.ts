/// <reference types="node" />
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * The digit images from dist/data/digits.bin, which the build packs from the
 * `mnist` package's JSON files (scripts/build-digits.mjs documents the
 * layout): one byte per pixel indexing its file's table of grey values, so
 * decoding gives exactly the JSON's numbers. 20 ms instead of half a second
 * of JSON parsing, which every lesson and test that loads digits would pay.
 * Returns null, and the caller reads the JSON, when the file is missing or
 * was built from a different `mnist` package than the one installed.
 */
export function readDigitsCache(folder: string, mnistVersion: string): Float32Array[] | null {
  // The same path from src/data (tests) and from dist/data (users).
  const file = resolve(__dirname, "..", "..", "dist", "data", "digits.bin");
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString("utf8")) as CacheHeader;
  if (header.format !== 1 || header.mnist !== mnistVersion || header.files.length !== 10) return null;
  const images: Float32Array[] = [];
  let at = 4 + headerLength;
  for (const [digit, entry] of header.files.entries()) {
    const json = join(folder, `${digit}.json`);
    if (entry.digit !== digit || !existsSync(json) || statSync(json).size !== entry.jsonBytes) return null;
    const n = entry.count * 784;
    if (at + n > bytes.length) return null;
    const table = Float32Array.from(entry.values);
    const pixels = new Float32Array(n);
    for (let i = 0; i < n; i++) pixels[i] = table[bytes[at + i]];
    images.push(pixels);
    at += n;
  }
  return images;
}

interface CacheHeader {
  format: number;
  mnist: string;
  files: { digit: number; jsonBytes: number; count: number; values: number[] }[];
}
