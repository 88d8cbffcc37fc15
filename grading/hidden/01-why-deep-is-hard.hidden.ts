/** Hidden cases for exercises/01-why-deep-is-hard.ts: fresh seeds, far tails, degenerate layer lists. */
import type * as Ex from "@exercise/01-why-deep-is-hard";
import { hiddenCases } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";
import { matrix, normals, uniforms } from "./inputs";

export default hiddenCases<typeof Ex>("01-why-deep-is-hard", guarded<typeof Ex>("01-why-deep-is-hard", [
  {
    // atol scaled to the derivative's magnitude (at most 0.25): the naive σ(1 − σ) rounds to 0 at z = 40
    // and the stable e^(−|z|)/(1 + e^(−|z|))² gives 4.2e-18; both are right to double precision.
    name: "sigmoidDerivative far in both tails (|z| up to 700) stays finite",
    points: 1, rtol: 1e-9, atol: 1e-16,
    run: (ex) => [-700, -40, -1e-9, 1e-9, 12, 40, 700].map((z) => ex.sigmoidDerivative(z)),
  },
  {
    name: "gradientThroughSigmoids over 50 random layers",
    points: 1, rtol: 1e-10,
    run: (ex) => [ex.gradientThroughSigmoids(normals(9101, 50, 2)), ex.gradientThroughSigmoids([3])],
  },
  {
    name: "countParameters: one layer, a single input, no layer at all",
    points: 1, rtol: 0,
    run: (ex) => [ex.countParameters([3, 1]), ex.countParameters([1, 1, 1, 1]), ex.countParameters([1000, 1]), ex.countParameters([7])],
  },
  {
    name: "fitPolynomial on fresh noisy data (degrees 2 and 4)",
    points: 2, rtol: 1e-6, atol: 1e-9,
    run: (ex) => {
      const x = uniforms(9102, 25, -1, 1);
      const y = x.map((xi, i) => 0.5 - xi + 3 * xi ** 2 + 0.1 * normals(9103, 25)[i]);
      return [ex.fitPolynomial(x, y, 2), ex.fitPolynomial(x, y, 4)];
    },
  },
  {
    name: "errorsByDegree on fresh train/test sets",
    points: 1, rtol: 1e-6,
    run: (ex) => {
      const make = (seed: number, n: number) => {
        const x = uniforms(seed, n, -1, 1);
        const noise = normals(seed + 1, n, 0.3);
        return { x, y: x.map((xi, i) => Math.sin(3 * xi) + noise[i]) };
      };
      return ex.errorsByDegree(make(9104, 15), make(9106, 80), [4, 1, 7]);
    },
  },
  {
    name: "sigmoidStackGradientNorms on a 3-layer stack with wider weights",
    points: 2, rtol: 1e-9,
    run: (ex) => {
      const sizes = [5, 4, 4, 3];
      const weights = sizes.slice(1).map((n, l) => matrix(9110 + l, n, sizes[l], 0.8));
      return ex.sigmoidStackGradientNorms(normals(9109, 5), weights);
    },
  },
]));
