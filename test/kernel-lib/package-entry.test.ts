// Proves that the engine loads inside a tslab notebook by its package name,
// i.e. through node_modules/kernel-lib -> kernel-lib/package.json "main"
// (dist/index.js, built by `npm run build`), exactly as course notebooks do.
// Unlike the other tests, the notebook uses the BUILT package; comparing with
// the version from the sources (vitest aliases "kernel-lib" to them) also
// catches a stale build.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { version } from "kernel-lib";
import { runNotebookFile } from "../../tools/notebook/run-notebook";

describe("kernel-lib package entry", () => {
  it("can be imported by name in a tslab notebook", async () => {
    const result = await runNotebookFile(path.join(__dirname, "..", "fixtures", "notebooks", "package-entry.ipynb"), {
      cellTimeoutMs: 30_000,
    });
    expect(result.failure?.message ?? null, "is kernel-lib built? (npm run build)").toBeNull();
    const cell = result.notebook.cells[0];
    if (cell.cell_type !== "code") throw new Error("expected a code cell");
    expect(cell.outputs).toEqual([{ output_type: "stream", name: "stdout", text: `kernel-lib ${version}\n` }]);
  });
});
