// Quoted results: the lesson text's {{name}} placeholders are filled from the
// values the code cells publish with quote(), so prose and outputs cannot drift.
import { describe, expect, it } from "vitest";
import { QUOTE_MIME as ENGINE_MIME, formatMeanSd, meanSd, quote, quoteTexts, withinNoise } from "kernel-lib";
import { QUOTE_MIME, fillQuotes, matchesTemplate, placeholders } from "../../../tools/lessons/quotes";
import type { Notebook } from "../../../tools/notebook/notebook";

function notebook(cells: ({ md: string } | { code: string; quotes?: Record<string, string> })[]): Notebook {
  return {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: cells.map((c) =>
      "md" in c
        ? { cell_type: "markdown" as const, source: c.md, metadata: {} }
        : {
            cell_type: "code" as const, source: c.code, metadata: {}, execution_count: 1,
            outputs: [
              { output_type: "stream" as const, name: "stdout" as const, text: "printed\n" },
              ...(c.quotes ? [{ output_type: "display_data" as const, data: { [QUOTE_MIME]: c.quotes, "text/plain": "quoted" }, metadata: {} }] : []),
            ],
          },
    ),
  } as Notebook;
}

describe("fillQuotes", () => {
  it("writes each published value where the text quotes it, and removes the quote outputs", async () => {
    const nb = notebook([{ code: "run()", quotes: { adam: "0.357", sgd: "0.325" } }, { md: "Adam ends at {{adam}}, SGD at {{sgd}} ({{adam}} again)." }]);
    expect(await fillQuotes(nb, "t.ipynb")).toEqual([]);
    expect(nb.cells[1].source).toBe("Adam ends at 0.357, SGD at 0.325 (0.357 again).");
    const outputs = nb.cells[0].cell_type === "code" ? nb.cells[0].outputs : [];
    expect(outputs.map((o) => o.output_type)).toEqual(["stream"]);
  });

  it("reports a placeholder no cell publishes, naming it and the cell", async () => {
    const problems = await fillQuotes(notebook([{ code: "x", quotes: { a: "1" } }, { md: "{{a}} and {{b}}" }]), "t.ipynb");
    expect(problems.map((p) => p.message.split("\n")[0])).toEqual(["t.ipynb: cell 2 has a problem with a quoted result"]);
    expect(problems[0].details).toContain("no code cell quotes {{b}}");
  });

  it("reports a value no text uses, and a name published twice", async () => {
    const problems = await fillQuotes(notebook([{ code: "x", quotes: { a: "1", unused: "2" } }, { code: "y", quotes: { a: "3" } }, { md: "{{a}}" }]), "t.ipynb");
    expect(problems.map((p) => p.details)).toEqual([
      expect.stringContaining('"a" is quoted again (first in cell 1)'),
      expect.stringContaining('"unused" is quoted but no markdown cell uses {{unused}}'),
    ]);
  });
});

describe("matchesTemplate", () => {
  it("accepts a filled template and nothing else", () => {
    expect(matchesTemplate("loss {{a}} (sd {{b}}).", "loss 0.31 (sd 0.02).")).toBe(true);
    expect(matchesTemplate("loss {{a}} (sd {{b}}).", "loss 0.31 (sd 0.02)!")).toBe(false);
    expect(matchesTemplate("plain text", "plain text")).toBe(true);
    expect(matchesTemplate("plain text", "plain text.")).toBe(false);
    expect(placeholders("{{a}} {{b_2}} {c} {{3x}}")).toEqual(["a", "b_2"]);
  });
});

describe("quote", () => {
  it("formats numbers with significant digits and keeps strings", () => {
    expect(ENGINE_MIME).toBe(QUOTE_MIME);
    expect(quoteTexts({ a: 0.35712, b: 12711, c: 1.4, d: 2.5e-5, e: "0.03" })).toEqual({ a: "0.357", b: "12711", c: "1.40", d: "2.50e-5", e: "0.03" });
    expect(quoteTexts({ a: 0.35712 }, 2)).toEqual({ a: "0.36" });
    expect(quoteTexts({ a: 237.569, b: 7512.4, c: 2.5e7 + 0.5, d: 12.71 }, 2)).toEqual({ a: "240", b: "7500", c: "2.5e+7", d: "13" });
  });

  it("refuses a non-finite value and a name that cannot be a placeholder", () => {
    expect(() => quote({ loss: NaN })).toThrow("[quote] loss is NaN");
    expect(() => quote({ "adam loss": 1 })).toThrow('[quote] invalid name "adam loss"');
  });

  it("meanSd uses the sample standard deviation", () => {
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
    expect(formatMeanSd([0.31, 0.33], 2)).toBe("0.32 ± 0.01");
    expect(() => meanSd([])).toThrow("[meanSd]");
  });
});

describe("withinNoise", () => {
  it("calls a difference real only beyond two standard errors of the difference", () => {
    // means 1 and 1.2, sd 0.1 each, n = 4: standard error of the difference √(0.01/4 + 0.01/4) ≈ 0.0707, twice ≈ 0.141
    const a = [0.9, 1.0, 1.0, 1.1].map((v) => v * (0.1 / meanSd([0.9, 1.0, 1.0, 1.1]).sd) + (1 - (0.1 / meanSd([0.9, 1.0, 1.0, 1.1]).sd)));
    expect(meanSd(a).sd).toBeCloseTo(0.1, 12);
    expect(withinNoise(a, a.map((v) => v + 0.2))).toBe(false);
    expect(withinNoise(a, a.map((v) => v + 0.14))).toBe(true);
    expect(withinNoise([1, 1, 1], [1, 1, 1])).toBe(true);
  });
});
