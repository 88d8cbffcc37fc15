// Compiles the WebAssembly kernels (kernel-lib/wasm/assembly, AssemblyScript)
// four times into dist/wasm: kernels.wasm (SIMD, shared memory for the helper
// threads), kernels-relaxed.wasm (plus relaxed SIMD's fused multiply-add; the
// runtime picks it when the engine accepts it), and the same two for an
// unshared memory (kernels-unshared*.wasm), where copies in and out run at
// memcpy speed (2.6× faster than into shared memory) for single-thread calls. Run by `npm run build` (and so by the root
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
const RELAXED = ["--enable", "relaxed-simd"];
// One memory, created in JavaScript; shared with the helper threads, or not.
const SHARED = ["--sharedMemory", "--enable", "threads"];
const outputs = [
  { file: "kernels.wasm", features: [...SHARED] },
  { file: "kernels-relaxed.wasm", features: [...SHARED, ...RELAXED] },
  { file: "kernels-unshared.wasm", features: [] },
  { file: "kernels-unshared-relaxed.wasm", features: [...RELAXED] },
].map(({ file, features }) => ({ file: path.join(root, "dist", "wasm", file), features }));

const newest = Math.max(
  statSync(fileURLToPath(import.meta.url)).mtimeMs,
  ...readdirSync(sources).map((f) => statSync(path.join(sources, f)).mtimeMs),
);
const upToDate = outputs.every(({ file }) => existsSync(file) && statSync(file).mtimeMs >= newest);
if (!process.argv.includes("--force") && upToDate) {
  console.log("build-wasm: dist/wasm is up to date");
  process.exit(0);
}

const asc = await import("assemblyscript/asc");
for (const { file: output, features } of outputs) {
  mkdirSync(path.dirname(output), { recursive: true });
  const started = performance.now();
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
    "--importMemory", "--initialMemory", "32", "--maximumMemory", "16384",
    "--enable", "simd", ...features,
  ]);
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: ${error.message}`);
    process.exit(1);
  }
  console.log(`build-wasm: ${path.relative(root, output)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
