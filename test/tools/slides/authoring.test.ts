// The pure parts of fitting lessons to slides: `// slide:` markers
// (slide-code.ts), the projector chart config (slide-outputs.ts), the
// lesson summary of the indexes (tools/course/lesson-summary.ts) and the
// PDF text-overlap check (pdf-text.ts).
import { describe, expect, it } from "vitest";
import { lessonSummary } from "../../../tools/course/lesson-summary";
import { overlappingWords, type TextBlock } from "../../../tools/slides/pdf-text";
import { ELISION, slideSource } from "../../../tools/slides/slide-code";
import { PROJECTOR_CHART_CONFIG, isProgressDisplay, projectorSpec } from "../../../tools/slides/slide-outputs";

describe("slideSource: // slide: markers", () => {
  it("shows a cell without markers whole", () => {
    expect(slideSource("const a = 1;\nconst b = 2;", "x")).toBe("const a = 1;\nconst b = 2;");
  });
  it("drops lines ending in // slide: hide, and the blank edges they leave", () => {
    expect(slideSource("const seed = 1; // slide: hide\n\nmodel.train();\n", "x")).toBe("model.train();");
  });
  it("keeps only begin…end regions, with an elision between them", () => {
    const source = ["setup();", "// slide: begin", "a();", "// slide: end", "noise();", "// slide:begin", "b();", "// slide: end", "teardown();"].join("\n");
    expect(slideSource(source, "x")).toBe(["a();", ELISION, "b();"].join("\n"));
  });
  it("names the cell and the line of an unbalanced marker", () => {
    expect(() => slideSource("a();\n// slide: end", "lesson.ipynb cell 4")).toThrow(/lesson\.ipynb cell 4: line 2 "\/\/ slide: end" without a begin/);
    expect(() => slideSource("// slide: begin\na();", "lesson.ipynb cell 4")).toThrow(/lesson\.ipynb cell 4: "\/\/ slide: begin" without a "\/\/ slide: end"/);
    expect(() => slideSource("// slide: begin\n// slide: begin", "c")).toThrow(/line 2 .* inside another begin/);
  });
});

describe("projectorSpec", () => {
  it("adds the projector's font sizes under the chart's own config", () => {
    const spec = { mark: "line", config: { axis: { labelFontSize: 20 }, view: { stroke: null } } };
    const out = projectorSpec(spec);
    expect(out.config).toEqual({ ...PROJECTOR_CHART_CONFIG, axis: { ...PROJECTOR_CHART_CONFIG.axis, labelFontSize: 20 }, view: { stroke: null } });
    expect(out.mark).toBe("line");
    expect(spec.config.axis.labelFontSize).toBe(20); // not mutated
  });
});

describe("lessonSummary", () => {
  it("drops a closing sentence that introduces a list", () => {
    expect(lessonSummary("The nonlinearity decides how the gradient flows. In this lesson you will:")).toBe("The nonlinearity decides how the gradient flows.");
    expect(lessonSummary("It keeps it healthy (Ioffe & Szegedy, 2015). This lesson looks at two fixes, one for each problem:")).toBe("It keeps it healthy (Ioffe & Szegedy, 2015).");
  });
  it("keeps a paragraph that ends with a full stop, and a colon inside a sentence", () => {
    expect(lessonSummary("Until now the recipe was simple: pick a model.\nIt breaks in two places.")).toBe("Until now the recipe was simple: pick a model. It breaks in two places.");
  });
  it("ends a lone lead-in with a full stop rather than a colon", () => {
    expect(lessonSummary("This lesson covers:")).toBe("This lesson covers.");
  });
});

describe("overlappingWords", () => {
  const word = (text: string, xMin: number, yMin: number, xMax: number, yMax: number) => ({ text, xMin, yMin, xMax, yMax });
  const block = (page: number, ...words: ReturnType<typeof word>[]): TextBlock => ({
    page,
    words,
    xMin: Math.min(...words.map((w) => w.xMin)),
    yMin: Math.min(...words.map((w) => w.yMin)),
    xMax: Math.max(...words.map((w) => w.xMax)),
    yMax: Math.max(...words.map((w) => w.yMax)),
  });
  it("finds code printed over a paragraph", () => {
    const code = block(1, word("const", 10, 100, 50, 112), word("x", 60, 100, 70, 112));
    const text = block(1, word("The", 12, 104, 40, 120), word("next", 45, 104, 80, 120));
    expect(overlappingWords([code, text]).map(({ a, b }) => `${a.text}/${b.text}`)).toEqual(["const/The"]); // "next" grazes "const" (8% of its box)
  });
  it("ignores touching lines, other pages and one-character glyphs (scripts, ∑)", () => {
    const line1 = block(1, word("first", 10, 100, 50, 120));
    const line2 = block(1, word("second", 10, 119.5, 60, 140));
    const sum = block(1, word("∑", 10, 90, 40, 130), word("i", 20, 125, 25, 135));
    const elsewhere = block(2, word("first", 10, 100, 50, 120));
    expect(overlappingWords([line1, line2, sum, elsewhere])).toEqual([]);
  });
});

describe("a training run's progress display stays off the slides", () => {
  it("is recognised by its bar and clock, and nothing else is", async () => {
    const { progressBundle } = await import("../../../kernel-lib/src/display/progress-view");
    const state = { epoch: 3, epochs: 3, batch: 32, batches: 32, elapsedMs: 400, etaMs: null, status: "done", current: { loss: 0.5 }, lastEpoch: { loss: 0.5 }, lossHistory: [0.9, 0.5], valLossHistory: [] } as const;
    const progress = { output_type: "display_data", metadata: {}, data: progressBundle(state as never) } as const;
    expect(isProgressDisplay(progress as never)).toBe(true);
    expect(isProgressDisplay({ output_type: "display_data", metadata: {}, data: { "text/html": "<table><tr><td>epoch 3</td></tr></table>" } } as never)).toBe(false);
    expect(isProgressDisplay({ output_type: "stream", name: "stdout", text: "<progress > 0:01 elapsed" } as never)).toBe(false);
  });
});
