// Errors in notebook cells speak about the student's code: through the REAL tslab
// kernel (headless runner, built kernel-lib), a shape error prints its message
// first, the cell's own line, and none of the engine's frames; detectAnomaly(true)
// and KERNEL_LIB_FULL_STACK=1 keep the full stack.
import { describe, expect, it } from "vitest";
import { sourceLineOf, undoRewrites } from "../../../kernel-lib/src/display/cell-stack";
import type { CodeCell, Notebook } from "../../../tools/notebook/notebook";
import type { Output } from "../../../tools/notebook/outputs";
import { executeNotebook } from "../../../tools/notebook/run-notebook";

function notebookOf(sources: string[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: sources.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
  };
}

const printed = (outputs: Output[]): string => outputs.map((o) => (o.output_type === "stream" ? o.text : "")).join("");

describe("compiled cell lines mapped to the cell", () => {
  it("undoes tslab's rewrites of imported names and exports", () => {
    expect(undoRewrites("exports.tsLastExpr = (0, kernel_lib_1.matmul)(a, exports.b);")).toBe("matmul(a, b);");
    expect(undoRewrites('(function(exports, require) { const kernel_lib_1 = require("kernel-lib");')).toBe('const kernel_lib_1 = require("kernel-lib");');
  });

  it("finds the source line sharing most words, and the k-th of repeated lines", () => {
    const source = ['import { matmul } from "kernel-lib";', "const a = x;", "matmul(a, a);", "", "matmul(a, a);"];
    const compiled = ["(function(exports, require) { Object.defineProperty(exports, \"__esModule\", { value: true });", "exports.a = void 0;",
      'const kernel_lib_1 = require("kernel-lib");', "const a = x;", "exports.a = a;", "(0, kernel_lib_1.matmul)(a, a);", "(0, kernel_lib_1.matmul)(a, a);"];
    expect(sourceLineOf(source, compiled, 3)).toBe(1);
    expect(sourceLineOf(source, compiled, 5)).toBe(2);
    expect(sourceLineOf(source, compiled, 6)).toBe(4);
    expect(sourceLineOf(source, ["totally unrelated words here"], 0)).toBe(-1);
  });
});

describe("errors in the real tslab kernel", () => {
  it("print the message first, the cell's line, and no engine frames; the full stack on request", async () => {
    const shapeError = ['import { tensor, matmul } from "kernel-lib";', "const a = tensor([[1, 2, 3]]);", "const b = matmul(a, a);"].join("\n");
    const result = await executeNotebook(
      notebookOf([
        shapeError, // the cell that loads kernel-lib: known from the start through kernel-preload.js
        shapeError,
        ['import { tensor, nn } from "kernel-lib";', "const m = new nn.Linear(3, 4);", "function run(x: any) {", "  return m.forward(x);", "}"].join("\n"),
        "// a helper of the cell before\nrun(tensor([[1, 2]]));",
        ["function twice(x: any) {", "  return run(x);", "}", "twice(tensor([[1, 2]]));"].join("\n"),
        'import { detectAnomaly } from "kernel-lib";\ndetectAnomaly(true);',
        shapeError,
        'import { detectAnomaly } from "kernel-lib";\ndetectAnomaly(false);\nprocess.env.KERNEL_LIB_FULL_STACK = "1";',
        shapeError,
      ]),
      { allowErrors: true, cellTimeoutMs: 60_000, label: "cell-stack" },
    );
    const cell = (n: number): string => printed((result.notebook.cells[n - 1] as CodeCell).outputs);
    expect(result.allowedErrors.map((e) => e.where.cellNumber)).toEqual([1, 2, 4, 5, 7, 9]);

    expect(cell(1)).toBe(cell(2));
    expect(cell(2)).toBe("KernelError: [matmul] cannot multiply [1,3] by [1,3]: inner sizes 3 and 1 differ\n    at line 3 of the cell: const b = matmul(a, a);\n");
    // Functions: of an earlier cell (told apart by where they are defined), and of this one.
    expect(cell(4)).toBe(
      "KernelError: [linear] input [1,2] has 2 features but the weight [4,3] expects 3\n" +
        "    at line 4 of an earlier cell, in run: return m.forward(x);\n" +
        "    at line 2 of the cell: run(tensor([[1, 2]]));\n",
    );
    expect(cell(5)).toBe(
      "KernelError: [linear] input [1,2] has 2 features but the weight [4,3] expects 3\n" +
        "    at line 4 of an earlier cell, in run: return m.forward(x);\n" +
        "    at line 2 of the cell, in twice: return run(x);\n" +
        "    at line 4 of the cell: twice(tensor([[1, 2]]));\n",
    );
    for (const full of [cell(7), cell(9)]) {
      expect(full).toContain("KernelError: [matmul] cannot multiply");
      expect(full).toMatch(/kernel-lib[/\\]dist[/\\]ops[/\\]matmul\.js/);
      expect(full).toContain("evalmachine.<anonymous>");
    }
  });
});
