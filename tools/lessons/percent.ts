/**
 * Lessons are written as TypeScript in the "percent" format (as jupytext
 * does for Python) and built into .ipynb notebooks: plain text that diffs
 * and reviews well, and that the type checker can read.
 *
 *   // %% [markdown] slide
 *   // # Batch normalization
 *   // Normalize each feature over the mini-batch: $\hat x = (x - \mu_B)/\sqrt{\sigma_B^2 + \epsilon}$.
 *
 *   // %% fragment tags=raises-exception
 *   const x = randn([4, 3]);
 *
 * A header line `// %%` starts a code cell, `// %% [markdown]` a markdown cell
 * (its lines lose their leading `// `). Options after the header: a slide
 * type (slide, subslide, fragment, skip, notes, -) for the slide builder, and
 * `tags=a,b` for cell tags.
 */
import { createHash } from "node:crypto";
import { KERNEL_DISPLAY_NAME, KERNEL_NAME } from "../course/kernelspec";
import type { Cell, Notebook } from "../notebook/notebook";

const HEADER = /^\/\/ %%(?:\s+\[(markdown|md)\])?(.*)$/;
/** How a speaker-notes cell begins in the notebooks, so students see it is not lesson text. */
export const INSTRUCTOR_NOTE = "**Instructor note.**";
const SLIDE_TYPES = new Set(["slide", "subslide", "fragment", "skip", "notes", "-"]);

export function parsePercent(source: string, file: string): Cell[] {
  const cells: Cell[] = [];
  let current: { markdown: boolean; options: string; lines: string[]; line: number } | null = null;
  const flush = () => {
    if (current) cells.push(makeCell(current.markdown, current.options, current.lines, file, current.line));
  };
  source.split("\n").forEach((line, i) => {
    const header = HEADER.exec(line);
    if (header) {
      flush();
      current = { markdown: header[1] !== undefined, options: header[2].trim(), lines: [], line: i + 1 };
    } else if (current) {
      current.lines.push(line);
    }
  });
  flush();
  // Stable cell ids (nbformat 4.5 requires them): rebuilding an unchanged lesson changes nothing.
  cells.forEach((cell, i) => {
    cell.id = createHash("sha1").update(`${file.split("/").pop()}#${i}#${cell.source}`).digest("hex").slice(0, 12);
  });
  if (cells.length === 0) throw new Error(`${file}: no cells (cells start with a line "// %%" or "// %% [markdown]")`);
  return cells;
}

function makeCell(markdown: boolean, options: string, rawLines: string[], file: string, line: number): Cell {
  const lines = trimBlankEdges(rawLines);
  const metadata: Record<string, unknown> = {};
  for (const token of options.split(/\s+/).filter(Boolean)) {
    if (SLIDE_TYPES.has(token)) metadata.slideshow = { slide_type: token };
    else if (token.startsWith("tags=")) metadata.tags = token.slice(5).split(",").filter(Boolean);
    else throw new Error(`${file}:${line}: unknown cell option "${token}" (use a slide type or tags=a,b)`);
  }
  if (!markdown) return { cell_type: "code", source: lines.join("\n"), metadata: metadata as Cell["metadata"], outputs: [], execution_count: null };
  const text = lines.map((l, k) => {
    if (l === "//" || l.startsWith("// ")) return l.slice(3);
    if (l.trim() === "") return "";
    throw new Error(`${file}:${line + k + 1}: markdown lines must start with "// "`);
  });
  // Speaker notes are cells in the notebook too, where classic Notebook shows them as prose: say whose they are.
  const isNotes = (metadata.slideshow as { slide_type?: string } | undefined)?.slide_type === "notes";
  const source = isNotes && !text[0]?.startsWith(INSTRUCTOR_NOTE) ? [`${INSTRUCTOR_NOTE} ${text[0] ?? ""}`, ...text.slice(1)] : text;
  return { cell_type: "markdown", source: source.join("\n"), metadata: metadata as Cell["metadata"] };
}

function trimBlankEdges(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === "") a++;
  while (b > a && lines[b - 1].trim() === "") b--;
  return lines.slice(a, b);
}

/**
 * A fresh notebook for the course kernel with these cells. The metadata is
 * exactly what Jupyter writes on save: the kernelspec's name and display name
 * (tools/course/kernelspec.ts) and tslab's kernel_info `language_info`
 * (tslab/dist/jupyter.js), so opening and saving a lesson adds no metadata diff.
 */
export function toNotebook(cells: Cell[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: KERNEL_NAME, display_name: KERNEL_DISPLAY_NAME, language: "typescript" },
      language_info: {
        name: "typescript", version: "3.7.2", mimetype: "text/typescript", file_extension: ".ts",
        codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
      },
    },
    cells,
  };
}
