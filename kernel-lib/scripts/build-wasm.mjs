// Compiles the WebAssembly kernels (kernel-lib/wasm/assembly, AssemblyScript)
// into dist/wasm/kernels.wasm. Run by `npm run build` (and so by the root
// `prepare` step of `npm install` / `npm ci`); offline, from the sources in
// this repository. Skips the work when the binary is newer than every source
// and this script (pass --force to rebuild anyway).
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const sources = path.join(root, "wasm", "assembly");
const entry = path.join(sources, "index.ts");
const output = path.join(root, "dist", "wasm", "kernels.wasm");

const newest = Math.max(
  statSync(fileURLToPath(import.meta.url)).mtimeMs,
  ...readdirSync(sources).map((f) => statSync(path.join(sources, f)).mtimeMs),
);
if (!process.argv.includes("--force") && existsSync(output) && statSync(output).mtimeMs >= newest) {
  console.log(`build-wasm: ${path.relative(root, output)} is up to date`);
  process.exit(0);
}

mkdirSync(path.dirname(output), { recursive: true });
const started = performance.now();
const asc = await import("assemblyscript/asc");
const { error, stderr } = await asc.main([
  path.relative(process.cwd(), entry),
  "--outFile", path.relative(process.cwd(), output),
  "--optimizeLevel", "3",
  "--shrinkLevel", "0",
  "--noAssert",
  // No garbage collector and no allocator: JavaScript lays out the memory, the kernels only compute.
  "--runtime", "stub",
  // No abort() import: nothing here can fail at run time except an out-of-bounds access, which traps.
  "--use", "abort=",
  // One memory, created in JavaScript and shared with the helper threads.
  "--importMemory", "--sharedMemory", "--initialMemory", "32", "--maximumMemory", "16384",
  "--enable", "simd", "--enable", "threads",
]);
if (error) {
  console.error(stderr.toString());
  console.error(`build-wasm: ${error.message}`);
  process.exit(1);
}
console.log(`build-wasm: ${path.relative(root, output)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
