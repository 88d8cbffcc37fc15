// show() inside the REAL tslab kernel, through the headless notebook runner:
// the notebook imports the BUILT kernel-lib (dist/, by `npm run build`), as
// course notebooks do. Each output must be ONE display_data carrying both the
// rich mime type and its text/plain fallback.
import { describe, expect, it } from "vitest";
import type { CodeCell, Notebook } from "../../../tools/notebook/notebook";
import type { Output } from "../../../tools/notebook/outputs";
import { executeNotebook } from "../../../tools/notebook/run-notebook";

function notebookOf(sources: string[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
    cells: sources.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
  };
}

function outputsOf(notebook: Notebook, cellNumber: number): Output[] {
  return (notebook.cells[cellNumber - 1] as CodeCell).outputs;
}

describe("show in a tslab notebook", () => {
  it("sends charts, tensors, tables and text helpers as single outputs with both mime types", async () => {
    const result = await executeNotebook(
      notebookOf([
        [
          'import { show, charts, tensor, inTslabKernel } from "kernel-lib";',
          'console.log("in kernel:", inTslabKernel());',
          'show(charts.line([{ x: 1, y: 2 }, { x: 2, y: 3 }], { x: "x", y: "y", title: "A line" }));',
          "show(tensor([[1, 2], [3, 4]]));",
        ].join("\n"),
        [
          'import { show, table, markdown, latex, html } from "kernel-lib";',
          'show(table([{ a: 1, b: "x" }]));',
          'show(markdown("**m**"));',
          'show(latex("x^2"));',
          'show(html("<b>h</b>"));',
        ].join("\n"),
      ]),
      { cellTimeoutMs: 60_000, label: "display-kernel" },
    );
    expect(result.failure?.message ?? null, "is kernel-lib built? (npm run build)").toBeNull();

    const [printed, chart, tensorOut] = outputsOf(result.notebook, 1);
    expect(printed).toEqual({ output_type: "stream", name: "stdout", text: "in kernel: true\n" });
    expect(chart.output_type).toBe("display_data");
    if (chart.output_type !== "display_data" || tensorOut.output_type !== "display_data") throw new Error("expected displays");
    expect(Object.keys(chart.data).sort()).toEqual(["application/vnd.vegalite.v5+json", "image/png", "image/svg+xml", "text/plain"]);
    expect(chart.data["application/vnd.vegalite.v5+json"]).toMatchObject({
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      title: "A line",
      data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
    });
    expect(chart.data["text/plain"]).toBe("Chart: A line");
    expect(Object.keys(tensorOut.data).sort()).toEqual(["text/html", "text/plain"]);
    expect(tensorOut.data["text/html"]).toContain("<td>4.0000</td>");

    const second = outputsOf(result.notebook, 2);
    expect(second.map((o) => (o.output_type === "display_data" ? Object.keys(o.data).sort().join(" ") : o.output_type))).toEqual([
      "text/html text/plain",
      "text/markdown text/plain",
      "text/latex text/plain",
      "text/html text/plain",
    ]);
    expect(second.map((o) => (o.output_type === "display_data" ? o.data["text/plain"] : ""))).toEqual(["a  b\n-  -\n1  x", "**m**", "x^2", "h"]);
  });
});
