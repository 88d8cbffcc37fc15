/** Hidden cases for exercises/04-batch-normalization.ts: other eps, momentum and batch sizes. */
import type * as Ex from "@exercise/04-batch-normalization";
import { hiddenCases } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";
import { matrix, normals } from "./inputs";

const x = matrix(9401, 9, 3, 2).map((r) => r.map((v, j) => v + 3 * j));
const gamma = normals(9402, 3, 0.5).map((v) => 1 + v);
const beta = normals(9403, 3);

export default hiddenCases<typeof Ex>("04-batch-normalization", guarded<typeof Ex>("04-batch-normalization", [
  {
    name: "batchNormForward with eps = 1e-3 on a batch of 9",
    points: 2, rtol: 1e-9, atol: 1e-12,
    run: (ex) => ex.batchNormForward(x, gamma, beta, 1e-3).out,
  },
  {
    name: "batchNormBackward for a fresh upstream gradient",
    points: 2, rtol: 1e-8, atol: 1e-10,
    run: (ex) => ex.batchNormBackward(matrix(9404, 9, 3), ex.batchNormForward(x, gamma, beta, 1e-3).cache),
  },
  {
    name: "updateRunningStats with momentum 0.3, three batches",
    points: 1, rtol: 1e-10,
    run: (ex) => {
      let s = { runningMean: [0, 0, 0], runningVar: [1, 1, 1] };
      for (let k = 0; k < 3; k++) s = ex.updateRunningStats(s.runningMean, s.runningVar, matrix(9405 + k, 4 + k, 3), 0.3);
      return s;
    },
  },
  {
    name: "foldBatchNorm of a 2 → 3 Linear with bias",
    points: 1, rtol: 1e-12,
    run: (ex) => ex.foldBatchNorm(
      { weight: matrix(9409, 3, 2), bias: normals(9410, 3) },
      { gamma: [0.5, 2, -1], beta: [0.1, 0, 3], runningMean: [1, -1, 0.5], runningVar: [4, 0.25, 1], eps: 1e-5 },
    ),
  },
]));
