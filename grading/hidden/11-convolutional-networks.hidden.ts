/** Hidden cases for exercises/11-convolutional-networks.ts: other sizes, strides, padding and stacks. */
import type * as Ex from "@exercise/11-convolutional-networks";
import { hiddenCases } from "../../tools/grader/hidden-api";
import { matrix } from "./inputs";

/** [n][c][h][w] from seeded rows: image i, channel ch is a seeded h × w matrix. */
function images(seed: number, n: number, c: number, h: number, w: number): number[][][][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: c }, (_, ch) => matrix(seed + 10 * i + ch, h, w)));
}

export default hiddenCases<typeof Ex>("11-convolutional-networks", [
  {
    name: "convOutputSize over strides, padding and dilation",
    points: 1, rtol: 0,
    run: (ex) => [[9, 3, 2, 0], [9, 4, 3, 2], [15, 3, 1, 0, 3], [1, 1, 1, 0], [6, 6, 1, 0]].map(([s, k, st, p, d]) => ex.convOutputSize(s, k, st, p, d)),
  },
  {
    name: "conv2dForward with a 2×4 kernel, stride 3, padding 2",
    points: 2, rtol: 1e-10, atol: 1e-12,
    run: (ex) => ex.conv2dForward(images(9501, 2, 2, 8, 9), images(9520, 3, 2, 2, 4), [0.3, -0.2, 1], 3, 2),
  },
  {
    name: "maxPool2dForward and backward with kernel 3, stride 1",
    points: 2, rtol: 0,
    run: (ex) => {
      const x = images(9540, 1, 2, 5, 6);
      const { out, argmax } = ex.maxPool2dForward(x, 3, 1);
      return { out, dx: ex.maxPool2dBackward(images(9560, 1, 2, 3, 4), argmax, [1, 2, 5, 6]) };
    },
  },
  {
    name: "batchNorm2dStats of a batch of 3 with 5 channels",
    points: 1, rtol: 1e-10,
    run: (ex) => ex.batchNorm2dStats(images(9580, 3, 5, 4, 3)),
  },
  {
    name: "convStackSummary of a strided stack on a 3×32×32 image",
    points: 1, rtol: 0,
    run: (ex) => ex.convStackSummary([3, 32, 32], [
      { kind: "conv", outChannels: 16, kernel: 3, stride: 2, padding: 1 },
      { kind: "conv", outChannels: 16, kernel: 3, padding: 1, bias: false },
      { kind: "pool", kernel: 3, stride: 2 },
      { kind: "conv", outChannels: 8, kernel: 1 },
    ]),
  },
]);
