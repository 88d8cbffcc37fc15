import { describe } from "vitest";
import * as exercise from "@exercise/11-convolutional-networks";
import { F, Generator, nn, tensor, zeros, type Tensor } from "kernel-lib";
import { expectClose, expectEqual, graded } from "./grading";
import { asGraded } from "./submission";
import { expectInputsUntouched, expectThrows } from "./contracts";
import { referenceArgmax, stackShapesOrNull } from "./reference-conv";

/** The submission as graded: shortcuts refused, arguments checked for changes (submission.ts). */
const ex = asGraded(exercise, "11-convolutional-networks");

type Images = number[][][][];

/** Seeded N(0, 1)-ish values shaped [n][c][h][w]; channel ch has scale ch + 1 and offset shift·ch. */
function images(seed: number, n: number, c: number, h: number, w: number, shift = 0): Images {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => Array.from({ length: c }, (_, ch) => Array.from({ length: h }, () => Array.from({ length: w }, () => g.normal() * (ch + 1) + shift * ch))));
}

const t64 = (x: Images | number[], requiresGrad = false): Tensor => tensor(x, { dtype: "float64", requiresGrad });
const flat = (x: Images): number[] => x.flat(3);
const shapeOf = (x: Images): number[] => [x.length, x[0]?.length ?? 0, x[0]?.[0]?.length ?? 0, x[0]?.[0]?.[0]?.length ?? 0];

/** The [C, H, W] after each layer, found by running kernel-lib's layers on a zero image. */
function engineShapes(input: readonly [number, number, number], layers: readonly exercise.StackLayer[]): number[][] {
  let x = zeros([1, ...input]);
  return layers.map((layer) => {
    const module = layer.kind === "conv"
      ? new nn.Conv2d(x.shape[1], layer.outChannels, layer.kernel, { stride: layer.stride ?? 1, padding: layer.padding ?? 0, bias: layer.bias ?? true })
      : new nn.MaxPool2d(layer.kernel, { stride: layer.stride ?? layer.kernel });
    x = module.call(x);
    return x.shape.slice(1);
  });
}

/** The learnable numbers of the stack as kernel-lib's nn.Conv2d layers hold them. */
function engineParameters(input: readonly [number, number, number], layers: readonly exercise.StackLayer[]): number {
  let channels = input[0];
  let total = 0;
  for (const layer of layers) {
    if (layer.kind !== "conv") continue;
    total += new nn.Conv2d(channels, layer.outChannels, layer.kernel, { bias: layer.bias ?? true }).parameters().reduce((s, p) => s + p.size, 0);
    channels = layer.outChannels;
  }
  return total;
}

/**
 * Checks a stack's shapes, graded on its own: the shapes YOUR convOutputSize gives are accepted
 * as well as the right ones, so a convOutputSize mistake costs only convOutputSize's points.
 */
function expectStackShapes(got: readonly (readonly number[])[], input: readonly [number, number, number], layers: readonly exercise.StackLayer[], right: number[][], hint: string): void {
  const yours = stackShapesOrNull(input, layers, ex.convOutputSize);
  const target = yours !== null && JSON.stringify(got) === JSON.stringify(yours) ? yours : right;
  expectEqual(got.length, layers.length, { what: "number of shapes (one per layer)", input: { input, layers } });
  expectClose(got.flat(), target.flat(), { what: "[C, H, W] after each layer", input: { input, layers }, rtol: 0, atol: 0, fromYourCode: true, hint });
}

