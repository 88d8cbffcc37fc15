/** F.dropout2d and nn.Dropout2d: whole channels dropped, the rest scaled by 1/(1 − p), seeded, identity in evaluation. */
import { describe, expect, it } from "vitest";
import { F, Generator, nn, ones, randn } from "kernel-lib";

describe("dropout2d", () => {
  it("each (sample, channel) map is either all zero or all 1/(1 − p)", () => {
    const y = F.dropout2d(ones([8, 16, 3, 4]), 0.25, { generator: new Generator(1) });
    const values = y.toFlatArray();
    let dropped = 0;
    for (let m = 0; m < 8 * 16; m++) {
      const map = values.slice(m * 12, (m + 1) * 12);
      expect(new Set(map).size).toBe(1);
      expect([0, Math.fround(1 / 0.75)]).toContain(map[0]);
      if (map[0] === 0) dropped++;
    }
    // 128 Bernoulli(0.25) draws: 32 expected; 3σ ≈ 15.
    expect(dropped).toBeGreaterThan(32 - 15);
    expect(dropped).toBeLessThan(32 + 15);
  });

  it("the same generator seed gives the same channels; [C, H, W] inputs drop per channel", () => {
    const x = randn([4, 6, 5, 5]);
    const a = F.dropout2d(x, 0.5, { generator: new Generator(3) }).toFlatArray();
    const b = F.dropout2d(x, 0.5, { generator: new Generator(3) }).toFlatArray();
    expect(a).toEqual(b);
    expect(F.dropout2d(ones([6, 2, 2]), 0.5, { generator: new Generator(4) }).shape).toEqual([6, 2, 2]);
  });

  it("gradient: 1/(1 − p) through kept channels, 0 through dropped ones", () => {
    const x = randn([2, 5, 3, 3]).requiresGrad_();
    const y = F.dropout2d(x, 0.4, { generator: new Generator(5) });
    y.sum().backward();
    const kept = y.div(x.detach()).toFlatArray();
    x.grad!.toFlatArray().forEach((g, i) => expect(g).toBeCloseTo(kept[i], 5));
  });

  it("nn.Dropout2d is the identity in evaluation mode; p outside [0, 1] is refused", () => {
    const x = randn([2, 3, 4, 4]);
    expect(new nn.Dropout2d(0.5).eval().call(x)).toBe(x);
    expect(() => new nn.Dropout2d(1.5)).toThrow(/\[Dropout2d\] Invalid dropout probability: 1.5/);
    expect(() => F.dropout2d(randn([3, 4]), 0.5)).toThrow(/\[dropout2d\] input must be 4-D \[N, C, H, W\] or 3-D \[C, H, W\], got \[3,4\]/);
  });
});
