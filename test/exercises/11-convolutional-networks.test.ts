import { describe } from "vitest";
import * as ex from "@exercise/11-convolutional-networks";
import { F, Generator, nn, tensor, type Tensor } from "kernel-lib";
import { expectClose, expectEqual, graded } from "./grading";

type Images = number[][][][];

/** Seeded N(0, 1)-ish values shaped [n][c][h][w]. */
function images(seed: number, n: number, c: number, h: number, w: number, shift = 0): Images {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => Array.from({ length: c }, (_, ch) => Array.from({ length: h }, () => Array.from({ length: w }, () => g.normal() * (ch + 1) + shift * ch))));
}

const t64 = (x: Images | number[], requiresGrad = false): Tensor => tensor(x, { dtype: "float64", requiresGrad });
const flat = (x: Images): number[] => x.flat(3);

describe("11 convolutional networks", () => {
  graded("convOutputSize: ⌊(size + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1", 1, () => {
    const cases: [number[], number][] = [[[28, 3, 1, 1], 28], [[28, 2, 2], 14], [[32, 5, 1, 0], 28], [[7, 3, 2, 1], 4], [[8, 3, 2, 1], 4], [[10, 3, 1, 2, 2], 10], [[5, 5], 1]];
    for (const [args, want] of cases) {
      const [size, kernel, stride, padding, dilation] = args;
      expectEqual(ex.convOutputSize(size, kernel, stride, padding, dilation), want, {
        what: `convOutputSize(${args.join(", ")})`, hint: "floor, not round: a window that does not fit entirely is dropped",
      });
    }
  });

  graded("conv2dForward: matches F.conv2d, 3 by 3 kernel, no padding", 2, () => {
    const x = images(1, 2, 3, 6, 5);
    const w = images(2, 4, 3, 3, 3);
    const b = [0.5, -1, 0, 2];
    const want = F.conv2d(t64(x), t64(w), t64(b)).toFlatArray();
    expectClose(flat(ex.conv2dForward(x, w, b)), want, { what: "conv2d [2,3,6,5] * [4,3,3,3]", rtol: 1e-10, atol: 1e-12, hint: "out[n][co][oh][ow] = bias[co] + Σ over ci, i, j of w·x at (oh + i, ow + j)" });
  });

  graded("conv2dForward: stride 2 and padding 1 (zeros outside the image), no bias", 2, () => {
    const x = images(3, 1, 2, 7, 6);
    const w = images(4, 3, 2, 3, 3);
    const got = ex.conv2dForward(x, w, null, 2, 1);
    const want = F.conv2d(t64(x), t64(w), null, { stride: 2, padding: 1 });
    expectEqual([got.length, got[0].length, got[0][0].length, got[0][0][0].length], want.shape, { what: "output shape", hint: "outH = convOutputSize(H, kH, stride, padding)" });
    expectClose(flat(got), want.toFlatArray(), { what: "conv2d with stride 2, padding 1", rtol: 1e-10, atol: 1e-12, hint: "the input row is oh·stride − padding + i; skip it when outside [0, H)" });
  });

  graded("maxPool2dForward: 2 by 2 windows, values and argmax positions", 2, () => {
    const x = images(5, 2, 3, 4, 6);
    const { out, argmax } = ex.maxPool2dForward(x, 2);
    expectClose(flat(out), F.maxPool2d(t64(x), 2).toFlatArray(), { what: "max pool 2×2", rtol: 0, hint: "window (oh, ow) covers rows 2·oh, 2·oh + 1 and columns 2·ow, 2·ow + 1" });
    const [ih, iw] = argmax[1][2][1][2];
    expectEqual(x[1][2][ih][iw], out[1][2][1][2], { what: "the value at argmax[1][2][1][2]", hint: "argmax holds [row, column] in the INPUT" });
  });

  graded("maxPool2dForward: kernel 3 with stride 2 (overlapping windows); ties go to the first position", 1, () => {
    const x = images(6, 1, 1, 7, 7);
    expectClose(flat(ex.maxPool2dForward(x, 3, 2).out), F.maxPool2d(t64(x), 3, { stride: 2 }).toFlatArray(), { what: "max pool 3, stride 2", rtol: 0 });
    const ties = [[[[1, 1], [1, 1]]]];
    expectEqual(ex.maxPool2dForward(ties, 2).argmax[0][0][0][0], [0, 0], { what: "argmax of an all-equal window", hint: "replace only on a strictly larger value" });
  });

  graded("maxPool2dBackward: matches autograd through F.maxPool2d, overlapping windows included", 2, () => {
    for (const [kernel, stride] of [[2, 2], [3, 2]] as const) {
      const x = images(7 + kernel, 2, 2, 7, 7);
      const { out, argmax } = ex.maxPool2dForward(x, kernel, stride);
      const dout = images(9, out.length, out[0].length, out[0][0].length, out[0][0][0].length);
      const xt = t64(x, true);
      F.maxPool2d(xt, kernel, { stride }).mul(t64(dout)).sum().backward();
      expectClose(flat(ex.maxPool2dBackward(dout, argmax, [2, 2, 7, 7])), xt.grad!.toFlatArray(), {
        what: `dx of max pool ${kernel}, stride ${stride}`, rtol: 1e-12,
        hint: "add (+=) each dout at its argmax: with overlapping windows one input can win several",
      });
    }
  });

  graded("batchNorm2dStats: per-channel mean and biased variance over (N, H, W)", 2, () => {
    const x = images(10, 4, 3, 5, 6, 2);
    const { mean, variance } = ex.batchNorm2dStats(x);
    const xt = t64(x);
    expectClose(mean, xt.mean([0, 2, 3]).toFlatArray(), { what: "channel means", rtol: 1e-10, hint: "average over the batch AND every position: N·H·W values per channel" });
    expectClose(variance, xt.var([0, 2, 3], { unbiased: false }).toFlatArray(), { what: "channel variances", rtol: 1e-10, hint: "biased: divide by N·H·W, not N·H·W − 1" });
  });

  graded("convStackSummary: shapes and parameter count agree with nn layers", 2, () => {
    const layers: ex.StackLayer[] = [
      { kind: "conv", outChannels: 32, kernel: 3, padding: 1, bias: false },
      { kind: "pool", kernel: 2 },
      { kind: "conv", outChannels: 64, kernel: 3, padding: 1 },
      { kind: "pool", kernel: 2 },
      { kind: "conv", outChannels: 16, kernel: 5, stride: 2 },
    ];
    const { shapes, parameters } = ex.convStackSummary([1, 28, 28], layers);
    expectEqual(shapes, [[32, 28, 28], [32, 14, 14], [64, 14, 14], [64, 7, 7], [16, 2, 2]], { what: "shapes after each layer", hint: "a pool keeps the channels; a conv sets them to outChannels" });
    const model = new nn.Sequential(
      new nn.Conv2d(1, 32, 3, { padding: 1, bias: false }), new nn.MaxPool2d(2),
      new nn.Conv2d(32, 64, 3, { padding: 1 }), new nn.MaxPool2d(2), new nn.Conv2d(64, 16, 5, { stride: 2 }),
    );
    expectEqual(parameters, model.parameters().reduce((s, p) => s + p.size, 0), { what: "parameter count", hint: "C_out·C_in·k·k per conv, plus C_out when it has a bias; pools have none" });
    expectEqual([...model.call(tensor(images(11, 1, 1, 28, 28))).shape], [1, ...shapes[4]], { what: "the last shape, checked by running the layers" });
  });
});
