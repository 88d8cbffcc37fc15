/**
 * Instructor notes stay out of the student release. A lesson cell is an
 * instructor note when its slide type is `notes` (the speaker notes of the
 * decks) or it carries the tag `instructor` (`// %% [markdown] notes` or
 * `// %% [markdown] - tags=instructor` in the lesson source). Such cells can
 * answer the lesson's own questions ("if students ask which seed is right…"),
 * so the release drops them from every notebook, and the leak check looks for
 * their text anywhere in the release.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { filesUnder, linesOf, normalize } from "./leak-check";

export const INSTRUCTOR_TAG = "instructor";

/** Lines shorter than this are too common to prove a leak ("Ask the class."). */
const MIN_LENGTH = 30;

interface NotebookCell {
  cell_type: string;
  source?: string | string[];
  metadata?: { slideshow?: { slide_type?: string }; tags?: string[] };
}

export function isInstructorCell(cell: NotebookCell): boolean {
  return cell.metadata?.slideshow?.slide_type === "notes" || (cell.metadata?.tags ?? []).includes(INSTRUCTOR_TAG);
}

/** The notebook JSON text without its instructor cells (formatting as the course writes notebooks: 1-space indent). */
export function studentNotebook(text: string): string {
  const nb = JSON.parse(text) as { cells: NotebookCell[] };
  nb.cells = nb.cells.filter((c) => !isInstructorCell(c));
  return `${JSON.stringify(nb, null, 1)}\n`;
}

/** The distinctive normalized lines of the instructor cells of these notebooks. */
export function instructorLines(notebookPaths: readonly string[]): Set<string> {
  const lines = new Set<string>();
  for (const path of notebookPaths) {
    const nb = JSON.parse(readFileSync(path, "utf8")) as { cells: NotebookCell[] };
    for (const cell of nb.cells.filter(isInstructorCell)) {
      const source = Array.isArray(cell.source) ? cell.source.join("") : (cell.source ?? "");
      for (const line of source.split("\n").map(normalize)) if (line.length >= MIN_LENGTH) lines.add(line);
    }
  }
  return lines;
}

/** Instructor cells left in the release's notebooks, and instructor lines found in any of its files. */
export function findInstructorLeaks(out: string, lines: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const file of filesUnder(out)) {
    const rel = relative(out, file);
    if (file.endsWith(".ipynb")) {
      const cells = (JSON.parse(readFileSync(file, "utf8")) as { cells: NotebookCell[] }).cells;
      const kept = cells.filter(isInstructorCell).length;
      if (kept > 0) problems.push(`${rel} still holds ${kept} instructor cell(s) (slide type "notes" or tag "${INSTRUCTOR_TAG}")`);
    }
    if (!/\.(ipynb|md|html|txt|ts|js|json)$/.test(file)) continue;
    const found = linesOf(file).map(normalize).find((line) => lines.has(line));
    if (found !== undefined) problems.push(`${rel} contains an instructor note: "${found.slice(0, 80)}"`);
  }
  return problems;
}
