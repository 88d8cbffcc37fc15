/**
 * `npm run bench`: times kernel-lib against TensorFlow.js (cpu and wasm
 * backends) on the course's reference MLP training step, inference and a
 * 512×512 matmul, and prints a table (or, with --json, one JSON array).
 *
 *   npm run bench                      all cases, full repetitions (~1–2 min)
 *   npm run bench -- --quick           fewer repetitions
 *   npm run bench -- --case matmul     one case (repeatable: --case forward --case matmul)
 *   npm run -s bench -- --json         rows {case, impl, ms, gflops?} as JSON on stdout
 *   npm run bench -- --torch           also PyTorch, if python3 (or Debian's /usr/bin/python3) can import torch
 *
 * (`-s` keeps npm's own "> bench" banner off stdout.) The engine is imported
 * by its package name; tools/bench/tsconfig.json drops the root tsconfig's
 * mapping to the sources, so it resolves to kernel-lib/dist, which is rebuilt
 * first when any source file is newer (skip with --skip-build).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { FULL, QUICK, REFERENCE, TINY } from "./config";
import { ALL_CASE_NAMES, type CaseName } from "./cases";

const ROOT = path.resolve(__dirname, "../..");
const USAGE = `usage: npm run bench -- [--quick] [--json] [--torch] [--case ${ALL_CASE_NAMES.join("|")}]... [--tiny] [--skip-build]`;

function parseCli() {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      quick: { type: "boolean", default: false },
      torch: { type: "boolean", default: false },
      case: { type: "string", multiple: true },
      tiny: { type: "boolean", default: false },
      "skip-build": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  const cases = (values.case ?? [...ALL_CASE_NAMES]) as CaseName[];
  const unknown = cases.filter((c) => !(ALL_CASE_NAMES as readonly string[]).includes(c));
  if (unknown.length > 0) throw new Error(`unknown case ${unknown.map((c) => `"${c}"`).join(", ")}; choose from ${ALL_CASE_NAMES.join(", ")}`);
  return { ...values, cases };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Rebuilds kernel-lib/dist when a source (TypeScript in src/, AssemblyScript in
 * wasm/) is newer than the build: `npm run build -w kernel-lib` without npm.
 * The compilers' output goes to stderr.
 */
function ensureBuilt(log: (m: string) => void): void {
  const lib = path.join(ROOT, "kernel-lib");
  const outputs = [path.join(lib, "dist", "index.js"), path.join(lib, "dist", "wasm", "kernels.wasm")];
  const built = Math.min(...outputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  if (built >= Math.max(newestMtime(path.join(lib, "src")), newestMtime(path.join(lib, "wasm")))) return;
  log("kernel-lib/dist is missing or older than its sources: building it (kernel-lib/scripts/build-wasm.mjs and build-digits.mjs, then tsc)");
  const wasm = spawnSync(process.execPath, [path.join(lib, "scripts", "build-wasm.mjs")], { cwd: lib, stdio: ["ignore", 2, 2] });
  if (wasm.status !== 0) log(`warning: the WebAssembly build failed (exit ${wasm.status}); kernel-lib will fall back to its JavaScript kernels`);
  spawnSync(process.execPath, [path.join(lib, "scripts", "build-digits.mjs")], { cwd: lib, stdio: ["ignore", 2, 2] });
  const tsc = require.resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(lib, "tsconfig.build.json")], { stdio: ["ignore", 2, 2] });
  if (r.status !== 0) log(`warning: the build reported errors (exit ${r.status}); measuring what it emitted`);
}

async function main(): Promise<void> {
  const args = parseCli();
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const err = (m: string) => process.stderr.write(`${m}\n`);
  if (args.json) {
    // Only the JSON array may reach stdout; anything a library prints goes to stderr.
    for (const method of ["log", "info", "warn", "debug"] as const) console[method] = (...parts: unknown[]) => err(parts.map(String).join(" "));
  }
  if (!args["skip-build"]) ensureBuilt(err);

  // Loaded only now, after the build, so that "kernel-lib" is the fresh dist.
  const { runBench, titles, describeEnvironment } = await import("./run");
  const { formatTable } = await import("./report");
  const { PYTHONS, torchAvailable, runTorch } = await import("./torch");
  const config = args.tiny ? TINY : REFERENCE;
  const reps = args.quick ? QUICK : FULL;

  const environment = await describeEnvironment(reps);
  if (args.json) err(environment);
  else console.log(`${environment}\n`);
  const started = performance.now();
  const rows = await runBench({ config, reps, cases: args.cases, log: (m) => err(`… ${m}`) });
  let torchNote = "";
  if (args.torch) {
    if (torchAvailable()) {
      err("… PyTorch");
      const torch = runTorch(config, reps, args.cases);
      rows.push(...torch.rows);
      rows.push(...(await import("./torch-cnn")).runTorchCnn(config.seed, config.lr, reps, args.cases));
      torchNote = `PyTorch ${torch.version}, timed at ${torch.threads.join(" and ")} thread(s) (torch.set_num_threads); each case shows the faster, and its note says which won.`;
    } else {
      torchNote = `PyTorch is absent (\`import torch\` failed in ${PYTHONS.join(" and ")}; on Debian: apt-get install python3-torch): no torch rows.`;
      err(torchNote);
    }
  }

  if (args.json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  console.log(formatTable(rows, titles(config)));
  console.log("\ntheirs/ours > 1 means ours is faster; the verdict says it in words. ours-float64 is kernel-lib in float64, compared with ours in float32.");
  console.log("Scaling tables (width, batch, threads): one row per size; a ratio column > 1 means ours (or more threads) is faster.");
  if (torchNote) console.log(torchNote);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
  process.exitCode = 1;
});
