/**
 * Reads a submission (a folder, or a zip such as `npm run submit` makes) and
 * keeps only the exercise files: `exercises/NN-topic.ts` (at any depth, or
 * `NN-topic.ts` at the top) whose name is one of the course's exercises.
 * Everything else — tests, configs, package.json, solutions, node_modules,
 * symlinks — is ignored and listed, so the report can say so.
 *
 * A zip is untrusted input (zip.ts): crafted zips are refused, and only the
 * small exercise files are inflated. The grader reads zips in a child
 * process with a clock and a memory cap (`unzip-worker.ts`), so no zip can
 * stall it.
 */
import { spawnSync } from "node:child_process";
import { lstatSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { listZip, readEntry, ZipRefused } from "./zip";

export interface Submission {
  /** exercise name → TypeScript source. */
  files: Map<string, string>;
  /** Paths that were not taken (capped at 200 entries; `ignoredCount` has the total). */
  ignored: string[];
  ignoredCount: number;
  /** Problems with the submission itself (too large, unreadable zip, duplicate exercise files). */
  problems: string[];
}

const MAX_FILE_BYTES = 512 * 1024;
const MAX_ZIP_BYTES = 50 * 1024 * 1024;
const MAX_ENTRIES = 20_000;
const MAX_IGNORED_LISTED = 200;
/** All exercise files together: what a zip may make the grader inflate. */
const MAX_TOTAL_INFLATED = 16 * 1024 * 1024;
/** The time and heap a zip may take to read. */
export const UNZIP_LIMITS = { ms: 10_000, heapMiB: 256 };

/** Which exercise a submitted path is, or null. */
function exerciseOf(path: string, exercises: ReadonlySet<string>): string | null {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  const file = parts[parts.length - 1] ?? "";
  const m = /^(\d\d-[\w-]+)\.ts$/.exec(file);
  if (!m || !exercises.has(m[1])) return null;
  const parent = parts[parts.length - 2];
  return parts.length === 1 || parent === "exercises" ? m[1] : null;
}

function collect(entries: Iterable<{ path: string; read: () => Buffer | null; size: number }>, exercises: ReadonlySet<string>): Submission {
  const sub: Submission = { files: new Map(), ignored: [], ignoredCount: 0, problems: [] };
  const ignore = (path: string, why?: string) => {
    sub.ignoredCount++;
    if (sub.ignored.length < MAX_IGNORED_LISTED) sub.ignored.push(why ? `${path} (${why})` : path);
  };
  for (const entry of entries) {
    const name = exerciseOf(entry.path, exercises);
    if (name === null) {
      ignore(entry.path);
      continue;
    }
    if (entry.size > MAX_FILE_BYTES) {
      ignore(entry.path, `larger than ${MAX_FILE_BYTES / 1024} KiB`);
      continue;
    }
    if (sub.files.has(name)) {
      sub.problems.push(`more than one file for exercise ${name}: ${entry.path} was not used`);
      ignore(entry.path, "duplicate");
      continue;
    }
    const bytes = entry.read();
    if (bytes === null) {
      ignore(entry.path, "not a regular file");
      continue;
    }
    sub.files.set(name, bytes.toString("utf8"));
  }
  return sub;
}

/** Regular files under `dir` (symlinks are listed as ignored, never followed). */
function* walkFolder(dir: string, base = dir): Generator<{ path: string; read: () => Buffer | null; size: number }> {
  for (const d of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, d.name);
    const rel = relative(base, full).split("\\").join("/");
    if (d.isDirectory()) {
      if (d.name === "node_modules" || d.name === ".git") yield { path: `${rel}/`, read: () => null, size: 0 };
      else yield* walkFolder(full, base);
    } else {
      const st = lstatSync(full);
      yield { path: rel, size: st.size, read: () => (st.isFile() ? readFileSync(full) : null) };
    }
  }
}

/** The exercise files of a folder or zip submission; a zip is read in a time-limited child when `unzipWorker` (the bundled unzip-worker.ts) is given. */
export function readSubmission(path: string, exerciseNames: readonly string[], unzipWorker?: string): Submission {
  const exercises = new Set(exerciseNames);
  const st = lstatSync(path);
  if (st.isDirectory()) {
    const sub = collect(walkFolder(path), exercises);
    if (sub.ignoredCount > MAX_ENTRIES) sub.problems.push(`${sub.ignoredCount} files besides the exercises`);
    return sub;
  }
  const refused = (why: string): Submission => ({ files: new Map(), ignored: [], ignoredCount: 0, problems: [why] });
  if (!st.isFile()) return refused(`${path} is neither a folder nor a zip file`);
  if (st.size > MAX_ZIP_BYTES) return refused(`the zip is larger than ${MAX_ZIP_BYTES / 1024 / 1024} MiB`);
  if (unzipWorker === undefined) return readZip(path, exerciseNames);
  const r = spawnSync(process.execPath, [`--max-old-space-size=${UNZIP_LIMITS.heapMiB}`, unzipWorker, path], {
    input: JSON.stringify(exerciseNames), encoding: "utf8", timeout: UNZIP_LIMITS.ms, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const why = r.signal === "SIGKILL" ? `reading it took more than ${UNZIP_LIMITS.ms / 1000} s` : /heap out of memory/.test(r.stderr) ? `reading it needed more than ${UNZIP_LIMITS.heapMiB} MiB` : `the zip reader failed (${r.stderr.trim().split("\n").slice(-1)[0] ?? r.status})`;
    return refused(`the zip could not be read: ${why}`);
  }
  const parsed = JSON.parse(r.stdout) as Omit<Submission, "files"> & { files: [string, string][] };
  return { ...parsed, files: new Map(parsed.files) };
}

/** Reads a zip submission in this process (unzip-worker.ts calls this). */
export function readZip(path: string, exerciseNames: readonly string[]): Submission {
  const exercises = new Set(exerciseNames);
  const buf = readFileSync(path);
  let entries;
  try {
    entries = listZip(buf, MAX_ENTRIES);
  } catch (e) {
    if (e instanceof ZipRefused) return { files: new Map(), ignored: [], ignoredCount: 0, problems: [`the zip could not be read: ${e.message}`] };
    throw e;
  }
  let inflated = 0;
  const problems: string[] = [];
  const sub = collect(
    entries.filter((f) => !f.name.endsWith("/")).map((f) => ({
      path: f.name, size: f.size,
      read: () => {
        // A link's data is a path (say, to the solutions): never taken as the exercise's source.
        if (f.symlink) return null;
        if (f.size > MAX_FILE_BYTES || inflated + f.size > MAX_TOTAL_INFLATED) return null;
        try {
          const data = readEntry(buf, f);
          inflated += data.length;
          return data;
        } catch (e) {
          if (!(e instanceof ZipRefused)) throw e;
          problems.push(e.message);
          return null;
        }
      },
    })),
    exercises,
  );
  sub.problems.push(...problems);
  return sub;
}
