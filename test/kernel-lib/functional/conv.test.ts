/**
 * F.conv2d and F.conv1d: values against a direct seven-loop convolution (the
 * definition, written independently of im2col), gradients by central
 * differences in float64 over strides, padding (incl. "same" with even
 * kernels), dilation and groups (incl. depthwise), and the errors.
 */
import { describe, expect, it } from "vitest";
import { F, Generator, type Tensor, gradcheck, noGrad, randn } from "kernel-lib";

const f64 = { dtype: "float64" as const };

function rand64(shape: number[], seed: number): Tensor {
  return randn(shape, { ...f64, generator: new Generator(seed) });
}

interface Spec {
  stride?: [number, number];
  pad?: [number, number, number, number]; // top, bottom, left, right
  dilation?: [number, number];
  groups?: number;
}

/** out[n, co, oh, ow] = b[co] + Σ w[co, c, ki, kj] · x[n, g·Cg + c, oh·sH − pT + ki·dH, ow·sW − pL + kj·dW]. */
function directConv(x: Tensor, w: Tensor, b: Tensor | null, spec: Spec): { shape: number[]; data: number[] } {
  const [N, C, H, W] = x.shape;
  const [CO, CG, KH, KW] = w.shape;
  const [sH, sW] = spec.stride ?? [1, 1];
  const [pT, pB, pL, pR] = spec.pad ?? [0, 0, 0, 0];
  const [dH, dW] = spec.dilation ?? [1, 1];
  const groups = spec.groups ?? 1;
  const OH = Math.floor((H + pT + pB - dH * (KH - 1) - 1) / sH) + 1;
  const OW = Math.floor((W + pL + pR - dW * (KW - 1) - 1) / sW) + 1;
  const data: number[] = [];
  for (let n = 0; n < N; n++) for (let co = 0; co < CO; co++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    let s = b ? b.data[co] : 0;
    const g = Math.floor(co / (CO / groups));
    for (let c = 0; c < CG; c++) for (let ki = 0; ki < KH; ki++) for (let kj = 0; kj < KW; kj++) {
      const ih = oh * sH - pT + ki * dH;
      const iw = ow * sW - pL + kj * dW;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      s += w.data[((co * CG + c) * KH + ki) * KW + kj] * x.data[((n * C + g * CG + c) * H + ih) * W + iw];
    }
    data.push(s);
  }
  return { shape: [N, CO, OH, OW], data };
}

function expectClose(actual: Tensor, expected: { shape: number[]; data: number[] }, tol = 1e-12): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.toFlatArray();
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - expected.data[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(expected.data[i])));
}

const CASES: { name: string; x: number[]; w: number[]; options: F.Conv2dOptions; spec: Spec }[] = [
  { name: "3×3, no padding", x: [2, 3, 7, 6], w: [4, 3, 3, 3], options: {}, spec: {} },
  { name: "padding 1 keeps the size", x: [2, 2, 5, 5], w: [3, 2, 3, 3], options: { padding: 1 }, spec: { pad: [1, 1, 1, 1] } },
  { name: "stride 2, padding [1, 2], odd input", x: [1, 3, 9, 7], w: [2, 3, 3, 2], options: { stride: 2, padding: [1, 2] }, spec: { stride: [2, 2], pad: [1, 1, 2, 2] } },
  { name: "stride [2, 3] and dilation 2", x: [2, 2, 11, 10], w: [3, 2, 3, 3], options: { stride: [2, 3], dilation: 2, padding: 1 }, spec: { stride: [2, 3], dilation: [2, 2], pad: [1, 1, 1, 1] } },
  { name: "groups 2", x: [2, 4, 6, 5], w: [6, 2, 3, 3], options: { groups: 2, padding: 1 }, spec: { groups: 2, pad: [1, 1, 1, 1] } },
  { name: "depthwise (groups = C_in)", x: [2, 3, 5, 6], w: [6, 1, 3, 3], options: { groups: 3, padding: 1 }, spec: { groups: 3, pad: [1, 1, 1, 1] } },
  { name: "same, even kernel: one more zero after than before", x: [1, 2, 5, 6], w: [2, 2, 4, 2], options: { padding: "same" }, spec: { pad: [1, 2, 0, 1] } },
  { name: "same with dilation 2", x: [1, 1, 6, 7], w: [2, 1, 3, 3], options: { padding: "same", dilation: 2 }, spec: { pad: [2, 2, 2, 2], dilation: [2, 2] } },
  { name: "valid, 1×1 kernel", x: [3, 5, 2, 3], w: [4, 5, 1, 1], options: { padding: "valid" }, spec: {} },
];

