/**
 * nn.Conv2d and nn.Conv1d: shapes, PyTorch's default init (fans checked
 * against torch), parameters, and the layer equal to F.conv2d.
 */
import { describe, expect, it } from "vitest";
import { F, Generator, init, nn, randn } from "kernel-lib";

describe("Conv2d", () => {
  it("maps [N, C_in, H, W] to [N, C_out, outH, outW] and equals F.conv2d with its parameters", () => {
    const conv = new nn.Conv2d(3, 8, 3, { stride: 2, padding: 1, generator: new Generator(1) });
    const x = randn([2, 3, 9, 9], { generator: new Generator(2) });
    const y = conv.call(x);
    expect(y.shape).toEqual([2, 8, 5, 5]);
    expect(y.toFlatArray()).toEqual(F.conv2d(x, conv.weight, conv.bias, { stride: 2, padding: 1 }).toFlatArray());
  });

  // torch 1.13: nn.init._calculate_fan_in_and_fan_out(nn.Conv2d(*args).weight)
  it.each([
    [3, 8, 3, 1, [8, 3, 3, 3], 27, 72],
    [4, 6, [3, 5], 1, [6, 4, 3, 5], 60, 90],
    [6, 12, 3, 3, [12, 2, 3, 3], 18, 108],
    [1, 32, 3, 1, [32, 1, 3, 3], 9, 288],
  ] as const)("Conv2d(%i, %i, %j, groups %i): weight %j, fanIn %i, fanOut %i as torch", (cin, cout, k, groups, shape, fanIn, fanOut) => {
    const conv = new nn.Conv2d(cin, cout, k as number | [number, number], { groups });
    expect(conv.weight.shape).toEqual(shape);
    expect(init.calculateFans(conv.weight)).toEqual({ fanIn, fanOut });
  });

  it("default init: weight and bias within ±1/√fanIn, spread over that range", () => {
    const conv = new nn.Conv2d(16, 32, 3, { generator: new Generator(3) });
    const bound = 1 / Math.sqrt(16 * 9);
    const w = conv.weight.toFlatArray();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.95 * bound);
    expect(Math.max(...conv.bias!.toFlatArray().map(Math.abs))).toBeLessThanOrEqual(bound);
  });

  it("bias: false leaves only the weight as a parameter; the generator makes init reproducible", () => {
    const a = new nn.Conv2d(2, 4, 3, { bias: false, generator: new Generator(5) });
    const b = new nn.Conv2d(2, 4, 3, { bias: false, generator: new Generator(5) });
    expect(a.parameters().length).toBe(1);
    expect(a.weight.toFlatArray()).toEqual(b.weight.toFlatArray());
  });

  it("depthwise: groups = inChannels gives one 3×3 filter per channel", () => {
    const conv = new nn.Conv2d(4, 4, 3, { groups: 4, padding: "same" });
    expect(conv.weight.shape).toEqual([4, 1, 3, 3]);
    expect(conv.call(randn([1, 4, 6, 6])).shape).toEqual([1, 4, 6, 6]);
  });

  it.each([
    ["groups not dividing the channels", () => new nn.Conv2d(4, 6, 3, { groups: 4 }), /\[Conv2d\] groups \(4\) must divide inChannels \(4\) and outChannels \(6\)/],
    ["zero channels", () => new nn.Conv2d(0, 6, 3), /Invalid inChannels: 0 \(must be a positive integer\)/],
    ["zero kernel", () => new nn.Conv2d(1, 6, 0), /Invalid kernelSize: 0 \(must be a positive integer or a pair of them\)/],
  ])("refuses %s at construction", (_, make, message) => {
    expect(make).toThrow(message);
  });

  it("repr shows the arguments", () => {
    expect(new nn.Conv2d(1, 32, 3, { padding: 1, bias: false }).toString()).toContain("Conv2d(1, 32, kernelSize=[3,3], stride=1, padding=1, bias=false)");
  });
});

describe("Conv1d", () => {
  it("weight [C_out, C_in/groups, k]; [N, C, L] → [N, C_out, L'] equal to F.conv1d", () => {
    const conv = new nn.Conv1d(4, 6, 5, { padding: 2, groups: 2, generator: new Generator(7) });
    expect(conv.weight.shape).toEqual([6, 2, 5]);
    const x = randn([3, 4, 11]);
    const y = conv.call(x);
    expect(y.shape).toEqual([3, 6, 11]);
    expect(y.toFlatArray()).toEqual(F.conv1d(x, conv.weight, conv.bias, { padding: 2, groups: 2 }).toFlatArray());
    expect(init.calculateFans(conv.weight).fanIn).toBe(10);
  });

  it("refuses bad arguments under its own name", () => {
    expect(() => new nn.Conv1d(4, 6, 3, { groups: 4 })).toThrow(/\[Conv1d\] groups \(4\) must divide inChannels \(4\) and outChannels \(6\)/);
    expect(() => new nn.Conv1d(4, 6, 0)).toThrow(/\[Conv1d\] Invalid kernelSize: 0 \(must be a positive integer\)/);
  });
});
