/**
 * Proves that nothing of solutions/ reached a release: every distinctive line
 * of a solution body (the code between BEGIN and END SOLUTION) is looked for
 * in every file of the release, notebooks' cells and outputs included.
 *
 * "Distinctive" leaves out short lines ("return total;") and lines that the
 * course publishes anyway (the same line in kernel-lib, a lesson or a public
 * grader): those cannot give a solution away, and are listed for authors.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

const BEGIN = /^\s*\/\/ BEGIN SOLUTION/;
const END = /^\s*\/\/ END SOLUTION/;
const MIN_LENGTH = 16;

export function normalize(line: string): string {
  return line.trim().replace(/\s+/g, " ");
}

/** The lines of a text file, or of a notebook's cells and text outputs. */
export function linesOf(path: string): string[] {
  const text = readFileSync(path, "utf8");
  if (!path.endsWith(".ipynb")) return text.split("\n");
  try {
    const nb = JSON.parse(text) as { cells?: { source?: string | string[]; outputs?: { text?: string | string[]; data?: Record<string, unknown> }[] }[] };
    const join_ = (s: unknown) => (Array.isArray(s) ? s.join("") : typeof s === "string" ? s : "");
    return (nb.cells ?? []).flatMap((c) => [
      ...join_(c.source).split("\n"),
      ...(c.outputs ?? []).flatMap((o) => [join_(o.text), ...Object.values(o.data ?? {}).map(join_)].join("\n").split("\n")),
    ]);
  } catch {
    return text.split("\n");
  }
}

/** Every file under `dir` (skipping node_modules and build output). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.name === "node_modules" || d.name === ".git" || d.name === "dist") return [];
    const full = join(dir, d.name);
    return d.isDirectory() ? filesUnder(full) : d.isFile() ? [full] : [];
  });
}

/** The normalized lines inside the solution regions of `sources`. */
export function solutionBodyLines(sources: readonly string[]): Set<string> {
  const lines = new Set<string>();
  for (const text of sources) {
    let inside = false;
    for (const line of text.split("\n")) {
      if (BEGIN.test(line)) inside = true;
      else if (END.test(line)) inside = false;
      else if (inside) lines.add(normalize(line));
    }
  }
  return lines;
}

export interface Distinctive {
  lines: Set<string>;
  /** Long solution lines that the course publishes elsewhere (not a leak, but worth knowing). */
  published: string[];
}

/** The distinctive solution lines, given the solution sources and the public files the release copies from. */
export function distinctiveLines(solutionSources: readonly string[], publicFiles: readonly string[]): Distinctive {
  const body = [...solutionBodyLines(solutionSources)].filter((l) => l.length >= MIN_LENGTH && /[A-Za-z]/.test(l) && !l.startsWith("//"));
  const publicLines = new Set(publicFiles.flatMap((f) => linesOf(f).map(normalize)));
  return { lines: new Set(body.filter((l) => !publicLines.has(l))), published: body.filter((l) => publicLines.has(l)) };
}

export interface Leak {
  file: string;
  line: number;
  text: string;
}

/** Every occurrence of a distinctive line (or of a solutions/ or hidden-test file) in `dir`. */
export function findLeaks(dir: string, distinctive: Set<string>): Leak[] {
  const leaks: Leak[] = [];
  for (const file of filesUnder(dir)) {
    const rel = relative(dir, file);
    if (/(^|\/)solutions\//.test(rel) || /\.hidden\.(ts|js)$/.test(rel) || /(^|\/)grading\/hidden\//.test(rel)) {
      leaks.push({ file: rel, line: 0, text: "a solution or hidden-test file" });
      continue;
    }
    if (!/\.(ts|js|mjs|cjs|mts|json|ipynb|md|txt|html|sh)$/.test(file)) continue;
    linesOf(file).forEach((line, i) => {
      const n = normalize(line);
      if (distinctive.has(n)) leaks.push({ file: rel, line: i + 1, text: n });
    });
  }
  return leaks;
}
