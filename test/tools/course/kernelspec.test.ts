// The course kernelspec: where it goes, idempotent install and remove, and
// that it never touches a "tslab" spec it did not write. Everything happens
// in temporary folders (a fake checkout, a fake home, a fake JUPYTER_DATA_DIR).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  courseKernelSpec,
  installKernelSpec,
  KERNEL_DISPLAY_NAME,
  KERNEL_NAME,
  main,
  removeKernelSpec,
  userDataDir,
  withProjectJupyterPath,
  type KernelSpecOptions,
} from "../../../tools/course/kernelspec";

let work: string;
let root: string;
let home: string;
let options: KernelSpecOptions;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), "course-kernelspec-"));
  root = path.join(work, "checkout");
  home = path.join(work, "home");
  mkdirSync(root);
  mkdirSync(home);
  options = { root, env: { HOME: home }, platform: "linux" };
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const projectSpec = (): string => path.join(root, ".jupyter", "kernels", KERNEL_NAME, "kernel.json");
const userSpec = (): string => path.join(home, ".local", "share", "jupyter", "kernels", KERNEL_NAME, "kernel.json");

describe("userDataDir (jupyter_core's rules)", () => {
  it.each([
    ["JUPYTER_DATA_DIR wins", { JUPYTER_DATA_DIR: "/j", XDG_DATA_HOME: "/x" }, "linux", "/h", "/j"],
    ["XDG_DATA_HOME on Linux", { XDG_DATA_HOME: "/x" }, "linux", "/h", path.join("/x", "jupyter")],
    ["~/.local/share/jupyter on Linux", {}, "linux", "/h", path.join("/h", ".local", "share", "jupyter")],
    ["~/Library/Jupyter on macOS, ignoring XDG", { XDG_DATA_HOME: "/x" }, "darwin", "/h", path.join("/h", "Library", "Jupyter")],
    ["%APPDATA%\\jupyter on Windows", { APPDATA: "/appdata" }, "win32", "/h", path.join("/appdata", "jupyter")],
    ["nowhere without a home", {}, "linux", null, null],
  ] as const)("%s", (_name, env, platform, homeDir, expected) => {
    expect(userDataDir(env, platform, homeDir)).toBe(expected);
  });
});

describe("courseKernelSpec", () => {
  it("starts this checkout's tslab with Jupyter's connection file, like `tslab install` but absolute", () => {
    expect(courseKernelSpec(root)).toEqual({
      argv: [path.join(root, "node_modules", ".bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
      display_name: KERNEL_DISPLAY_NAME,
      language: "typescript",
      metadata: { written_by: expect.stringContaining("kernelspec.ts"), project: root },
    });
    expect(KERNEL_NAME).toBe("tslab"); // the name the notebooks' metadata uses
  });

  it("puts the project-local folder first on JUPYTER_PATH, once", () => {
    const own = path.join(root, ".jupyter");
    const env = withProjectJupyterPath({ JUPYTER_PATH: ["/other", own].join(path.delimiter) }, root);
    expect(env.JUPYTER_PATH).toBe([own, "/other"].join(path.delimiter));
    expect(withProjectJupyterPath({}, root).JUPYTER_PATH).toBe(own);
  });
});

describe("installKernelSpec / removeKernelSpec", () => {
  it("installs project-locally and per user, idempotently, then removes both", () => {
    expect(installKernelSpec(options).map((o) => [o.where, o.status])).toEqual([
      ["project", "written"],
      ["user", "written"],
    ]);
    const written = readFileSync(userSpec(), "utf8");
    expect(JSON.parse(written)).toEqual(courseKernelSpec(root));
    expect(readFileSync(projectSpec(), "utf8")).toBe(written);

    expect(installKernelSpec(options).map((o) => o.status)).toEqual(["unchanged", "unchanged"]);
    expect(readFileSync(userSpec(), "utf8")).toBe(written);

    expect(removeKernelSpec(options).map((o) => o.status)).toEqual(["removed", "removed"]);
    expect(existsSync(path.dirname(userSpec()))).toBe(false);
    expect(existsSync(path.join(root, ".jupyter"))).toBe(false); // the folders we created go too
    expect(existsSync(path.join(home, ".local", "share", "jupyter", "kernels"))).toBe(true); // Jupyter's stays
    expect(removeKernelSpec(options).map((o) => o.status)).toEqual(["absent", "absent"]);
  });

  it("honours JUPYTER_DATA_DIR", () => {
    const data = path.join(work, "data");
    const outcomes = installKernelSpec({ ...options, env: { HOME: home, JUPYTER_DATA_DIR: data } });
    expect(outcomes[1]).toMatchObject({ where: "user", status: "written", dir: path.join(data, "kernels", KERNEL_NAME) });
    expect(existsSync(userSpec())).toBe(false);
  });

  it("keeps a user's own tslab spec on install and on remove", () => {
    const foreign = `${JSON.stringify({ argv: ["tslab", "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript", language: "typescript" })}\n`;
    mkdirSync(path.dirname(userSpec()), { recursive: true });
    writeFileSync(userSpec(), foreign);
    expect(installKernelSpec(options)[1]).toMatchObject({ status: "kept", reason: expect.stringContaining("not written by this course") });
    expect(removeKernelSpec(options)[1]).toMatchObject({ status: "kept" });
    expect(readFileSync(userSpec(), "utf8")).toBe(foreign);
    expect(existsSync(projectSpec())).toBe(false); // the project-local one was ours, and is removed
  });

  it("updates a spec it wrote for another checkout, but does not remove one", () => {
    const other = path.join(work, "other-checkout");
    installKernelSpec({ ...options, root: other });
    expect(installKernelSpec(options)[1].status).toBe("written");
    expect(JSON.parse(readFileSync(userSpec(), "utf8")).metadata.project).toBe(root);
    expect(removeKernelSpec({ ...options, root: other })[1].status).toBe("kept");
    expect(existsSync(userSpec())).toBe(true);
  });

  it("skips the per-user spec without a home folder, and under CI", () => {
    expect(installKernelSpec({ ...options, env: {}, home: null })[1]).toMatchObject({ status: "skipped", dir: null });
    const ci = installKernelSpec({ ...options, env: { HOME: home, CI: "true" } });
    expect(ci.map((o) => o.status)).toEqual(["unchanged", "skipped"]);
    expect(ci[1].reason).toContain("CI");
    expect(existsSync(userSpec())).toBe(false);
    expect(existsSync(projectSpec())).toBe(true);
  });
});

describe("kernelspec CLI", () => {
  it("with --quiet turns a failure into a warning and exit status 0 (npm install must not fail)", () => {
    writeFileSync(path.join(root, ".jupyter"), "a file where the folder should be");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(main(["install", "--quiet"], options)).toBe(0);
      expect(warn.mock.calls.join("\n")).toMatch(/^warning: kernelspec install failed: .*\.jupyter/);
      expect(main(["install"], options)).toBe(1);
      expect(main(["uninstall"], options)).toBe(2);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});
