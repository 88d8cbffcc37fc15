// Errors in notebook cells speak about the student's code: through the REAL tslab
// kernel (headless runner, built kernel-lib), a shape error prints its message
// first, the cell's own line, and none of the engine's frames; detectAnomaly(true)
// and KERNEL_LIB_FULL_STACK=1 keep the full stack.
import { describe, expect, it } from "vitest";
import { framesOf, sourceLineOf, undoRewrites } from "../../../kernel-lib/src/display/cell-stack";
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
    // Of lines holding all its words, the one with the fewest others: the call, not the declaration.
    expect(sourceLineOf(["const f: any = 3;", "f();"], ["const f = 3;", "exports.tsLastExpr = f();"], 1)).toBe(1);
  });
});

describe("frames read back from a printed stack", () => {
  it("names the function, the script and the line of each `at` line, and skips the rest", () => {
    const stack = [
      "evalmachine.<anonymous>:5", // vm's caret lines
      "        throw new Error(`mine`);",
      "        ^",
      "Error: mine",
      "    at Proxy.check (evalmachine.<anonymous>:5:15)",
      "    at evalmachine.<anonymous>:3:30",
      "    at async load (evalmachine.<anonymous>:4:9)",
      "    at async evalmachine.<anonymous>:10:22",
      "    at new Net (/home/me/course/mine.ts:12:3)",
      "    at Net.forward [as call] (/home/me/course/mine.ts:20:5)",
      "    at Array.map (<anonymous>)",
      "    at Object.<anonymous> (C:\\course\\a.js:1:2)",
      "    at async Promise.all (index 0)",
      "    at Script.runInThisContext (node:vm:135:14)",
    ].join("\n");
    expect(framesOf(stack).map(({ fn, file, line }) => [fn, file, line])).toEqual([
      ["check", "evalmachine.<anonymous>", 5],
      [null, "evalmachine.<anonymous>", 3],
      ["load", "evalmachine.<anonymous>", 4],
      [null, "evalmachine.<anonymous>", 10],
      ["Net", "/home/me/course/mine.ts", 12],
      ["forward", "/home/me/course/mine.ts", 20],
      ["map", null, null],
      [null, "C:\\course\\a.js", 1],
      ["all", null, null],
      ["runInThisContext", "node:vm", 135],
    ]);
    expect(framesOf(stack)[4].text).toBe("new Net (/home/me/course/mine.ts:12:3)");
    expect(framesOf("Error: ENOENT: no such file or directory")).toEqual([]);
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

  it("tidy any error that escapes a cell: a TypeError, the student's own throw, a rejected await", async () => {
    const result = await executeNotebook(
      notebookOf([
        // A TypeError at line 5 of the cell (line 8 of the compiled cell), after a comment and a blank line.
        ["// the layer sizes", "const shapes: any = { a: [1, 2] };", 'const name = "b";', "", "const rows = shapes[name].shape[0];", "console.log(rows);"].join("\n"),
        ["function check(x: number) {", "  if (x < 0) throw new Error(`mine: ${x} is negative`);", "  return x;", "}"].join("\n"),
        "// the helper of the cell before\nconst y = check(-1);",
        "const f: any = 3;\nf();",
        "const n = -1;\nconst xs = new Array(n);",
        ["async function load(n: number) {", "  await new Promise((r) => setTimeout(r, 1));", "  throw new RangeError(`no batch ${n}`);", "}", "const batch = 3;", "await load(batch);"].join("\n"),
        'const outer = new Error("outer", { cause: new TypeError("inner") });\nthrow outer;',
        'await require("node:fs").promises.readFile("/no/such/file");',
        // No frame at all: the error of a callback of node's.
        'await new Promise((_, reject) => require("node:fs").readFile("/no/such/file", reject));',
        // A TypeError deep in the engine (not a KernelError): the engine's frames go too.
        'import { nn } from "kernel-lib";\nconst lin = new nn.Linear(3, 4);\nnew nn.Sequential(lin, new nn.ReLU()).forward(null as any);',
        'throw "a string";',
        'const k: number = "a";',
        // Deeper than node's 10 frames: twelve containers, then the cell.
        'import { nn } from "kernel-lib";\nlet net: nn.Module = new nn.Linear(3, 4);\nfor (let i = 0; i < 12; i++) net = new nn.Sequential(net);\nnet.forward(null as any);',
        'import { detectAnomaly } from "kernel-lib";\ndetectAnomaly(true);',
        "check(-2);",
      ]),
      { allowErrors: true, cellTimeoutMs: 60_000, label: "cell-stack-any" },
    );
    const cell = (n: number): string => printed((result.notebook.cells[n - 1] as CodeCell).outputs);
    // Each one still fails its cell, as tslab does.
    expect(result.allowedErrors.map((e) => e.where.cellNumber)).toEqual([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15]);
    expect(cell(1)).toBe("TypeError: Cannot read properties of undefined (reading 'shape')\n    at line 5 of the cell: const rows = shapes[name].shape[0];\n");
    expect(cell(3)).toBe(
      "Error: mine: -1 is negative\n" +
        "    at line 2 of an earlier cell, in check: if (x < 0) throw new Error(`mine: ${x} is negative`);\n" +
        "    at line 2 of the cell: const y = check(-1);\n",
    );
    expect(cell(4)).toBe("TypeError: f is not a function\n    at line 2 of the cell: f();\n");
    expect(cell(5)).toBe("RangeError: Invalid array length\n    at line 2 of the cell: const xs = new Array(n);\n");
    // Rejected after an await: V8's async frames name the awaiting line of the cell.
    expect(cell(6)).toBe(
      "RangeError: no batch 3\n" +
        "    at line 3 of the cell, in load: throw new RangeError(`no batch ${n}`);\n" +
        "    at line 6 of the cell: await load(batch);\n",
    );
    // The cause, which util.inspect prints after the error, is tidied too.
    expect(cell(7)).toMatch(/^Error: outer\n    at line 1 of the cell: const outer = .*\n.*\[cause\]: TypeError: inner\n\s+at line 1 of the cell: const outer/s);
    expect(cell(8)).toMatch(/^Error: ENOENT: no such file or directory, open '\/no\/such\/file'\n    at line 1 of the cell: await require.*\n  code: 'ENOENT',/s);
    expect(cell(9)).toMatch(/^\[Error: ENOENT: no such file or directory, open '\/no\/such\/file'\] \{\n  errno: -2,/); // node's print of a stack without frames
    expect(cell(10)).toBe("TypeError: Cannot read properties of null (reading 'ndim')\n    at line 3 of the cell: new nn.Sequential(lin, new nn.ReLU()).forward(null as any);\n");
    expect(cell(11)).toBe("a string\n");
    expect(cell(12)).toBe("1:7 - Type 'string' is not assignable to type 'number'.\n"); // tslab's own, with the cell's line
    expect(cell(13)).toBe("TypeError: Cannot read properties of null (reading 'ndim')\n    at line 4 of the cell: net.forward(null as any);\n");
    for (const n of [1, 3, 4, 5, 6, 7, 8, 9, 10, 13]) {
      expect(cell(n)).not.toMatch(/evalmachine|node_modules[/\\]tslab|node:internal|node:vm|kernel-lib[/\\]dist|\n\s*\^/);
    }
    // The full stack on request, for any error.
    expect(cell(15)).toContain("Error: mine: -2 is negative");
    expect(cell(15)).toContain("evalmachine.<anonymous>");
    expect(cell(15)).toMatch(/node_modules[/\\]tslab/);
  });
});
