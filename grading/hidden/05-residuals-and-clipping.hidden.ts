/** Hidden cases for exercises/05-residuals-and-clipping.ts: fresh gradients, exact thresholds, deeper stacks. */
import type * as Ex from "@exercise/05-residuals-and-clipping";
import { hiddenCases, threw } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";
import { matrix, normals } from "./inputs";

export default hiddenCases<typeof Ex>("05-residuals-and-clipping", guarded<typeof Ex>("05-residuals-and-clipping", [
  {
    name: "clipGradNorm on fresh gradients (returned norm and clipped values)",
    points: 2, rtol: 1e-10,
    run: (ex) => {
      const grads = [normals(9501, 9, 3), normals(9502, 4)];
      const norm = ex.clipGradNorm(grads, 2.5);
      return { norm, grads };
    },
  },
  {
    name: "clipGradValue at exactly the threshold, and a bad clipValue refused",
    points: 1, rtol: 0, atol: 0,
    run: (ex) => {
      const grads = [[1, -1, 1.0000001, -2, 0.5]];
      const changed = ex.clipGradValue(grads, 1);
      return { changed, grads, refused: threw(() => ex.clipGradValue([[1]], 0)) };
    },
  },
  {
    name: "cosineSimilarity of fresh lists",
    points: 1, rtol: 1e-10,
    run: (ex) => ex.cosineSimilarity([normals(9503, 5), normals(9504, 2)], [normals(9505, 5), normals(9506, 2)]),
  },
  {
    name: "residualForward and residualBackward on a 6-d block",
    points: 2, rtol: 1e-10, atol: 1e-12,
    run: (ex) => {
      const x = normals(9507, 6), W = matrix(9508, 6, 6, 0.4), b = normals(9509, 6, 0.1), dy = normals(9510, 6);
      return { y: ex.residualForward(x, W, b), grads: ex.residualBackward(x, W, b, dy) };
    },
  },
  {
    name: "backpropNorms through 6 residual layers",
    points: 1, rtol: 1e-10,
    run: (ex) => ex.backpropNorms(Array.from({ length: 6 }, (_, k) => matrix(9511 + k, 4, 4, 0.2)), normals(9520, 4), true),
  },
  {
    name: "clipGradNorm of all-zero gradients (norm 0: nothing to scale, no NaN)",
    points: 1, rtol: 0, atol: 0,
    run: (ex) => {
      const grads = [[0, 0], [0]];
      return { norm: ex.clipGradNorm(grads, 1), grads };
    },
  },
  {
    name: "residualBackward with inputs exactly at 0 (relu′(0) = 0)",
    points: 1, rtol: 1e-12, atol: 1e-15,
    run: (ex) => ex.residualBackward([0, -0, 2, 0], matrix(9530, 4, 4), [0, 0, 0, 0], normals(9531, 4)),
  },
]));
