#!/usr/bin/env node
// The course kernel's launcher, copied into the kernelspec folder by
// tools/course/kernelspec.ts (kernel.json: ["node", "<that folder>/launch.cjs", "{connection_file}"]).
//
// Why a launcher instead of a path into one clone: the kernelspec is per user,
// the clones are many. Jupyter (classic Notebook, Notebook 7, JupyterLab, VS
// Code, nbconvert) starts a kernel in the notebook's folder, so the launcher
// walks up from its working folder to the nearest course checkout (a
// package.json named "deep-training-course") and runs that checkout's tslab,
// which loads that checkout's kernel-lib. Several clones, a moved clone or a
// deleted clone never break one another, and nothing here names a clone.
//
// Plain CommonJS with no dependency: it must run before anything is resolved.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const COURSE_PACKAGE = "deep-training-course";

function isCheckout(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name === COURSE_PACKAGE;
  } catch {
    return false;
  }
}

/** The nearest folder at or above `start` that is a course checkout, or null. */
function findCheckout(start) {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (isCheckout(dir)) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

function fail(message) {
  process.stderr.write(`TypeScript (course) kernel: ${message}\n`);
  process.exit(1);
}

function main() {
  const connectionFile = process.argv[2];
  if (!connectionFile) fail("usage: node launch.cjs <connection file> (Jupyter passes it)");
  const cwd = process.cwd();
  const root = findCheckout(cwd);
  if (root === null) {
    fail(
      `no course checkout at or above ${cwd}. This kernel runs notebooks that live inside a copy of the course ` +
        `(a folder whose package.json is named "${COURSE_PACKAGE}"): open the notebook from there, ` +
        "or run `npm install` in a fresh clone of the course.",
    );
  }
  const tslab = path.join(root, "node_modules", "tslab", "bin", "tslab");
  if (!fs.existsSync(tslab)) fail(`the course checkout ${root} has no node_modules/tslab: run \`npm install\` in ${root}.`);
  // The V8 tuning the headless runner preloads too (see that file): fewer wasted compilations.
  const tuning = path.join(root, "tools", "notebook", "kernel-tuning.cjs");
  if (fs.existsSync(tuning)) require(tuning);
  // kernel-lib's cell recorder (the headless runner preloads it too): engine errors then name the
  // student's cell line from the very first cell (kernel-lib/src/display/cell-stack.ts).
  const cellRecorder = path.join(root, "kernel-lib", "dist", "display", "kernel-preload.js");
  if (fs.existsSync(cellRecorder)) require(cellRecorder);
  // Exit with the Jupyter server that started us (it sets JPY_PARENT_PID, as for every kernel):
  // a killed server, or one whose shutdown failed, would leave this kernel running for nobody.
  // A watchdog thread, so that a busy cell does not delay it (tools/notebook/kernel-watchdog.cjs).
  // (This launcher is shared by every clone of the user; an older clone's watchdog has no watchParent.)
  const watchdog = path.join(root, "tools", "notebook", "kernel-watchdog.cjs");
  const watchParent = fs.existsSync(watchdog) ? require(watchdog).watchParent : undefined;
  if (typeof watchParent === "function") watchParent(Number(process.env.JPY_PARENT_PID));
  process.argv = [process.argv[0], tslab, "kernel", "--config-path", connectionFile];
  require(tslab);
}

if (require.main === module) main();
module.exports = { findCheckout, COURSE_PACKAGE };
