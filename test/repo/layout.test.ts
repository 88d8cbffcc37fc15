/**
 * test/ mirrors the tree it tests (see test/README.md): no test file sits
 * directly in test/, folders under test/kernel-lib and test/tools name
 * existing source folders, and shared helpers live in test/helpers.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const TEST = path.join(ROOT, "test");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : [path.relative(TEST, full).split(path.sep).join("/")];
  });
}

/** What is wrong with the place of each test-tree file, given the repository's source folders. */
function misplaced(testFiles: string[], isSourceDir: (p: string) => boolean): string[] {
  return testFiles.flatMap((f) => {
    const parts = f.split("/");
    if (parts.length === 1) return f.endsWith(".ts") ? [`${f}: directly in test/; move it to test/kernel-lib/<folder>/, test/tools/<tool>/ or test/helpers/ (test/README.md)`] : [];
    const [top, ...rest] = parts;
    if (top === "fixtures" || top === "exercises" || top === "helpers" || top === "repo") return [];
    if (top !== "kernel-lib" && top !== "tools") return [`${f}: test/${top}/ mirrors nothing; use test/kernel-lib/ or test/tools/`];
    if (!f.endsWith(".test.ts")) return [`${f}: only tests here; shared helpers go to test/helpers/`];
    const folder = rest.slice(0, -1).join("/");
    const source = top === "kernel-lib" ? `kernel-lib/src/${folder}` : `tools/${folder}`;
    return folder === "" || isSourceDir(source) ? [] : [`${f}: ${source}/ does not exist`];
  });
}

const isDir = (p: string): boolean => {
  try {
    return statSync(path.join(ROOT, p)).isDirectory();
  } catch {
    return false;
  }
};

describe("the test tree mirrors the source tree", () => {
  it("every file under test/ is in its place", () => {
    expect(misplaced(files(TEST), isDir)).toEqual([]);
  });

  it("names a test file dropped directly into test/, a helper among the tests, and a folder that mirrors nothing", () => {
    expect(misplaced(["new-thing.test.ts", "README.md"], isDir)).toEqual([
      "new-thing.test.ts: directly in test/; move it to test/kernel-lib/<folder>/, test/tools/<tool>/ or test/helpers/ (test/README.md)",
    ]);
    expect(misplaced(["kernel-lib/optim/helpers.ts"], isDir)).toEqual(["kernel-lib/optim/helpers.ts: only tests here; shared helpers go to test/helpers/"]);
    expect(misplaced(["kernel-lib/nothing/x.test.ts", "tools/nothing/y.test.ts"], isDir)).toEqual([
      "kernel-lib/nothing/x.test.ts: kernel-lib/src/nothing/ does not exist",
      "tools/nothing/y.test.ts: tools/nothing/ does not exist",
    ]);
    expect(misplaced(["kernel-lib/optim/sgd.test.ts", "kernel-lib/package-entry.test.ts", "tools/grader/cli.test.ts"], isDir)).toEqual([]);
  });
});
