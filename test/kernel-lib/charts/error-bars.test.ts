// Error bars on charts.line and charts.bar: the mean ± standard deviation over
// seeds that the lessons' comparisons report.
import { describe, expect, it } from "vitest";
import { charts } from "kernel-lib";
import { items, render } from "../../helpers/charts-render";

const rows = [
  { lr: 0.01, loss: 1.0, sd: 0.1, optimizer: "SGD" },
  { lr: 0.1, loss: 0.5, sd: 0.2, optimizer: "SGD" },
  { lr: 0.01, loss: 0.8, sd: 0.05, optimizer: "Adam" },
  { lr: 0.1, loss: 0.9, sd: 0.3, optimizer: "Adam" },
];

/** The [low, high] ends the compiled spec computes for each row, in row order. */
async function ends(spec: charts.VegaLiteSpec): Promise<number[][]> {
  const vega = await import("vega");
  const vegaLite = "vega-lite";
  const vl = (await import(vegaLite)) as { compile(spec: unknown): { spec: unknown } };
  const view = new vega.View(vega.parse(vl.compile(spec).spec as Parameters<typeof vega.parse>[0]), { renderer: "none" });
  await view.runAsync();
  const names = (vl.compile(spec).spec as { data: { name: string }[] }).data.map((d) => d.name);
  const withEnds = names.map((n) => view.data(n) as Record<string, number>[]).find((d) => d.length > 0 && "__low" in d[0]);
  view.finalize();
  return (withEnds ?? []).map((d) => [d.__low, d.__high]);
}

describe("error bars", () => {
  it("charts.line draws one bar per point, from y − e to y + e", async () => {
    const spec = charts.line(rows, { x: "lr", y: "loss", color: "optimizer", logX: true, yError: "sd" });
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    expect(items(svg, "line mark")).toBe(2);
    const got = await ends(spec);
    expect(got.length).toBe(4);
    expect(got[0][0]).toBeCloseTo(0.9, 12);
    expect(got[0][1]).toBeCloseTo(1.1, 12);
    expect(got[3][0]).toBeCloseTo(0.6, 12);
    expect(got[3][1]).toBeCloseTo(1.2, 12);
  });

  it("keeps the lower end positive on a log axis", async () => {
    const spec = charts.line([{ x: 1, y: 0.1, e: 0.5 }, { x: 2, y: 0.2, e: 0.01 }], { x: "x", y: "y", logY: true, yError: "e" });
    const got = await ends(spec);
    expect(got[0][0]).toBeCloseTo(1e-4, 12);
    expect(got[1][0]).toBeCloseTo(0.19, 12);
    expect((await render(spec)).warnings).toEqual([]);
  });

  it("charts.bar puts a bar on every grouped bar", async () => {
    const spec = charts.bar(rows.map((r) => ({ ...r, lr: String(r.lr) })), { x: "lr", y: "loss", color: "optimizer", yError: "sd" });
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    const got = await ends(spec);
    expect(got.map(([lo, hi]) => (hi - lo) / 2)).toEqual(rows.map((r) => expect.closeTo(r.sd, 12)));
    expect(svg.length).toBeGreaterThan(0);
  });

  it("refuses a missing or negative spread, naming the column", () => {
    expect(() => charts.line([{ x: 1, y: 1 }], { x: "x", y: "y", yError: "sd" })).toThrow('[charts.line] yError column "sd" must hold a finite number ≥ 0 on every row, got undefined');
    expect(() => charts.bar([{ x: "a", y: 1, sd: -1 }], { x: "x", y: "y", yError: "sd" })).toThrow("[charts.bar] yError column");
  });

  it("without yError the spec is a single view", () => {
    expect("layer" in charts.line(rows, { x: "lr", y: "loss" })).toBe(false);
  });
});

describe("bar labels", () => {
  it("stay horizontal when they fit under their bars, and slant when they would overlap", () => {
    const axisOf = (spec: charts.VegaLiteSpec) => ((spec.encoding as { x: { axis: { labelAngle: number } } }).x.axis.labelAngle);
    expect(axisOf(charts.bar([{ k: "a", v: 1 }, { k: "b", v: 2 }], { x: "k", y: "v" }))).toBe(0);
    const long = Array.from({ length: 8 }, (_, i) => ({ k: `freeze, then fine-tune ${i}`, v: i }));
    expect(axisOf(charts.bar(long, { x: "k", y: "v" }))).toBe(-35);
    const layered = charts.bar(long.map((r) => ({ ...r, sd: 0.1 })), { x: "k", y: "v", yError: "sd" });
    expect(((layered.layer as { encoding: { x: { axis: { labelAngle: number } } } }[])[0].encoding.x.axis.labelAngle)).toBe(-35);
  });
});
