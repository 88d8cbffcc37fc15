/** Hidden cases for exercises/07-lr-schedules.ts: other constants, boundaries and long horizons. */
import type * as Ex from "@exercise/07-lr-schedules";
import { hiddenCases } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";

const ts = [0, 1, 2, 7, 8, 24, 25, 26, 63, 199, 200, 500];

export default hiddenCases<typeof Ex>("07-lr-schedules", guarded<typeof Ex>("07-lr-schedules", [
  { name: "stepDecay with stepSize 8, gamma 0.3", points: 1, rtol: 1e-12, run: (ex) => ts.map((t) => ex.stepDecay(0.2, t, 8, 0.3)) },
  { name: "exponentialDecay and inverseTimeDecay with k = 0.013", points: 1, rtol: 1e-12, run: (ex) => ts.map((t) => [ex.exponentialDecay(0.05, t, 0.013), ex.inverseTimeDecay(0.05, t, 0.013)]) },
  { name: "cosineAnnealing over T = 200 with lrMin 1e-4, past T too", points: 1, rtol: 1e-10, atol: 1e-15, run: (ex) => ts.map((t) => ex.cosineAnnealing(0.02, t, 200, 1e-4)) },
  { name: "warmupCosine with 25 warmup steps of 200", points: 1, rtol: 1e-10, atol: 1e-15, run: (ex) => ts.map((t) => ex.warmupCosine(0.02, t, 25, 200, 1e-5)) },
  {
    name: "oneCycle with pctStart 0.4 over 64 steps",
    points: 2, rtol: 1e-9,
    run: (ex) => Array.from({ length: 64 }, (_, t) => ex.oneCycle(t, 0.6, 64, { pctStart: 0.4, divFactor: 20, finalDivFactor: 1000 })),
  },
]));
