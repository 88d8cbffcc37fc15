// Our headless runner against Jupyter's own: the same notebook executed by
// tools/notebook and by `jupyter nbconvert --execute` (nbclient) on the
// course kernelspec must give the same outputs. Skipped, with the reason
// printed, where `jupyter nbconvert` is not installed (.ci/run installs it
// from Debian's packages when it can).
//
// The fixture has no failing cell on purpose: tslab aborts cells sent within
// 200 ms after a failing one, which nbclient does (see tools/notebook/README.md);
// our runner waits and re-sends, so the two differ there by design. A second
// notebook, whose last cell fails, checks the error Jupyter shows the student.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KERNEL_NAME, writeKernelSpecFolder } from "../../../tools/course/kernelspec";
import { nbconvertMissing } from "../../helpers/jupyter";
import { parseNotebook, readNotebook, type Notebook } from "../../../tools/notebook/notebook";
import type { Output } from "../../../tools/notebook/outputs";
import { executeNotebook } from "../../../tools/notebook/run-notebook";

const ROOT = path.join(__dirname, "..", "..", "..");
const FIXTURE = path.join(__dirname, "..", "..", "fixtures", "course", "nbconvert.ipynb");


const missing = nbconvertMissing();
if (missing !== null) console.warn(`course-nbconvert: skipped, ${missing}`);

// Inside the checkout (build/ is ignored by git): the course kernel runs the
// tslab of the checkout that holds the notebook, and refuses a notebook outside one.
mkdirSync(path.join(ROOT, "build"), { recursive: true });
const work = mkdtempSync(path.join(ROOT, "build", "course-nbconvert-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A JUPYTER_PATH folder holding the course kernelspec for this checkout (as `npm run kernel:install` writes it). */
function kernelspecFolder(): string {
  const jupyterPath = path.join(work, "jupyter-path");
  writeKernelSpecFolder(path.join(jupyterPath, "kernels", KERNEL_NAME));
  return jupyterPath;
}

function runNbconvert(input: string, output: string, extra: string[] = []): void {
  const jupyterHome = path.join(work, "jupyter-home");
  const result = spawnSync(
    "jupyter",
    ["nbconvert", "--to", "notebook", "--execute", `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`, "--ExecutePreprocessor.timeout=60", ...extra, "--output", output, input],
    {
      cwd: path.dirname(input),
      encoding: "utf8",
      timeout: 90_000,
      env: {
        ...process.env,
        JUPYTER_PATH: kernelspecFolder(),
        // Keep the user's Jupyter config, data and runtime files out of it.
        JUPYTER_CONFIG_DIR: path.join(jupyterHome, "config"),
        JUPYTER_DATA_DIR: path.join(jupyterHome, "data"),
        JUPYTER_RUNTIME_DIR: path.join(jupyterHome, "runtime"),
      },
    },
  );
  if (result.status !== 0) throw new Error(`jupyter nbconvert failed (${result.status}):\n${result.stdout}${result.stderr}`);
}

/** Outputs without execution metadata; consecutive streams of one name merged (nbformat treats them as one). */
function comparable(notebook: Notebook): unknown[][] {
  return notebook.cells.map((cell) => {
    if (cell.cell_type !== "code") return [];
    const outputs: Output[] = [];
    for (const output of cell.outputs) {
      const last = outputs[outputs.length - 1];
      if (output.output_type === "stream" && last?.output_type === "stream" && last.name === output.name) {
        outputs[outputs.length - 1] = { ...last, text: last.text + output.text };
      } else outputs.push(output);
    }
    return outputs.map((output) => {
      switch (output.output_type) {
        case "stream":
          return { type: "stream", name: output.name, text: output.text };
        case "error":
          return { type: "error", ename: output.ename, evalue: output.evalue };
        default:
          return { type: output.output_type, data: output.data };
      }
    });
  });
}

describe("our runner and jupyter nbconvert give the same outputs", () => {
  it.skipIf(missing !== null)(
    `executes the fixture both ways on the course kernel and compares${missing === null ? "" : ` (skipped: ${missing})`}`,
    async () => {
      const copy = path.join(work, "nbconvert.ipynb");
      copyFileSync(FIXTURE, copy);
      runNbconvert(copy, "by-nbconvert.ipynb");
      const theirs = parseNotebook(readFileSync(path.join(work, "by-nbconvert.ipynb"), "utf8"), "by-nbconvert.ipynb");

      const ours = await executeNotebook(await readNotebook(FIXTURE), { cwd: work, cellTimeoutMs: 30_000 });
      expect(ours.failure).toBeNull();

      const expected = comparable(ours.notebook);
      // Not trivially equal: the fixture's outputs are all there.
      expect(expected[0]).toEqual([
        { type: "stream", name: "stdout", text: "a\nb\n" },
        { type: "stream", name: "stderr", text: "to stderr\n" },
      ]);
      expect(expected[2]).toEqual([
        { type: "display_data", data: { "text/html": "<i>hi</i>" } },
        { type: "display_data", data: { "text/plain": "plain text" } },
      ]);
      expect(expected[3]).toEqual([{ type: "stream", name: "stdout", text: "42\n" }]); // tslab prints a last expression
      // Execution counts are not compared: tslab sends no execute_input, so nbclient leaves them null.
      expect(comparable(theirs)).toEqual(expected);
    },
  );
});

// The error of a student's cell, as Jupyter shows it on the course kernel (its
// launcher preloads kernel-lib's cell recorder; no cell imports kernel-lib here):
// the message first, the cell's own lines, no frame of tslab's, node's or vm's.
// One failing cell, the last (see above: tslab aborts the cells right after one).
describe("an error in a cell, run by jupyter nbconvert on the course kernel", () => {
  it.skipIf(missing !== null)(`speaks about the student's cells${missing === null ? "" : ` (skipped: ${missing})`}`, () => {
    const cells = [
      ["function check(x: number) {", "  if (x < 0) throw new Error(`mine: ${x} is negative`);", "  return x;", "}"].join("\n"),
      ["// loads a batch, then checks it", "async function load(n: number) {", "  await new Promise((r) => setTimeout(r, 1));", "", "  return check(n);", "}", "await load(-1);"].join("\n"),
    ];
    const notebook: Notebook = {
      ...parseNotebook(readFileSync(FIXTURE, "utf8"), "nbconvert.ipynb"),
      cells: cells.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
    };
    const input = path.join(work, "error.ipynb");
    writeFileSync(input, JSON.stringify(notebook));
    runNbconvert(input, "error-by-nbconvert.ipynb", ["--allow-errors"]);
    const outputs = comparable(parseNotebook(readFileSync(path.join(work, "error-by-nbconvert.ipynb"), "utf8"), "error-by-nbconvert.ipynb"));
    expect(outputs[0]).toEqual([]);
    expect(outputs[1]).toEqual([
      {
        type: "stream",
        name: "stderr",
        text:
          "Error: mine: -1 is negative\n" +
          "    at line 2 of an earlier cell, in check: if (x < 0) throw new Error(`mine: ${x} is negative`);\n" +
          "    at line 5 of the cell, in load: return check(n);\n" +
          "    at line 7 of the cell: await load(-1);\n",
      },
    ]);
  });
});
