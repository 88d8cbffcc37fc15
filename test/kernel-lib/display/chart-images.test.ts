// Charts drawn for the notebook: kernel-lib's renderer (Vega-Lite → SVG with
// vega, SVG → PNG with resvg, in a worker thread), the bundle show() sends,
// its fallback when drawing fails, and the real tslab kernel end to end.
import { describe, expect, it } from "vitest";
import { charts, mimeBundleOf, PNG_SCALE, renderChart, VEGA_LITE_MIME, withChartImages } from "kernel-lib";
import type { CodeCell, Notebook } from "../../../tools/notebook/notebook";
import { executeNotebook } from "../../../tools/notebook/run-notebook";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const rows = [1, 2, 3, 4, 5].flatMap((epoch) => [
  { epoch, name: "loss", value: 2 / epoch },
  { epoch, name: "valLoss", value: 2.2 / epoch },
]);
const SPEC = charts.lossCurves(rows, { title: "Loss with η = 0.1" });

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian). */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe("renderChart", () => {
  it("draws a chart as SVG (with its title) and as a 2× PNG of plausible size", () => {
    const images = renderChart(SPEC);
    expect(images.svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(images.svg).toContain(">Loss with η = 0.1</text>");
    expect(images.svg).toContain('class="mark-line');
    expect([...images.png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(images.width).toBeGreaterThan(100);
    expect(pngSize(images.png)).toEqual({ width: PNG_SCALE * images.width, height: PNG_SCALE * images.height });
    // A drawn chart, not an empty canvas (a few hundred bytes), and not bloated.
    expect(images.png.length).toBeGreaterThan(5_000);
    expect(images.png.length).toBeLessThan(300_000);
  });

  it("gives identical bytes when drawing the same chart twice", () => {
    const first = renderChart(SPEC);
    const second = renderChart(SPEC);
    expect(second.svg).toBe(first.svg);
    expect(Buffer.from(second.png).equals(Buffer.from(first.png))).toBe(true);
  });

  it.each([
    ["an unknown mark", { mark: "nonsense" }, /vega-lite cannot compile the spec/],
    ["data that cannot be loaded", { mark: "point", data: { url: "no-such-file.csv" } }, /Loading failed no-such-file\.csv/],
    ["a spec that is not plain JSON", { mark: "point", data: { values: [] }, f: () => 1 }, /must be plain JSON/],
  ])("throws for %s, and goes on drawing afterwards", (_name, spec, message) => {
    expect(() => renderChart(spec)).toThrow(message);
    expect(renderChart(SPEC).svg).toContain("Loss with η");
  });

  it("gives up on a renderer that does not answer in time, and starts a new one for the next chart", () => {
    expect(() => renderChart(SPEC, { timeoutMs: 1 })).toThrow(/did not answer within 0\.001 s; it was restarted/);
    expect(renderChart(SPEC).svg).toContain("Loss with η");
  });
});

describe("withChartImages", () => {
  it("adds SVG and PNG to a chart's bundle, keeps the spec and text, and gives the PNG's size in CSS pixels", () => {
    const bundle = mimeBundleOf(SPEC);
    const { data, metadata } = withChartImages(bundle);
    expect(Object.keys(data).sort()).toEqual([VEGA_LITE_MIME, "image/png", "image/svg+xml", "text/plain"]);
    expect(data[VEGA_LITE_MIME]).toEqual(bundle[VEGA_LITE_MIME]);
    expect(data["text/plain"]).toBe("Chart: Loss with η = 0.1");
    const png = Buffer.from(String(data["image/png"]), "base64");
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const { width, height } = pngSize(png);
    expect(metadata).toEqual({ "image/png": { width: width / PNG_SCALE, height: height / PNG_SCALE } });
  });

  it("leaves bundles that are not charts alone", () => {
    const bundle = { "text/plain": "x", "text/html": "<b>x</b>" };
    expect(withChartImages(bundle)).toEqual({ data: bundle, metadata: {} });
  });

  it("falls back to the spec and its text, with a note saying why, when the chart cannot be drawn", () => {
    const bundle = mimeBundleOf({ title: "Broken", mark: "nonsense" });
    const { data, metadata } = withChartImages(bundle);
    expect(Object.keys(data).sort()).toEqual([VEGA_LITE_MIME, "text/plain"]);
    expect(data[VEGA_LITE_MIME]).toEqual(bundle[VEGA_LITE_MIME]);
    expect(data["text/plain"]).toMatch(/^Chart: Broken\n\(no picture of this chart: vega-lite cannot compile the spec .*JupyterLab, still shows it\)$/);
    expect(metadata).toEqual({});
    const late = withChartImages(mimeBundleOf(SPEC), { timeoutMs: 1 });
    expect(late.data["text/plain"]).toMatch(/no picture of this chart: the chart renderer did not answer within/);
  });
});

describe("charts in the real tslab kernel", () => {
  it("show(spec) sends one display_data with the spec, SVG, PNG and text, and the PNG's size", async () => {
    const notebook: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
      cells: [
        {
          cell_type: "code",
          metadata: {},
          outputs: [],
          execution_count: null,
          source: 'import { show, charts } from "kernel-lib";\nshow(charts.line([{ x: 1, y: 2 }, { x: 2, y: 3 }], { x: "x", y: "y", title: "A line" }));',
        },
      ],
    };
    const result = await executeNotebook(notebook, { cellTimeoutMs: 60_000, label: "chart-kernel" });
    expect(result.failure?.message ?? null, "is kernel-lib built? (npm run build)").toBeNull();
    const outputs = (result.notebook.cells[0] as CodeCell).outputs;
    expect(outputs).toHaveLength(1);
    const [chart] = outputs;
    if (chart.output_type !== "display_data") throw new Error(`expected display_data, got ${chart.output_type}`);
    expect(Object.keys(chart.data).sort()).toEqual([VEGA_LITE_MIME, "image/png", "image/svg+xml", "text/plain"]);
    expect(String(chart.data["image/svg+xml"])).toContain(">A line</text>");
    const png = Buffer.from(String(chart.data["image/png"]), "base64");
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const { width, height } = pngSize(png);
    expect(chart.metadata).toEqual({ "image/png": { width: width / PNG_SCALE, height: height / PNG_SCALE } });
  });
});
