/**
 * Type-checks a submission's exercise files with tsc against kernel-lib's
 * declarations and the stubs' declared signatures, in a separate process with
 * a heap cap and a clock, and returns the errors per exercise.
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

export interface TypecheckLimits {
  heapMiB: number;
  ms: number;
}

/** The `*` entry of a type check's result: why the check itself did not complete (the code is still run). */
export const TYPECHECK_FAILED = "*";

/**
 * Starts tsc on the given sources, each next to its stub's declared types;
 * resolves to the error lines per exercise (only exercises with errors
 * appear), plus `*` with the reason when tsc did not finish: out of memory
 * (its heap is capped), out of time, or killed. tsc runs in a session of its
 * own with a parent-death signal, so it never outlives the grader.
 */
export function typecheck(sources: ReadonlyMap<string, string>, limits: TypecheckLimits = { heapMiB: 768, ms: 120_000 }): Promise<Map<string, string[]>> {
  const types = kernelLibTypes();
  const dir = mkdtempSync(join(tmpdir(), "course-typecheck-"));
  mkdirSync(join(dir, "exercises"));
  mkdirSync(join(dir, "stubs"));
  copyFileSync(join(root, "exercises/support.ts"), join(dir, "exercises/support.ts"));
  copyFileSync(join(root, "exercises/support.ts"), join(dir, "stubs/support.ts"));
  for (const [name, source] of sources) {
    writeFileSync(join(dir, "exercises", `${name}.ts`), source);
    // The submission's exports must fit the stub's declared signatures (what the graders call them with).
    const stub = join(root, "exercises", `${name}.ts`);
    if (existsSync(stub)) {
      copyFileSync(stub, join(dir, "stubs", `${name}.ts`));
      writeFileSync(join(dir, "exercises", `${name}${STUB_CHECK}.ts`), [
        `import * as submitted from "./${name}";`,
        `import type * as stub from "../stubs/${name}";`,
        "export const matchesStub: typeof stub = submitted;",
        "",
      ].join("\n"));
    }
  }
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      target: "ES2022", module: "commonjs", moduleResolution: "node", lib: ["ES2022"], types: ["node"],
      typeRoots: [join(root, "node_modules/@types")], strict: true, noImplicitOverride: true, noEmit: true,
      esModuleInterop: true, skipLibCheck: true, baseUrl: ".", paths: { "kernel-lib": [join(types, "index.d.ts")] },
    },
    include: ["exercises"],
  }));
  return new Promise((resolvePromise) => {
    const tscArgs = [`--max-old-space-size=${limits.heapMiB}`, TSC, "-p", "tsconfig.json", "--pretty", "false"];
    const prefix = hasSetpriv() ? ["setpriv", "--pdeathsig", "KILL", "--"] : [];
    const cmd = [...prefix, process.execPath, ...tscArgs];
    const child = spawn(cmd[0], cmd.slice(1), { cwd: dir, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out.length < 1_000_000 ? (out += c.toString("utf8")) : undefined));
    child.stderr.on("data", (c: Buffer) => (err.length < 100_000 ? (err += c.toString("utf8")) : undefined));
    let stoppedFor: string | null = null;
    const stop = (why: string) => {
      stoppedFor ??= why;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
    };
    const timer = setTimeout(() => stop(`the type check did not finish in ${limits.ms / 1000} s`), limits.ms);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      const errors = new Map<string, string[]>();
      const oom = /heap out of memory|Reached heap limit|Allocation failed/.test(err);
      const crash = /^(\w*Error: .*)$/m.exec(err)?.[1] ?? null;
      const failed = stoppedFor
        ?? (oom ? `the type check ran out of memory (tsc's heap is capped at ${limits.heapMiB} MiB): a type too complex to check`
          : signal ? `the type check was stopped by ${signal}`
            : code !== 0 && code !== 1 && code !== 2 ? `the type check failed (exit code ${code}): ${err.trim().split("\n").slice(-1)[0] ?? ""}`
              // tsc that throws (a stack overflow on deeply nested source) also exits with 1, as for type errors, but reports none.
              : crash !== null && !/error TS\d+/.test(out) ? `the type check crashed (${crash})` : null);
      if (failed !== null) errors.set(TYPECHECK_FAILED, [`${failed}; no type warnings are reported, and the code was still run`]);
      const lines = out.split("\n");
      for (let k = 0; k < lines.length; k++) {
        const m = /^exercises\/(\d\d-[\w-]+?)(\.stub-check)?\.ts\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(lines[k].trim());
        if (!m) continue;
        const list = errors.get(m[1]) ?? [];
        if (m[2]) {
          // The explanation is on the indented lines below: the first says which export, the last what differs.
          const more: string[] = [];
          while (k + 1 < lines.length && /^\s/.test(lines[k + 1])) more.push(lines[++k].trim());
          const detail = more.length > 0 ? `${more[0]}${more.length > 1 ? ` ${more[more.length - 1]}` : ""}` : m[6];
          list.push(`your exports do not match the stub's declared types: ${detail}`);
        } else {
          list.push(`line ${m[3]}:${m[4]} ${m[5]}: ${m[6]}`);
        }
        errors.set(m[1], list);
      }
      resolvePromise(errors);
    });
  });
}

const STUB_CHECK = ".stub-check";

let setprivKnown: boolean | undefined;
function hasSetpriv(): boolean {
  setprivKnown ??= spawnSync("setpriv", ["--pdeathsig", "KILL", "--", "true"], { stdio: "ignore" }).status === 0;
  return setprivKnown;
}
