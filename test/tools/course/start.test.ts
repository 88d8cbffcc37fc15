// `npm start`: the decision (a pure function, every combination), finding
// the Jupyter front ends on PATH, the arguments given to Jupyter, and the HTML
// path end to end. No test here starts a Jupyter server (a stand-in does;
// test/tools/course/jupyter-browser.test.ts runs the real one).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { KERNEL_NAME } from "../../../tools/course/kernelspec";
import { findExecutable, findFrontEnds, jupyterArgs, jupyterLayout, planStart, splitArgs, tokenUrl, type FrontEnds, type StartPlan } from "../../../tools/course/start";

const ROOT = path.join(__dirname, "..", "..", "..");
const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "course");
const work = mkdtempSync(path.join(tmpdir(), "course-start-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("planStart", () => {
  const lab = "/usr/bin/jupyter-lab";
  const notebook = "/usr/bin/jupyter-notebook";
  const jupyterLab: StartPlan = { kind: "jupyter", frontEnd: "JupyterLab", command: lab };
  const classic: StartPlan = { kind: "jupyter", frontEnd: "Jupyter Notebook", command: notebook };
  const htmlAsked: StartPlan = { kind: "html", execute: false, reason: "requested" };
  const executeAsked: StartPlan = { kind: "html", execute: true, reason: "requested" };
  const noJupyter: StartPlan = { kind: "html", execute: false, reason: "no-jupyter" };

  it.each<[string, FrontEnds, { html: boolean; execute: boolean }, StartPlan]>([
    ["both front ends: JupyterLab", { jupyterLab: lab, jupyterNotebook: notebook }, { html: false, execute: false }, jupyterLab],
    ["only JupyterLab", { jupyterLab: lab, jupyterNotebook: null }, { html: false, execute: false }, jupyterLab],
    ["only Jupyter Notebook", { jupyterLab: null, jupyterNotebook: notebook }, { html: false, execute: false }, classic],
    ["no front end: HTML", { jupyterLab: null, jupyterNotebook: null }, { html: false, execute: false }, noJupyter],
    ["--html with both", { jupyterLab: lab, jupyterNotebook: notebook }, { html: true, execute: false }, htmlAsked],
    ["--html with JupyterLab", { jupyterLab: lab, jupyterNotebook: null }, { html: true, execute: false }, htmlAsked],
    ["--html with Jupyter Notebook", { jupyterLab: null, jupyterNotebook: notebook }, { html: true, execute: false }, htmlAsked],
    ["--html with none", { jupyterLab: null, jupyterNotebook: null }, { html: true, execute: false }, htmlAsked],
    ["--execute with both", { jupyterLab: lab, jupyterNotebook: notebook }, { html: false, execute: true }, executeAsked],
    ["--execute with JupyterLab", { jupyterLab: lab, jupyterNotebook: null }, { html: false, execute: true }, executeAsked],
    ["--execute with Jupyter Notebook", { jupyterLab: null, jupyterNotebook: notebook }, { html: false, execute: true }, executeAsked],
    ["--execute with none", { jupyterLab: null, jupyterNotebook: null }, { html: false, execute: true }, executeAsked],
    ["--html --execute with both", { jupyterLab: lab, jupyterNotebook: notebook }, { html: true, execute: true }, executeAsked],
    ["--html --execute with none", { jupyterLab: null, jupyterNotebook: null }, { html: true, execute: true }, executeAsked],
  ])("%s", (_name, found, flags, expected) => {
    expect(planStart(found, flags)).toEqual(expected);
  });
});

