/**
 * Reads a submission (a folder, or a zip such as `npm run submit` makes) and
 * keeps only the exercise files: `exercises/NN-topic.ts` (at any depth, or
 * `NN-topic.ts` at the top) whose name is one of the course's exercises.
 * Everything else — tests, configs, package.json, solutions, node_modules,
 * symlinks — is ignored and listed, so the report can say so.
 */
import { lstatSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { unzipSync } from "fflate";

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

/** The exercise files of a folder or zip submission. */
export function readSubmission(path: string, exerciseNames: readonly string[]): Submission {
  const exercises = new Set(exerciseNames);
  const st = lstatSync(path);
  if (st.isDirectory()) {
    const sub = collect(walkFolder(path), exercises);
    if (sub.ignoredCount > MAX_ENTRIES) sub.problems.push(`${sub.ignoredCount} files besides the exercises`);
    return sub;
  }
  if (!st.isFile()) return { files: new Map(), ignored: [], ignoredCount: 0, problems: [`${path} is neither a folder nor a zip file`] };
  if (st.size > MAX_ZIP_BYTES) return { files: new Map(), ignored: [], ignoredCount: 0, problems: [`the zip is larger than ${MAX_ZIP_BYTES / 1024 / 1024} MiB`] };
  const listed: { path: string; size: number }[] = [];
  let zipped: Record<string, Uint8Array>;
  try {
    // The filter decides from the central directory, before anything is inflated: only small exercise files are.
    zipped = unzipSync(new Uint8Array(readFileSync(path)), {
      filter: (f) => {
        listed.push({ path: f.name, size: f.originalSize });
        return listed.length <= MAX_ENTRIES && exerciseOf(f.name, exercises) !== null && f.originalSize <= MAX_FILE_BYTES && f.size <= MAX_FILE_BYTES;
      },
    });
  } catch (e) {
    return { files: new Map(), ignored: [], ignoredCount: 0, problems: [`the zip could not be read: ${(e as Error).message}`] };
  }
  const sub = collect(
    listed.filter((f) => !f.path.endsWith("/")).map((f) => ({
      path: f.path, size: f.size,
      read: () => {
        const data = zipped[f.path];
        return data !== undefined && data.length <= MAX_FILE_BYTES ? Buffer.from(data) : null;
      },
    })),
    exercises,
  );
  if (listed.length > MAX_ENTRIES) sub.problems.push(`the zip holds more than ${MAX_ENTRIES} entries; only the first were looked at`);
  return sub;
}
