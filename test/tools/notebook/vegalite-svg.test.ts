// Static SVG copies of Vega-Lite charts: the hook on in-memory notebooks,
// then the runner's write path and the CLI on the real tslab kernel.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseNotebook, type CodeCell, type Notebook } from "../../../tools/notebook/notebook";
import type { Output } from "../../../tools/notebook/outputs";
import { parseCliArgs } from "../../../tools/notebook/run-notebooks";
import { addVegaLiteSvgs, ChartRenderError, vegaLiteToSvg } from "../../../tools/notebook/vegalite-svg";

const ROOT = path.join(__dirname, "..", "..", "..");
const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "course");
const VEGALITE = "application/vnd.vegalite.v5+json";
const SPEC = {
  data: { values: [{ epoch: 1, loss: 2.3 }, { epoch: 2, loss: 1.1 }] },
  mark: "line",
  encoding: { x: { field: "epoch", type: "quantitative" }, y: { field: "loss", type: "quantitative" } },
};
const work = mkdtempSync(path.join(tmpdir(), "course-svg-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function notebookOf(...cells: Output[][]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map((outputs, i) => ({ cell_type: "code", source: `cell ${i + 1}`, metadata: {}, outputs, execution_count: i + 1 })),
  };
}

const outputsOf = (notebook: Notebook, cellNumber: number): Output[] => (notebook.cells[cellNumber - 1] as CodeCell).outputs;

function svgOf(output: Output): unknown {
  return output.output_type === "display_data" || output.output_type === "execute_result" ? output.data["image/svg+xml"] : undefined;
}

describe("vegaLiteToSvg", () => {
  it("renders a spec to an SVG document with the chart's marks", async () => {
    const svg = await vegaLiteToSvg(SPEC);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("</svg>");
    expect(svg).toContain('class="mark-line'); // the line mark, not an empty frame
    expect(svg).toContain(">epoch</text>"); // the axis title
  });

  it.each([
    ["an unknown mark", { mark: "nonsense" }, /./],
    ["data that cannot be loaded", { mark: "point", data: { url: "no-such-file.csv" } }, /Loading failed no-such-file\.csv/],
    ["an array", [1, 2], /must be a JSON object, got an array/],
  ])("rejects %s", async (_name, spec, message) => {
    await expect(vegaLiteToSvg(spec)).rejects.toThrow(message);
  });
});

describe("addVegaLiteSvgs", () => {
  it("adds image/svg+xml next to every Vega-Lite spec and leaves other outputs alone", async () => {
    const stream: Output = { output_type: "stream", name: "stdout", text: "hi\n" };
    const notebook = notebookOf(
      [stream, { output_type: "display_data", data: { [VEGALITE]: SPEC, "text/plain": "chart" }, metadata: {} }],
      [{ output_type: "execute_result", execution_count: 2, data: { [VEGALITE]: SPEC, "image/svg+xml": "<svg>old</svg>" }, metadata: {} }],
      [{ output_type: "display_data", data: { "text/html": "<b>x</b>" }, metadata: {} }],
    );
    expect(await addVegaLiteSvgs(notebook, "lesson.ipynb")).toEqual([]);
    const [first, chart] = outputsOf(notebook, 1);
    expect(first).toEqual(stream);
    expect(String(svgOf(chart)).startsWith("<svg")).toBe(true);
    expect(chart.output_type === "display_data" && chart.data[VEGALITE]).toEqual(SPEC); // the spec stays
    expect(chart.output_type === "display_data" && chart.data["text/plain"]).toBe("chart");
    expect(svgOf(outputsOf(notebook, 2)[0])).not.toBe("<svg>old</svg>"); // re-rendered
    expect(outputsOf(notebook, 3)[0]).toEqual({ output_type: "display_data", data: { "text/html": "<b>x</b>" }, metadata: {} });
  });

  it("reports a spec that fails to render, naming notebook and cell, and still renders the others", async () => {
    const notebook = notebookOf(
      [{ output_type: "display_data", data: { [VEGALITE]: SPEC }, metadata: {} }],
      [{ output_type: "display_data", data: { [VEGALITE]: { mark: "nonsense" } }, metadata: {} }],
      [{ output_type: "display_data", data: { [VEGALITE]: SPEC }, metadata: {} }],
    );
    const problems = await addVegaLiteSvgs(notebook, "notebooks/03-charts.ipynb");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBeInstanceOf(ChartRenderError);
    expect(problems[0].where.cellNumber).toBe(2);
    expect(problems[0].message).toMatch(/^notebooks\/03-charts\.ipynb: cell 2 has a Vega-Lite chart that could not be rendered to SVG/);
    expect(problems[0].message).toContain("--- source ---\n    cell 2");
    expect(svgOf(outputsOf(notebook, 2)[0])).toBeUndefined();
    expect(String(svgOf(outputsOf(notebook, 1)[0]))).toMatch(/^<svg/);
    expect(String(svgOf(outputsOf(notebook, 3)[0]))).toMatch(/^<svg/);
  });
});

function cli(args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "notebook", "run-notebooks.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 50_000,
  });
  return { status: result.status, stdout: result.stdout + result.stderr };
}

function readCell(file: string, cellIndex: number): CodeCell {
  return parseNotebook(readFileSync(file, "utf8"), file).cells[cellIndex] as CodeCell;
}

describe("npm run notebooks writes SVG copies (real tslab kernel)", () => {
  it("adds the SVG to written notebooks; a broken chart fails its notebook only, naming the cell", () => {
    const out = path.join(work, "out");
    const { status, stdout } = cli([path.join(FIXTURES, "exec", "hello.ipynb"), path.join(FIXTURES, "bad-chart.ipynb"), "--out", out]);
    expect(stdout).toMatch(/^PASS test\/fixtures\/course\/exec\/hello\.ipynb /m);
    expect(stdout).toMatch(/^FAIL test\/fixtures\/course\/bad-chart\.ipynb /m);
    expect(stdout).toContain("bad-chart.ipynb: cell 2 has a Vega-Lite chart that could not be rendered to SVG");
    expect(stdout).toContain("Loading failed no-such-data.csv");
    expect(stdout).toMatch(/^1 passed, 1 failed$/m);
    expect(status).toBe(1);

    const chart = readCell(path.join(out, "hello.ipynb"), 2).outputs[0];
    expect(chart.output_type).toBe("display_data");
    expect(String(svgOf(chart))).toMatch(/^<svg[\s\S]*<\/svg>$/);
    // On disk the SVG is stored as lines, like every text MIME type.
    const disk = JSON.parse(readFileSync(path.join(out, "hello.ipynb"), "utf8"));
    expect(Array.isArray(disk.cells[2].outputs[0].data["image/svg+xml"])).toBe(true);
  });

  it("--no-svg turns the hook off", () => {
    expect(parseCliArgs(["--no-svg"]).noSvg).toBe(true);
    expect(parseCliArgs([]).noSvg).toBeUndefined();
  });
});
