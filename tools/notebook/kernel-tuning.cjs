// Preloaded into the kernel process (`node --require kernel-tuning.cjs ...`).
//
// Why: a tslab kernel lives for one notebook, a few seconds, and most of its
// work is tslab's TypeScript compiler checking each cell. V8 keeps optimizing
// compiler functions as they get warm, on background threads, and many of
// those compilations never pay back within so short a life. An interrupt
// budget 8× node 20's default (66 KB → 528 KB of bytecode run before V8
// reconsiders a function) leaves the lukewarm ones in the baseline tiers; the
// engine's training loops are hot enough to be optimized all the same.
// Measured over the ten lessons, run one after another (npm run notebooks):
// 62–64 s of kernel CPU instead of 75–79 s, the same wall time (49–51 s);
// 16× and 31× saved no more and 31× ran slower. Less CPU matters when lessons run
// side by side (the course test runs two at a time on two cores).
// A V8 flag, set from here rather than on the command line, so that a node
// without it only prints a warning instead of refusing to start.
"use strict";
require("node:v8").setFlagsFromString("--interrupt-budget=540672");
