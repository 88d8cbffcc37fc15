/**
 * Type-checks a submission's exercise files with tsc against kernel-lib's
 * declarations, in a separate process, and returns the errors per exercise.
 * Type errors are warnings: the code still runs (it was transpiled without
 * types). kernel-lib's declarations are emitted once and cached.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./image";

const TSC = join(root, "node_modules/typescript/lib/tsc.js");

/** kernel-lib's .d.ts files, emitted once per version of its sources. */
function kernelLibTypes(): string {
  const h = createHash("sha256");
  const walk = (dir: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (d.isDirectory()) walk(join(dir, d.name));
      else if (d.name.endsWith(".ts")) h.update(d.name).update(readFileSync(join(dir, d.name)));
    }
  };
  walk(join(root, "kernel-lib/src"));
  const out = join(root, "node_modules/.cache/course-grader", `kernel-lib-types-${h.digest("hex").slice(0, 16)}`);
  if (!existsSync(join(out, "index.d.ts"))) {
    const tmp = `${out}.tmp-${process.pid}`;
    const r = spawnSync(process.execPath, [TSC, "-p", join(root, "kernel-lib/tsconfig.build.json"), "--emitDeclarationOnly", "--declarationMap", "false", "--outDir", tmp], { encoding: "utf8", timeout: 180_000 });
    if (!existsSync(join(tmp, "index.d.ts"))) throw new Error(`could not emit kernel-lib's declarations:\n${r.stdout}${r.stderr}`);
    try {
      renameSync(tmp, out);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another grader emitted them first
    }
  }
  return out;
}

/** Starts tsc on the given sources; resolves to the error lines per exercise (only exercises with errors appear). */
export function typecheck(sources: ReadonlyMap<string, string>, timeoutMs = 120_000): Promise<Map<string, string[]>> {
  const types = kernelLibTypes();
  const dir = mkdtempSync(join(tmpdir(), "course-typecheck-"));
  mkdirSync(join(dir, "exercises"));
  copyFileSync(join(root, "exercises/support.ts"), join(dir, "exercises/support.ts"));
  for (const [name, source] of sources) writeFileSync(join(dir, "exercises", `${name}.ts`), source);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      target: "ES2022", module: "commonjs", moduleResolution: "node", lib: ["ES2022"], types: ["node"],
      typeRoots: [join(root, "node_modules/@types")], strict: true, noImplicitOverride: true, noEmit: true,
      esModuleInterop: true, skipLibCheck: true, baseUrl: ".", paths: { "kernel-lib": [join(types, "index.d.ts")] },
    },
    include: ["exercises"],
  }));
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [TSC, "-p", "tsconfig.json", "--pretty", "false"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out.length < 1_000_000 ? (out += c.toString("utf8")) : undefined));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (_code, signal) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      const errors = new Map<string, string[]>();
      if (signal) errors.set("*", [`the type check did not finish in ${timeoutMs / 1000} s`]);
      for (const line of out.split("\n")) {
        const m = /^exercises\/(\d\d-[\w-]+)\.ts\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line.trim());
        if (!m) continue;
        const list = errors.get(m[1]) ?? [];
        list.push(`line ${m[2]}:${m[3]} ${m[4]}: ${m[5]}`);
        errors.set(m[1], list);
      }
      resolvePromise(errors);
    });
  });
}
