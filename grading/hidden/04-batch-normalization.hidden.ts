/** Hidden cases for exercises/04-batch-normalization.ts: other eps, momentum and batch sizes. */
import type * as Ex from "@exercise/04-batch-normalization";
import { hiddenCases } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";
import { matrix, normals } from "./inputs";
import { referenceCache } from "../../test/exercises/reference-batch-norm";

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
    // The reference forward's cache: a forward bug costs only the forward's points.
    run: (ex) => ex.batchNormBackward(matrix(9404, 9, 3), referenceCache(x, gamma, 1e-3)),
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
  {
    name: "batchNormForward on a batch of two with a constant feature (σ² = 0)",
    points: 1, rtol: 1e-9, atol: 1e-12,
    run: (ex) => ex.batchNormForward([[1, 5, -3], [3, 5, 7]], [1, 2, 0.5], [0, 0.25, -1]).out,
  },
  {
    name: "batchNormForward with features a million apart in scale",
    points: 1, rtol: 1e-8, atol: 1e-9,
    run: (ex) => ex.batchNormForward(matrix(9420, 6, 2).map(([a, b]) => [1e6 + a, 1e-3 * b]), [1, 1], [0, 0]).out,
  },
  {
    name: "batchNormBackward for a batch of one (every x̂ is 0)",
    points: 1, rtol: 1e-8, atol: 1e-12,
    run: (ex) => ex.batchNormBackward([[0.5, -2]], referenceCache([[3, 4]], [1.5, -1])),
  },
  {
    name: "batchNormEval for a single sample, eps 0.1",
    points: 1, rtol: 1e-10, atol: 1e-12,
    run: (ex) => ex.batchNormEval([[2, -1, 0.5]], { gamma: [1, 2, -0.5], beta: [0, 0.1, 1], runningMean: [1, 0, 0.5], runningVar: [4, 0.01, 0], eps: 0.1 }),
  },
  {
    name: "layerNormForward on rows with large offsets and a constant row",
    points: 2, rtol: 1e-8, atol: 1e-10,
    run: (ex) => ex.layerNormForward([normals(9421, 5).map((v) => 1e4 + v), [3, 3, 3, 3, 3], normals(9422, 5, 0.01)], normals(9423, 5), normals(9424, 5), 1e-3),
  },
  {
    name: "gradientCheck on a cubic, with a wrong gradient in one coordinate",
    points: 1, rtol: 1e-6, atol: 1e-8,
    run: (ex) => {
      const f = (v: number[]) => v.reduce((s, x) => s + x ** 3 - 2 * x, 0);
      const x = normals(9425, 4, 2);
      const right = x.map((v) => 3 * v * v - 2);
      return [ex.gradientCheck(f, x, right).numeric, ex.gradientCheck(f, x, right.map((g, i) => (i === 2 ? -g : g))).maxRelativeError];
    },
  },
]));
