/**
 * The Jupyter kernelspec of the course: kernel "typescript-course", display
 * name "TypeScript (course)". Its folder holds kernel.json and a launcher
 * (kernel-launcher.cjs, copied as launch.cjs) that finds the course checkout
 * holding the notebook (Jupyter starts kernels in the notebook's folder) and
 * runs that checkout's tslab. So one spec serves every clone: several clones,
 * a moved clone or a deleted clone never break one another.
 *
 *   npm run kernel:install     (also run by `npm install`, via `prepare`, and by `npm start`)
 *   npm run kernel:remove
 *
 * Where it goes:
 * - project-local: `<repo>/.jupyter/kernels/typescript-course/`, found by
 *   Jupyter when `JUPYTER_PATH=<repo>/.jupyter` (as `npm start` sets it), so
 *   `npm start` works even where the per-user folder cannot be written.
 * - per user: `$JUPYTER_DATA_DIR/kernels/typescript-course/` (default
 *   `~/.local/share/jupyter`, `~/Library/Jupyter` on macOS,
 *   `%APPDATA%\jupyter` on Windows), so VS Code, a plain `jupyter lab` and
 *   `jupyter nbconvert` find it too. Skipped when CI is set: CI writes nothing
 *   outside its checkout.
 *
 * Why a name of its own: `tslab install` writes a spec named "tslab"; ours must
 * never overwrite or remove a user's. The notebooks' metadata names exactly this
 * kernel with exactly this display name (tools/lessons/percent.ts), so opening
 * and saving a notebook adds no kernelspec diff. Install writes only where
 * there is no spec of this name or one this script wrote (`metadata.written_by`
 * in kernel.json); removal deletes only those. `kernel:remove` also removes a
 * "tslab" spec that an earlier version of this script wrote (same marker),
 * never one it did not write.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const KERNEL_NAME = "typescript-course";
export const KERNEL_DISPLAY_NAME = "TypeScript (course)";
/** The name earlier versions of this script used (tslab's own); removed by `kernel:remove` when ours. */
export const LEGACY_KERNEL_NAME = "tslab";
/** Marks kernel.json files this script wrote. */
export const WRITTEN_BY = "deep-training-course tools/course/kernelspec.ts";
/** This checkout's root folder. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
/** The launcher's file name inside a kernelspec folder. */
export const LAUNCHER = "launch.cjs";
const LAUNCHER_SOURCE = path.join(__dirname, "kernel-launcher.cjs");

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal";
  metadata: { written_by: string };
}

/**
 * kernel.json for a spec folder: node runs the launcher stored beside it.
 * `node` comes from the PATH of whatever starts Jupyter (npm start, VS Code, a
 * shell): a path to today's node binary would break when node is upgraded.
 */
export function courseKernelSpec(specDir: string): KernelSpec {
  return {
    argv: ["node", path.join(specDir, LAUNCHER), "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { written_by: WRITTEN_BY },
  };
}

/** The files of a spec folder, by name. */
export function kernelSpecFiles(specDir: string): Record<string, string> {
  return {
    "kernel.json": `${JSON.stringify(courseKernelSpec(specDir), null, 1)}\n`,
    [LAUNCHER]: readFileSync(LAUNCHER_SOURCE, "utf8"),
  };
}

/** Writes the spec's files into `specDir` (created); for tests and tools that need a spec elsewhere. */
export function writeKernelSpecFolder(specDir: string): void {
  mkdirSync(specDir, { recursive: true });
  for (const [name, text] of Object.entries(kernelSpecFiles(specDir))) writeFileSync(path.join(specDir, name), text);
}

/** The folder to put in JUPYTER_PATH for the project-local spec. */
export function projectJupyterPath(root: string = PROJECT_ROOT): string {
  return path.join(root, ".jupyter");
}

/** `env` with the project-local spec first on JUPYTER_PATH (for starting Jupyter or nbconvert). */
export function withProjectJupyterPath(env: NodeJS.ProcessEnv, root: string = PROJECT_ROOT): NodeJS.ProcessEnv {
  const own = projectJupyterPath(root);
  const rest = (env.JUPYTER_PATH ?? "").split(path.delimiter).filter((dir) => dir !== "" && dir !== own);
  return { ...env, JUPYTER_PATH: [own, ...rest].join(path.delimiter) };
}

/**
 * Jupyter's per-user data folder, by jupyter_core's rules; null when there
 * is no home folder to put it in.
 */
export function userDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string | null): string | null {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (platform === "win32") return env.APPDATA ? path.join(env.APPDATA, "jupyter") : null;
  if (platform !== "darwin" && env.XDG_DATA_HOME) return path.join(env.XDG_DATA_HOME, "jupyter");
  if (!home) return null;
  return platform === "darwin" ? path.join(home, "Library", "Jupyter") : path.join(home, ".local", "share", "jupyter");
}

/** The home folder, or null where there is none (no HOME and no passwd entry). */
function homeDir(env: NodeJS.ProcessEnv): string | null {
  if (env.HOME) return env.HOME;
  try {
    return os.homedir() || null;
  } catch {
    return null;
  }
}

export type SpecStatus =
  | "written" // created or updated
  | "unchanged" // already identical
  | "kept" // a spec we did not write is there; left alone
  | "removed"
  | "absent" // nothing of ours to remove
  | "skipped"; // no place for it (no home folder, or CI)

