// Layer-by-layer charts: histograms, box plots, mean/std and gradient norms,
// compiled by vega-lite and drawn by vega (see charts-render.ts).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { charts, diagnostics, manualSeed, nn, randn } from "kernel-lib";
import { itemLabels, items, render, texts } from "../../helpers/charts-render";

/** A deep tanh net and its activation statistics: the picture of the initialization lesson. */
function tanhStats(sample: number) {
  manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(10, 32), new nn.Tanh(), new nn.Linear(32, 32), new nn.Tanh());
  return diagnostics.activationStats(model, randn([64, 10]), { sample });
}

describe("charts.layerHistograms", () => {
  it("draws one panel per layer with `bins` bars, titled with layer, type and std", async () => {
    const stats = tanhStats(400);
    const spec = charts.layerHistograms(stats, { bins: 12 });
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    expect(items(svg, "bar")).toBe(4 * 12);
    const titles = texts(svg).filter((t) => t.includes(" · "));
    expect(titles).toEqual(stats.map((s) => `${s.layer} · ${s.type} · std ${stdOf(s.values).toPrecision(2)}`));
    expect(titles[1]).toMatch(/^1 · Tanh · std /);
  });

  it("bins on one shared range by default, per layer with sharedX: false", () => {
    const stats = [{ layer: "a", values: [0, 1] }, { layer: "b", values: [10, 20] }];
    const edges = (spec: charts.VegaLiteSpec) => (spec.data as { values: { panel: string; x0: number }[] }).values.filter((r) => r.panel.startsWith("b")).map((r) => r.x0)[0];
    expect(edges(charts.layerHistograms(stats, { bins: 2 }))).toBe(0);
    const independent = charts.layerHistograms(stats, { bins: 2, sharedX: false });
    expect(edges(independent)).toBe(10);
    expect(independent.resolve).toEqual({ scale: { x: "independent" } });
  });

  it("asks for samples when a layer has none (activationStats' default sample is 0)", () => {
    expect(() => charts.layerHistograms(tanhStats(0))).toThrow(
      '[charts.layerHistograms] layer "0" has no finite values; record some with activationStats(model, x, { sample: 1000 })',
    );
    expect(() => charts.layerHistograms([{ layer: "a", values: [1] }], { bins: 0 })).toThrow("Invalid bins: 0");
  });
});

describe("charts.histogram", () => {
  it("counts fractions per bin; the top edge goes to the last bin", () => {
    expect(charts.histogram([0, 0.5, 1, 1.5, 2], 2, [0, 2])).toEqual([
      { x0: 0, x1: 1, fraction: 0.4 },
      { x0: 1, x1: 2, fraction: 0.6 },
    ]);
  });

  it("fractions sum to 1 for values inside the range", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (values, bins) => {
        const total = charts.histogram(values, bins, [-5, 5]).reduce((s, b) => s + b.fraction, 0);
        expect(total).toBeCloseTo(1, 12);
      }),
    );
  });
});

describe("charts.fiveNumbers", () => {
  it("matches numpy's linear quartiles and Tukey's whiskers on a named case", () => {
    // numpy.percentile([1..9, 100], [25, 50, 75]) = [3.25, 5.5, 7.75]; 100 is beyond 7.75 + 1.5·4.5.
    expect(charts.fiveNumbers([100, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual({ lower: 1, q1: 3.25, median: 5.5, q3: 7.75, upper: 9 });
  });

  it("keeps the whiskers outside the box when a gap follows a quartile", () => {
    // q3 = 0 + 0.25·10 = 2.5, and no value lies in [2.5, 2.5 + 1.5·2.5]: the whisker stops at the box.
    expect(charts.fiveNumbers([0, 0, 0, 10])).toEqual({ lower: 0, q1: 0, median: 0, q3: 2.5, upper: 2.5 });
  });

  it("orders lower ≤ q1 ≤ median ≤ q3 ≤ upper; whiskers end on a data point or on the box", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 100 }), (values) => {
        const f = charts.fiveNumbers(values);
        expect(f.lower).toBeLessThanOrEqual(f.q1);
        expect(f.q1).toBeLessThanOrEqual(f.median);
        expect(f.median).toBeLessThanOrEqual(f.q3);
        expect(f.q3).toBeLessThanOrEqual(f.upper);
        expect([...values, f.q1]).toContain(f.lower);
        expect([...values, f.q3]).toContain(f.upper);
      }),
    );
  });
});

describe("charts.layerBoxPlots", () => {
  it("draws a whisker, a box and a median tick per layer", async () => {
    const { svg, warnings } = await render(charts.layerBoxPlots(tanhStats(200)));
    expect(warnings).toEqual([]);
    expect([items(svg, "rule mark"), items(svg, "bar"), items(svg, "tick")]).toEqual([4, 4, 4]);
    expect(texts(svg)).toEqual(expect.arrayContaining(["0 · Linear", "1 · Tanh", "2 · Linear", "3 · Tanh"]));
  });
});

describe("charts.layerStatsChart", () => {
  it("draws std and mean per layer, in forward order", async () => {
    const stats = tanhStats(0);
    const { svg, warnings } = await render(charts.layerStatsChart(stats));
    expect(warnings).toEqual([]);
    expect(items(svg, "line mark")).toBe(2);
    expect(items(svg, "point")).toBe(8);
    expect(itemLabels(svg, "point")).toContain(`layer: 3; value: ${Number(stats[3].std.toPrecision(12))}; stat: std`);
  });

  it("with series, one color per series and a dash per statistic", async () => {
    const rows = ["xavier", "small"].flatMap((series, k) => [0, 1, 2].map((l) => ({ layer: `L${l}`, mean: 0, std: k === 0 ? 1 : 0.1 ** l, series })));
    const spec = charts.layerStatsChart(rows, { logY: true });
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    // Zero means cannot be drawn on a log axis: only the std lines remain, one per series.
    expect(items(svg, "line mark")).toBe(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(["xavier", "small", "std"]));
  });
});

describe("charts.gradientNorms", () => {
  it("compares series per layer on a log axis (vanishing sigmoid gradients vs ReLU)", async () => {
    const rows = [0, 1, 2, 3].flatMap((l) => [
      { layer: `${l}`, norm: 10 ** (l - 4), series: "sigmoid" },
      { layer: `${l}`, norm: 0.5, series: "relu" },
    ]);
    const { svg, warnings } = await render(charts.gradientNorms(rows));
    expect(warnings).toEqual([]);
    expect(items(svg, "line mark")).toBe(2);
    expect(items(svg, "point")).toBe(8);
    expect(svg).toContain("for a log scale");
    expect(texts(svg)).toEqual(expect.arrayContaining(["sigmoid", "relu", "0.0001"]));
  });

  it("takes diagnostics.layerGradientNorms rows ({ name, norm }) and leaves out zero norms on a log axis", () => {
    const values = (charts.gradientNorms([{ name: "0", norm: 0 }, { name: "2", norm: 0.3 }]).data as { values: unknown[] }).values;
    expect(values).toEqual([{ layer: "2", norm: 0.3, series: "gradient" }]);
    expect(() => charts.gradientNorms([{ name: "0", norm: 0 }])).toThrow("pass { logScale: false }");
  });
});

function stdOf(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length - mean * mean);
}