describe("conv2d", () => {
  for (const [i, c] of CASES.entries()) {
    it(`${c.name}: equals the direct definition`, () => {
      const x = rand64(c.x, 10 + i);
      const w = rand64(c.w, 20 + i);
      const b = rand64([c.w[0]], 30 + i);
      expectClose(F.conv2d(x, w, b, c.options), directConv(x, w, b, c.spec));
      expectClose(F.conv2d(x, w, null, c.options), directConv(x, w, null, c.spec));
    });

    it(`${c.name}: gradients of input, weight and bias pass gradcheck`, () => {
      const x = rand64(c.x, 40 + i).requiresGrad_();
      const w = rand64(c.w, 50 + i).requiresGrad_();
      const b = rand64([c.w[0]], 60 + i).requiresGrad_();
      const r = gradcheck((xx, ww, bb) => F.conv2d(xx, ww, bb, c.options), [x, w, b], { eps: 1e-6 });
      expect(r.worst).toBeUndefined();
    });
  }

  it("float32 agrees with float64 to float32 rounding", () => {
    const x = rand64([2, 3, 9, 9], 1);
    const w = rand64([5, 3, 3, 3], 2);
    const want = F.conv2d(x, w, null, { padding: 1 }).toFlatArray();
    const got = F.conv2d(x.float(), w.float(), null, { padding: 1 }).toFlatArray();
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5);
  });

  it("only the inputs that require a gradient get one", () => {
    const x = rand64([1, 2, 4, 4], 3);
    const w = rand64([3, 2, 3, 3], 4).requiresGrad_();
    F.conv2d(x, w).sum().backward();
    expect(x.grad).toBeNull();
    expect(w.grad?.shape).toEqual([3, 2, 3, 3]);
  });

  it("a second backward through the same graph, and convolutions in between, give the same gradients (reused buffers)", () => {
    const x = rand64([2, 3, 6, 6], 70).requiresGrad_();
    const w = rand64([4, 3, 3, 3], 71).requiresGrad_();
    const y = F.conv2d(x, w, null, { padding: 1 });
    // Same shapes, no gradient: its unfolded input goes back to the pool at once; y's must survive it.
    noGrad(() => F.conv2d(rand64([2, 3, 6, 6], 72), rand64([4, 3, 3, 3], 73), null, { padding: 1 }));
    y.sum().backward();
    const first = [x.grad!.toFlatArray(), w.grad!.toFlatArray()];
    x.grad = null;
    w.grad = null;
    F.conv2d(rand64([2, 3, 6, 6], 74).requiresGrad_(), w.detach(), null, { padding: 1 }).sum().backward();
    y.sum().backward();
    expect([x.grad!.toFlatArray(), w.grad!.toFlatArray()]).toEqual(first);
  });

  describe("errors name the shapes and the fix", () => {
    const x = rand64([1, 4, 5, 5], 5);
    it.each([
      ["input not 4-D", () => F.conv2d(rand64([4, 5, 5], 1), rand64([2, 4, 3, 3], 2)), /\[conv2d\] input must be 4-D \[N, C, H, W\], got \[4,5,5\]; for one image use x.unsqueeze\(0\)/],
      ["weight not 4-D", () => F.conv2d(x, rand64([2, 4, 3], 2)), /weight must be 4-D/],
      ["channels do not match", () => F.conv2d(x, rand64([2, 3, 3, 3], 2)), /has 4 channels but weight \[2,3,3,3\] with groups=1 expects 3/],
      ["channels not divisible by groups", () => F.conv2d(x, rand64([3, 2, 3, 3], 2), null, { groups: 3 }), /groups \(3\) must divide both the input channels \(4\) and the output channels \(3\)/],
      ["kernel larger than the padded input", () => F.conv2d(x, rand64([2, 4, 7, 7], 2), null, { padding: 0 }), /kernel spans 7 along the height .* padded input is only 5/],
      ["bias of the wrong size", () => F.conv2d(x, rand64([2, 4, 3, 3], 2), rand64([3], 3)), /bias must be \[2\]/],
      ["same with stride 2", () => F.conv2d(x, rand64([2, 4, 3, 3], 2), null, { padding: "same", stride: 2 }), /padding "same" needs stride 1/],
      ["negative padding", () => F.conv2d(x, rand64([2, 4, 3, 3], 2), null, { padding: -1 }), /Invalid padding: -1 \(must be a non-negative integer or a pair of them\)/],
      ["zero stride", () => F.conv2d(x, rand64([2, 4, 3, 3], 2), null, { stride: 0 }), /Invalid stride: 0 \(must be a positive integer or a pair of them\)/],
    ])("%s", (_, call, message) => {
      expect(call).toThrow(message);
    });
  });
});

describe("conv1d", () => {
  it("is conv2d on [N, C, 1, L] with a 1 × k kernel, stride, padding, dilation and groups included", () => {
    const x = rand64([2, 4, 13], 7);
    const w = rand64([6, 2, 3], 8);
    const b = rand64([6], 9);
    const y = F.conv1d(x, w, b, { stride: 2, padding: 2, dilation: 2, groups: 2 });
    const want = directConv(x.reshape([2, 4, 1, 13]), w.reshape([6, 2, 1, 3]), b, { stride: [1, 2], pad: [0, 0, 2, 2], dilation: [1, 2], groups: 2 });
    expectClose(y, { shape: [2, 6, want.shape[3]], data: want.data });
  });

  it("gradients pass gradcheck, with padding same", () => {
    const x = rand64([2, 3, 8], 11).requiresGrad_();
    const w = rand64([2, 3, 4], 12).requiresGrad_();
    const b = rand64([2], 13).requiresGrad_();
    expect(gradcheck((xx, ww, bb) => F.conv1d(xx, ww, bb, { padding: "same" }), [x, w, b]).worst).toBeUndefined();
  });

  it("refuses a 4-D input", () => {
    expect(() => F.conv1d(rand64([1, 2, 3, 4], 1), rand64([2, 2, 3], 2))).toThrow(/\[conv1d\] input must be 3-D \[N, C, L\]/);
  });
});
