// tidy() as a student meets it in a notebook: through the REAL tslab kernel
// (headless runner, built kernel-lib), a training step inside tidy() runs, a
// tensor the step let escape shows as freed when displayed, and using it
// prints the [tidy] error with the cell's own line.
import { describe, expect, it } from "vitest";
import type { CodeCell, Notebook } from "../../../tools/notebook/notebook";
import type { Output } from "../../../tools/notebook/outputs";
import { executeNotebook } from "../../../tools/notebook/run-notebook";

const cells = [
  [
    'import { F, Generator, nn, optim, randn, tensor, tidy } from "kernel-lib";',
    "const model = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.Flatten(), new nn.Linear(4 * 8 * 8, 3));",
    "const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });",
    "const x = randn([8, 1, 8, 8], { generator: new Generator(0) });",
    'const y = tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: "int32" });',
    "let seen: any = null;",
  ].join("\n"),
  [
    "const loss = tidy(() => {",
    "  opt.zeroGrad();",
    "  const logits = model.call(x);",
    "  seen = logits;",
    "  const l = F.crossEntropy(logits, y);",
    "  l.backward();",
    "  opt.step();",
    "  return l;",
    "});",
    "console.log(loss.item() > 0, model.parameters()[0].grad !== null);",
  ].join("\n"),
  "console.log(seen);",
  "// read later\nseen.sum();",
];

const printed = (outputs: Output[]): string => outputs.map((o) => (o.output_type === "stream" ? o.text : "")).join("");

describe("tidy() in the real tslab kernel", () => {
  it("trains inside, shows an escaped tensor as freed, and names tidy() and the cell line when it is used", async () => {
    const notebook: Notebook = {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: cells.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
    };
    const result = await executeNotebook(notebook, { allowErrors: true, cellTimeoutMs: 60_000, label: "tidy-kernel" });
    const cell = (n: number): string => printed((result.notebook.cells[n - 1] as CodeCell).outputs);
    expect(result.allowedErrors.map((e) => e.where.cellNumber)).toEqual([4]);
    expect(cell(2)).toBe("true true\n");
    expect(cell(3)).toContain("data: <freed when tidy() returned: shape [8,3]>");
    expect(cell(4)).toMatch(/^KernelError: \[tidy\] this tensor \(shape \[8,3\]\) was computed inside tidy\(\), whose memory was freed when it returned; .*keep\(\).*\n {4}at line 2 of the cell: seen\.sum\(\);\n$/);
  });
});

describe("tidy() interrupted in the real tslab kernel", () => {
  it("closes the scope the interrupted cell left open when the next cell starts", async () => {
    const notebook: Notebook = {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [
        'import { randn, tidy } from "kernel-lib";\nconst x = randn([256, 256]);\nlet inside: any = null;',
        // Runs until the runner's timeout interrupts it with SIGINT, as Jupyter's Interrupt does.
        "tidy(() => {\n  inside = x.mul(2);\n  for (;;) x.add(1);\n});",
        // Computed outside any tidy(): ordinary storage again, and the interrupted scope's tensor is released.
        "const after = x.mul(3);\nconsole.log(after.data.buffer instanceof SharedArrayBuffer);\ntry { inside.sum(); } catch (e) { console.log(String(e).split(';')[0]); }",
      ].map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
    };
    const result = await executeNotebook(notebook, { allowErrors: true, cellTimeoutMs: 8_000, label: "tidy-interrupt" });
    expect(result.allowedErrors.map((e) => e.where.cellNumber)).toEqual([2]);
    expect(printed((result.notebook.cells[2] as CodeCell).outputs)).toBe(
      "false\nKernelError: [tidy] this tensor (shape [256,256]) was computed inside tidy(), whose memory was freed when it returned\n",
    );
  });
});
