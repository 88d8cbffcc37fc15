/** Hidden cases for exercises/03-activations.ts: other slopes and alphas, exact zeros, wide ranges. */
import type * as Ex from "@exercise/03-activations";
import { hiddenCases, threw } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";
import { normals } from "./inputs";

const xs = [...normals(9301, 30, 4), 0, -0.0001, 0.0001, -60, 60];

export default hiddenCases<typeof Ex>("03-activations", guarded<typeof Ex>("03-activations", [
  { name: "leakyRelu with slope 0.05, exact zeros included", points: 1, rtol: 1e-12, run: (ex) => ex.leakyRelu(xs, 0.05) },
  { name: "elu with alpha 0.7 over a wide range", points: 1, rtol: 1e-12, atol: 1e-15, run: (ex) => ex.elu(xs, 0.7) },
  { name: "selu over a wide range", points: 1, rtol: 1e-12, atol: 2e-15, run: (ex) => ex.selu(xs) },
  { name: "geluTanh values and derivatives over a wide range", points: 2, rtol: 1e-10, atol: 1e-14, run: (ex) => ex.geluTanh(xs) },
  {
    name: "deadFraction: a wide batch, and ragged rows refused",
    points: 1, rtol: 1e-12,
    run: (ex) => {
      const rows = [normals(9302, 40), normals(9303, 40), normals(9304, 40)].map((r) => r.map((v) => Math.max(0, v - 1)));
      return [ex.deadFraction(rows), threw(() => ex.deadFraction([[1, 2, 3], [1, 2]]))];
    },
  },
]));
