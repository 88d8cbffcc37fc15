// Preloaded into the kernel process (`node --require kernel-watchdog.cjs ...`)
// when the kernel could not get a PID namespace of its own (see
// kernel-process.ts; inside one, the runner's parent-death signal does this job).
//
// Why: the runner kills its kernels from exit and signal handlers, but a
// runner that is SIGKILLed (or crashes natively) runs no handlers, and the
// kernel, being in its own process group, would live on. This watchdog polls
// the runner's pid and kills the kernel's whole process group once the runner
// is gone. It runs in a worker thread, so it fires even while a cell keeps
// the kernel's main thread busy (`while (true) {}`). Plain CommonJS because
// node loads it before any TypeScript tooling.
"use strict";
const parentPid = Number(process.env.NOTEBOOK_RUNNER_PARENT_PID);
if (Number.isInteger(parentPid) && parentPid > 1) {
  const { Worker } = require("node:worker_threads");
  const watch = `
    const { workerData } = require("node:worker_threads");
    setInterval(() => {
      try {
        process.kill(workerData.parent, 0);
      } catch (err) {
        if (err && err.code === "ESRCH") {
          try { process.kill(-workerData.group, "SIGKILL"); } catch {}
          process.kill(workerData.group, "SIGKILL");
        }
      }
    }, 500);
  `;
  const worker = new Worker(watch, { eval: true, workerData: { parent: parentPid, group: process.pid } });
  worker.unref();
}
