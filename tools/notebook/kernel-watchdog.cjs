// Preloaded into the kernel process (`node --require kernel-watchdog.cjs ...`).
//
// Why: the runner kills its kernels from exit and signal handlers, but a
// runner that is SIGKILLed (or crashes natively) runs no handlers, and the
// kernel, being in its own process group, would live on. This watchdog polls
// the runner's pid and kills the kernel's whole process group once the runner
// is gone. It cannot fire while a cell blocks the event loop, so it is a last
// resort, not the main mechanism. Plain CommonJS because node loads it before
// any TypeScript tooling.
"use strict";
const parentPid = Number(process.env.NOTEBOOK_RUNNER_PARENT_PID);
if (Number.isInteger(parentPid) && parentPid > 1) {
  const timer = setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch (err) {
      if (err && err.code === "ESRCH") {
        try {
          process.kill(-process.pid, "SIGKILL");
        } finally {
          process.exit(1);
        }
      }
    }
  }, 1000);
  timer.unref();
}
