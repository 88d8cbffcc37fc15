// Instructor notes (slide type "notes" or tag "instructor") never reach the student release.
import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findInstructorLeaks, instructorLines, isInstructorCell, studentNotebook } from "../../../tools/release/instructor-notes";
import { cellsOf, lessonSources } from "../../../tools/lessons/build";
import { toNotebook } from "../../../tools/lessons/percent";

const note = "If students ask which seed is right, tell them every seed is a sample.";
const notebook = JSON.stringify({
  nbformat: 4, nbformat_minor: 5, metadata: {},
  cells: [
    { cell_type: "markdown", metadata: {}, source: "# Lesson" },
    { cell_type: "markdown", metadata: { slideshow: { slide_type: "notes" } }, source: note },
    { cell_type: "markdown", metadata: { tags: ["instructor"] }, source: "The answer to question 2 is the learning rate, not the optimizer." },
    { cell_type: "code", metadata: { slideshow: { slide_type: "fragment" } }, source: "1 + 1", outputs: [], execution_count: 1 },
  ],
});

describe("instructor notes", () => {
  it("are the cells of slide type notes or tagged instructor", () => {
    const cells = (JSON.parse(notebook) as { cells: Parameters<typeof isInstructorCell>[0][] }).cells;
    expect(cells.map(isInstructorCell)).toEqual([false, true, true, false]);
  });

  it("are dropped from the student's notebook, and nothing else is", () => {
    const student = JSON.parse(studentNotebook(notebook)) as { cells: { source: string }[] };
    expect(student.cells.map((c) => c.source)).toEqual(["# Lesson", "1 + 1"]);
  });

  it("are found by the leak check in a notebook and, by their text, in any other file", () => {
    const dir = mkdtempSync(join(tmpdir(), "notes-"));
    const source = join(dir, "course.ipynb");
    writeFileSync(source, notebook);
    const out = join(dir, "release");
    mkdirSync(out);
    writeFileSync(join(out, "clean.ipynb"), studentNotebook(notebook));
    expect(findInstructorLeaks(out, instructorLines([source]))).toEqual([]);
    writeFileSync(join(out, "copied.ipynb"), notebook);
    writeFileSync(join(out, "notes.md"), `Speaker notes\n\n${note}\n`);
    expect(findInstructorLeaks(out, instructorLines([source])).sort()).toEqual([
      'copied.ipynb contains an instructor note: "If students ask which seed is right, tell them every seed is a sample."',
      'copied.ipynb still holds 2 instructor cell(s) (slide type "notes" or tag "instructor")',
      'notes.md contains an instructor note: "If students ask which seed is right, tell them every seed is a sample."',
    ]);
  });

  it("every lesson's notes cells are stripped from its student version", () => {
    for (const source of lessonSources()) {
      const text = JSON.stringify(toNotebook(cellsOf(source)));
      const left = (JSON.parse(studentNotebook(text)) as { cells: Parameters<typeof isInstructorCell>[0][] }).cells.filter(isInstructorCell).length;
      expect(left, source).toBe(0);
    }
  });
});
