// Unit tests of the notebook runner's pure parts: wire format, output
// collection, .ipynb reading/writing, CLI arguments. No kernel involved.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sourceExcerpt, tidyTraceback } from "../../../tools/notebook/errors";
import { parseNotebook, serializeNotebook } from "../../../tools/notebook/notebook";
import { CellOutputs, DisplayRegistry } from "../../../tools/notebook/outputs";
import { createMessage, decodeMessage, DELIMITER, encodeMessage, ProtocolError, type JsonObject, type JupyterMessage } from "../../../tools/notebook/protocol";
import { parseCliArgs, UsageError } from "../../../tools/notebook/run-notebooks";

const KEY = "secret-key";

function iopub(msgType: string, content: JsonObject): JupyterMessage {
  return createMessage(msgType, content, "session");
}

describe("protocol", () => {
  it("round-trips a signed message, routing identities included", () => {
    const msg = createMessage("execute_request", { code: "1 + 1" }, "s1");
    msg.identities = [Buffer.from("peer")];
    const frames = encodeMessage(msg, KEY);
    expect(frames[1].equals(DELIMITER)).toBe(true);
    const decoded = decodeMessage(frames, KEY);
    expect(decoded.header).toEqual(msg.header);
    expect(decoded.content).toEqual({ code: "1 + 1" });
    expect(decoded.identities.map(String)).toEqual(["peer"]);
  });

  it("rejects a wrong signature, a wrong key and a missing delimiter", () => {
    const frames = encodeMessage(createMessage("status", { execution_state: "idle" }, "s"), KEY);
    const tampered = [...frames];
    tampered[5] = Buffer.from(JSON.stringify({ execution_state: "busy" }));
    expect(() => decodeMessage(tampered, KEY)).toThrow(ProtocolError);
    expect(() => decodeMessage(frames, "other-key")).toThrow(/signature/);
    expect(() => decodeMessage(frames.slice(1), KEY)).toThrow(/delimiter/);
  });
});

describe("CellOutputs", () => {
  it("merges consecutive streams of the same name only", () => {
    const cell = new CellOutputs();
    cell.add(iopub("stream", { name: "stdout", text: "a" }));
    cell.add(iopub("stream", { name: "stdout", text: "b\n" }));
    cell.add(iopub("stream", { name: "stderr", text: "e\n" }));
    cell.add(iopub("stream", { name: "stdout", text: "c\n" }));
    expect(cell.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "ab\n" },
      { output_type: "stream", name: "stderr", text: "e\n" },
      { output_type: "stream", name: "stdout", text: "c\n" },
    ]);
  });

  it("applies update_display_data to the display with that id, even in an earlier cell", () => {
    const displays = new DisplayRegistry();
    const first = new CellOutputs(displays);
    first.add(iopub("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "p" } }));
    const second = new CellOutputs(displays);
    second.add(iopub("update_display_data", { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "p" } }));
    expect(first.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "100%" }, metadata: {} }]);
    expect(second.outputs).toEqual([]);
  });

  it("clears at once, or before the next output with wait: true", () => {
    const cell = new CellOutputs();
    cell.add(iopub("stream", { name: "stdout", text: "old\n" }));
    cell.add(iopub("clear_output", { wait: true }));
    expect(cell.outputs).toHaveLength(1);
    cell.add(iopub("stream", { name: "stdout", text: "new\n" }));
    expect(cell.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "new\n" }]);
    cell.add(iopub("clear_output", { wait: false }));
    expect(cell.outputs).toEqual([]);
  });

  it("keeps execute_result and error outputs, and renders text for messages", () => {
    const cell = new CellOutputs();
    cell.add(iopub("execute_result", { execution_count: 3, data: { "text/plain": "42" }, metadata: {} }));
    cell.add(iopub("error", { ename: "Error", evalue: "boom", traceback: ["\u001b[31mError: boom\u001b[0m"] }));
    expect(cell.outputs.map((o) => o.output_type)).toEqual(["execute_result", "error"]);
    expect(cell.text()).toBe("42\nError: boom");
  });
});