describe("findFrontEnds", () => {
  const bin = path.join(work, "bin");
  const venv = path.join(work, "venv", "bin");
  mkdirSync(bin, { recursive: true });
  mkdirSync(venv, { recursive: true });
  const script = (file: string, mode: number): void => {
    writeFileSync(file, "#!/bin/sh\n");
    chmodSync(file, mode);
  };

  it("finds executables on PATH and ignores files that are not executable", () => {
    script(path.join(bin, "jupyter-notebook"), 0o755);
    script(path.join(bin, "jupyter-lab"), 0o644);
    expect(findExecutable("jupyter-notebook", ["/nonexistent", bin].join(path.delimiter))).toBe(path.join(bin, "jupyter-notebook"));
    expect(findExecutable("jupyter-lab", bin)).toBeNull();
    expect(findFrontEnds({ PATH: bin })).toEqual({ jupyterLab: null, jupyterNotebook: path.join(bin, "jupyter-notebook") });
    expect(findFrontEnds({ PATH: "" })).toEqual({ jupyterLab: null, jupyterNotebook: null });
  });

  it("also looks next to the real `jupyter` script, as `jupyter lab` does", () => {
    const linkDir = path.join(work, "links");
    mkdirSync(linkDir);
    script(path.join(venv, "jupyter"), 0o755);
    script(path.join(venv, "jupyter-lab"), 0o755);
    symlinkSync(path.join(venv, "jupyter"), path.join(linkDir, "jupyter"));
    expect(findFrontEnds({ PATH: linkDir }).jupyterLab).toBe(path.join(venv, "jupyter-lab"));
  });
});

/**
 * A PATH with nothing on it: no Jupyter, whatever this machine has installed
 * (node's own folder may hold one, e.g. /usr/bin). Node is started by its
 * full path, and so is the kernel.
 */
const emptyPath = path.join(work, "empty-bin");
mkdirSync(emptyPath);

function start(args: string[], env: NodeJS.ProcessEnv = { ...process.env, PATH: emptyPath }): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "course", "start.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env,
    timeout: 50_000,
  });
  return { status: result.status, stdout: result.stdout + result.stderr };
}

function indexLinks(outDir: string): string[] {
  const index = readFileSync(path.join(outDir, "index.html"), "utf8");
  return [...index.matchAll(/<li><a href="([^"]+)">/g)].map((match) => match[1]);
}

describe("npm start, Jupyter path (a stand-in front end that exits at once)", () => {
  it("runs jupyter-lab with the project kernelspec on JUPYTER_PATH, passes options on, prints the address, returns its status", () => {
    const fake = path.join(work, "fake-jupyter");
    mkdirSync(fake);
    // Prints what a real front end would use and a log line with its address, then exits 3 instead of serving.
    writeFileSync(
      path.join(fake, "jupyter-lab"),
      '#!/bin/sh\necho "cwd=$(pwd)"\necho "args=$*"\necho "JUPYTER_PATH=$JUPYTER_PATH"\necho "[I ServerApp] http://localhost:8899/lab?token=abc123" >&2\nexit 3\n',
    );
    chmodSync(path.join(fake, "jupyter-lab"), 0o755);
    const notebooks = path.join(work, "lab-notebooks");
    // CI: the per-user spec is not written; the project-local one is (as `npm install` does).
    const env = { ...process.env, PATH: [fake, "/bin", "/usr/bin"].join(path.delimiter), CI: "true" };
    const { status, stdout } = start(["--notebooks", notebooks, "--port", "8899", "--no-browser"], env);
    expect(stdout).toContain(`Starting JupyterLab in ${notebooks}`);
    expect(stdout).toContain(`cwd=${notebooks}`); // created if missing; the root, since it is outside the repository
    const isRoot = process.getuid?.() === 0;
    expect(stdout).toContain(`args=--LabApp.default_url=/lab/tree${isRoot ? " --allow-root" : ""} --port 8899 --no-browser`);
    if (isRoot) expect(stdout).toContain("Running as root (Docker, WSL, a cloud VM): passing --allow-root to Jupyter.");
    expect(stdout).toMatch(new RegExp(`^JUPYTER_PATH=${path.join(ROOT, ".jupyter")}`, "m"));
    expect(stdout).toContain("The course is open at (this address carries your login token):\n  http://localhost:8899/lab?token=abc123");
    expect(status).toBe(3);
    const spec = JSON.parse(readFileSync(path.join(ROOT, ".jupyter", "kernels", KERNEL_NAME, "kernel.json"), "utf8"));
    expect(spec.argv[1]).toBe(path.join(ROOT, ".jupyter", "kernels", KERNEL_NAME, "launch.cjs"));
  });
});

