import { describe } from "vitest";
import { Generator, init, tensor, zeros, type Tensor } from "kernel-lib";
import * as exercise from "@exercise/02-initialization";
import { expectClose, expectEqual, graded } from "./grading";
import { asGraded } from "./submission";
import { expectInputsUntouched, expectThrows } from "./contracts";

/** The submission as graded: shortcuts refused, arguments checked for changes (submission.ts). */
const ex = asGraded(exercise, "02-initialization");

type Scheme = "xavier" | "he" | "lecun";

/** kernel-lib's initializer for each scheme and distribution (the reference the student's draws must match). */
const engineInit: Record<Scheme, Record<"uniform" | "normal", (t: Tensor, g: Generator) => Tensor>> = {
  xavier: { uniform: (t, g) => init.xavierUniform_(t, { generator: g }), normal: (t, g) => init.xavierNormal_(t, { generator: g }) },
  he: {
    uniform: (t, g) => init.kaimingUniform_(t, { nonlinearity: "relu", generator: g }),
    normal: (t, g) => init.kaimingNormal_(t, { nonlinearity: "relu", generator: g }),
  },
  lecun: { uniform: (t, g) => init.lecunUniform_(t, { generator: g }), normal: (t, g) => init.lecunNormal_(t, { generator: g }) },
};

/** Population mean and std of a flat list. */
function moments(values: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  const mean = s / values.length;
  let q = 0;
  for (let i = 0; i < values.length; i++) q += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(q / values.length) };
}

/** Reference layer statistics computed with kernel-lib tensors in float64. */
function engineStats(X: number[][], weights: number[][][], activation: "relu" | "tanh" | "linear") {
  let a = tensor(X, { dtype: "float64" });
  return weights.map((W) => {
    const z = a.matmul(tensor(W, { dtype: "float64" }));
    a = activation === "relu" ? z.relu() : activation === "tanh" ? z.tanh() : z;
    const { mean, std } = moments(a.data);
    const [n, units] = a.shape;
    let deadUnits = 0;
    for (let u = 0; u < units; u++) {
      let allZero = true;
      for (let r = 0; r < n; r++) if (a.data[r * units + u] !== 0) allZero = false;
      if (allZero) deadUnits++;
    }
    return { mean, std, deadUnits };
  });
}

/** The draws initialize_ should make with the student's own fans and initStd/uniformBound (null when those are missing or throw). */
function drawsWithYourScale(shape: number[], scheme: Scheme, distribution: "uniform" | "normal"): Float32Array | null {
  try {
    const { fanIn, fanOut } = ex.fans(shape);
    const scale = distribution === "uniform" ? ex.uniformBound(scheme, fanIn, fanOut) : ex.initStd(scheme, fanIn, fanOut);
    if (!Number.isFinite(scale)) return null;
    const g = new Generator(7);
    const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < out.length; i++) out[i] = distribution === "uniform" ? -scale + 2 * scale * g.uniform() : scale * g.normal();
    return out;
  } catch {
    return null;
  }
}

/** The student's own initStd / uniformBound, NaN when missing or throwing (then only the reference's values count). */
function yourInitStd(scheme: Scheme, fanIn: number, fanOut: number): number {
  try {
    return ex.initStd(scheme, fanIn, fanOut);
  } catch {
    return NaN;
  }
}

function yourUniformBound(scheme: Scheme, fanIn: number, fanOut: number): number {
  try {
    return ex.uniformBound(scheme, fanIn, fanOut);
  } catch {
    return NaN;
  }
}

function closeEnough(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 1e-7 + 1e-5 * Math.abs(b[i])) return false;
  return true;
}

function randomMatrix(rows: number, cols: number, std: number, g: Generator): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => std * g.normal()));
}

