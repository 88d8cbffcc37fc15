/** nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d: the layers call the functional forms; bad arguments fail at construction. */
import { describe, expect, it } from "vitest";
import { F, Generator, nn, randn } from "kernel-lib";

describe("pooling layers", () => {
  const x = randn([2, 3, 9, 8], { generator: new Generator(1) });

  it("MaxPool2d(3, stride 2, padding 1) equals F.maxPool2d", () => {
    const pool = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
    expect(pool.call(x).toFlatArray()).toEqual(F.maxPool2d(x, 3, { stride: 2, padding: 1 }).toFlatArray());
    expect(pool.parameters()).toEqual([]);
  });

  it("AvgPool2d(2) and AdaptiveAvgPool2d(1) equal their functional forms", () => {
    expect(new nn.AvgPool2d(2).call(x).toFlatArray()).toEqual(F.avgPool2d(x, 2).toFlatArray());
    expect(new nn.AdaptiveAvgPool2d(1).call(x).shape).toEqual([2, 3, 1, 1]);
  });

  it("refuses padding over half the kernel when constructed", () => {
    expect(() => new nn.MaxPool2d(2, { padding: 2 })).toThrow(/\[MaxPool2d\] padding 2 must be at most half the kernel size 2/);
    expect(() => new nn.AvgPool2d(0)).toThrow(/\[AvgPool2d\] Invalid kernelSize: 0 \(must be a positive integer or a pair of them\)/);
  });
});