export interface SpecOutcome {
  where: "project" | "user";
  /** The spec's folder (…/kernels/typescript-course), or null when skipped. */
  dir: string | null;
  status: SpecStatus;
  /** Why it was kept or skipped. */
  reason?: string;
}

export interface KernelSpecOptions {
  /** Checkout whose project-local spec is managed; default this one. */
  root?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Home folder; default $HOME, else the account's (os.homedir()). null: there is none. */
  home?: string | null;
}

interface Target {
  where: "project" | "user";
  /** The folder holding kernels/<name>/, or null when skipped. */
  kernels: string | null;
  reason?: string;
}

function targets(options: KernelSpecOptions): Target[] {
  const root = options.root ?? PROJECT_ROOT;
  const env = options.env ?? process.env;
  const project: Target = { where: "project", kernels: path.join(projectJupyterPath(root), "kernels") };
  if (env.CI) return [project, { where: "user", kernels: null, reason: "CI is set: not writing outside the checkout" }];
  const home = options.home !== undefined ? options.home : homeDir(env);
  const data = userDataDir(env, options.platform ?? process.platform, home);
  if (data === null) return [project, { where: "user", kernels: null, reason: "no home folder or JUPYTER_DATA_DIR" }];
  return [project, { where: "user", kernels: path.join(data, "kernels") }];
}

function isOurs(specDir: string): boolean {
  try {
    const spec = JSON.parse(readFileSync(path.join(specDir, "kernel.json"), "utf8")) as Partial<KernelSpec>;
    return spec.metadata?.written_by === WRITTEN_BY;
  } catch {
    return false;
  }
}

/** Writes the spec project-locally and per user. Idempotent; never overwrites a spec it did not write. */
export function installKernelSpec(options: KernelSpecOptions = {}): SpecOutcome[] {
  return targets(options).map(({ where, kernels, reason }): SpecOutcome => {
    if (kernels === null) return { where, dir: null, status: "skipped", reason };
    const dir = path.join(kernels, KERNEL_NAME);
    const files = Object.entries(kernelSpecFiles(dir));
    const same = files.every(([name, text]) => existsSync(path.join(dir, name)) && readFileSync(path.join(dir, name), "utf8") === text);
    if (same) return { where, dir, status: "unchanged" };
    if (existsSync(path.join(dir, "kernel.json")) && !isOurs(dir)) {
      return { where, dir, status: "kept", reason: `a "${KERNEL_NAME}" kernelspec not written by this course is there` };
    }
    writeKernelSpecFolder(dir);
    return { where, dir, status: "written" };
  });
}

/** Deletes a spec folder we wrote (our files only), and the parents we created if now empty. */
function removeOurs(dir: string, alsoEmpty: string[]): void {
  for (const name of ["kernel.json", LAUNCHER]) rmSync(path.join(dir, name), { force: true });
  for (const folder of [dir, ...alsoEmpty]) if (existsSync(folder) && readdirSync(folder).length === 0) rmdirSync(folder);
}

/** Removes the specs this script wrote (and a legacy "tslab" one it wrote); leaves everything else. */
export function removeKernelSpec(options: KernelSpecOptions = {}): SpecOutcome[] {
  return targets(options).map(({ where, kernels, reason }): SpecOutcome => {
    if (kernels === null) return { where, dir: null, status: "skipped", reason };
    const dir = path.join(kernels, KERNEL_NAME);
    // The project's .jupyter/kernels and .jupyter are ours to remove when empty; per user, only our spec folder.
    const parents = where === "project" ? [kernels, path.dirname(kernels)] : [];
    const legacy = path.join(kernels, LEGACY_KERNEL_NAME);
    if (isOurs(legacy)) removeOurs(legacy, []);
    if (!existsSync(path.join(dir, "kernel.json"))) {
      for (const folder of parents) if (existsSync(folder) && readdirSync(folder).length === 0) rmdirSync(folder);
      return { where, dir, status: "absent" };
    }
    if (!isOurs(dir)) return { where, dir, status: "kept", reason: "not written by this course" };
    removeOurs(dir, parents);
    return { where, dir, status: "removed" };
  });
}

function describe(outcome: SpecOutcome): string {
  const place = outcome.dir === null ? "" : ` ${outcome.dir}`;
  return `${outcome.where}: ${outcome.status}${place}${outcome.reason ? ` (${outcome.reason})` : ""}`;
}

const USAGE = "Usage: tsx tools/course/kernelspec.ts install|remove [--quiet]";

/**
 * CLI. `--quiet` (used by `prepare`) prints nothing when all went well and
 * turns any failure into a one-line warning with exit status 0, so
 * `npm install` never fails over a kernelspec.
 */
export function main(argv: string[], options: KernelSpecOptions = {}): number {
  const quiet = argv.includes("--quiet");
  const command = argv.find((arg) => !arg.startsWith("-"));
  if (command !== "install" && command !== "remove") {
    console.error(USAGE);
    return 2;
  }
  try {
    const outcomes = command === "install" ? installKernelSpec(options) : removeKernelSpec(options);
    if (!quiet) for (const outcome of outcomes) console.log(describe(outcome));
    return 0;
  } catch (err) {
    const message = `kernelspec ${command} failed: ${(err as Error).message}`;
    if (!quiet) {
      console.error(message);
      return 1;
    }
    console.warn(`warning: ${message} (the notebooks still run with \`npm run notebooks\`)`);
    return 0;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
