/** Hidden cases for exercises/09-transfer-learning.ts: another model, other spaces and seeds. */
import type * as Ex from "@exercise/09-transfer-learning";
import { Generator, nn, noGrad, randn } from "kernel-lib";
import { hiddenCases, threw } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";

function model(): nn.Sequential {
  const g = new Generator(9901);
  return new nn.Sequential(
    new nn.Linear(4, 6, { generator: g }), new nn.ReLU(), new nn.Linear(6, 6, { generator: g }), new nn.ReLU(),
    new nn.Linear(6, 5, { generator: g }), new nn.ReLU(), new nn.Linear(5, 2, { generator: g }),
  );
}

export default hiddenCases<typeof Ex>("09-transfer-learning", guarded<typeof Ex>("09-transfer-learning", [
  {
    name: "setTrainable on a 4-layer model, and a typo refused",
    points: 2,
    run: (ex) => {
      const m = model();
      return { frozen: ex.setTrainable(m, ["0", "4"], false), thawed: ex.setTrainable(m, ["4.bias"], true), typo: threw(() => ex.setTrainable(m, ["7"], false)) };
    },
  },
  {
    name: "countParameters with the middle layers frozen",
    points: 1,
    run: (ex) => {
      const m = model();
      m.at(2).requiresGrad_(false);
      m.at(4).requiresGrad_(false);
      return ex.countParameters(m);
    },
  },
  {
    name: "newHeadOnBody reusing 6 modules for 3 classes",
    points: 2, rtol: 1e-6,
    run: (ex) => {
      const source = model();
      const m = ex.newHeadOnBody(source, 6, 3, { generator: new Generator(9902) });
      const x = randn([3, 4], { generator: new Generator(9903) });
      const hidden = noGrad(() => {
        let h = x;
        for (let i = 0; i < 6; i++) h = m.at(i).call(h);
        return h;
      });
      return { length: m.length, hidden, flags: m.namedParameters().map(([n, p]) => [n, p.requiresGrad]) };
    },
  },
  {
    name: "sampleConfigs with generator 9904",
    points: 1, rtol: 1e-12,
    run: (ex) => ex.sampleConfigs({
      wd: { kind: "logUniform", low: 1e-6, high: 1e-2 }, p: { kind: "uniform", low: 0.1, high: 0.6 },
      depth: { kind: "int", low: 1, high: 8 }, act: { kind: "choice", values: ["relu", "gelu", "silu"] },
    }, 12, new Generator(9904)),
  },
  {
    name: "gridConfigs with three keys",
    points: 1,
    run: (ex) => ex.gridConfigs({ a: [1, 2], b: ["x"], c: [true, false, true] }),
  },
]));
