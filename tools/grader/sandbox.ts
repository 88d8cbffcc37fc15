/**
 * A fresh sandbox per submission: a temporary folder holding a copy of the
 * course image (harness, kernel-lib, public graders — never the solutions or
 * the hidden cases) and the submission's exercise files compiled to
 * JavaScript. Each sandbox process gets a scratch folder of its own under
 * `base` (run-exercise.ts), the only place it may write. Sandbox processes may
 * read `course/` and nothing else; where they run as another uid (isolation.ts)
 * `course/` is made readable to it, and stays read-only.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Job } from "./child/harness";
import { transpile, TranspileError, type CourseImage } from "./image";
import { isolation } from "./isolation";

export interface Sandbox {
  base: string;
  courseDir: string;
  /** Exercises whose file compiled. */
  compiled: Set<string>;
  /** Exercises whose file did not compile, with the error. */
  syntaxErrors: Map<string, TranspileError>;
  /** The job for one exercise (the runner adds the nonce and where to start). */
  job(exercise: string): Omit<Job, "nonce" | "from" | "to">;
  remove(): void;
}

/** True when every folder from / down to `dir` may be entered by other users (o+x). */
function traversable(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/** Where sandboxes go: the temporary folder, or /tmp when a sandbox running as another uid could not reach that. */
function sandboxParent(): string {
  if (!isolation().otherUid || traversable(tmpdir())) return tmpdir();
  if (traversable("/tmp")) return "/tmp";
  throw new Error(`sandbox processes run as uid 65534 and cannot reach ${tmpdir()} or /tmp: make one of them world-traversable (chmod o+x on each folder above it)`);
}

export async function makeSandbox(image: CourseImage, sources: ReadonlyMap<string, string>): Promise<Sandbox> {
  const base = mkdtempSync(join(sandboxParent(), "course-grade-"));
  const courseDir = join(base, "course");
  mkdirSync(join(courseDir, "tests"), { recursive: true });
  mkdirSync(join(courseDir, "exercises"), { recursive: true });
  // mkdtemp makes `base` private to the grader; a sandbox running as another uid must be able to enter it and read course/.
  if (isolation().otherUid) chmodSync(base, 0o755);
  for (const f of ["harness.js", "kernel-lib.js", "support.js"]) copyFileSync(join(image.dir, f), join(courseDir, f));
  for (const f of readdirSync(join(image.dir, "tests"))) copyFileSync(join(image.dir, "tests", f), join(courseDir, "tests", f));
  const compiled = new Set<string>();
  const syntaxErrors = new Map<string, TranspileError>();
  for (const [name, source] of sources) {
    try {
      writeFileSync(join(courseDir, "exercises", `${name}.js`), await transpile(source, `exercises/${name}.ts`));
      compiled.add(name);
    } catch (e) {
      if (!(e instanceof TranspileError)) throw e;
      syntaxErrors.set(name, e);
    }
  }
  const exercises = Object.fromEntries([...compiled].map((n) => [n, join(courseDir, "exercises", `${n}.js`)]));
  return {
    base, courseDir, compiled, syntaxErrors,
    job: (exercise) => ({
      exercise,
      kernelLib: join(courseDir, "kernel-lib.js"),
      support: join(courseDir, "support.js"),
      testBundle: join(courseDir, "tests", `${exercise}.test.js`),
      exercises,
      hiddenSource: image.hidden[exercise] ?? null,
      inPlace: image.inPlace,
    }),
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