describe("notebook files", () => {
  const text = JSON.stringify({
    nbformat: 4,
    nbformat_minor: 2,
    metadata: {},
    cells: [
      { cell_type: "markdown", metadata: {}, source: ["# Title\n", "text"] },
      {
        cell_type: "code",
        metadata: { tags: ["raises-exception"] },
        execution_count: 1,
        source: "a\nb",
        outputs: [
          { output_type: "stream", name: "stdout", text: ["x\n", "y\n"] },
          { output_type: "display_data", metadata: {}, data: { "text/html": ["<p>\n", "</p>"], "application/vnd.vegalite.v5+json": { mark: "point" } } },
        ],
      },
    ],
  });

  it("joins multi-line strings on reading and splits them on writing, as nbformat 4.5", () => {
    const nb = parseNotebook(text, "t.ipynb");
    expect(nb.cells[0].source).toBe("# Title\ntext");
    const code = nb.cells[1];
    expect(code.cell_type === "code" && code.outputs[0]).toEqual({ output_type: "stream", name: "stdout", text: "x\ny\n" });
    const written = JSON.parse(serializeNotebook(nb));
    expect(written.nbformat_minor).toBe(5);
    expect(written.cells[1].source).toEqual(["a\n", "b"]);
    expect(written.cells[1].outputs[1].data).toEqual({
      "application/vnd.vegalite.v5+json": { mark: "point" },
      "text/html": ["<p>\n", "</p>"],
    });
    expect(written.cells.every((cell: { id?: unknown }) => typeof cell.id === "string")).toBe(true);
    expect(parseNotebook(serializeNotebook(nb), "t.ipynb").cells[1]).toMatchObject({ source: "a\nb" });
  });

  it("names the file and the problem for malformed cells", () => {
    const bad = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "code" }] });
    expect(() => parseNotebook(bad, "bad.ipynb")).toThrow('bad.ipynb: cell 1 has no string "source"');
  });
});

describe("error messages", () => {
  it("trims tslab and vm frames and long sources", () => {
    const trace = "Error: boom\n    at evalmachine.<anonymous>:2:7\n    at Script.runInThisContext (node:vm:135:14)\n    at x (/r/node_modules/tslab/dist/executor.js:1:1)";
    expect(tidyTraceback(trace)).toBe("Error: boom\n    at evalmachine.<anonymous>:2:7");
    const excerpt = sourceExcerpt(Array.from({ length: 12 }, (_, i) => `line ${i}`).join("\n"));
    expect(excerpt.split("\n")).toHaveLength(9);
    expect(excerpt).toContain("(4 more lines)");
  });
});

describe("CLI arguments", () => {
  it("parses paths and options", () => {
    expect(parseCliArgs(["a.ipynb", "--out", "o", "--timeout", "2.5", "--allow-errors", "b"])).toEqual({
      paths: ["a.ipynb", "b"],
      outDir: "o",
      timeoutSec: 2.5,
      allowErrors: true,
      help: false,
    });
    expect(parseCliArgs([])).toMatchObject({ paths: [], outDir: null, timeoutSec: 120, allowErrors: false });
  });

  it("rejects unknown options and bad timeouts", () => {
    expect(() => parseCliArgs(["--bogus"])).toThrow(UsageError);
    expect(() => parseCliArgs(["--timeout", "0"])).toThrow(/positive/);
  });
});

describe("kernel tuning preload", () => {
  const node = (preloadSource: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), "kernel-tuning-"));
    const file = path.join(dir, "preload.cjs");
    writeFileSync(file, preloadSource);
    try {
      return spawnSync(process.execPath, ["--require", file, "-e", "process.stdout.write('ran')"], { encoding: "utf8" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("sets a flag this node knows: the process runs and V8 prints nothing", () => {
    const run = node(readFileSync(path.join(__dirname, "..", "..", "..", "tools", "notebook", "kernel-tuning.cjs"), "utf8"));
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("ran");
    expect(run.stderr).toBe("");
  });

  it("would show a flag this node lacks (V8 complains on stderr, the process still runs)", () => {
    const run = node('require("node:v8").setFlagsFromString("--no-such-flag-for-this-test");');
    expect(run.stdout).toBe("ran");
    expect(run.stderr).toMatch(/unrecognized flag/);
  });
});
