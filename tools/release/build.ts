/**
 * `npm run release -- --out DIR` builds what students receive:
 *   notebooks/*.ipynb (with their outputs, without instructor notes:
 *   instructor-notes.ts), exercises/ (stubs generated from
 *   solutions/ now, plus support.ts), kernel-lib/ (sources), the public
 *   graders in test/exercises/, the tools behind the release's own scripts
 *   (start, notebooks, check, submit), a package.json, tsconfig.json and
 *   vitest.config.mts in which "@exercise/NN" is always the student's file,
 *   and the README without the authors' and graders' sections.
 * Never: solutions/, grading/ (hidden cases, grader config), tools/grader.
 * Then it proves it: every script's tool and every relative import ships, no
 * public grader imports a solution, and no distinctive line of a solution
 * body appears anywhere in the release (leak-check.ts).
 *
 * `npm run release -- --autograder --out DIR` writes DIR/autograder.zip for
 * Gradescope instead (see autograder.ts).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { expectedStubs } from "../exercises/generate";
import { buildAutograder } from "./autograder";
import { distinctiveLines, filesUnder, findLeaks, type Leak } from "./leak-check";
import { findInstructorLeaks, instructorLines, studentNotebook } from "./instructor-notes";
import { releaseConfigFiles, releaseReadme } from "./release-files";

export const root = resolve(__dirname, "../..");

/** What is copied from the course, as paths relative to its root (folders are copied whole). */
export const SHIPPED = [
  "kernel-lib/src", "kernel-lib/scripts", "kernel-lib/wasm", "kernel-lib/weights", "kernel-lib/package.json", "kernel-lib/README.md", "kernel-lib/tsconfig.build.json",
  "tools/course", "tools/run-main.ts", "tools/notebook", "tools/exercises/check.ts", "tools/release/submit.ts",
  "tools/exercises/check-run.ts", "tools/exercises/check-report.ts", "tools/exercises/check-reporter.ts", "tools/exercises/vitest-check.config.ts", "notebooks/check.ts",
  "test/exercises/grading.ts", "test/exercises/grading-core.ts", "test/exercises/points-reporter.ts",
  "test/exercises/feedback.ts", "test/exercises/contracts.ts", "test/exercises/forbidden.ts", "test/exercises/shortcuts.ts", "test/exercises/reference-batch-norm.ts", "test/exercises/submission.ts", "test/exercises/digits-7x7.json",
  "exercises/support.ts",
];

export interface ReleaseReport {
  out: string;
  files: number;
  distinctiveLines: number;
  /** Long solution lines that the course also publishes (lessons, kernel-lib): not leaks. */
  published: string[];
  leaks: Leak[];
  problems: string[];
}

function publicGraders(): string[] {
  return readdirSync(join(root, "test/exercises")).filter((f) => /^\d\d-.*\.test\.ts$/.test(f)).sort();
}

