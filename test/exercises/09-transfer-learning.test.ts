import { describe } from "vitest";
import { Generator, nn, noGrad, randn, type Tensor } from "kernel-lib";
import * as exercise from "@exercise/09-transfer-learning";
import { GradingError, expectClose, expectEqual, graded } from "./grading";
import { asGraded } from "./submission";
import { expectThrows } from "./contracts";

/** The submission as graded: shortcuts refused, arguments checked for changes (submission.ts). */
const ex = asGraded(exercise, "09-transfer-learning");

/** A model shaped like the lesson's: a body Sequential (named "0.*") and a head ("1.*"). */
function lessonModel(): nn.Sequential {
  const g = new Generator(9);
  const body = new nn.Sequential(new nn.Linear(6, 5, { generator: g }), new nn.ReLU(), new nn.Linear(5, 4, { generator: g }), new nn.ReLU());
  return new nn.Sequential(body, new nn.Linear(4, 3, { generator: g }));
}

const flags = (m: nn.Module) => Object.fromEntries(m.namedParameters().map(([name, p]) => [name, p.requiresGrad]));

/** source: Linear(6,5) ReLU Linear(5,4) ReLU Linear(4,3), seeded. */
function sourceNet(): nn.Sequential {
  const g = new Generator(33);
  return new nn.Sequential(
    new nn.Linear(6, 5, { generator: g }), new nn.ReLU(), new nn.Linear(5, 4, { generator: g }), new nn.ReLU(), new nn.Linear(4, 3, { generator: g }),
  );
}

/** The output of the first k modules of a Sequential. */
function runFirst(model: nn.Sequential, k: number, x: Tensor): Tensor {
  return noGrad(() => {
    let h = x;
    for (let i = 0; i < k; i++) h = model.at(i).call(h);
    return h;
  });
}

/** The grader's own replay of the sampling rule of 9.4. */
function replay(space: Record<string, exercise.ParamSpace>, n: number, g: Generator): exercise.Config[] {
  const out: exercise.Config[] = [];
  for (let t = 0; t < n; t++) {
    const c: exercise.Config = {};
    for (const [key, p] of Object.entries(space)) {
      const u = g.uniform();
      if (p.kind === "logUniform") c[key] = p.low * (p.high / p.low) ** u;
      else if (p.kind === "uniform") c[key] = p.low + u * (p.high - p.low);
      else if (p.kind === "int") c[key] = p.low + Math.floor(u * (p.high - p.low + 1));
      else c[key] = p.values[Math.floor(u * p.values.length)];
    }
    out.push(c);
  }
  return out;
}

