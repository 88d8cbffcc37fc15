import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { lessonSources, notebookPathFor, notebooksDir, staleLessons, cellsOf } from "../../../tools/lessons/build";
import { readNotebook } from "../../../tools/notebook/notebook";
import { executeNotebook } from "../../../tools/notebook/run-notebook";
import { toNotebook } from "../../../tools/lessons/percent";
import { createMarkdown } from "../../../tools/course/render-markdown";
import { fillQuotes } from "../../../tools/lessons/quotes";

const lessons = lessonSources();
const SLIDE_TYPES = ["slide", "subslide", "fragment", "skip", "notes", "-"];

describe("the lessons", () => {
  it("there are eleven, each with exercises, a solution and a grader", () => {
    expect(lessons.map((f) => basename(f).slice(0, 2))).toEqual(["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"]);
  });

  it("every committed notebook matches its source (run `npm run lessons -- NN` if not)", async () => {
    expect(await staleLessons()).toEqual([]);
  });

  it("committed notebooks carry outputs, no errors, and slide metadata", async () => {
    for (const source of lessons) {
      const nb = await readNotebook(notebookPathFor(source));
      const name = basename(source);
      const code = nb.cells.filter((c) => c.cell_type === "code");
      expect(code.every((c) => c.cell_type === "code" && c.execution_count !== null), `${name}: every code cell executed`).toBe(true);
      const raw = readFileSync(notebookPathFor(source), "utf8");
      expect(raw.includes('"output_type": "error"'), `${name} holds an error output`).toBe(false);
      const unfilled = nb.cells.filter((c) => c.cell_type === "markdown" && /\{\{[A-Za-z]\w*\}\}/.test(String(c.source)));
      expect(unfilled.map((c) => String(c.source).slice(0, 80)), `${name}: quoted results left unfilled (build with npm run lessons)`).toEqual([]);
      expect((nb.cells[0].metadata.slideshow as { slide_type?: string } | undefined)?.slide_type, `${name}: first cell starts a slide`).toBe("slide");
      const slides = nb.cells.filter((c) => (c.metadata.slideshow as { slide_type?: string } | undefined)?.slide_type === "slide").length;
      expect(slides, `${name}: a deck needs several slides`).toBeGreaterThanOrEqual(4);
      for (const c of nb.cells) {
        const t = (c.metadata.slideshow as { slide_type?: string } | undefined)?.slide_type;
        if (t !== undefined) expect(SLIDE_TYPES).toContain(t);
      }
      const charts = raw.split('"application/vnd.vegalite.v5+json"').length - 1;
      expect(charts, `${name}: lessons show charts`).toBeGreaterThan(0);
      expect(raw.split('"image/svg+xml"').length - 1, `${name}: every chart has its static SVG`).toBeGreaterThanOrEqual(charts);
    }
  });

  it("every formula in the lessons renders with KaTeX", () => {
    const md = createMarkdown();
    for (const source of lessons) {
      for (const cell of cellsOf(source).filter((c) => c.cell_type === "markdown")) {
        const html = md.render(cell.source);
        const error = /katex-error" title="([^"]*)"/.exec(html);
        expect(error?.[1], `${basename(source)}: ${cell.source.slice(0, 80)}`).toBeUndefined();
      }
    }
  });

  // The whole course, executed fresh from the sources by the headless runner
  // with the pristine exercise stubs, two lessons at a time.
  it("every lesson executes without error", async () => {
    const started = Date.now();
    const queue = [...lessons];
    const failures: string[] = [];
    const times: string[] = [];
    const worker = async () => {
      for (let source = queue.shift(); source !== undefined; source = queue.shift()) {
        const t0 = Date.now();
        const cells: [number, number][] = [];
        const result = await executeNotebook(toNotebook(cellsOf(source)), {
          cwd: notebooksDir, label: basename(source), cellTimeoutMs: 180_000, onCellFinished: (cell, ms) => cells.push([cell, ms]),
        });
        const slowest = cells.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([cell, ms]) => `cell ${cell} ${(ms / 1000).toFixed(1)} s`);
        times.push(`${basename(source)} ${((Date.now() - t0) / 1000).toFixed(1)} s (slowest: ${slowest.join(", ")})`);
        if (result.failure) failures.push(`${basename(source)}: ${result.failure.message}`);
        // Every {{name}} the text quotes is a value this fresh run published, and every published value is quoted.
        else failures.push(...(await fillQuotes(result.notebook, basename(source))).map((p) => p.message));
      }
    };
    await Promise.all([worker(), worker()]);
    console.log(`course executed in ${((Date.now() - started) / 1000).toFixed(1)} s (two at a time):\n  ${times.sort().join("\n  ")}`);
    expect(failures).toEqual([]);
  }, 900_000);
});
