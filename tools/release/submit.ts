/**
 * `npm run submit [-- --out submission.zip]`: packs your exercise files
 * (exercises/NN-topic.ts, nothing else) into a zip to upload for grading.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { zipSync } from "fflate";

const root = resolve(__dirname, "../..");

/** The zip of the exercise files under `courseRoot` and their names. */
export function packSubmission(courseRoot: string): { zip: Uint8Array; files: string[] } {
  const files = readdirSync(join(courseRoot, "exercises")).filter((f) => /^\d\d-[\w-]+\.ts$/.test(f)).sort();
  const entries = Object.fromEntries(files.map((f) => [`exercises/${f}`, new Uint8Array(readFileSync(join(courseRoot, "exercises", f)))]));
  // A fixed timestamp: the same files always make the same zip.
  return { zip: zipSync(entries, { level: 9, mtime: new Date("2020-01-01T00:00:00Z") }), files };
}

function main(): void {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const out = resolve(values.out ?? "submission.zip");
  const { zip, files } = packSubmission(root);
  if (files.length === 0) {
    console.error("no exercises/NN-topic.ts files to submit");
    process.exit(1);
  }
  writeFileSync(out, zip);
  console.log(`${out}: ${files.length} exercise files (${files.join(", ")}), ${zip.length} bytes. Upload this file.`);
}

if (require.main === module) main();
