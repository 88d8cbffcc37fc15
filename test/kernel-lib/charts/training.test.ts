// Chart builders for curves: each spec is compiled by vega-lite and drawn to
// SVG by vega (see charts-render.ts), then the drawing is checked.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { History, charts, tensor } from "kernel-lib";
import { itemLabels, items, render, texts } from "../../helpers/charts-render";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

function history(rows: Record<string, number>[]): History {
  const h = new History();
  rows.forEach((r) => h.record(r));
  return h;
}

const threeEpochs = history([
  { loss: 1.0, valLoss: 1.2, accuracy: 0.5, valAccuracy: 0.4, lr: 0.1 },
  { loss: 0.5, valLoss: 0.8, accuracy: 0.7, valAccuracy: 0.6, lr: 0.1 },
  { loss: 0.25, valLoss: 0.9, accuracy: 0.9, valAccuracy: 0.65, lr: 0.01 },
]);

describe("charts.lossCurves", () => {
  it("draws train and validation loss per epoch, counted from 1, from a History", async () => {
    const spec = charts.lossCurves(threeEpochs);
    expect(spec.$schema).toBe(SCHEMA);
    expect(spec).toMatchObject({ width: 420, height: 260, title: "Loss" });
    expect((spec.data as { values: unknown[] }).values).toEqual([
      { epoch: 1, name: "loss", value: 1.0, curve: "train loss" },
      { epoch: 1, name: "valLoss", value: 1.2, curve: "validation loss" },
      { epoch: 2, name: "loss", value: 0.5, curve: "train loss" },
      { epoch: 2, name: "valLoss", value: 0.8, curve: "validation loss" },
      { epoch: 3, name: "loss", value: 0.25, curve: "train loss" },
      { epoch: 3, name: "valLoss", value: 0.9, curve: "validation loss" },
    ]);
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    expect(items(svg, "line mark")).toBe(2);
    expect(items(svg, "point")).toBe(6);
    expect(texts(svg)).toEqual(expect.arrayContaining(["Loss", "epoch", "loss", "train loss", "validation loss"]));
    expect(itemLabels(svg, "point")).toContain("epoch: 3; loss: 0.9; curve: validation loss");
  });

  it("accepts long rows, and leaves out what a log scale cannot draw", async () => {
    const rows = [
      { epoch: 0, name: "train", value: 2 },
      { epoch: 1, name: "train", value: 0 },
      { epoch: 2, name: "train", value: Infinity },
      { epoch: 3, name: "train", value: 0.5 },
    ];
    const spec = charts.lossCurves(rows, { logScale: true, title: "custom" });
    expect((spec.data as { values: { epoch: number }[] }).values.map((r) => r.epoch)).toEqual([0, 3]);
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    expect(svg).toContain("for a log scale");
    expect(texts(svg)).toContain("custom");
  });

  it("keeps run names of long rows as they are (one curve per run), spelling out only log keys", () => {
    const rows = [
      { epoch: 1, name: "sigmoid", value: 2.3 },
      { epoch: 1, name: "relu", value: 1.1 },
      { epoch: 1, name: "valLoss", value: 1.5 },
    ];
    const curves = (charts.lossCurves(rows).data as { values: { curve: string }[] }).values.map((r) => r.curve);
    expect(curves).toEqual(["sigmoid", "relu", "validation loss"]);
  });

  it("says which quantities the history has when the requested ones are missing", () => {
    expect(() => charts.lossCurves(history([{ loss: 1 }]), { metrics: ["valLoss"] })).toThrow(
      '[charts.lossCurves] no drawable values of valLoss (the data has: loss); pass { metrics: [...] }',
    );
  });
});

describe("charts.accuracyCurves", () => {
  it("draws accuracies on a percent axis", async () => {
    const { svg, warnings } = await render(charts.accuracyCurves(threeEpochs));
    expect(warnings).toEqual([]);
    expect(items(svg, "line mark")).toBe(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(["Accuracy", "train accuracy", "validation accuracy", "50%", "80%"]));
  });
});

