/** Hidden cases for exercises/06-optimizers.ts: other hyperparameters, longer runs. */
import type * as Ex from "@exercise/06-optimizers";
import { hiddenCases } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";
import { normals } from "./inputs";

const scales = [2, 0.3, 1.5, 0.9, 4];
const grad = (w: readonly number[]) => w.map((wi, i) => scales[i] * wi);

export default hiddenCases<typeof Ex>("06-optimizers", guarded<typeof Ex>("06-optimizers", [
  {
    name: "momentumStep: 20 steps with momentum 0.5",
    points: 1, rtol: 1e-10, atol: 1e-14,
    run: (ex) => {
      let s = { w: normals(9601, 5), v: [0, 0, 0, 0, 0] };
      for (let t = 0; t < 20; t++) s = ex.momentumStep(s.w, grad(s.w), s.v, { lr: 0.03, momentum: 0.5 });
      return s;
    },
  },
  {
    name: "nesterovStep: 20 steps with momentum 0.8",
    points: 2, rtol: 1e-10, atol: 1e-14,
    run: (ex) => {
      let s = { w: normals(9602, 5), v: [0, 0, 0, 0, 0] };
      for (let t = 0; t < 20; t++) s = ex.nesterovStep(s.w, s.v, grad, { lr: 0.03, momentum: 0.8 });
      return s;
    },
  },
  {
    name: "rmspropStep: 25 steps of fresh gradients, rho 0.8",
    points: 1, rtol: 1e-10, atol: 1e-14,
    run: (ex) => {
      let s = { w: normals(9603, 5), s: [0, 0, 0, 0, 0] };
      for (let t = 0; t < 25; t++) s = ex.rmspropStep(s.w, normals(9700 + t, 5, 3), s.s, { lr: 0.02, rho: 0.8, eps: 1e-6 });
      return s;
    },
  },
  {
    name: "adamStep: 40 steps with beta2 = 0.99",
    points: 2, rtol: 1e-10, atol: 1e-14,
    run: (ex) => {
      let s = { w: normals(9604, 5), m: [0, 0, 0, 0, 0], v: [0, 0, 0, 0, 0] };
      for (let t = 1; t <= 40; t++) s = ex.adamStep(s.w, grad(s.w), s.m, s.v, t, { lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-7 });
      return s;
    },
  },
  {
    name: "adamwStep for 20 steps with a strong decay (λ = 0.5) and one coordinate whose gradient is 0",
    points: 2, rtol: 1e-10, atol: 1e-14,
    run: (ex) => {
      let s = { w: normals(9620, 4, 2), m: [0, 0, 0, 0], v: [0, 0, 0, 0] };
      for (let t = 1; t <= 20; t++) s = ex.adamwStep(s.w, s.w.map((wi, i) => (i === 3 ? 0 : (i + 1) * wi)), s.m, s.v, t, { lr: 0.02, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.5 });
      return s;
    },
  },
]));