describe("02 initialization", () => {
  graded("fans of Linear and convolution weights", 1, () => {
    const cases: [number[], { fanIn: number; fanOut: number }][] = [
      [[128, 256], { fanIn: 256, fanOut: 128 }],
      [[10, 784], { fanIn: 784, fanOut: 10 }],
      [[16, 3, 5, 5], { fanIn: 75, fanOut: 400 }],
      [[8, 4, 3], { fanIn: 12, fanOut: 24 }],
    ];
    for (const [shape, expected] of cases) {
      expectEqual(ex.fans(shape), expected, {
        what: `fans of a weight of shape [${shape.join(", ")}]`, input: { shape },
        hint: "the layout is [out, in, kernel…]: fanIn uses shape[1], fanOut shape[0], both times the kernel size",
      });
    }
  });

  graded("fans refuses a 1-D or 0-D shape (a bias has no fans)", 1, () => {
    for (const shape of [[10], []]) {
      expectThrows(`fans([${shape.join(", ")}])`, () => ex.fans(shape), "the doc promises an Error for fewer than 2 dimensions: check shape.length first");
    }
  });

  graded("initStd: Glorot, He and LeCun standard deviations", 2, () => {
    const cases: [Scheme, number, number, number][] = [
      ["he", 256, 256, Math.sqrt(2 / 256)],
      ["xavier", 256, 256, Math.sqrt(1 / 256)],
      ["lecun", 256, 256, Math.sqrt(1 / 256)],
      ["xavier", 784, 100, Math.sqrt(2 / 884)],
      ["he", 784, 100, Math.sqrt(2 / 784)],
      ["lecun", 64, 10, 1 / 8],
      ["xavier", 3, 1, Math.sqrt(0.5)],
    ];
    for (const [scheme, fanIn, fanOut, expected] of cases) {
      expectClose(ex.initStd(scheme, fanIn, fanOut), expected, {
        what: `initStd("${scheme}", ${fanIn}, ${fanOut})`, input: { scheme, fanIn, fanOut }, rtol: 1e-12,
        hint: scheme === "xavier" ? "σ² = 1 / fan_avg with fan_avg = (fanIn + fanOut) / 2" : scheme === "he" ? "σ² = 2 / fanIn (the 2 makes up for ReLU zeroing half the units)" : "σ² = 1 / fanIn",
      });
    }
    // The lesson's cheat sheet for fan_in = 256: He 0.0884, Xavier (fan_in = fan_out) 0.0625.
    expectClose(ex.initStd("he", 256, 256), 0.0884, { what: "the cheat sheet's He std for fan_in 256", rtol: 1e-3 });
  });

  graded("uniformBound has the variance of the normal version", 2, () => {
    const cases: [Scheme, number, number, number][] = [
      ["xavier", 256, 256, Math.sqrt(6 / 512)],
      ["xavier", 784, 100, Math.sqrt(6 / 884)],
      ["he", 256, 128, Math.sqrt(6 / 256)],
      ["lecun", 100, 10, Math.sqrt(3 / 100)],
    ];
    for (const [scheme, fanIn, fanOut, reference] of cases) {
      // Graded on its own: √3 times YOUR initStd is accepted too, so an initStd mistake costs only initStd's points.
      const got = ex.uniformBound(scheme, fanIn, fanOut);
      const yours = Math.sqrt(3) * yourInitStd(scheme, fanIn, fanOut);
      const expected = Math.abs(got - yours) <= 1e-12 * Math.abs(yours) ? yours : reference;
      expectClose(got, expected, {
        what: `uniformBound("${scheme}", ${fanIn}, ${fanOut})`, input: { scheme, fanIn, fanOut }, rtol: 1e-12, fromYourCode: true,
        hint: "U(−a, a) has variance a²/3, so a = √3 · std (e.g. Xavier: √(6 / (fanIn + fanOut)))",
      });
    }
  });

  graded("initialize_ draws exactly what kernel-lib's initializers draw, in place", 3, () => {
    const shapes = [[64, 32], [16, 3, 3, 3]];
    for (const shape of shapes) {
      for (const scheme of ["xavier", "he", "lecun"] as const) {
        for (const distribution of ["uniform", "normal"] as const) {
          const mine = zeros(shape);
          const returned = ex.initialize_(mine, scheme, distribution, new Generator(7));
          const what = `initialize_(zeros([${shape.join(", ")}]), "${scheme}", "${distribution}", new Generator(7))`;
          expectEqual(returned === mine, true, { what: `${what} returns the same tensor`, hint: "fill weight.data in place and return weight itself" });
          // Graded on its own: a mistake in your fans/initStd/uniformBound costs only their points,
          // so the draws made with YOUR scale are accepted as well as kernel-lib's.
          const reference = engineInit[scheme][distribution](zeros(shape), new Generator(7));
          const yours = drawsWithYourScale(shape, scheme, distribution);
          const target = yours !== null && closeEnough(mine.data, yours) ? yours : reference.data;
          expectClose(mine, target, {
            what, input: { shape, scheme, distribution }, rtol: 1e-5, atol: 1e-7, fromYourCode: true,
            hint: distribution === "uniform"
              ? "one generator.uniform() per entry in storage order: −a + 2a·u with a = uniformBound(scheme, fanIn, fanOut) and the fans of the convolution shape"
              : "one generator.normal() per entry in storage order, times std = initStd(scheme, fanIn, fanOut)",
          });
        }
      }
    }
  });

  graded("initialize_ has the right scale on a large weight", 1, () => {
    const w = ex.initialize_(zeros([200, 300]), "he", "uniform", new Generator(3));
    const { mean, std } = moments(w.data);
    let maxAbs = 0;
    for (let i = 0; i < w.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(w.data[i]));
    // Graded on its own: the bound of YOUR uniformBound is accepted when your draws follow it.
    const yours = yourUniformBound("he", 300, 200);
    const bound = Math.abs(maxAbs - yours) <= 0.01 * yours && Number.isFinite(yours) ? yours : Math.sqrt(6 / 300);
    expectClose(std, bound / Math.sqrt(3), { what: "std of a He-uniform [200, 300] weight", rtol: 0.02, fromYourCode: true, hint: "the std should be √(2 / fanIn) with fanIn = 300 (shape[1])" });
    expectClose(mean, 0, { what: "mean of a He-uniform [200, 300] weight", atol: 2e-3 });
    expectEqual(maxAbs <= bound && maxAbs > 0.99 * bound, true, {
      what: `every |w| ≤ the bound ${bound.toFixed(4)} (√(6 / 300) = 0.1414) and the largest close to it (got ${maxAbs.toFixed(4)})`,
    });
  });

  graded("stackActivationStats matches a tensor computation (ReLU, He scale)", 2, () => {
    const g = new Generator(11);
    const X = randomMatrix(30, 16, 1, g);
    const widths = [16, 24, 24, 12, 12, 12];
    const weights = widths.slice(1).map((units, l) => randomMatrix(widths[l], units, Math.sqrt(2 / widths[l]), g));
    const got = ex.stackActivationStats(X, weights, "relu");
    const expected = engineStats(X, weights, "relu");
    expectEqual(got.length, expected.length, { what: "one entry per layer" });
    got.forEach((s, l) => {
      expectClose(s.mean, expected[l].mean, { what: `mean of layer ${l + 1}`, rtol: 1e-9, hint: "a_l = relu(a_{l−1} · W_l) with W_l[j][u] = weight from input j to unit u" });
      expectClose(s.std, expected[l].std, { what: `std of layer ${l + 1}`, rtol: 1e-9, hint: "population std over all n·d entries (divide by n·d, not n·d − 1)" });
      expectEqual(s.deadUnits, expected[l].deadUnits, { what: `dead units of layer ${l + 1}` });
    });
  });

  graded("stackActivationStats: tanh, linear, dead units and no layers", 2, () => {
    const g = new Generator(5);
    const X = randomMatrix(20, 8, 1, g);
    const weights = [randomMatrix(8, 10, 0.5, g), randomMatrix(10, 6, 0.5, g)];
    weights[0].forEach((row) => { row[3] = 0; row[7] = 0; }); // units 3 and 7 of layer 1 get no input: exactly 0
    for (const activation of ["tanh", "linear", "relu"] as const) {
      const got = ex.stackActivationStats(X, weights, activation);
      const expected = engineStats(X, weights, activation);
      got.forEach((s, l) => {
        expectClose([s.mean, s.std], [expected[l].mean, expected[l].std], { what: `[mean, std] of layer ${l + 1} with ${activation}`, rtol: 1e-9, atol: 1e-12 });
        expectEqual(s.deadUnits, expected[l].deadUnits, {
          what: `dead units of layer ${l + 1} with ${activation}`,
          hint: "a dead unit is a column that is exactly 0 in every row (for tanh and linear too: here units 3 and 7 of layer 1 have all-zero weights)",
        });
      });
    }
    expectEqual(ex.stackActivationStats(X, [], "relu"), [], { what: "no layers", hint: "return an empty list" });
  });

  graded("stackActivationStats: a unit negative in every row is not dead (dead means exactly 0)", 1, () => {
    // Positive inputs and a column of negative weights: with "linear" that unit is < 0 everywhere, but alive.
    const X = [[1, 2], [0.5, 1], [3, 0.25]];
    const W = [[1, -1, 0], [2, -0.5, 0]];
    const got = expectInputsUntouched("stackActivationStats", { X, weights: [W] }, () => ex.stackActivationStats(X, [W], "linear"));
    expectEqual(got.map((s) => s.deadUnits), [1], {
      what: "dead units of a linear layer whose unit 1 is negative for every sample and unit 2 exactly 0", input: { X, W, activation: "linear" },
      hint: "count a column only when every value is exactly 0 (=== 0), not ≤ 0: a negative output still carries gradient",
    });
  });
});
