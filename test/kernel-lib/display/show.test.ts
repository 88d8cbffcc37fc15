// show() and the rich-output helpers outside a kernel (plain Node): the MIME
// bundles they build, the text they print, and the one-mime fallback used when
// only tslab's public `display.raw` is reachable. The real kernel is exercised
// in display-kernel.test.ts.
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  History, RichOutput, VEGA_LITE_MIME, arange, charts, html, inTslabKernel, latex, markdown, mimeBundleOf, randn, show, table, tensor,
} from "kernel-lib";

afterEach(() => {
  vi.restoreAllMocks();
  delete (globalThis as { __tslab__?: unknown }).__tslab__;
});

describe("mimeBundleOf", () => {
  it("sends a chart as Vega-Lite v5 with its title and description as the text fallback", () => {
    const spec = charts.lossCurves([{ epoch: 1, name: "loss", value: 1 }], { title: "Loss" });
    const bundle = mimeBundleOf({ ...spec, description: "train vs validation" });
    expect(Object.keys(bundle).sort()).toEqual([VEGA_LITE_MIME, "text/plain"].sort());
    expect(VEGA_LITE_MIME).toBe("application/vnd.vegalite.v5+json");
    expect(bundle[VEGA_LITE_MIME]).toMatchObject({ $schema: "https://vega.github.io/schema/vega-lite/v5.json", title: "Loss" });
    expect(bundle["text/plain"]).toBe("Chart: Loss — train vs validation");
  });

  it("adds the schema to a hand-written spec, and recognizes one by its view keys", () => {
    const bundle = mimeBundleOf({ mark: "point", data: { values: [] } });
    expect(bundle[VEGA_LITE_MIME]).toEqual({ $schema: "https://vega.github.io/schema/vega-lite/v5.json", mark: "point", data: { values: [] } });
    expect(bundle["text/plain"]).toBe("Chart (Vega-Lite; open in Jupyter to see it)");
    expect(mimeBundleOf({ title: { text: "T" }, layer: [] })["text/plain"]).toBe("Chart: T");
    // A Vega (not Vega-Lite) spec is not sent with the Vega-Lite mime type.
    expect(Object.keys(mimeBundleOf({ $schema: "https://vega.github.io/schema/vega/v5.json", marks: [] }))).toEqual(["text/plain"]);
  });

  it("shows a small float tensor as a table with indices, and toString() as text", () => {
    const t = tensor([[1, -2.5], [0, 3]]);
    const bundle = mimeBundleOf(t);
    expect(bundle["text/plain"]).toBe(t.toString());
    expect(bundle["text/html"]).toBe(
      '<table style="font-family:monospace;text-align:right"><caption>tensor · shape [2, 2] · float32</caption>' +
        "<thead><tr><th></th><th>0</th><th>1</th></tr></thead><tbody>" +
        "<tr><th>0</th><td>1.0000</td><td>-2.5000</td></tr><tr><th>1</th><td>0.0000</td><td>3.0000</td></tr></tbody></table>",
    );
  });

  it("summarizes a large tensor to its corners and names its autograd state", () => {
    const big = arange(0, 1000, 1, { dtype: "int32" }).reshape(40, 25);
    const htmlText = mimeBundleOf(big)["text/html"] as string;
    expect(htmlText.match(/<tr>/g)?.length).toBe(1 + 21); // header + 10 + ⋮ + 10
    expect(htmlText).toContain("<th>⋮</th>");
    expect(htmlText).toContain("<th>…</th>");
    expect(htmlText).toContain("<td>999</td>");
    expect(htmlText).not.toContain("<td>500</td>");
    const w = randn([3]).requiresGrad_();
    expect(mimeBundleOf(w.mul(2))["text/html"]).toContain("gradFn mul");
    expect(mimeBundleOf(w)["text/html"]).toContain("float32 · requiresGrad");
  });

  it("shows ≥ 3-D tensors as their printed form", () => {
    const t = arange(0, 8).reshape(2, 2, 2);
    expect(mimeBundleOf(t)["text/html"]).toContain(`<pre>${t.toString()}</pre>`);
  });

  it("turns row objects and a History into tables, and anything else into text", () => {
    const h = new History();
    h.record({ loss: 0.5, valLoss: 0.75 });
    expect(mimeBundleOf(h)["text/plain"]).toBe(["training history", "epoch    loss  valLoss", "-----  ------  -------", "    1  0.5000   0.7500"].join("\n"));
    expect(mimeBundleOf([{ a: 1 }, { a: 2 }])["text/plain"]).toBe("a\n-\n1\n2");
    expect(mimeBundleOf("hello")).toEqual({ "text/plain": "hello" });
    expect(mimeBundleOf([1, 2])).toEqual({ "text/plain": "[\n  1,\n  2\n]" });
  });
});

