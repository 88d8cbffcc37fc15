// Charts computed on grids and with autograd: heatmaps, decision regions,
// optimizer trajectories over a loss surface, activation functions and their
// derivatives. Specs are compiled by vega-lite and drawn by vega (charts-render.ts).
import { describe, expect, it } from "vitest";
import { charts, nn, manualSeed, tensor, full, type Tensor } from "kernel-lib";
import { itemLabels, items, render, texts } from "../../helpers/charts-render";

type Values = Record<string, unknown>[];
const layerValues = (spec: charts.VegaLiteSpec, k: number): Values => ((spec.layer as { data: { values: Values } }[])[k].data.values);

describe("charts.heatmap", () => {
  it("prints every count in its cell, white on dark cells (a confusion matrix)", async () => {
    const spec = charts.heatmap([[50, 3], [8, 41]], { xLabels: ["cat", "dog"], yLabels: ["cat", "dog"], xTitle: "predicted", yTitle: "true", title: "Confusion" });
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    expect(items(svg, "rect mark")).toBe(4);
    expect(items(svg, "text mark")).toBe(4);
    expect(texts(svg)).toEqual(expect.arrayContaining(["50", "3", "8", "41", "predicted", "true", "cat", "dog", "Confusion"]));
    // Threshold = (3 + 50) / 2: 50 and 41 are drawn in white, 3 and 8 in black.
    const cellText = [...svg.matchAll(/<text[^>]*aria-roledescription="text mark"[^>]*fill="([^"]+)"[^>]*>(\d+)<\/text>/g)].map((m) => `${m[2]}:${m[1]}`);
    expect(cellText.sort()).toEqual(["3:black", "41:white", "50:white", "8:black"]);
  });

  it("draws a large matrix without numbers as an image: small cells, no axis labels", async () => {
    const image = Array.from({ length: 28 }, (_, i) => Array.from({ length: 84 }, (_, j) => ((i * j) % 17) / 16));
    const spec = charts.heatmap(image, { scheme: "greys" });
    expect([spec.width, spec.height]).toEqual([84 * 5, 28 * 5]);
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    expect(items(svg, "rect mark")).toBe(28 * 84);
    expect(items(svg, "text mark")).toBe(0);
    expect(texts(svg).filter((t) => /^\d+$/.test(t))).toEqual([]);
  });

  it("formats fractions with two decimals and refuses ragged or mislabeled matrices", () => {
    const spec = charts.heatmap([[0.25, 0.75]]);
    expect(JSON.stringify(spec)).toContain('"format":".2f"');
    expect(() => charts.heatmap([[1, 2], [3]])).toThrow("[charts.heatmap] row 1 has 1 values, row 0 has 2; every row needs the same length");
    expect(() => charts.heatmap([[1, 2]], { xLabels: ["a"] })).toThrow("xLabels has 1 labels for 2 columns");
    expect(() => charts.heatmap([[1, 2]], { xLabels: ["a", "a"] })).toThrow("xLabels has duplicates");
  });
});

