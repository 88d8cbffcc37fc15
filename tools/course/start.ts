/**
 * `npm start`: open the course.
 *
 *   npm start [-- --html] [--execute] [--notebooks DIR] [--out DIR] [JUPYTER OPTIONS...]
 *
 * - With JupyterLab or Jupyter Notebook installed (`jupyter-lab` /
 *   `jupyter-notebook` on PATH, or next to `jupyter`), it installs the course
 *   kernelspec and runs that front end rooted at the repository (so both
 *   notebooks/ and exercises/ can be opened), landing on notebooks/, with the
 *   project-local kernelspec on JUPYTER_PATH. As root it adds `--allow-root`
 *   (and says so); any option it does not know is passed on to Jupyter
 *   (`npm start -- --port 8899 --no-browser`). It forwards Jupyter's output,
 *   prints the address with its token once Jupyter reports it, and stays until
 *   the front end exits.
 * - Otherwise (or with --html) it renders every notebook to HTML from the
 *   outputs stored in it, into build/course/, prints the file:// address of
 *   the index and how to get an interactive front end, and exits 0.
 *   --execute re-runs the notebooks through the headless runner first (the
 *   notebooks on disk are left as they are) and implies --html; it exits 1
 *   if a notebook failed, after writing the pages.
 *
 * The choices are pure functions (planStart, splitArgs, jupyterArgs), so they
 * are tested without starting a server.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, mkdirSync, realpathSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { readNotebook, type Notebook } from "../notebook/notebook";
import { DEFAULT_HOOKS, runNotebookFile } from "../notebook/run-notebook";
import { DEFAULT_NOTEBOOKS_DIR, DEFAULT_OUT_DIR, exportCourse, notebookFiles } from "./html";
import { installKernelSpec, KERNEL_DISPLAY_NAME, PROJECT_ROOT, withProjectJupyterPath } from "./kernelspec";
import { runMain } from "../run-main";

export interface StartFlags {
  /** Render HTML even when Jupyter is installed. */
  html: boolean;
  /** Execute the notebooks before rendering (implies html). */
  execute: boolean;
}

/** The Jupyter front ends found: their executables' paths, or null. */
export interface FrontEnds {
  jupyterLab: string | null;
  jupyterNotebook: string | null;
}

export type StartPlan =
  | { kind: "jupyter"; frontEnd: "JupyterLab" | "Jupyter Notebook"; command: string }
  | { kind: "html"; execute: boolean; reason: "requested" | "no-jupyter" };

