// One course kernel, many clones: the per-user kernelspec "typescript-course"
// names no clone, so a clone that installed it can be deleted, and another
// moved, and `jupyter nbconvert --execute` still runs each notebook on the
// tslab of the checkout that holds it.
//
// A clone here is what the launcher and the kernel read of one: package.json,
// tools/course (its own copy, so the install runs from the clone) and
// node_modules (a symlink to this checkout's: `git clone` + `npm ci` of the
// course costs about 0.2 s + 96 s per clone on the CI machine, too slow for a
// test). HOME and Jupyter's folders are temporary: the user's kernelspecs are
// never touched. Skipped, with the reason, where nbconvert is missing.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KERNEL_NAME } from "../../../tools/course/kernelspec";
import { nbconvertMissing } from "../../helpers/jupyter";

const ROOT = path.join(__dirname, "..", "..", "..");


const missing = nbconvertMissing();
if (missing !== null) console.warn(`course-kernel-clones: skipped, ${missing}`);

const work = mkdtempSync(path.join(tmpdir(), "course-clones-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: path.join(work, "home"),
  JUPYTER_DATA_DIR: path.join(work, "data"),
  JUPYTER_CONFIG_DIR: path.join(work, "config"),
  JUPYTER_RUNTIME_DIR: path.join(work, "runtime"),
  JUPYTER_PATH: "", // only the per-user spec: no project-local one to fall back on
  CI: "",
};

/** The probe prints which tslab ran it (the launcher sets argv[1]) and uses kernel-lib. */
const PROBE = {
  cells: [{ cell_type: "code", execution_count: null, id: "probe", metadata: {}, outputs: [], source: ['import { tensor } from "kernel-lib";\nconsole.log(process.argv[1]);\nconsole.log(tensor([1, 2, 3]).sum().item());'] }],
  metadata: { kernelspec: { display_name: "TypeScript (course)", language: "typescript", name: KERNEL_NAME } },
  nbformat: 4,
  nbformat_minor: 5,
};

function makeClone(dir: string): void {
  mkdirSync(path.join(dir, "tools"), { recursive: true });
  mkdirSync(path.join(dir, "notebooks"));
  cpSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
  cpSync(path.join(ROOT, "tools", "course"), path.join(dir, "tools", "course"), { recursive: true });
  symlinkSync(path.join(ROOT, "tools", "run-main.ts"), path.join(dir, "tools", "run-main.ts"));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  writeFileSync(path.join(dir, "notebooks", "probe.ipynb"), JSON.stringify(PROBE));
}

/** `npm run kernel:install` in a clone (its own tools/course/kernelspec.ts). */
function kernelInstall(clone: string): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(clone, "tools", "course", "kernelspec.ts"), "install"], { cwd: clone, env, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** Executes the clone's probe notebook with nbconvert; returns its printed lines. */
function runProbe(clone: string): string[] {
  const notebooks = path.join(clone, "notebooks");
  const result = spawnSync("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--output", "executed.ipynb", "probe.ipynb"], { cwd: notebooks, env, encoding: "utf8", timeout: 90_000 });
  if (result.status !== 0) throw new Error(`jupyter nbconvert failed in ${clone}:\n${result.stderr}`);
  const executed = JSON.parse(readFileSync(path.join(notebooks, "executed.ipynb"), "utf8")) as { cells: { outputs: { text?: string | string[] }[] }[] };
  return executed.cells[0].outputs.flatMap((o) => [o.text ?? ""].flat().join("").split("\n")).filter((line) => line !== "");
}

describe.skipIf(missing !== null)(`the course kernel and several clones${missing === null ? "" : ` (skipped: ${missing})`}`, () => {
  it("runs a notebook in a clone after the clone that installed the kernel was deleted, and after a move", () => {
    const first = path.join(work, "first-clone");
    const second = path.join(work, "second-clone");
    makeClone(first);
    makeClone(second);
    expect(kernelInstall(first)).toMatch(/^user: written /m);
    expect(kernelInstall(second)).toMatch(/^user: unchanged /m); // the same spec, whichever clone installs it
    const spec = readFileSync(path.join(env.JUPYTER_DATA_DIR!, "kernels", KERNEL_NAME, "kernel.json"), "utf8");
    expect(spec).not.toContain(first);
    expect(spec).not.toContain(second);

    rmSync(first, { recursive: true, force: true });
    expect(runProbe(second)).toEqual([path.join(second, "node_modules", "tslab", "bin", "tslab"), "6"]);

    const moved = path.join(work, "moved-clone");
    renameSync(second, moved);
    expect(existsSync(second)).toBe(false);
    expect(runProbe(moved)).toEqual([path.join(moved, "node_modules", "tslab", "bin", "tslab"), "6"]);
  }, 240_000);
});