describe("charts.curveLabel", () => {
  it.each([
    ["loss", "train loss"],
    ["valLoss", "validation loss"],
    ["valAccuracy", "validation accuracy"],
    ["accuracy", "train accuracy"],
    ["lr", "learning rate"],
    ["value", "train value"],
  ])("%s → %s", (name, label) => expect(charts.curveLabel(name)).toBe(label));
});

describe("charts.lrSchedule", () => {
  it("draws one stepped line per schedule; series and rows give the same data", async () => {
    const series = [
      { name: "step", lrs: [0.1, 0.1, 0.01] },
      { name: "warmup", lrs: [0.02, 0.06, 0.1] },
    ];
    const rows = series.flatMap((s) => s.lrs.map((lr, step) => ({ step, lr, name: s.name })));
    const spec = charts.lrSchedule(series, { logScale: true });
    expect(spec.data).toEqual(charts.lrSchedule(rows, { logScale: true }).data);
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    expect(items(svg, "line mark")).toBe(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(["learning rate", "step", "warmup", "Learning-rate schedule"]));
  });
});

describe("charts.line", () => {
  it("draws one line per color value, with titles and escaped field names", async () => {
    const rows = [1, 2, 3].flatMap((x) => [{ "x.step": x, y: x * x, run: "a" }, { "x.step": x, y: 2 * x, run: "b" }]);
    const spec = charts.line(rows, { x: "x.step", y: "y", color: "run", title: "T", yTitle: "height" });
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    expect(items(svg, "line mark")).toBe(2);
    expect(items(svg, "point")).toBe(6);
    expect(texts(svg)).toEqual(expect.arrayContaining(["T", "x.step", "height", "a", "b"]));
  });

  it("thins a 20,000-point series to 5,000, keeping both ends", () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ step: i, loss: 1 / (i + 1) }));
    const values = (charts.line(rows, { x: "step", y: "loss" }).data as { values: { step: number }[] }).values;
    expect(values.length).toBe(5000);
    expect(values[0].step).toBe(0);
    expect(values[4999].step).toBe(19_999);
  });

  it("refuses data with nothing to draw", () => {
    expect(() => charts.line([{ a: "x", b: NaN }], { x: "a", y: "b" })).toThrow('[charts.line] no drawable rows: need numeric "a" and "b" columns (1 rows given)');
  });
});

describe("charts.decimate", () => {
  it("keeps at most max rows, in order, first and last included", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 2, max: 500 }), (n, max) => {
        const rows = Array.from({ length: n }, (_, i) => i);
        const kept = charts.decimate(rows, max);
        expect(kept.length).toBe(Math.min(n, max));
        for (let i = 1; i < kept.length; i++) expect(kept[i]).toBeGreaterThan(kept[i - 1]);
        if (n > 0) expect([kept[0], kept[kept.length - 1]]).toEqual([0, n - 1]);
      }),
    );
  });
});

describe("charts.bar and charts.scatter", () => {
  it("draws grouped bars in the order of the rows", async () => {
    const rows = [
      { layer: "b", norm: 1, init: "xavier" },
      { layer: "a", norm: 2, init: "xavier" },
      { layer: "b", norm: 3, init: "he" },
    ];
    const { svg, warnings } = await render(charts.bar(rows, { x: "layer", y: "norm", color: "init" }));
    expect(warnings).toEqual([]);
    expect(items(svg, "bar")).toBe(3);
    const labels = texts(svg);
    expect(labels.indexOf("b")).toBeLessThan(labels.indexOf("a"));
  });

  it("draws one point per row of x, colored by class", async () => {
    const x = tensor([[0, 0], [1, 1], [2, 0], [NaN, 1]]);
    const spec = charts.scatter(x, tensor([0, 1, 10, 1], { dtype: "int32" }), { title: "points" });
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    expect(items(svg, "point")).toBe(3); // the NaN row is left out
    expect(texts(svg)).toEqual(expect.arrayContaining(["points", "class", "0", "1", "10"]));
    expect(() => charts.scatter(tensor([1, 2]))).toThrow("[charts.scatter] x must have shape [n, 2], got [2]");
    expect(() => charts.scatter(x, tensor([0, 1]))).toThrow("labels has 2 values for 4 points");
  });
});
