/**
 * The committed notebooks equal a fresh execution: two short lessons are
 * re-executed from their sources with the headless runner and their outputs
 * compared with the committed notebooks' (test/helpers/notebook-outputs.ts:
 * text and chart data within a float32 tolerance, REL_TOL relative or ABS_TOL
 * absolute; images not compared). When this fails, the engine changed what a
 * lesson prints: rebuild the notebooks with `npm run lessons` and commit them.
 */
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { cellsOf, lessonSources, notebookPathFor, notebooksDir } from "../../../tools/lessons/build";
import { toNotebook } from "../../../tools/lessons/percent";
import { fillQuotes } from "../../../tools/lessons/quotes";
import { type Notebook, readNotebook } from "../../../tools/notebook/notebook";
import { executeNotebook } from "../../../tools/notebook/run-notebook";
import { closeNumbers, jsonDifference, notebookOutputDifferences, textDifference } from "../../helpers/notebook-outputs";

// The two shortest lessons to execute (about 15 s each), between them a table, streams and ten charts.
const FRESH = ["02", "04"];

describe("committed notebooks equal a fresh execution", () => {
  it.each(FRESH)("lesson %s", async (prefix) => {
    const [source] = lessonSources([prefix]);
    const result = await executeNotebook(toNotebook(cellsOf(source)), { cwd: notebooksDir, label: basename(source), cellTimeoutMs: 180_000 });
    expect(result.failure?.message ?? null).toBeNull();
    // As the lesson builder does: quoted results go into the text and their hidden outputs away.
    expect(await fillQuotes(result.notebook, basename(source))).toEqual([]);
    const committed = await readNotebook(notebookPathFor(source));
    const differences = notebookOutputDifferences(committed, result.notebook);
    expect(differences, `${basename(source)} differs from a fresh run; rebuild it: npm run lessons -- ${prefix}`).toEqual([]);
  }, 300_000);
});

describe("the comparison (test/helpers/notebook-outputs.ts)", () => {
  it("tolerates float32 noise, not a changed value", () => {
    expect(closeNumbers(2.2063355922698973, 2.2063356041908264)).toBe(true); // one float32 ulp apart
    expect(closeNumbers(0.7661, 0.7662)).toBe(true); // a printed last digit flipping
    expect(closeNumbers(0.76, 0.77)).toBe(false);
    expect(closeNumbers(NaN, NaN)).toBe(true);
    expect(closeNumbers(NaN, 0)).toBe(false);
  });

  it("compares text by its words and its numbers", () => {
    expect(textDifference("loss 0.2395 after 3 epochs", "loss 0.2396 after 3 epochs")).toBeNull();
    expect(textDifference("loss 0.2395 after 3 epochs", "loss 0.2495 after 3 epochs")).toBe("number 0.2395 became 0.2495");
    expect(textDifference("loss 0.2395 after 3 epochs", "loss 0.2395 after 4 epochs")).toBe("number 3 became 4");
    expect(textDifference("train 0.2", "test 0.2")).toMatch(/text differs/);
    // A progress display's clock times the machine, not the lesson.
    expect(textDifference("epoch 3/3 · 0:00 elapsed · done loss 0.51", "epoch 3/3 · 0:07 elapsed · done loss 0.51")).toBeNull();
    expect(textDifference("epoch 2/3 · 0:00 elapsed · ETA 0:01", "epoch 2/3 · 1:02:00 elapsed · ETA 0:31")).toBeNull();
    expect(textDifference("epoch 3/3 · 0:00 elapsed · done loss 0.51", "epoch 2/3 · 0:00 elapsed · done loss 0.51")).toBe("number 3 became 2");
  });

  it("compares chart data values and finds a changed one, ignoring the drawn SVG", () => {
    const nb = (value: number, svg: string): Notebook => ({
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [{ cell_type: "code", source: "", metadata: {}, execution_count: 1, outputs: [{
        output_type: "display_data", metadata: {},
        data: { "application/vnd.vegalite.v5+json": { data: { values: [{ x: 1, y: value }] } }, "image/svg+xml": svg, "text/plain": "chart" },
      }] }],
    });
    expect(notebookOutputDifferences(nb(1.5, "<svg a/>"), nb(1.5000001, "<svg b/>"))).toEqual([]);
    expect(notebookOutputDifferences(nb(1.5, "<svg/>"), nb(1.6, "<svg/>"))).toEqual([
      "cell 1, output 1: application/vnd.vegalite.v5+json: $.data.values[0].y: 1.5 became 1.6",
    ]);
    expect(jsonDifference({ a: [1, 2] }, { a: [1] })).toBe("$.a: 2 items became 1");
  });
});