describe("charts.decisionBoundary", () => {
  // Points on both sides of x1 = 0; the "model" says class 1 where x1 > 0 (one logit per point).
  const x = tensor([[-1, 0], [1, 0], [0.5, 1], [-0.5, -1]]);
  const y = tensor([0, 1, 1, 0], { dtype: "int32" });
  const sign = (p: Tensor) => p.slice(1, 0, 1);

  it("merges each grid row into one rectangle per class region", async () => {
    // x1 spans [-1, 1] + 10% each side = [-1.2, 1.2]; 4 cells of 0.6: centers -0.9, -0.3, 0.3, 0.9.
    const spec = charts.decisionBoundary({ predict: sign, x, y, resolution: 4 });
    expect(layerValues(spec, 0)).toEqual([0, 1, 2, 3].flatMap((j) => [
      { i0: 0, i1: 1, j, class: "0" },
      { i0: 2, i1: 3, j, class: "1" },
    ]));
    expect(layerValues(spec, 1)).toEqual([
      { x: -1, y: 0, class: "0" }, { x: 1, y: 0, class: "1" }, { x: 0.5, y: 1, class: "1" }, { x: -0.5, y: -1, class: "0" },
    ]);
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    expect(items(svg, "rect mark")).toBe(8);
    expect(items(svg, "point")).toBe(4);
    // The boundary lies at x1 = 0, the middle of the 360-pixel-wide plot.
    const spans = [...svg.matchAll(/aria-roledescription="rect mark"[^>]*d="M([^,]+),[^h]+h([^v]+)v/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(spans.map(([left, width]) => [Math.round(left), Math.round(width)])).toEqual([0, 1, 2, 3].flatMap(() => [[0, 180], [180, 180]]));
  });

  it("reads [m, C] scores by argmax and int32 outputs as class ids", () => {
    manualSeed(0);
    const model = new nn.Linear(2, 3);
    const scores = charts.decisionBoundary({ predict: (p) => model.call(p), x, y, resolution: 10 });
    const classes = new Set(layerValues(scores, 0).map((r) => r.class));
    expect([...classes].every((c) => ["0", "1", "2"].includes(String(c)))).toBe(true);
    const constant = charts.decisionBoundary({ predict: (p) => full([p.shape[0]], 2, { dtype: "int32" }), x, y, resolution: 10 });
    expect(layerValues(constant, 0)).toEqual(Array.from({ length: 10 }, (_, j) => ({ i0: 0, i1: 9, j, class: "2" })));
  });

  it("refuses data of the wrong shape", () => {
    expect(() => charts.decisionBoundary({ predict: sign, x: tensor([1, 2]), y })).toThrow("[charts.decisionBoundary] x must have shape [n, 2], got [2]");
    expect(() => charts.decisionBoundary({ predict: sign, x, y: tensor([0, 1]) })).toThrow("y has 2 labels for 4 points");
    expect(() => charts.decisionBoundary({ predict: (p) => p.slice(0, 0, 3), x, y, resolution: 4 })).toThrow("predict returned shape [3, 2] for 16 points");
  });
});

describe("charts.lossSurfaceTrajectories", () => {
  /** Gradient descent on the ill-conditioned quadratic f = x² + 10y² (lesson 6). */
  const f = (a: number, b: number) => a * a + 10 * b * b;
  function descend(lr: number, steps: number): [number, number][] {
    const points: [number, number][] = [[-1.8, 0.9]];
    for (let k = 0; k < steps; k++) {
      const [a, b] = points[points.length - 1];
      points.push([a - lr * 2 * a, b - lr * 20 * b]);
    }
    return points;
  }

  it("draws color bands of log f under one line per optimizer, and the optimum", async () => {
    const spec = charts.lossSurfaceTrajectories({
      f, xRange: [-2, 2], yRange: [-1, 1], resolution: 30, bands: 8, optimum: [0, 0],
      paths: [{ name: "lr 0.09 (zig-zag)", points: descend(0.09, 20) }, { name: "lr 0.02", points: descend(0.02, 30) }],
    });
    const background = layerValues(spec, 0);
    const bandsUsed = new Set(background.map((r) => r.band));
    expect([...bandsUsed].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Every grid cell is covered exactly once.
    expect(background.reduce((n, r) => n + (r.i1 as number) - (r.i0 as number) + 1, 0)).toBe(30 * 30);
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    expect(items(svg, "rect mark")).toBe(background.length);
    expect(items(svg, "line mark")).toBe(2);
    expect(items(svg, "point")).toBe(21 + 31 + 1);
    expect(texts(svg)).toEqual(expect.arrayContaining(["lr 0.09 (zig-zag)", "lr 0.02", "log₁₀(f − min f)"]));
  });

  it("puts the lowest band where f is smallest", () => {
    const spec = charts.lossSurfaceTrajectories({ f, xRange: [-2, 2], yRange: [-1, 1], resolution: 20, paths: [{ name: "p", points: [[0, 0]] }] });
    const lowest = layerValues(spec, 0).filter((r) => r.band === 0);
    // The two middle rows and columns hold the cells nearest (0, 0).
    expect(lowest.some((r) => (r.j === 9 || r.j === 10) && (r.i0 as number) <= 9 && (r.i1 as number) >= 10)).toBe(true);
  });

  it("refuses bad ranges, band counts and an f that is never finite", () => {
    const base = { f, xRange: [-1, 1] as [number, number], yRange: [-1, 1] as [number, number], paths: [] };
    expect(() => charts.lossSurfaceTrajectories({ ...base, xRange: [1, -1] })).toThrow("xRange must be [low, high] with low < high, got [1, -1]");
    expect(() => charts.lossSurfaceTrajectories({ ...base, bands: 1 })).toThrow("Invalid bands: 1");
    expect(() => charts.lossSurfaceTrajectories({ ...base, f: () => NaN })).toThrow("f is not finite anywhere on the grid");
  });
});

describe("charts.activationFunctions", () => {
  const fns = [
    { name: "sigmoid", f: (t: Tensor) => t.sigmoid() },
    { name: "relu", f: (t: Tensor) => t.relu() },
    { name: "step", f: (t: Tensor) => t.gt(0).double() },
  ];

  it("computes f′ with autograd: σ′ = σ(1 − σ), relu′ = 0 or 1 (0 at the kink), a step's is 0", () => {
    const values = (charts.activationFunctions(fns).data as { values: { name: string; x: number; "f(x)": number; "f′(x)": number }[] }).values;
    const at = (name: string, x: number) => values.find((r) => r.name === name && Math.abs(r.x - x) < 1e-12)!;
    expect(values.length).toBe(3 * 201);
    for (const r of values.filter((v) => v.name === "sigmoid")) {
      const s = 1 / (1 + Math.exp(-r.x));
      expect(r["f(x)"]).toBeCloseTo(s, 5);
      expect(r["f′(x)"]).toBeCloseTo(s * (1 - s), 6);
    }
    expect([at("sigmoid", 0)["f′(x)"], at("relu", 0)["f′(x)"], at("relu", 1)["f′(x)"], at("relu", -1)["f′(x)"]]).toEqual([0.25, 0, 1, 0]);
    expect(values.filter((v) => v.name === "step").every((v) => v["f′(x)"] === 0)).toBe(true);
  });

  it("draws two panels, f and f′, with one line per function in each", async () => {
    const { svg, warnings } = await render(charts.activationFunctions(fns.slice(0, 2), { range: [-3, 3], points: 61 }));
    expect(warnings).toEqual([]);
    expect(items(svg, "line mark")).toBe(4);
    expect(texts(svg)).toEqual(expect.arrayContaining(["f(x)", "f′(x)", "sigmoid", "relu"]));
    const single = await render(charts.activationFunctions(fns.slice(0, 2), { derivative: false }));
    expect(single.warnings).toEqual([]);
    expect(items(single.svg, "line mark")).toBe(2);
    expect(itemLabels(single.svg, "line mark")[0]).toMatch(/^x: −5; f\(x\): 0.00669/);
  });

  it("refuses a function that is not elementwise", () => {
    expect(() => charts.activationFunctions([{ name: "sum", f: (t) => t.sum() }])).toThrow(
      '[charts.activationFunctions] "sum" returned 1 values for 201 inputs; f must act elementwise',
    );
  });
});