describe("table", () => {
  const rows = [
    { epoch: 1, loss: 0.693147, note: "start" },
    { epoch: 10, loss: 0.05, note: "<end>" },
  ];

  it("aligns numbers right with one format per column, text left", () => {
    expect(table(rows, { caption: "logs" }).toString()).toBe(
      ["logs", "epoch    loss  note", "-----  ------  -----", "    1  0.6931  start", "   10  0.0500  <end>"].join("\n"),
    );
    expect(table(rows, { digits: 2, columns: ["loss", "epoch"] }).toString()).toBe(["loss  epoch", "----  -----", "0.69      1", "0.05     10"].join("\n"));
  });

  it("escapes HTML and right-aligns numeric cells", () => {
    const htmlText = table(rows).bundle["text/html"] as string;
    expect(htmlText).toContain("<td>&lt;end&gt;</td>");
    expect(htmlText).toContain('<td style="text-align:right">0.6931</td>');
    expect(htmlText.startsWith("<table><thead><tr><th>epoch</th><th>loss</th><th>note</th></tr></thead>")).toBe(true);
  });

  it("switches a column to scientific notation when fixed decimals would print 0, and shows missing cells empty", () => {
    expect(table([{ lr: 1e-5, x: null }, { lr: 0.1, x: 2 }]).toString()).toBe(["       lr  x", "---------  -", "1.0000e-5", "1.0000e-1  2"].join("\n"));
  });

  it("keeps the first and last rows of a long table", () => {
    const long = table(Array.from({ length: 10 }, (_, i) => ({ i })), { maxRows: 4 }).toString();
    expect(long).toBe(["i", "-", "0", "1", "…", "8", "9"].join("\n"));
    expect(() => table(rows, { digits: -1 })).toThrow("[table] Invalid digits: -1 (must be an integer in [0, 20])");
  });
});

describe("markdown, latex, html", () => {
  it("carry their source as the text fallback", () => {
    expect(markdown("**bold**").bundle).toEqual({ "text/markdown": "**bold**", "text/plain": "**bold**" });
    expect(html("<b>a</b> &amp; <i>b</i><br>c").bundle).toEqual({ "text/html": "<b>a</b> &amp; <i>b</i><br>c", "text/plain": "a & b\nc" });
  });

  it("wraps a bare formula in $$ for Jupyter, and leaves delimited text alone", () => {
    expect(latex("\\frac{2}{n}").bundle).toEqual({ "text/latex": "$$\\frac{2}{n}$$", "text/plain": "\\frac{2}{n}" });
    expect(latex("$a$ and $b$").bundle["text/latex"]).toBe("$a$ and $b$");
    expect(latex("\\begin{align}a\\end{align}").bundle["text/latex"]).toBe("\\begin{align}a\\end{align}");
  });

  it("print as their text, also through util.inspect (a cell's last value in tslab)", () => {
    const out = markdown("# Title");
    expect(out).toBeInstanceOf(RichOutput);
    expect(String(out)).toBe("# Title");
    expect(inspect(out)).toBe("# Title");
  });
});

describe("show outside a kernel", () => {
  it("prints the text form to stdout", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(inTslabKernel()).toBe(false);
    show(charts.bar([{ k: "a", v: 1 }], { x: "k", y: "v", title: "Bars" }));
    show(tensor([1, 2]));
    show(table([{ a: 1 }]));
    expect(log.mock.calls).toEqual([["Chart: Bars"], ["tensor([1.0000, 2.0000])"], ["a\n-\n1"]]);
  });
});

describe("show when only tslab's public display API is reachable", () => {
  // A stand-in for the kernel's `globalThis.__tslab__`: its require("tslab") is a
  // module that is not in node's module cache, so show() cannot find jupyter.js
  // and must use `display.raw`, which sends one mime type per output.
  function fakeKernel() {
    const raw = vi.fn();
    const tslab = { display: { raw }, newDisplay: () => ({ raw }) };
    (globalThis as { __tslab__?: unknown }).__tslab__ = { require: (id: string) => (id === "tslab" ? tslab : null), exports: {} };
    return raw;
  }

  it("sends the richest mime type: the Vega-Lite spec as a JSON object, a tensor's HTML", () => {
    const raw = fakeKernel();
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(inTslabKernel()).toBe(true);
    const spec = charts.line([{ x: 1, y: 2 }], { x: "x", y: "y" });
    show(spec);
    show(tensor([1]));
    show("plain");
    expect(raw.mock.calls.map((c) => c[0])).toEqual([VEGA_LITE_MIME, "text/html", "text/plain"]);
    expect(raw.mock.calls[0][1]).toBe(spec);
    expect(raw.mock.calls[2][1]).toBe("plain");
    expect(log).not.toHaveBeenCalled();
  });
});
