// The course kernelspec "typescript-course": where it goes, idempotent install
// and remove, that it never touches a spec it did not write (a user's "tslab"),
// and its launcher's search for the notebook's checkout. Everything happens
// in temporary folders (a fake checkout, a fake home, a fake JUPYTER_DATA_DIR).
import { spawn, spawnSync } from "node:child_process";
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
  WRITTEN_BY,
  withProjectJupyterPath,
  type KernelSpecOptions,
} from "../../../tools/course/kernelspec";
import { toNotebook } from "../../../tools/lessons/percent";
import { createConnectionInfo, writeConnectionFile } from "../../../tools/notebook/connection";
import { isRunning, waitUntil } from "../../helpers/processes";

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
  it("runs the launcher stored beside it with node and Jupyter's connection file; no path into a checkout", () => {
    const dir = path.join(home, "spec");
    expect(courseKernelSpec(dir)).toEqual({
      argv: ["node", path.join(dir, "launch.cjs"), "{connection_file}"],
      display_name: "TypeScript (course)",
      language: "typescript",
      interrupt_mode: "signal",
      metadata: { written_by: expect.stringContaining("kernelspec.ts") },
    });
    expect(KERNEL_NAME).toBe("typescript-course"); // never "tslab", the name `tslab install` uses
    expect(KERNEL_DISPLAY_NAME).toBe("TypeScript (course)");
  });

  it("is the kernelspec the lessons' metadata names, with the same display name", () => {
    const notebook = toNotebook([{ cell_type: "code", source: "1", metadata: {}, outputs: [], execution_count: null }]);
    expect(notebook.metadata.kernelspec).toEqual({ name: KERNEL_NAME, display_name: KERNEL_DISPLAY_NAME, language: "typescript" });
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
    expect(JSON.parse(written)).toEqual(courseKernelSpec(path.dirname(userSpec())));
    expect(readFileSync(path.join(path.dirname(userSpec()), "launch.cjs"), "utf8")).toContain("findCheckout");
    expect(existsSync(path.join(path.dirname(projectSpec()), "launch.cjs"))).toBe(true);

    expect(installKernelSpec(options).map((o) => o.status)).toEqual(["unchanged", "unchanged"]);
    expect(readFileSync(userSpec(), "utf8")).toBe(written);

    expect(removeKernelSpec(options).map((o) => o.status)).toEqual(["removed", "removed"]);
    expect(existsSync(path.dirname(userSpec()))).toBe(false);
    expect(existsSync(path.join(root, ".jupyter"))).toBe(false); // the folders we created go too
    expect(existsSync(path.join(home, ".local", "share", "jupyter", "kernels"))).toBe(true); // Jupyter's stays
    expect(removeKernelSpec(options).map((o) => o.status)).toEqual(["absent", "absent"]);
  });

  it("rewrites a damaged launcher of ours", () => {
    installKernelSpec(options);
    writeFileSync(path.join(path.dirname(userSpec()), "launch.cjs"), "broken");
    expect(installKernelSpec(options).map((o) => o.status)).toEqual(["unchanged", "written"]);
    expect(readFileSync(path.join(path.dirname(userSpec()), "launch.cjs"), "utf8")).toContain("findCheckout");
  });

  it("honours JUPYTER_DATA_DIR", () => {
    const data = path.join(work, "data");
    const outcomes = installKernelSpec({ ...options, env: { HOME: home, JUPYTER_DATA_DIR: data } });
    expect(outcomes[1]).toMatchObject({ where: "user", status: "written", dir: path.join(data, "kernels", KERNEL_NAME) });
    expect(existsSync(userSpec())).toBe(false);
  });

  it("never touches a user's own tslab spec, nor a foreign spec of our name", () => {
    const kernels = path.join(home, ".local", "share", "jupyter", "kernels");
    const foreign = `${JSON.stringify({ argv: ["tslab", "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript", language: "typescript" })}\n`;
    for (const name of ["tslab", KERNEL_NAME]) {
      mkdirSync(path.join(kernels, name), { recursive: true });
      writeFileSync(path.join(kernels, name, "kernel.json"), foreign);
    }
    expect(installKernelSpec(options)[1]).toMatchObject({ status: "kept", reason: expect.stringContaining("not written by this course") });
    expect(removeKernelSpec(options)[1]).toMatchObject({ status: "kept" });
    for (const name of ["tslab", KERNEL_NAME]) expect(readFileSync(path.join(kernels, name, "kernel.json"), "utf8")).toBe(foreign);
    expect(existsSync(projectSpec())).toBe(false); // the project-local one was ours, and is removed
  });

  it("removes the legacy \"tslab\" spec an earlier version of this script wrote", () => {
    const legacy = path.join(home, ".local", "share", "jupyter", "kernels", "tslab");
    mkdirSync(legacy, { recursive: true });
    const old = { argv: ["/gone/node_modules/.bin/tslab", "kernel", "--config-path", "{connection_file}"], metadata: { written_by: WRITTEN_BY, project: "/gone" } };
    writeFileSync(path.join(legacy, "kernel.json"), JSON.stringify(old));
    installKernelSpec(options);
    expect(existsSync(legacy)).toBe(true); // install leaves it
    removeKernelSpec(options);
    expect(existsSync(legacy)).toBe(false);
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

describe("the launcher", () => {
  const launcher = path.join(__dirname, "..", "..", "..", "tools", "course", "kernel-launcher.cjs");
  const { findCheckout } = require(launcher) as { findCheckout(start: string): string | null };

  it("finds the nearest course checkout above the notebook's folder", () => {
    writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "deep-training-course" }));
    mkdirSync(path.join(root, "notebooks", "deeper"), { recursive: true });
    mkdirSync(path.join(root, "vendored"), { recursive: true });
    writeFileSync(path.join(root, "vendored", "package.json"), JSON.stringify({ name: "something-else" }));
    expect(findCheckout(path.join(root, "notebooks", "deeper"))).toBe(root);
    expect(findCheckout(path.join(root, "vendored"))).toBe(root);
    expect(findCheckout(home)).toBeNull();
  });

  it("says what to do when the notebook is outside a checkout, or the checkout is not installed", () => {
    const outside = spawnSync(process.execPath, [launcher, "conn.json"], { cwd: home, encoding: "utf8" });
    expect(outside.status).toBe(1);
    expect(outside.stderr).toContain(`no course checkout at or above ${home}`);
    writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "deep-training-course" }));
    const bare = spawnSync(process.execPath, [launcher, "conn.json"], { cwd: root, encoding: "utf8" });
    expect(bare.status).toBe(1);
    expect(bare.stderr).toContain(`the course checkout ${root} has no node_modules/tslab: run \`npm install\``);
  });
  it("exits with the Jupyter server that started it (JPY_PARENT_PID), as ipykernel does", async () => {
    // A stand-in for the server, and the real launcher in this checkout with a real connection file.
    const server = spawn("sleep", ["600"], { stdio: "ignore" });
    const connection = await writeConnectionFile(await createConnectionInfo());
    const kernel = spawn(process.execPath, [launcher, connection.path], {
      cwd: path.join(__dirname, "..", "..", "..", "notebooks"),
      env: { ...process.env, JPY_PARENT_PID: String(server.pid) },
      stdio: "ignore",
    });
    try {
      // Started, and alive while its server is.
      await new Promise((r) => setTimeout(r, 3000));
      expect(isRunning(kernel.pid!)).toBe(true);
      server.kill("SIGKILL");
      expect(await waitUntil(() => !isRunning(kernel.pid!), 15_000)).toBe(true);
    } finally {
      server.kill("SIGKILL");
      kernel.kill("SIGKILL");
      await connection.remove();
    }
  }, 30_000);
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