describe("npm start's arguments", () => {
  it("keeps its own options and passes everything else on to Jupyter, in order", () => {
    expect(splitArgs(["--", "--port", "8899", "--html", "--notebooks=nb", "--no-browser", "--out", "o"])).toEqual({
      html: true, execute: false, help: false, notebooks: "nb", out: "o", jupyter: ["--port", "8899", "--no-browser"],
    });
    expect(() => splitArgs(["--out"])).toThrow("--out needs a folder");
  });

  it("roots the front end at the repository and lands on the notebooks folder", () => {
    expect(jupyterLayout("/r/notebooks", "/r")).toEqual({ root: "/r", landing: "notebooks" });
    expect(jupyterLayout("/elsewhere/nb", "/r")).toEqual({ root: "/elsewhere/nb", landing: "" });
    const layout = { root: "/r", landing: "notebooks" };
    expect(jupyterArgs("Jupyter Notebook", layout, false, ["--port", "1"])).toEqual([
      "--NotebookApp.default_url=/tree/notebooks", "--JupyterNotebookApp.default_url=/tree/notebooks", "--port", "1",
    ]);
    expect(jupyterArgs("JupyterLab", layout, true, [])).toEqual(["--LabApp.default_url=/lab/tree/notebooks", "--allow-root"]);
    expect(jupyterArgs("JupyterLab", layout, true, ["--allow-root"])).toEqual(["--LabApp.default_url=/lab/tree/notebooks", "--allow-root"]);
  });

  it("finds the address with its token in Jupyter's log", () => {
    expect(tokenUrl("[I 00:59 NotebookApp] http://localhost:8931/?token=8fe70858\n")).toBe("http://localhost:8931/?token=8fe70858");
    expect(tokenUrl("Serving notebooks from local directory: /r")).toBeNull();
  });
});

describe("npm start, HTML path", () => {
  it("`npm start -- --html` renders the notebooks and the index, and prints the file:// address", () => {
    const out = path.join(work, "npm-start");
    const result = spawnSync("npm", ["start", "--", "--html", "--notebooks", path.join(FIXTURES, "lessons"), "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 50_000,
    });
    const stdout = result.stdout + result.stderr;
    expect(result.status, stdout).toBe(0);
    expect(stdout).toContain(pathToFileURL(path.join(out, "index.html")).href);
    expect(stdout).toContain("sudo apt-get install jupyter-notebook");
    expect(stdout).toContain('VS Code with the Jupyter extension and pick the kernel "TypeScript (course)"');
    expect(indexLinks(out)).toEqual(["01-gradients.html", "02-fixes.html"]);
    for (const page of indexLinks(out)) expect(existsSync(path.join(out, page))).toBe(true);
  });

  it("falls back to HTML when no Jupyter front end is on PATH, and handles an empty notebooks folder", () => {
    const empty = path.join(work, "no-notebooks");
    mkdirSync(empty);
    const out = path.join(work, "empty-out");
    const { status, stdout } = start(["--notebooks", empty, "--out", out]);
    expect(status, stdout).toBe(0);
    expect(stdout).toContain("No Jupyter front end found");
    expect(stdout).toContain("No notebooks in");
    expect(readFileSync(path.join(out, "index.html"), "utf8")).toContain("No lessons yet");
  });

  it("--execute runs the notebooks first (real kernel) without changing their files", () => {
    const source = path.join(FIXTURES, "exec", "hello.ipynb");
    const before = readFileSync(source, "utf8");
    const out = path.join(work, "executed");
    const { status, stdout } = start(["--execute", "--notebooks", path.dirname(source), "--out", out]);
    expect(status, stdout).toBe(0);
    expect(stdout).toMatch(/^PASS test\/fixtures\/course\/exec\/hello\.ipynb /m);
    const page = readFileSync(path.join(out, "hello.html"), "utf8");
    expect(page).toContain('<pre class="output-stream stdout">hello from the kernel\n</pre>');
    expect(page).toMatch(/<div class="output-svg"><svg [^>]*class="marks"/);
    expect(readFileSync(source, "utf8")).toBe(before);
  });

  it("rejects unknown options with the usage and exit status 2", () => {
    const { status, stdout } = start(["--serve"]);
    expect(status).toBe(2);
    expect(stdout).toContain("Usage: npm start");
  });
});