/** Relative imports of every shipped .ts file must resolve inside the release; every script's tool must ship. */
function checkClosure(out: string, pkg: { scripts: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }): string[] {
  const problems: string[] = [];
  for (const file of filesUnder(out).filter((f) => /\.(ts|mts)$/.test(f) && !f.endsWith(".d.ts"))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from|import|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = resolve(dirname(file), m[1]);
      const candidates = [target, `${target}.ts`, `${target}.mts`, `${target}.js`, `${target}.cjs`, `${target}.json`, join(target, "index.ts")];
      if (!candidates.some((c) => existsSync(c))) problems.push(`${relative(out, file)} imports ${m[1]}, which the release does not ship`);
    }
  }
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {}), "kernel-lib"]);
  for (const file of filesUnder(out).filter((f) => /\.(ts|mts)$/.test(f) && !f.startsWith(join(out, "kernel-lib")))) {
    for (const m of readFileSync(file, "utf8").matchAll(/(?:from|import|require\()\s*["']([^."'][^"']*)["']/g)) {
      const spec = m[1];
      if (spec.startsWith("node:") || spec.startsWith("@exercise/")) continue;
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      if (!declared.has(name)) problems.push(`${relative(out, file)} imports ${spec}, which the release's package.json does not declare`);
    }
  }
  for (const [name, command] of Object.entries(pkg.scripts)) {
    for (const m of command.matchAll(/(?:tsx|node)\s+(?:--\S+\s+\S+\s+)?((?:tools|kernel-lib)\/\S+)/g)) {
      if (!existsSync(join(out, m[1]))) problems.push(`script "${name}" runs ${m[1]}, which the release does not ship`);
    }
  }
  return problems;
}

/** Public graders must not import the reference solutions (their expected values would give them away). */
function checkGraders(): string[] {
  return publicGraders().flatMap((f) => {
    const text = readFileSync(join(root, "test/exercises", f), "utf8");
    return /from\s+["'][^"']*(solutions\/|@solution)/.test(text) ? [`test/exercises/${f} imports solutions/: compute its expected values independently`] : [];
  });
}

export function buildRelease(out: string, options: { force?: boolean } = {}): ReleaseReport {
  out = resolve(out);
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!options.force) throw new Error(`${out} is not empty (pass --force to replace it)`);
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  const problems = checkGraders();

  for (const path of SHIPPED) cpSync(join(root, path), join(out, path), { recursive: true, filter: (src) => !/(^|\/)(node_modules|dist)(\/|$)/.test(relative(root, src)) });
  mkdirSync(join(out, "notebooks"), { recursive: true });
  // Notebooks ship without their instructor notes (slide type "notes" or tag "instructor").
  const notebookFiles = readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb"));
  for (const f of notebookFiles) writeFileSync(join(out, "notebooks", f), studentNotebook(readFileSync(join(root, "notebooks", f), "utf8")));
  for (const f of publicGraders()) cpSync(join(root, "test/exercises", f), join(out, "test/exercises", f));
  for (const { name, stub } of expectedStubs()) writeFileSync(join(out, "exercises", name), stub);

  const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
  const generated = releaseConfigFiles(rootPkg, readFileSync(join(root, "tsconfig.json"), "utf8"));
  for (const [path, text] of Object.entries(generated)) writeFileSync(join(out, path), text);
  const readme = releaseReadme(readFileSync(join(root, "README.md"), "utf8"));
  writeFileSync(join(out, "README.md"), readme.text);
  problems.push(...readme.problems);
  problems.push(...checkClosure(out, JSON.parse(generated["package.json"]) as Parameters<typeof checkClosure>[1]));

  const solutionSources = readdirSync(join(root, "solutions")).filter((f) => f.endsWith(".ts")).map((f) => readFileSync(join(root, "solutions", f), "utf8"));
  const publicFiles = [...SHIPPED.flatMap((p) => (existsSync(join(root, p)) && !p.endsWith(".ts") && !p.endsWith(".json") && !p.endsWith(".md") ? filesUnder(join(root, p)) : [join(root, p)])),
    ...readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).map((f) => join(root, "notebooks", f)),
    ...publicGraders().map((f) => join(root, "test/exercises", f))].filter((f) => existsSync(f));
  const distinctive = distinctiveLines(solutionSources, publicFiles);
  const leaks = findLeaks(out, distinctive.lines);
  problems.push(...findInstructorLeaks(out, instructorLines(notebookFiles.map((f) => join(root, "notebooks", f)))));
  return { out, files: filesUnder(out).length, distinctiveLines: distinctive.lines.size, published: distinctive.published, leaks, problems };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" }, force: { type: "boolean" }, autograder: { type: "boolean" } } });
  if (!values.out) {
    console.error("usage: npm run release -- --out DIR [--force]     (students' release)\n       npm run release -- --autograder --out DIR   (Gradescope's autograder.zip)");
    process.exit(2);
  }
  if (values.autograder) {
    const zip = buildAutograder(resolve(values.out));
    console.log(`wrote ${zip}: upload it as the Gradescope autograder (setup.sh, run_autograder, source/)`);
    return;
  }
  const report = buildRelease(values.out, { force: values.force });
  console.log(`release written to ${report.out}: ${report.files} files`);
  console.log(`leak check: ${report.distinctiveLines} distinctive solution lines looked for, ${report.leaks.length} found`);
  if (report.published.length > 0) console.log(`note: ${report.published.length} long solution lines also appear in lessons, kernel-lib or the public graders (published on purpose?)`);
  for (const leak of report.leaks.slice(0, 20)) console.error(`LEAK ${leak.file}:${leak.line}: ${leak.text}`);
  for (const p of report.problems) console.error(`PROBLEM ${p}`);
  if (report.leaks.length > 0 || report.problems.length > 0) process.exit(1);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
