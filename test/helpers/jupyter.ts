/**
 * Whether the tests that need Debian's Jupyter can run here: each returns why
 * not (a sentence for the skip message), or null when it can. .ci/run installs
 * these packages when it can.
 */
import { spawnSync } from "node:child_process";

function probe(command: string, args: string[], install: string): string | null {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 30_000 });
  if (result.error) return `${command} is not on PATH (install it with: ${install})`;
  if (result.status !== 0) return `\`${command} ${args.join(" ")}\` failed: ${(result.stderr || result.stdout).trim().split("\n").pop()}`;
  return null;
}

/** `jupyter nbconvert` with nbclient and ipykernel (executes notebooks on a kernelspec). */
export function nbconvertMissing(): string | null {
  return probe("jupyter", ["nbconvert", "--version"], "sudo apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel");
}

/** Classic Jupyter Notebook, the front end `npm start` opens when JupyterLab is absent. */
export function jupyterNotebookMissing(): string | null {
  return probe("jupyter-notebook", ["--version"], "sudo apt-get install jupyter-notebook");
}
