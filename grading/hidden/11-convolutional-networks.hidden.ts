/** Hidden cases for exercises/11-convolutional-networks.ts: other sizes, strides and padding, degenerate shapes, ties, refusals. */
import type * as Ex from "@exercise/11-convolutional-networks";
import { hiddenCases, threw } from "../../tools/grader/hidden-api";
import { referenceArgmax, stackShapes, stackShapesOrNull } from "../../test/exercises/reference-conv";
import { guarded } from "./guard";
import { matrix } from "./inputs";

type Images = number[][][][];

/** [n][c][h][w] from seeded matrices: image i, channel ch is a seeded h × w matrix, plus `shift`. */
function images(seed: number, n: number, c: number, h: number, w: number, shift = 0): Images {
  return Array.from({ length: n }, (_, i) => Array.from({ length: c }, (_, ch) => matrix(seed + 10 * i + ch, h, w).map((row) => row.map((v) => v + shift))));
}

const strided: Ex.StackLayer[] = [
  { kind: "conv", outChannels: 16, kernel: 3, stride: 2, padding: 1 },
  { kind: "conv", outChannels: 16, kernel: 3, padding: 1, bias: false },
  { kind: "pool", kernel: 3, stride: 2 },
  { kind: "conv", outChannels: 8, kernel: 1 },
];

export default hiddenCases<typeof Ex>("11-convolutional-networks", guarded<typeof Ex>("11-convolutional-networks", [
  {
    name: "convOutputSize over strides, padding and dilation, a 1-pixel input included",
    points: 1, rtol: 0,
    run: (ex) => [[9, 3, 2, 0], [9, 4, 3, 2], [15, 3, 1, 0, 3], [1, 1, 1, 0], [6, 6, 1, 0], [11, 3, 4, 1, 2], [2, 1, 5, 3]].map(([s, k, st, p, d]) => ex.convOutputSize(s, k, st, p, d)),
  },
  {
    name: "convOutputSize refuses windows just too large, with a large stride or dilation",
    points: 1,
    run: (ex) => ({
      fits: ex.convOutputSize(4, 6, 3, 1),
      refused: [[4, 6, 3, 0], [5, 3, 7, 0, 3], [2, 4, 1, 0]].map(([s, k, st, p, d]) => threw(() => ex.convOutputSize(s, k, st, p, d))),
    }),
  },
  {
    name: "conv2dForward with a 2×4 kernel, stride 3, padding 2",
    points: 2, rtol: 1e-10, atol: 1e-12,
    run: (ex) => ex.conv2dForward(images(9501, 2, 2, 8, 9), images(9520, 3, 2, 2, 4), [0.3, -0.2, 1], 3, 2),
  },
  {
    name: "conv2dForward for one image, a 1×1 kernel and padding 2 (a border of bias only)",
    points: 1, rtol: 1e-10, atol: 1e-12,
    run: (ex) => ex.conv2dForward(images(9530, 1, 3, 2, 3), images(9535, 2, 3, 1, 1), [0.5, -1.5], 1, 2),
  },
  {
    name: "maxPool2dForward with kernel 3, stride 1: all-negative values and ties",
    points: 2, rtol: 0,
    run: (ex) => {
      // Rounded values make ties common; shifted by −10, every window is negative.
      const x = images(9540, 1, 2, 5, 6, -10).map((img) => img.map((plane) => plane.map((row) => row.map((v) => Math.round(v)))));
      return ex.maxPool2dForward(x, 3, 1);
    },
  },
  {
    name: "maxPool2dBackward for overlapping windows (kernel 3, stride 1)",
    points: 1, rtol: 1e-12, atol: 1e-15,
    // The graders' argmax: a forward bug costs only the forward's points.
    run: (ex) => ex.maxPool2dBackward(images(9560, 1, 2, 3, 4), referenceArgmax(images(9545, 1, 2, 5, 6), 3, 1), [1, 2, 5, 6]),
  },
  {
    name: "batchNorm2dStats of a batch of 3 with 5 channels, values far from 0",
    points: 1, rtol: 1e-9, atol: 1e-12,
    run: (ex) => ex.batchNorm2dStats(images(9580, 3, 5, 4, 3, 50)),
  },
  {
    name: "batchNorm2dStats of 1×1 maps (BatchNorm1d's statistics) and of a single 1×1 image",
    points: 1, rtol: 1e-10, atol: 1e-12,
    run: (ex) => [ex.batchNorm2dStats(images(9590, 6, 2, 1, 1)), ex.batchNorm2dStats([[[[3]], [[-2]]]])],
  },
  {
    name: "convStackSummary of a strided stack on a 3×32×32 image",
    points: 1, rtol: 0,
    run: (ex) => {
      const { shapes, parameters } = ex.convStackSummary([3, 32, 32], strided);
      // Graded on its own: shapes that follow YOUR convOutputSize count as right too.
      const consistent = [stackShapes([3, 32, 32], strided), stackShapesOrNull([3, 32, 32], strided, ex.convOutputSize)].some((s) => s !== null && JSON.stringify(s) === JSON.stringify(shapes));
      return { shapes: consistent ? "consistent shapes" : shapes, parameters };
    },
  },
  {
    name: "convStackSummary refuses a stack that shrinks below its kernel",
    points: 1,
    run: (ex) => ({
      parameters: ex.convStackSummary([2, 9, 9], [{ kind: "conv", outChannels: 3, kernel: 3, stride: 3, bias: false }]).parameters,
      refused: threw(() => ex.convStackSummary([2, 9, 9], [{ kind: "conv", outChannels: 3, kernel: 3, stride: 3 }, { kind: "pool", kernel: 4 }])),
    }),
  },
]));