describe("11 convolutional networks", () => {
  graded("convOutputSize: ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1", 1, () => {
    const cases: [number[], number][] = [[[28, 3, 1, 1], 28], [[28, 2, 2], 14], [[32, 5, 1, 0], 28], [[7, 3, 2, 1], 4], [[8, 3, 2, 1], 4], [[10, 3, 1, 2, 2], 10], [[5, 5], 1], [[9, 2, 3], 3]];
    for (const [args, want] of cases) {
      const [size, kernel, stride, padding, dilation] = args;
      expectEqual(ex.convOutputSize(size, kernel, stride, padding, dilation), want, {
        what: `convOutputSize(${args.join(", ")})`, input: { size, kernel, stride, padding, dilation },
        hint: "padding is added on both sides (2·padding); floor, not round or ceil: a window that does not fit entirely is dropped",
      });
    }
  });

  graded("convOutputSize refuses a window larger than the padded input", 1, () => {
    expectEqual(ex.convOutputSize(3, 5, 1, 1), 1, { what: "convOutputSize(3, 5, 1, 1): the window just fits with padding 1", hint: "refuse only when the span exceeds size + 2·padding" });
    for (const args of [[3, 5], [6, 3, 1, 0, 3], [4, 6, 3]]) {
      expectThrows(`convOutputSize(${args.join(", ")})`, () => ex.convOutputSize(...(args as [number, number])), "the doc promises an Error when dilation·(kernel − 1) + 1 > size + 2·padding (with a large stride the floor may still give 0 or 1: compare the sizes, not the result)");
    }
  });

  graded("conv2dForward: matches F.conv2d, 3 by 3 kernel, no padding", 2, () => {
    const x = images(1, 2, 3, 6, 5);
    const w = images(2, 4, 3, 3, 3);
    const b = [0.5, -1, 0, 2];
    const want = F.conv2d(t64(x), t64(w), t64(b)).toFlatArray();
    const got = ex.conv2dForward(x, w, b);
    expectEqual(shapeOf(got), [2, 4, 4, 3], { what: "output shape [N, C_out, outH, outW]", input: { x: shapeOf(x), w: shapeOf(w) }, hint: "outH = H − kH + 1 without padding; one plane per output channel co" });
    expectClose(flat(got), want, { what: "conv2d [2,3,6,5] with [4,3,3,3]", rtol: 1e-10, atol: 1e-12, hint: "out[n][co][oh][ow] = bias[co] + Σ over ci, i, j of w[co][ci][i][j]·x[n][ci][oh + i][ow + j]" });
  });

  graded("conv2dForward: stride 2 and padding 1 (zeros outside the image), no bias, a 2 by 3 kernel", 2, () => {
    const x = images(3, 1, 2, 7, 6);
    const w = images(4, 3, 2, 2, 3);
    const want = F.conv2d(t64(x), t64(w), null, { stride: 2, padding: 1 });
    const got = ex.conv2dForward(x, w, null, 2, 1);
    expectEqual(shapeOf(got), want.shape, { what: "output shape", input: { x: shapeOf(x), w: shapeOf(w), stride: 2, padding: 1 }, hint: "outH = convOutputSize(H, kH, stride, padding), outW = convOutputSize(W, kW, stride, padding)" });
    expectClose(flat(got), want.toFlatArray(), { what: "conv2d with stride 2, padding 1", rtol: 1e-10, atol: 1e-12, hint: "the input row is oh·stride − padding + i (the column likewise); skip the term when it falls outside [0, H)" });
  });

  graded("conv2dForward: a hand-checked example (no kernel flip), and the refusals the doc promises", 1, () => {
    const x = [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]];
    const w = [[[[1, 0], [0, -1]]]];
    expectClose(flat(ex.conv2dForward(x, w, [10])), [6, 6, 6, 6], {
      what: "conv of 1…9 with [[1, 0], [0, −1]] and bias 10", input: { x, w, bias: [10] }, rtol: 0, atol: 1e-12,
      hint: "cross-correlation: w[0][0] multiplies the window's top-left (x[oh][ow]), w[1][1] its bottom-right; the kernel is not flipped",
    });
    expectThrows("conv2dForward with a 3-channel weight on 2-channel images", () => ex.conv2dForward(images(5, 1, 2, 4, 4), images(6, 1, 3, 3, 3), null), "check w[0].length against x[0].length first");
    expectThrows("conv2dForward with a 5 by 5 kernel on a 3 by 3 image", () => ex.conv2dForward(x, images(7, 1, 1, 5, 5), null), "the kernel does not fit: convOutputSize refuses it");
  });

  graded("maxPool2dForward: 2 by 2 windows, values and argmax positions (an odd height drops the last row)", 2, () => {
    const x = images(5, 2, 3, 5, 6);
    const want = F.maxPool2d(t64(x), 2).toFlatArray();
    const wantArgmax = referenceArgmax(x, 2);
    const { out, argmax } = ex.maxPool2dForward(x, 2);
    expectEqual(shapeOf(out), [2, 3, 2, 3], { what: "output shape", input: { x: shapeOf(x), kernel: 2 }, hint: "outH = ⌊(5 − 2)/2⌋ + 1 = 2: a window that does not fit is dropped" });
    expectClose(flat(out), want, { what: "max pool 2×2", rtol: 0, hint: "window (oh, ow) covers rows 2·oh, 2·oh + 1 and columns 2·ow, 2·ow + 1" });
    expectEqual(argmax, wantArgmax, { what: "argmax", input: { x: shapeOf(x) }, hint: "argmax[n][c][oh][ow] is the [row, column] in the INPUT where the window's maximum is" });
  });

  graded("maxPool2dForward: kernel 3 with stride 2 (overlapping windows); ties go to the first position in row-major order; a kernel too large is refused", 2, () => {
    const x = images(6, 1, 2, 7, 8);
    const want = F.maxPool2d(t64(x), 3, { stride: 2 }).toFlatArray();
    const wantArgmax = referenceArgmax(x, 3, 2);
    const { out, argmax } = ex.maxPool2dForward(x, 3, 2);
    expectClose(flat(out), want, { what: "max pool 3, stride 2", rtol: 0, hint: "window (oh, ow) starts at row oh·stride, column ow·stride and is kernel wide" });
    expectEqual(argmax, wantArgmax, { what: "argmax of max pool 3, stride 2", hint: "positions in the input: oh·stride + i, ow·stride + j" });
    // Window 1: the maximum 7 at [0, 1] and [1, 0]; window 2: all equal; window 3: all negative.
    const ties = [[[[0, 7, 5, 5, -3, -1], [7, 1, 5, 5, -2, -5]]]];
    const pooled = ex.maxPool2dForward(ties, 2);
    expectClose(flat(pooled.out), [7, 5, -1], { what: "max of windows with ties and of an all-negative window", input: { x: ties }, rtol: 0, hint: "start from −Infinity (or the window's first value), never from 0" });
    expectEqual(pooled.argmax, [[[[[0, 1], [0, 2], [0, 5]]]]], {
      what: "argmax with ties", input: { x: ties },
      hint: "read the window row by row, left to right, and replace only on a STRICTLY larger value: [[0, 7], [7, 7]] gives [0, 1]",
    });
    expectThrows("maxPool2dForward with a 3 by 3 kernel on a 2 by 2 image", () => ex.maxPool2dForward([[[[1, 2], [3, 4]]]], 3), "the kernel does not fit: convOutputSize refuses it");
  });

  graded("maxPool2dBackward: matches autograd through F.maxPool2d, overlapping windows included", 2, () => {
    for (const [kernel, stride] of [[2, 2], [3, 2]] as const) {
      const x = images(7 + kernel, 2, 2, 7, 6);
      // Graded on its own: the argmax is the graders' (a forward bug costs only the forward's points).
      const argmax = referenceArgmax(x, kernel, stride);
      const dout = images(9, 2, 2, argmax[0][0].length, argmax[0][0][0].length);
      const xt = t64(x, true);
      F.maxPool2d(xt, kernel, { stride }).mul(t64(dout)).sum().backward();
      const want = xt.grad!.toFlatArray();
      const dx = ex.maxPool2dBackward(dout, argmax, [2, 2, 7, 6]);
      expectEqual(shapeOf(dx), [2, 2, 7, 6], { what: "shape of dx", hint: "dx has the input's shape, inputShape = [N, C, H, W]" });
      expectClose(flat(dx), want, {
        what: `dx of max pool ${kernel}, stride ${stride}`, rtol: 1e-12, atol: 1e-15,
        hint: "add (+=) each dout at its argmax [row, column]: with overlapping windows one input can win several",
      });
    }
  });

  graded("maxPool2dBackward: a position that wins two windows gets the sum; the others get 0", 1, () => {
    // x = [[1, 9, 2], [0, 3, 4]] pooled with kernel 2, stride 1: 9 at [0, 1] wins both windows.
    const argmax: exercise.Positions = [[[[[0, 1], [0, 1]]]]];
    const dout = [[[[2, 3]]]];
    const dx = expectInputsUntouched("maxPool2dBackward", { dout, argmax }, () => ex.maxPool2dBackward(dout, argmax, [1, 1, 2, 3]));
    expectClose(flat(dx), [0, 5, 0, 0, 0, 0], { what: "dx when [0, 1] wins both windows", input: { dout, argmax }, rtol: 0, atol: 0, hint: "dx[0][0][0][1] = 2 + 3: accumulate with +=, do not overwrite" });
  });

  graded("batchNorm2dStats: per-channel mean and biased variance over (N, H, W), as the engine computes them", 2, () => {
    const x = images(10, 4, 3, 5, 6, 2);
    const xt = t64(x);
    const wantMean = xt.mean([0, 2, 3]).toFlatArray();
    const wantVar = xt.var([0, 2, 3], { unbiased: false }).toFlatArray();
    const { mean, variance } = ex.batchNorm2dStats(x);
    expectClose(mean, wantMean, { what: "channel means of a [4, 3, 5, 6] batch", rtol: 1e-10, atol: 1e-12, hint: "average over the batch AND every position: N·H·W values per channel, one mean per channel" });
    expectClose(variance, wantVar, { what: "channel variances of a [4, 3, 5, 6] batch", rtol: 1e-10, atol: 1e-12, hint: "biased: Σ (x − mean)² over all N·H·W values of the channel, divided by N·H·W (not N·H·W − 1)" });
  });

  graded("batchNorm2dStats: a hand example of two images with a constant channel, and a single image", 1, () => {
    const x = [[[[1, 2], [3, 4]], [[5, 5], [5, 5]]], [[[5, 6], [7, 8]], [[5, 5], [5, 5]]]];
    const two = ex.batchNorm2dStats(x);
    expectClose(two.mean, [4.5, 5], { what: "means of channel 0 (values 1…8) and channel 1 (all 5)", input: { x }, rtol: 1e-12 });
    expectClose(two.variance, [5.25, 0], {
      what: "variances of channel 0 (values 1…8) and channel 1 (all 5)", input: { x }, rtol: 1e-12, atol: 1e-15,
      hint: "one variance over all 8 values of the channel (5.25), not the average of per-image (1.25) or per-position (4) variances",
    });
    const one = ex.batchNorm2dStats([[[[1, 2], [3, 4]]]]);
    expectClose([...one.mean, ...one.variance], [2.5, 1.25], { what: "mean and variance of a single 1-channel image [[1, 2], [3, 4]]", rtol: 1e-12, hint: "N = 1 still has H·W = 4 values per channel" });
  });

  const lessonStack: exercise.StackLayer[] = [
    { kind: "conv", outChannels: 32, kernel: 3, padding: 1, bias: false },
    { kind: "pool", kernel: 2 },
    { kind: "conv", outChannels: 64, kernel: 3, padding: 1 },
    { kind: "pool", kernel: 2 },
    { kind: "conv", outChannels: 16, kernel: 5, stride: 2 },
  ];

  graded("convStackSummary: shapes and parameter count agree with kernel-lib's nn layers", 2, () => {
    const right = engineShapes([1, 28, 28], lessonStack);
    const parameters = engineParameters([1, 28, 28], lessonStack);
    const summary = ex.convStackSummary([1, 28, 28], lessonStack);
    expectStackShapes(summary.shapes, [1, 28, 28], lessonStack, right, "a pool keeps the channels and divides H and W by its stride; a conv sets the channels to outChannels");
    expectEqual(summary.parameters, parameters, { what: "parameter count", input: { layers: lessonStack }, hint: "C_out·C_in·k·k per conv (C_in = the channels reaching it), plus C_out when it has a bias; pools have none" });
  });

  graded("convStackSummary: the defaults (conv: stride 1, padding 0, a bias; pool: stride = kernel) and bias: false", 1, () => {
    const layers: exercise.StackLayer[] = [
      { kind: "conv", outChannels: 8, kernel: 3 },
      { kind: "pool", kernel: 2 },
      { kind: "conv", outChannels: 4, kernel: 1, bias: false },
      { kind: "pool", kernel: 3, stride: 1 },
    ];
    const summary = ex.convStackSummary([3, 10, 10], layers);
    expectStackShapes(summary.shapes, [3, 10, 10], layers, [[8, 8, 8], [8, 4, 4], [4, 4, 4], [4, 2, 2]], "without stride or padding a conv has stride 1 and padding 0; a pool without stride moves by its kernel");
    expectEqual(summary.parameters, 8 * 3 * 3 * 3 + 8 + 4 * 8, { what: "parameters: 8·3·3·3 + 8 (bias by default) + 4·8·1·1 (no bias)", input: { layers }, hint: "a conv has a bias unless bias is false: undefined means true" });
  });

  graded("convStackSummary refuses a layer that does not fit, and leaves its arguments unchanged", 1, () => {
    const input: [number, number, number] = [1, 8, 8];
    const fits: exercise.StackLayer[] = [{ kind: "conv", outChannels: 2, kernel: 5 }, { kind: "pool", kernel: 2 }];
    const summary = expectInputsUntouched("convStackSummary", { input, layers: fits }, () => ex.convStackSummary(input, fits));
    expectEqual(summary.parameters, 2 * 25 + 2, { what: "parameters of conv(1 → 2, 5×5)", input: { layers: fits } });
    const tooDeep: exercise.StackLayer[] = [...fits, { kind: "conv", outChannels: 2, kernel: 3 }];
    expectThrows("convStackSummary when the third layer's 3×3 kernel meets a 2×2 map", () => ex.convStackSummary(input, tooDeep), "the doc promises an Error when a window does not fit the map reaching it (convOutputSize refuses it)");
  });
});
