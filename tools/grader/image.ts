/**
 * The course image: everything a sandbox needs except the student's files,
 * compiled once to plain CommonJS and cached by content hash under
 * node_modules/.cache/course-grader:
 *
 *   harness.js        the sandbox process (tools/grader/child)
 *   unzip.js          the zip reader's process (unzip-worker.ts)
 *   kernel-lib.js     kernel-lib's sources in one file
 *   support.js        exercises/support.ts
 *   tests/NN.test.js  each public grader, its imports of vitest, ./grading,
 *                     kernel-lib and @exercise/* left for the harness to provide
 *
 * plus the hidden cases (compiled, kept in memory: they are handed to a
 * sandbox on stdin and never written into it). Compiling with esbuild, as
 * Vitest does, keeps the semantics of the two paths the same.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { build, transform, type Plugin } from "esbuild";
import { inPlaceParameters, type InPlaceTable } from "./signatures";

export const root = resolve(__dirname, "../..");

export interface CourseImage {
  dir: string;
  hash: string;
  /** Exercise names in order, e.g. "04-batch-normalization". */
  exercises: string[];
  /** Compiled hidden cases per exercise (null when an exercise has none). */
  hidden: Record<string, string | null>;
  /** Per exercise, which parameters of its functions the stub declares writable (signatures.ts). */
  inPlace: Record<string, InPlaceTable>;
}

const TARGET = "node20";

/** Every file whose content decides the image. */
function inputs(): string[] {
  const walk = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : []))
      : [];
  return [
    ...walk(join(root, "kernel-lib/src")),
    ...walk(join(root, "test/exercises")),
    ...walk(join(root, "tools/grader/child")),
    join(root, "tools/grader/hidden-api.ts"),
    join(root, "tools/grader/image.ts"),
    join(root, "tools/grader/submission.ts"),
    join(root, "tools/grader/zip.ts"),
    join(root, "tools/grader/unzip-worker.ts"),
    ...walk(join(root, "grading/hidden")),
    join(root, "exercises/support.ts"),
    join(root, "tsconfig.json"),
    join(root, "node_modules/esbuild/package.json"),
  ].sort();
}

export function exerciseNames(): string[] {
  return readdirSync(join(root, "solutions"))
    .filter((f) => /^\d\d-.*\.ts$/.test(f))
    .sort()
    .map((f) => f.replace(/\.ts$/, ""));
}

function contentHash(files: string[]): string {
  const h = createHash("sha256");
  for (const f of files) h.update(relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  return h.digest("hex").slice(0, 16);
}

/** Leaves the listed import paths to the harness's `require`. */
function externals(filter: RegExp): Plugin {
  return { name: "harness-provided", setup: (b) => b.onResolve({ filter }, (args) => ({ path: args.path, external: true })) };
}

async function bundle(entry: string, outfile: string, plugins: Plugin[], alias: Record<string, string> = {}): Promise<void> {
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: "node", format: "cjs", target: TARGET,
    plugins, alias, logLevel: "silent", tsconfig: join(root, "tsconfig.json"), legalComments: "none",
  });
}

/** Builds the image (or finds it in the cache). */
export async function courseImage(): Promise<CourseImage> {
  const exercises = exerciseNames();
  const hash = contentHash(inputs());
  const cacheRoot = join(root, "node_modules/.cache/course-grader");
  const dir = join(cacheRoot, `image-${hash}`);
  if (!existsSync(join(dir, "complete"))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, "tests"), { recursive: true });
    mkdirSync(join(tmp, "hidden"), { recursive: true });
    await bundle(join(root, "tools/grader/child/harness.ts"), join(tmp, "harness.js"), [], { vitest: join(root, "tools/grader/child/test-api.ts") });
    await bundle(join(root, "kernel-lib/src/index.ts"), join(tmp, "kernel-lib.js"), []);
    await bundle(join(root, "tools/grader/unzip-worker.ts"), join(tmp, "unzip.js"), []);
    writeFileSync(join(tmp, "support.js"), await transpile(readFileSync(join(root, "exercises/support.ts"), "utf8"), "support.ts"));
    const provided = externals(/^(vitest|\.\/grading|kernel-lib|@exercise\/.*)$/);
    for (const name of exercises) {
      await bundle(join(root, `test/exercises/${name}.test.ts`), join(tmp, `tests/${name}.test.js`), [provided]);
      const hiddenEntry = join(root, `grading/hidden/${name}.hidden.ts`);
      if (existsSync(hiddenEntry)) await bundle(hiddenEntry, join(tmp, `hidden/${name}.hidden.js`), [provided]);
    }
    writeFileSync(join(tmp, "complete"), new Date().toISOString());
    try {
      renameSync(tmp, dir); // atomic: another grader process sees all of it or nothing
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process finished first: use its image
    }
  }
  const hidden: Record<string, string | null> = {};
  for (const name of exercises) {
    const file = join(dir, `hidden/${name}.hidden.js`);
    hidden[name] = existsSync(file) ? readFileSync(file, "utf8") : null;
  }
  const inPlace: Record<string, InPlaceTable> = {};
  for (const name of exercises) {
    const stub = join(root, "exercises", `${name}.ts`);
    inPlace[name] = existsSync(stub) ? inPlaceParameters(readFileSync(stub, "utf8")) : {};
  }
  return { dir, hash, exercises, hidden, inPlace };
}

/** A syntax error in a submitted file, with its position. */
export class TranspileError extends Error {
  constructor(readonly file: string, readonly line: number, readonly column: number, detail: string) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = "TranspileError";
  }
}

/** TypeScript → CommonJS without type checking (type errors are reported separately, as warnings). */
export async function transpile(source: string, file: string): Promise<string> {
  try {
    const out = await transform(source, {
      loader: "ts", format: "cjs", target: TARGET, sourcefile: file,
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, strict: true } },
    });
    return out.code;
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0];
    if (first) throw new TranspileError(file, first.location?.line ?? 0, (first.location?.column ?? 0) + 1, first.text);
    throw e;
  }
}

