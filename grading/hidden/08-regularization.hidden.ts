/** Hidden cases for exercises/08-regularization.ts: other p, λ and n, another early-stopping curve. */
import type * as Ex from "@exercise/08-regularization";
import { Generator } from "kernel-lib";
import { hiddenCases } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";
import { normals } from "./inputs";

export default hiddenCases<typeof Ex>("08-regularization", guarded<typeof Ex>("08-regularization", [
  {
    name: "dropoutForward with p = 0.25, generator seeded 9801",
    points: 2, rtol: 1e-12,
    run: (ex) => ex.dropoutForward(normals(9802, 60), 0.25, new Generator(9801)),
  },
  {
    name: "dropoutBackward with a fresh mask",
    points: 1, rtol: 1e-12,
    run: (ex) => ex.dropoutBackward(normals(9803, 8), [0, 2, 2, 0, 2, 0, 0, 2]),
  },
  {
    name: "l2PenaltyWithGrad with n = 7 over three matrices",
    points: 1, rtol: 1e-12,
    run: (ex) => ex.l2PenaltyWithGrad([normals(9804, 6), normals(9805, 3), [0]], 0.2, 7),
  },
  {
    name: "EarlyStopper: patience 3 on a noisy curve, then restore",
    points: 2,
    run: (ex) => {
      const s = new ex.EarlyStopper({ patience: 3, minDelta: 0.01 });
      const losses = [1, 0.8, 0.795, 0.7, 0.71, 0.69, 0.695, 0.7, 0.72, 0.5];
      const decisions: boolean[] = [];
      for (const [epoch, loss] of losses.entries()) {
        const stop = s.step(loss, [[epoch, loss]]);
        decisions.push(stop);
        if (stop) break;
      }
      return { decisions, bestEpoch: s.bestEpoch, bestLoss: s.bestLoss, restored: s.restore() };
    },
  },
  {
    name: "mcDropoutStats over 4 passes of 3 samples",
    points: 1, rtol: 1e-9,
    run: (ex) => ex.mcDropoutStats([0, 1, 2, 3].map((t) => [0, 1, 2].map((i) => {
      const raw = normals(9810 + 3 * t + i, 4).map(Math.exp);
      const sum = raw.reduce((a, b) => a + b, 0);
      return raw.map((r) => r / sum);
    }))),
  },
  {
    name: "dropoutEval with p = 0.9 (no scaling at evaluation)",
    points: 1, rtol: 0, atol: 0,
    run: (ex) => ex.dropoutEval(normals(9820, 7), 0.9),
  },
  {
    name: "l1PenaltyWithGrad with exact zeros (and −0) among the weights, n = 4",
    points: 1, rtol: 1e-12, atol: 0,
    run: (ex) => {
      const r = ex.l1PenaltyWithGrad([[0, -0, 1.5], normals(9821, 3)], 0.3, 4);
      return { value: r.value, grads: r.grads.map((row) => row.map((g) => g + 0)) }; // −0 and 0 are the same subgradient
    },
  },
  {
    name: "labelSmoothingCrossEntropy: one sample, two classes, full smoothing (ε = 1)",
    points: 1, rtol: 1e-10, atol: 1e-14,
    run: (ex) => ex.labelSmoothingCrossEntropy([[0.3, -1.2]], [1], 1),
  },
  {
    name: "labelSmoothingCrossEntropy with logits of ±10,000 and ties",
    points: 1, rtol: 1e-10, atol: 1e-14,
    run: (ex) => ex.labelSmoothingCrossEntropy([[1e4, 1e4, -1e4], [-1e4, 0, 1e4], [5, 5, 5]], [1, 0, 2], 0.2),
  },
  {
    name: "mcDropoutStats: one sample whose classes tie exactly",
    points: 1, rtol: 1e-12,
    run: (ex) => ex.mcDropoutStats([[[0.25, 0.5, 0.25]], [[0.75, 0.5, 0.75]]]),
  },
  {
    name: "EarlyStopper.restore twice: the second copy is unchanged by edits to the first",
    points: 1,
    run: (ex) => {
      const s = new ex.EarlyStopper({ patience: 1 });
      s.step(2, [[1, 2]]);
      const first = s.restore();
      if (first !== null) first[0][0] = 42;
      return s.restore();
    },
  },
]));
