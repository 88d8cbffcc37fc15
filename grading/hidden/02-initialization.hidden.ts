/** Hidden cases for exercises/02-initialization.ts: other shapes and fans, other seeds. */
import type * as Ex from "@exercise/02-initialization";
import { Generator, zeros } from "kernel-lib";
import { hiddenCases, threw } from "../../tools/grader/hidden-api";
import { guarded } from "./guard";
import { matrix } from "./inputs";

const schemes = ["xavier", "he", "lecun"] as const;

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
    run: (ex) => [[20, 10], [4, 2, 3]].flatMap((shape) =>
      schemes.flatMap((s) => (["uniform", "normal"] as const).map((d) => ex.initialize_(zeros(shape), s, d, new Generator(9201))))),
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
