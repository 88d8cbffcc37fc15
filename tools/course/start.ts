/**
 * `npm start`: open the course.
 *
 *   npm start [-- --html] [--execute] [--notebooks DIR] [--out DIR]
 *
 * - With JupyterLab or Jupyter Notebook installed (`jupyter-lab` /
 *   `jupyter-notebook` on PATH, or next to `jupyter`), it runs that front end
 *   in notebooks/ with the course kernelspec on JUPYTER_PATH, and forwards
 *   its output until it exits.
 * - Otherwise (or with --html) it renders every notebook to HTML from the
 *   outputs stored in it, into build/course/, prints the file:// address of
 *   the index and how to get an interactive front end, and exits 0.
 *   --execute re-runs the notebooks through the headless runner first (the
 *   notebooks on disk are left as they are) and implies --html; it exits 1
 *   if a notebook failed, after writing the pages.
 *
 * The choice is the pure function planStart, so it is tested without
 * starting a server.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, mkdirSync, realpathSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { readNotebook, type Notebook } from "../notebook/notebook";
import { DEFAULT_HOOKS, runNotebookFile } from "../notebook/run-notebook";
import { DEFAULT_NOTEBOOKS_DIR, DEFAULT_OUT_DIR, exportCourse, notebookFiles } from "./html";
import { installKernelSpec, KERNEL_DISPLAY_NAME, withProjectJupyterPath } from "./kernelspec";
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

const USAGE = `Usage: npm start [-- --html] [--execute] [--notebooks DIR] [--out DIR]

  (no options)     JupyterLab or Jupyter Notebook if installed, else HTML pages
  --html           render HTML pages even when Jupyter is installed
  --execute        run the notebooks first (their files are not changed); implies --html
  --notebooks DIR  the notebooks folder (default: notebooks/)
  --out DIR        where the HTML goes (default: build/course/)`;

const INTERACTIVE_HELP = `For the interactive course, install a Jupyter front end and run \`npm start\` again:
  sudo apt-get install jupyter-notebook     (Debian, Ubuntu)
  pip install jupyterlab                    (JupyterLab, anywhere with Python)
or open notebooks/ in VS Code with the Jupyter extension and pick the kernel "${KERNEL_DISPLAY_NAME}".`;

/** Runs the front end in the notebooks folder until it exits; resolves to its exit status. */
function runJupyter(plan: Extract<StartPlan, { kind: "jupyter" }>, notebooksDir: string): Promise<number> {
  for (const outcome of installKernelSpec()) {
    if (outcome.status === "kept" || (outcome.status === "skipped" && outcome.where === "project")) {
      console.warn(`kernelspec (${outcome.where}): ${outcome.status}${outcome.reason ? `, ${outcome.reason}` : ""}`);
    }
  }
  mkdirSync(notebooksDir, { recursive: true });
  console.log(`Starting ${plan.frontEnd} in ${notebooksDir} (kernel "${KERNEL_DISPLAY_NAME}"); stop it with Ctrl-C.`);
  // The front end's root is its working folder: no option name differs between versions.
  const child = spawn(plan.command, [], { cwd: notebooksDir, stdio: "inherit", env: withProjectJupyterPath(process.env) });
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
    child.once("exit", (code, signal) => done(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1)));
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
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        html: { type: "boolean", default: false },
        execute: { type: "boolean", default: false },
        notebooks: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    console.error(`error: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const notebooksDir = path.resolve(values.notebooks ?? DEFAULT_NOTEBOOKS_DIR);
  const plan = planStart(findFrontEnds(), { html: values.html ?? false, execute: values.execute ?? false });
  if (plan.kind === "jupyter") return runJupyter(plan, notebooksDir);
  return renderHtml(plan, notebooksDir, path.resolve(values.out ?? DEFAULT_OUT_DIR));
}

if (require.main === module) runMain(main);
