/**
 * The Jupyter kernelspec that runs the course's notebooks on this checkout's
 * own tslab (`node_modules/.bin/tslab`, the version the runner is tested with).
 *
 *   npm run kernel:install     (also run by `npm install`, via `prepare`)
 *   npm run kernel:remove
 *
 * Where it goes:
 * - project-local: `<repo>/.jupyter/kernels/tslab/`, found by Jupyter when
 *   `JUPYTER_PATH=<repo>/.jupyter` (as `npm start` and the nbconvert test
 *   set it). JUPYTER_PATH comes first in Jupyter's search, so it wins over
 *   any other "tslab" spec.
 * - per user: `$JUPYTER_DATA_DIR/kernels/tslab/` (default
 *   `~/.local/share/jupyter`, `~/Library/Jupyter` on macOS,
 *   `%APPDATA%\jupyter` on Windows), so VS Code and a plain `jupyter lab`
 *   find it too. Skipped when CI is set: a clone that CI deletes afterwards
 *   must not leave a kernel pointing at it.
 *
 * Why the name "tslab", the name `tslab install` uses: the notebooks'
 * metadata says `kernelspec.name: "tslab"` (tools/lessons writes it), so they
 * open with either spec. Both start the same tslab: a globally installed
 * tslab looks for `node_modules/tslab` above the notebook's folder and runs
 * that one. To avoid clobbering a user's own spec, the per-user install
 * writes only where there is no "tslab" spec or one this script wrote; a
 * foreign one is kept and reported. Removal deletes only specs this script
 * wrote for this checkout (recognised by `metadata.written_by` and
 * `metadata.project` in kernel.json).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const KERNEL_NAME = "tslab";
export const KERNEL_DISPLAY_NAME = "TypeScript (course)";
/** Marks kernel.json files this script wrote. */
export const WRITTEN_BY = "deep-training-course tools/course/kernelspec.ts";
/** This checkout's root folder. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  metadata: { written_by: string; project: string };
}

/** kernel.json for a checkout: its own tslab, started with Jupyter's connection file. */
export function courseKernelSpec(root: string = PROJECT_ROOT): KernelSpec {
  return {
    argv: [path.join(root, "node_modules", ".bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    metadata: { written_by: WRITTEN_BY, project: root },
  };
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
  /** The spec's folder (…/kernels/tslab), or null when skipped. */
  dir: string | null;
  status: SpecStatus;
  /** Why it was kept or skipped. */
  reason?: string;
}

export interface KernelSpecOptions {
  /** Checkout whose tslab the spec starts; default this one. */
  root?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Home folder; default $HOME, else the account's (os.homedir()). null: there is none. */
  home?: string | null;
}

interface Target {
  where: "project" | "user";
  dir: string | null;
  reason?: string;
}

function targets(options: KernelSpecOptions): Target[] {
  const root = options.root ?? PROJECT_ROOT;
  const env = options.env ?? process.env;
  const project: Target = { where: "project", dir: path.join(projectJupyterPath(root), "kernels", KERNEL_NAME) };
  if (env.CI) return [project, { where: "user", dir: null, reason: "CI is set: not writing outside the checkout" }];
  const home = options.home !== undefined ? options.home : homeDir(env);
  const data = userDataDir(env, options.platform ?? process.platform, home);
  if (data === null) return [project, { where: "user", dir: null, reason: "no home folder or JUPYTER_DATA_DIR" }];
  return [project, { where: "user", dir: path.join(data, "kernels", KERNEL_NAME) }];
}

function readSpec(file: string): Partial<KernelSpec> | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Partial<KernelSpec>;
  } catch {
    return null;
  }
}

function isOurs(spec: Partial<KernelSpec> | null): boolean {
  return spec?.metadata?.written_by === WRITTEN_BY;
}

function specText(spec: KernelSpec): string {
  return `${JSON.stringify(spec, null, 1)}\n`;
}

/** Writes the spec project-locally and per user. Idempotent; never overwrites a foreign "tslab" spec. */
export function installKernelSpec(options: KernelSpecOptions = {}): SpecOutcome[] {
  const text = specText(courseKernelSpec(options.root ?? PROJECT_ROOT));
  return targets(options).map(({ where, dir, reason }): SpecOutcome => {
    if (dir === null) return { where, dir, status: "skipped", reason };
    const file = path.join(dir, "kernel.json");
    if (existsSync(file)) {
      if (readFileSync(file, "utf8") === text) return { where, dir, status: "unchanged" };
      if (!isOurs(readSpec(file))) {
        return { where, dir, status: "kept", reason: "a tslab kernelspec not written by this course is there" };
      }
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
    return { where, dir, status: "written" };
  });
}

/** Removes the specs this script wrote for this checkout; leaves everything else. */
export function removeKernelSpec(options: KernelSpecOptions = {}): SpecOutcome[] {
  const root = options.root ?? PROJECT_ROOT;
  return targets(options).map(({ where, dir, reason }): SpecOutcome => {
    if (dir === null) return { where, dir, status: "skipped", reason };
    const file = path.join(dir, "kernel.json");
    const spec = readSpec(file);
    if (spec === null) return { where, dir, status: "absent" };
    if (!isOurs(spec) || spec.metadata?.project !== root) {
      return { where, dir, status: "kept", reason: "not written by this course for this checkout" };
    }
    rmSync(file);
    // Also the folders we created, if now empty: the project's .jupyter/kernels/tslab and up; per user only tslab/.
    const created = where === "project" ? [dir, path.dirname(dir), path.dirname(path.dirname(dir))] : [dir];
    for (const folder of created) if (readdirSync(folder).length === 0) rmdirSync(folder);
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