/** What `npm start` does: JupyterLab, else Jupyter Notebook, else (or when asked) static HTML. */
export function planStart(found: FrontEnds, flags: StartFlags): StartPlan {
  if (flags.html || flags.execute) return { kind: "html", execute: flags.execute, reason: "requested" };
  if (found.jupyterLab !== null) return { kind: "jupyter", frontEnd: "JupyterLab", command: found.jupyterLab };
  if (found.jupyterNotebook !== null) return { kind: "jupyter", frontEnd: "Jupyter Notebook", command: found.jupyterNotebook };
  return { kind: "html", execute: false, reason: "no-jupyter" };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** An executable's path on `searchPath` (PATH-style), or null. Windows suffixes from PATHEXT. */
export function findExecutable(name: string, searchPath: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const suffixes = process.platform === "win32" ? ["", ...(env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";")] : [""];
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    for (const suffix of suffixes) {
      const candidate = path.join(dir, name + suffix);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

/**
 * The front ends on PATH. `jupyter lab` runs `jupyter-lab` from PATH or from
 * the folder of the real `jupyter` script, so both places are searched.
 */
export function findFrontEnds(env: NodeJS.ProcessEnv = process.env): FrontEnds {
  let searchPath = env.PATH ?? "";
  const jupyter = findExecutable("jupyter", searchPath, env);
  if (jupyter !== null) searchPath += path.delimiter + path.dirname(realpathSync(jupyter));
  return {
    jupyterLab: findExecutable("jupyter-lab", searchPath, env),
    jupyterNotebook: findExecutable("jupyter-notebook", searchPath, env),
  };
}

const USAGE = `Usage: npm start [-- --html] [--execute] [--notebooks DIR] [--out DIR] [JUPYTER OPTIONS...]

  (no options)     JupyterLab or Jupyter Notebook if installed, else HTML pages
  --html           render HTML pages even when Jupyter is installed
  --execute        run the notebooks first (their files are not changed); implies --html
  --notebooks DIR  the notebooks folder (default: notebooks/)
  --out DIR        where the HTML goes (default: build/course/)
  anything else    passed on to Jupyter, e.g. npm start -- --port 8899 --no-browser`;

/** npm start's own options, and what is left for Jupyter. */
export interface StartArgs {
  html: boolean;
  execute: boolean;
  help: boolean;
  notebooks?: string;
  out?: string;
  /** Options for the Jupyter front end, in their order. */
  jupyter: string[];
}

/** Splits the command line: our options out, the rest (in order) for Jupyter. A lone "--" is dropped. */
export function splitArgs(argv: string[]): StartArgs {
  const args: StartArgs = { html: false, execute: false, help: false, jupyter: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (arg === "--") continue;
    if (arg === "--html") args.html = true;
    else if (arg === "--execute") args.execute = true;
    else if (arg === "--help" || arg === "-h") args.help = true;
    else if (name === "--notebooks" || name === "--out") {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a folder, e.g. ${name} ${name === "--out" ? "build/course" : "notebooks"}`);
      if (name === "--notebooks") args.notebooks = value;
      else args.out = value;
    } else args.jupyter.push(arg);
  }
  return args;
}

/** Where the front end is rooted and which folder it opens on. */
export interface JupyterLayout {
  /** The front end's root (its working folder): the repository, when the notebooks are inside it. */
  root: string;
  /** The notebooks folder relative to root, with "/" ("" when it is the root). */
  landing: string;
}

export function jupyterLayout(notebooksDir: string, projectRoot: string = PROJECT_ROOT): JupyterLayout {
  const relative = path.relative(projectRoot, notebooksDir);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return { root: notebooksDir, landing: "" };
  return { root: projectRoot, landing: relative.split(path.sep).join("/") };
}

/**
 * The front end's arguments: the landing page (each front end's own setting;
 * Jupyter ignores settings of classes it does not have), --allow-root when
 * running as root and not given already, then the user's options (last, so
 * they win).
 */
export function jupyterArgs(frontEnd: "JupyterLab" | "Jupyter Notebook", layout: JupyterLayout, isRoot: boolean, extra: string[]): string[] {
  const tree = layout.landing === "" ? "tree" : `tree/${layout.landing}`;
  const landing = frontEnd === "JupyterLab"
    ? [`--LabApp.default_url=/lab/${tree}`]
    // Classic Notebook (6) and Notebook 7 name their application classes differently.
    : [`--NotebookApp.default_url=/${tree}`, `--JupyterNotebookApp.default_url=/${tree}`];
  const allowRoot = isRoot && !extra.includes("--allow-root") ? ["--allow-root"] : [];
  return [...landing, ...allowRoot, ...extra];
}

/** The first "http(s)://…?token=…" address in Jupyter's log text, or null. */
export function tokenUrl(text: string): string | null {
  return /https?:\/\/[^\s]+[?&]token=[0-9a-zA-Z]+/.exec(text)?.[0] ?? null;
}

const INTERACTIVE_HELP = `For the interactive course, install a Jupyter front end and run \`npm start\` again:
  sudo apt-get install jupyter-notebook     (Debian, Ubuntu)
  pip install jupyterlab                    (JupyterLab, anywhere with Python)
or open notebooks/ in VS Code with the Jupyter extension and pick the kernel "${KERNEL_DISPLAY_NAME}".`;

/** Passes a child's output on, and calls `onUrl` once with the first address with a token in it. */
function forwardOutput(stream: NodeJS.ReadableStream, to: NodeJS.WriteStream, onUrl: (url: string) => void): void {
  let pending = "";
  stream.on("data", (chunk: Buffer) => {
    to.write(chunk);
    pending = (pending + chunk.toString("utf8")).slice(-4096);
    const url = tokenUrl(pending);
    if (url !== null) {
      pending = "";
      onUrl(url);
    }
  });
}

/** Runs the front end rooted at the repository until it exits; resolves to its exit status. */
function runJupyter(plan: Extract<StartPlan, { kind: "jupyter" }>, notebooksDir: string, extra: string[]): Promise<number> {
  for (const outcome of installKernelSpec()) {
    if (outcome.status === "kept" || (outcome.status === "skipped" && outcome.where === "project")) {
      console.warn(`kernelspec (${outcome.where}): ${outcome.status}${outcome.reason ? `, ${outcome.reason}` : ""}`);
    }
  }
  mkdirSync(notebooksDir, { recursive: true });
  const layout = jupyterLayout(notebooksDir);
  const isRoot = process.getuid?.() === 0;
  if (isRoot) console.log("Running as root (Docker, WSL, a cloud VM): passing --allow-root to Jupyter.");
  console.log(`Starting ${plan.frontEnd} in ${layout.root}, on ${layout.landing || "its root"} (kernel "${KERNEL_DISPLAY_NAME}"); stop it with Ctrl-C.`);
  // The front end's root is its working folder: no option name differs between versions.
  const child = spawn(plan.command, jupyterArgs(plan.frontEnd, layout, isRoot, extra), {
    cwd: layout.root,
    stdio: ["inherit", "pipe", "pipe"],
    // Unbuffered: its output comes through a pipe now (to find the address), and prompts must not wait in a buffer.
    env: { ...withProjectJupyterPath(process.env), PYTHONUNBUFFERED: "1" },
  });
  let announced = false;
  const announce = (url: string): void => {
    if (announced) return;
    announced = true;
    console.log(`\nThe course is open at (this address carries your login token):\n  ${url}\n`);
  };
  forwardOutput(child.stdout, process.stdout, announce);
  forwardOutput(child.stderr, process.stderr, announce);
  // Ctrl-C reaches both processes (same process group). We stay until the
  // front end exits: Jupyter asks to confirm on the first Ctrl-C and needs
  // the terminal until then. A SIGTERM to us is passed on.
  const ignoreInterrupt = (): void => {};
  const forward = (): void => void child.kill("SIGTERM");
  process.on("SIGINT", ignoreInterrupt);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    const done = (status: number): void => {
      process.removeListener("SIGINT", ignoreInterrupt);
      process.removeListener("SIGTERM", forward);
      resolve(status);
    };
    child.once("error", (err) => {
      console.error(`could not start ${plan.command}: ${err.message}`);
      done(1);
    });
    child.once("close", (code, signal) => done(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1)));
  });
}

/** Executes a notebook in memory (charts get their SVG); prints PASS/FAIL like `npm run notebooks`. */
async function executeForHtml(file: string, failures: string[]): Promise<Notebook> {
  const label = path.relative(process.cwd(), file) || file;
  const result = await runNotebookFile(file, { label, hooks: DEFAULT_HOOKS });
  const seconds = (result.durationMs / 1000).toFixed(1);
  if (result.failure === null) console.log(`PASS ${label} ${seconds} s`);
  else {
    failures.push(label);
    console.log(`FAIL ${label} ${seconds} s\n${result.failure.message.replace(/^/gm, "    ")}`);
  }
  return result.notebook;
}

async function renderHtml(plan: Extract<StartPlan, { kind: "html" }>, notebooksDir: string, outDir: string): Promise<number> {
  const files = notebookFiles(notebooksDir);
  const failures: string[] = [];
  const load = plan.execute ? (file: string) => executeForHtml(file, failures) : readNotebook;
  const result = await exportCourse(files, outDir, { load });
  for (const warning of result.warnings) console.warn(`warning: ${warning}`);
  if (files.length === 0) console.log(`No notebooks in ${notebooksDir} yet; the index says so.`);
  const what = plan.reason === "no-jupyter" ? "No Jupyter front end found, so the" : "The";
  console.log(`${what} course is rendered as HTML (${result.lessons.length} lesson(s)):\n  ${pathToFileURL(result.indexFile).href}\n`);
  console.log(INTERACTIVE_HELP);
  return failures.length > 0 ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  let args: StartArgs;
  try {
    args = splitArgs(argv);
  } catch (err) {
    console.error(`error: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const notebooksDir = path.resolve(args.notebooks ?? DEFAULT_NOTEBOOKS_DIR);
  const plan = planStart(findFrontEnds(), { html: args.html, execute: args.execute });
  if (plan.kind === "jupyter") return runJupyter(plan, notebooksDir, args.jupyter);
  if (args.jupyter.length > 0) {
    const why = plan.reason === "no-jupyter" ? "no Jupyter front end is installed" : "the HTML pages are being made";
    console.error(`error: ${args.jupyter.join(" ")}: not an option of npm start, and ${why} to pass it to\n\n${USAGE}`);
    return 2;
  }
  return renderHtml(plan, notebooksDir, path.resolve(args.out ?? DEFAULT_OUT_DIR));
}

if (require.main === module) runMain(main);
