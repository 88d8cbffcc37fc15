// The `npm run notebooks` CLI, run as a real process on fixture notebooks.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseNotebook } from "../../../tools/notebook/notebook";

const ROOT = path.join(__dirname, "..", "..", "..");
const CLI = path.join(ROOT, "tools", "notebook", "run-notebooks.ts");
const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "notebooks");
const work = mkdtempSync(path.join(tmpdir(), "notebooks-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 50_000,
  });
  return { status: result.status, stdout: result.stdout + result.stderr };
}

function readOutputs(file: string, cellIndex: number): unknown {
  const cell = parseNotebook(readFileSync(file, "utf8"), file).cells[cellIndex];
  return cell.cell_type === "code" ? cell.outputs : undefined;
}

describe("run-notebooks CLI", () => {
  it("runs notebooks, writes them to --out, prints a line each and fails on an error", () => {
    const out = path.join(work, "out");
    const { status, stdout } = cli([
      path.join(FIXTURES, "type-error.ipynb"),
      path.join(FIXTURES, "raises-exception.ipynb"),
      "--out",
      out,
      "--timeout",
      "20",
    ]);
    expect(status).toBe(1);
    expect(stdout).toMatch(/^FAIL test\/fixtures\/notebooks\/type-error\.ipynb \d+\.\d s$/m);
    expect(stdout).toContain("cell 1 raised an error");
    expect(stdout).toMatch(/^PASS test\/fixtures\/notebooks\/raises-exception\.ipynb \d+\.\d s \(2 allowed cell error\(s\)\)$/m);
    expect(stdout).toMatch(/^1 passed, 1 failed$/m);
    expect(readOutputs(path.join(out, "raises-exception.ipynb"), 3)).toEqual([
      { output_type: "stream", name: "stdout", text: "after\n" },
    ]);
  });

  it("executes in place and honours --allow-errors", () => {
    const file = path.join(work, "error.ipynb");
    copyFileSync(path.join(FIXTURES, "error.ipynb"), file);
    const { status, stdout } = cli([file, "--allow-errors"]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^1 passed, 0 failed$/m);
    expect(readOutputs(file, 3)).toEqual([{ output_type: "stream", name: "stdout", text: "after\n" }]);
  });

  it("rejects bad arguments with usage and exit status 2", () => {
    const { status, stdout } = cli(["--timeout", "soon"]);
    expect(status).toBe(2);
    expect(stdout).toContain("--timeout must be a positive number of seconds");
    expect(stdout).toContain("Usage: npm run notebooks");
  });
});
