// Preloaded into the kernel process (`node --require kernel-watchdog.cjs ...`)
// when the kernel could not get a PID namespace of its own (see
// kernel-process.ts; inside one, the runner's parent-death signal does this job).
// The course kernel's launcher (tools/course/kernel-launcher.cjs) calls
// watchParent too, with the Jupyter server's pid (JPY_PARENT_PID), as
// ipykernel's parent poller does: a server that is killed, or whose shutdown
// fails (notebook 6.4 gives up on its kernels when a second signal arrives
// during shutdown), must not leave kernels running with nobody to talk to.
//
// Why: the runner kills its kernels from exit and signal handlers, but a
// runner that is SIGKILLed (or crashes natively) runs no handlers, and the
// kernel, being in its own process group, would live on. This watchdog polls
// the runner's pid and, once the runner is gone, kills every process below
// the kernel (found through /proc, so children a cell spawned `detached`, in
// sessions of their own, are found too), the kernel's process group and the
// kernel. It runs in a worker thread, so it fires even while a cell keeps the
// kernel's main thread busy (`while (true) {}`). Plain CommonJS because node
// loads it before any TypeScript tooling.
"use strict";
/** Kills this process and everything below it once `parentPid` is gone (a no-op for pid ≤ 1 or not a number). */
function watchParent(parentPid) {
  if (!Number.isInteger(parentPid) || parentPid <= 1) return;
  const { Worker } = require("node:worker_threads");
  const watch = `
    const { workerData } = require("node:worker_threads");
    const fs = require("node:fs");
    const below = (pid) => {
      const out = [];
      const stack = [pid];
      while (stack.length > 0 && out.length < 10000) {
        const p = stack.pop();
        let tasks = [];
        try { tasks = fs.readdirSync("/proc/" + p + "/task"); } catch { continue; }
        for (const t of tasks) {
          let kids = [];
          try { kids = fs.readFileSync("/proc/" + p + "/task/" + t + "/children", "utf8").trim().split(/\\s+/).filter(Boolean).map(Number); } catch {}
          for (const k of kids) { out.push(k); stack.push(k); }
        }
      }
      return out;
    };
    const kill = (target) => { try { process.kill(target, "SIGKILL"); } catch {} };
    setInterval(() => {
      try {
        process.kill(workerData.parent, 0);
      } catch (err) {
        if (err && err.code === "ESRCH") {
          for (const p of below(workerData.group)) kill(p);
          kill(-workerData.group);
          kill(workerData.group);
        }
      }
    }, 500);
  `;
  const worker = new Worker(watch, { eval: true, workerData: { parent: parentPid, group: process.pid } });
  worker.unref();
}

watchParent(Number(process.env.NOTEBOOK_RUNNER_PARENT_PID));
module.exports = { watchParent };