describe("09 transfer learning", () => {
  graded("setTrainable freezes the body by prefix and returns what it changed", 2, () => {
    const model = lessonModel();
    const changed = ex.setTrainable(model, ["0"], false);
    expectEqual(changed, ["0.0.weight", "0.0.bias", "0.2.weight", "0.2.bias"], { what: 'names changed by setTrainable(model, ["0"], false)', hint: "return the names of the parameters you changed, in model.namedParameters() order" });
    expectEqual(flags(model), { "0.0.weight": false, "0.0.bias": false, "0.2.weight": false, "0.2.bias": false, "1.weight": true, "1.bias": true }, { what: "requiresGrad after freezing the body", hint: "p.requiresGrad_(false) on the selected parameters only" });
    const thawed = ex.setTrainable(model, ["0.2"], true);
    expectEqual(thawed, ["0.2.weight", "0.2.bias"], { what: 'names changed by setTrainable(model, ["0.2"], true)' });
    expectEqual(flags(model), { "0.0.weight": false, "0.0.bias": false, "0.2.weight": true, "0.2.bias": true, "1.weight": true, "1.bias": true }, { what: "requiresGrad after unfreezing the upper hidden layer" });
  });

  graded("setTrainable: prefix boundaries, the empty prefix, overlaps and typos", 2, () => {
    const g = new Generator(1);
    const wide = new nn.Sequential(...Array.from({ length: 12 }, () => new nn.Linear(2, 2, { generator: g })));
    const changed = ex.setTrainable(wide, ["1"], false);
    expectEqual(changed, ["1.weight", "1.bias"], { what: 'setTrainable(model, ["1"], false) on a 12-layer Sequential', hint: '"1" must not select "10.weight" or "11.bias": match name === p or name.startsWith(p + ".")' });
    expectEqual(wide.parameters().filter((p) => !p.requiresGrad).length, 2, { what: "number of frozen tensors" });
    const all = ex.setTrainable(wide, [""], false);
    expectEqual(all.length, 24, { what: 'setTrainable(model, [""], false) changes every parameter', hint: "the empty prefix selects everything" });
    const model = lessonModel();
    const overlap = ex.setTrainable(model, ["0", "0.0"], false);
    expectEqual(overlap, ["0.0.weight", "0.0.bias", "0.2.weight", "0.2.bias"], { what: 'overlapping prefixes ["0", "0.0"]', hint: "list each parameter once, in the model's order" });
    expectThrows('a prefix that matches nothing ("2")', () => ex.setTrainable(model, ["2"], false), "throw an Error: a typo would otherwise silently leave layers trainable");
    expectThrows('a prefix that is only part of a name ("0.0.w")', () => ex.setTrainable(model, ["0.0.w"], false), 'prefixes end at a "." boundary');
  });

  graded("countParameters: trainable, frozen and total entries", 3, () => {
    const model = lessonModel();
    expectEqual(ex.countParameters(model), { trainable: 35 + 24 + 15, frozen: 0, total: 74 }, { what: "counts of a fresh 6→5→4→3 model", hint: "count entries (p.size), not tensors" });
    (model.at(0) as nn.Sequential).requiresGrad_(false);
    const got = ex.countParameters(model);
    expectEqual(got, { trainable: 15, frozen: 59, total: 74 }, { what: "counts with the body frozen", hint: "p.requiresGrad decides trainable or frozen" });
    expectEqual(got.trainable, model.numParameters({ trainableOnly: true }), { what: "trainable count vs the engine's numParameters({ trainableOnly: true })" });
    const noBias = new nn.Sequential(new nn.Linear(784, 128, { bias: false }), new nn.BatchNorm1d(128), new nn.Linear(128, 10));
    expectEqual(ex.countParameters(noBias), { trainable: 784 * 128 + 256 + 1290, frozen: 0, total: 784 * 128 + 256 + 1290 }, { what: "a model with a bias-free Linear and a BatchNorm1d", hint: "batch norm's γ and β are parameters; its running statistics are buffers, not parameters" });
  });

  graded("newHeadOnBody: copied layers, a new head, the same hidden features", 3, () => {
    const source = sourceNet();
    const model = ex.newHeadOnBody(source, 4, 2, { generator: new Generator(0) });
    expectEqual(model instanceof nn.Sequential, true, { what: "the result is an nn.Sequential" });
    expectEqual(model.length, 5, { what: "modules: 4 reused + 1 head", input: { reuse: 4 } });
    const head = model.at(4);
    expectEqual(head instanceof nn.Linear && [head.inFeatures, head.outFeatures], [4, 2], { what: "the head is a Linear(4, 2)", hint: "its inFeatures is the outFeatures of the last reused Linear" });
    for (const i of [0, 2]) {
      const copied = model.at(i) as nn.Linear;
      const original = source.at(i) as nn.Linear;
      expectClose(copied.weight, original.weight, { what: `weight of reused layer ${i}`, rtol: 0, atol: 0, hint: "copy the values with copy_" });
      expectClose(copied.bias!, original.bias!, { what: `bias of reused layer ${i}`, rtol: 0, atol: 0 });
    }
    const x = randn([7, 6], { generator: new Generator(2) });
    expectClose(runFirst(model, 4, x), runFirst(source, 4, x), { what: "hidden features of the new model vs the source", rtol: 1e-6, hint: "keep the reused modules in their order, activations included" });
    expectEqual(noGrad(() => model.call(x)).shape, [7, 2], { what: "output shape for 7 samples" });
  });

  graded("newHeadOnBody: values are copied, not shared; freezing", 2, () => {
    const source = sourceNet();
    const before = Array.from((source.at(0) as nn.Linear).weight.data);
    const model = ex.newHeadOnBody(source, 4, 2);
    expectEqual(flags(model), { "0.weight": false, "0.bias": false, "2.weight": false, "2.bias": false, "4.weight": true, "4.bias": true }, { what: "requiresGrad with the default freeze = true", hint: "freeze the copies, never the head" });
    expectEqual(source.parameters().every((p) => p.requiresGrad), true, { what: "the source stays trainable", hint: "freeze the copies, not the source's own layers" });
    noGrad(() => (model.at(0) as nn.Linear).weight.data.fill(0));
    expectClose((source.at(0) as nn.Linear).weight, before, { what: "the source's weight after zeroing the copy's", rtol: 0, atol: 0, hint: "a new nn.Linear per reused layer; sharing the object ties the two models together" });
    const open = ex.newHeadOnBody(source, 4, 2, { freeze: false });
    expectEqual(open.parameters().every((p) => p.requiresGrad), true, { what: "every parameter trains with freeze = false" });
  });

  graded("newHeadOnBody: shorter bodies, bias-free layers, seeded head, refusals", 1, () => {
    const source = sourceNet();
    const short = ex.newHeadOnBody(source, 2, 7);
    const head = short.at(2) as nn.Linear;
    expectEqual([short.length, head.inFeatures, head.outFeatures], [3, 5, 7], { what: "reuse = 2 (Linear, ReLU) → head Linear(5, 7)" });
    const noBias = new nn.Sequential(new nn.Linear(3, 4, { bias: false, generator: new Generator(4) }), new nn.Tanh());
    const fromNoBias = ex.newHeadOnBody(noBias, 2, 2);
    expectEqual((fromNoBias.at(0) as nn.Linear).bias, null, { what: "a bias-free Linear is copied without a bias", hint: "new nn.Linear(in, out, { bias: l.bias !== null })" });
    const a = ex.newHeadOnBody(source, 4, 3, { generator: new Generator(11) });
    const b = ex.newHeadOnBody(source, 4, 3, { generator: new Generator(11) });
    expectClose((a.at(4) as nn.Linear).weight, (b.at(4) as nn.Linear).weight, { what: "two heads drawn with Generator(11)", rtol: 0, atol: 0, hint: "pass options.generator to the head's nn.Linear" });
    expectThrows("reuse = 0", () => ex.newHeadOnBody(source, 0, 2), "reuse must be in 1..source.length");
    expectThrows("reuse = 6 for a 5-module source", () => ex.newHeadOnBody(source, 6, 2), "reuse must be in 1..source.length");
    expectThrows("a reused part without any Linear", () => ex.newHeadOnBody(new nn.Sequential(new nn.ReLU(), new nn.Linear(3, 3)), 1, 2), "there is nothing to put the head on");
    expectThrows("a reused BatchNorm1d", () => ex.newHeadOnBody(new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4)), 2, 2), "a module with parameters that is not a Linear cannot be copied: throw");
  });

  graded("sampleConfigs replays the specified draws exactly", 3, () => {
    const space: Record<string, exercise.ParamSpace> = {
      lr: { kind: "logUniform", low: 1e-4, high: 1e-1 },
      dropout: { kind: "uniform", low: 0, high: 0.5 },
      layers: { kind: "int", low: 1, high: 4 },
      activation: { kind: "choice", values: ["relu", "gelu", "elu"] },
    };
    const got = ex.sampleConfigs(space, 20, new Generator(5));
    const expected = replay(space, 20, new Generator(5));
    expectEqual(got.length, 20, { what: "number of configurations" });
    got.forEach((c, i) => {
      expectEqual(Object.keys(c), Object.keys(space), { what: `keys of configuration ${i}`, hint: "one value per key of the space, in its order" });
      expectClose(c.lr as number, expected[i].lr as number, { what: `lr of configuration ${i}`, rtol: 1e-12, hint: "exp(ln low + u·(ln high − ln low)), one generator.uniform() per key, keys in order" });
      expectClose(c.dropout as number, expected[i].dropout as number, { what: `dropout of configuration ${i}`, rtol: 1e-12 });
      expectEqual(c.layers, expected[i].layers, { what: `layers of configuration ${i}`, hint: "low + ⌊u·(high − low + 1)⌋ includes high" });
      expectEqual(c.activation, expected[i].activation, { what: `activation of configuration ${i}`, hint: "values[⌊u·values.length⌋]" });
    });
    expectEqual(ex.sampleConfigs(space, 0, new Generator(5)), [], { what: "n = 0 gives no configuration" });
  });

  graded("sampleConfigs: every decade equally likely, integers inclusive", 1, () => {
    const draws = ex.sampleConfigs({ lr: { kind: "logUniform", low: 1e-4, high: 1e-1 }, units: { kind: "int", low: 2, high: 5 } }, 3000, new Generator(8));
    const lrs = draws.map((c) => c.lr as number);
    [-4, -3, -2].forEach((e) => {
      const count = lrs.filter((v) => v >= 10 ** e && v < 10 ** (e + 1)).length;
      if (count < 900 || count > 1100) {
        throw new GradingError({ what: `log-uniform draws in [1e${e}, 1e${e + 1})`, input: { n: 3000 }, hint: "sample the exponent uniformly, not the value" }, `expected about 1000 of 3000, got ${count}`);
      }
    });
    expectEqual([...new Set(draws.map((c) => c.units))].sort(), [2, 3, 4, 5], { what: "distinct values of an int on [2, 5]", hint: "both ends are included" });
  });

  graded("sampleConfigs refuses invalid spaces", 1, () => {
    const g = new Generator(0);
    expectEqual(ex.sampleConfigs({ p: { kind: "choice", values: [true] } }, 2, g), [{ p: true }, { p: true }], { what: "a one-value choice" });
    expectThrows("logUniform with low = 0", () => ex.sampleConfigs({ lr: { kind: "logUniform", low: 0, high: 1 } }, 1, g), "the logarithm of 0 is −∞: refuse low ≤ 0");
    expectThrows("uniform with low > high", () => ex.sampleConfigs({ p: { kind: "uniform", low: 1, high: 0 } }, 1, g), "check low ≤ high");
    expectThrows("int with a non-integer bound", () => ex.sampleConfigs({ p: { kind: "int", low: 1, high: 2.5 } }, 1, g), "int bounds must be integers");
    expectThrows("an empty choice", () => ex.sampleConfigs({ p: { kind: "choice", values: [] } }, 1, g), "nothing to choose from: throw");
  });

  graded("gridConfigs: every combination, first key slowest", 2, () => {
    const got = ex.gridConfigs({ lr: [0.1, 0.01], units: [32, 64] });
    expectEqual(got, [{ lr: 0.1, units: 32 }, { lr: 0.1, units: 64 }, { lr: 0.01, units: 32 }, { lr: 0.01, units: 64 }], { what: "gridConfigs({ lr: [0.1, 0.01], units: [32, 64] })", hint: "nested loops: the last key changes fastest" });
    const big = ex.gridConfigs({ a: [1, 2, 3], b: ["x", "y"], c: [true, false], d: [0] });
    expectEqual(big.length, 12, { what: "3 × 2 × 2 × 1 combinations" });
    expectEqual(new Set(big.map((c) => JSON.stringify(c))).size, 12, { what: "all 12 combinations are different" });
    expectEqual(big[0], { a: 1, b: "x", c: true, d: 0 }, { what: "first combination" });
    expectEqual(big[11], { a: 3, b: "y", c: false, d: 0 }, { what: "last combination" });
    expectEqual(ex.gridConfigs({}), [{}], { what: "the empty grid", hint: "one configuration with nothing in it" });
    expectEqual(ex.gridConfigs({ a: [1, 2], b: [] }), [], { what: "a key without values", hint: "no value for b means no configuration at all" });
  });
});
