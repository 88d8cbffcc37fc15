/** Hidden cases for exercises/02-initialization.ts: other shapes and fans, other seeds. */
import type * as Ex from "@exercise/02-initialization";
import { Generator, zeros } from "kernel-lib";
import { hiddenCases, threw } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";
import { matrix } from "./inputs";

const schemes = ["xavier", "he", "lecun"] as const;
type Scheme = (typeof schemes)[number];

/** The right std (normal) or bound (uniform) for a weight of this shape. */
function rightScale(shape: number[], scheme: Scheme, d: "uniform" | "normal"): number {
  const field = shape.slice(2).reduce((a, b) => a * b, 1);
  const fanIn = shape[1] * field, fanOut = shape[0] * field;
  const std = Math.sqrt(scheme === "xavier" ? 2 / (fanIn + fanOut) : scheme === "he" ? 2 / fanIn : 1 / fanIn);
  return d === "uniform" ? Math.sqrt(3) * std : std;
}

/** The scale the submission's own fans and initStd/uniformBound give (NaN if they throw). */
function ownScale(ex: typeof Ex, shape: number[], scheme: Scheme, d: "uniform" | "normal"): number {
  try {
    const { fanIn, fanOut } = ex.fans(shape);
    return d === "uniform" ? ex.uniformBound(scheme, fanIn, fanOut) : ex.initStd(scheme, fanIn, fanOut);
  } catch {
    return NaN;
  }
}

/** True when the values are exactly the seed-9201 draws for one of the scales (float32, as the tensor stores them). */
function followsAScale(values: ArrayLike<number>, shape: number[], d: "uniform" | "normal", scales: number[]): boolean {
  return scales.some((scale) => {
    if (!Number.isFinite(scale)) return false;
    const g = new Generator(9201);
    const n = shape.reduce((a, b) => a * b, 1);
    if (values.length !== n) return false;
    for (let i = 0; i < n; i++) {
      const want = Math.fround(d === "uniform" ? -scale + 2 * scale * g.uniform() : scale * g.normal());
      if (Math.abs(values[i] - want) > 1e-7 + 1e-5 * Math.abs(want)) return false;
    }
    return true;
  });
}

export default hiddenCases<typeof Ex>("02-initialization", guarded<typeof Ex>("02-initialization", [
  {
    name: "fans of unusual shapes",
    points: 1,
    run: (ex) => [[3, 7], [5, 2, 4, 4], [1, 1], [2, 6, 1, 1, 3]].map((s) => ex.fans(s)),
  },
  {
    name: "initStd and uniformBound for every scheme on uneven fans",
    points: 2, rtol: 1e-12,
    run: (ex) => schemes.flatMap((s) => [[17, 3], [1, 1000], [4096, 10]].map(([fi, fo]) => [ex.initStd(s, fi, fo), ex.uniformBound(s, fi, fo)])),
  },
  {
    name: "initialize_ on a [20, 10] and a [4, 2, 3] weight, seed 9201",
    points: 2, rtol: 1e-5, atol: 1e-7,
    // Graded on its own: draws that follow YOUR initStd/uniformBound count as right (a scale
    // mistake costs only those functions' points), as do the draws with the right scale.
    run: (ex) => [[20, 10], [4, 2, 3]].flatMap((shape) =>
      schemes.flatMap((s) => (["uniform", "normal"] as const).map((d) => {
        const got = ex.initialize_(zeros(shape), s, d, new Generator(9201));
        return followsAScale(got.data, shape, d, [rightScale(shape, s, d), ownScale(ex, shape, s, d)]) ? "draws with a consistent scale" : got;
      }))),
  },
  {
    name: "stackActivationStats: a deep narrow ReLU stack and a tanh stack",
    points: 2, rtol: 1e-9, atol: 1e-12,
    run: (ex) => {
      const X = matrix(9202, 12, 6);
      const widths = [6, 6, 6, 6, 6, 6, 6];
      const weights = widths.slice(1).map((u, l) => matrix(9203 + l, widths[l], u, 0.9));
      return [ex.stackActivationStats(X, weights, "relu"), ex.stackActivationStats(X, weights, "tanh")];
    },
  },
  {
    name: "fans refuses a 1-D shape and handles a 5-D one",
    points: 1,
    run: (ex) => ({ refused: threw(() => ex.fans([7])), fiveD: ex.fans([4, 3, 2, 2, 2]) }),
  },
  {
    name: "stackActivationStats for a single sample (N = 1) through linear layers with negative units",
    points: 1, rtol: 1e-9, atol: 1e-12,
    run: (ex) => ex.stackActivationStats([[1, 2]], [[[1, -1, 0], [2, -3, 0]], [[1], [1], [0]]], "linear"),
  },
]));
