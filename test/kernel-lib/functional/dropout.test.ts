import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { F, Generator, ones, randn, tensor } from "kernel-lib";

const SELU_ALPHA_PRIME = -1.0507009873554804934193349852946 * 1.6732632423543772848170429916717;

function meanOf(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function varianceOf(values: number[]): number {
  const m = meanOf(values);
  return values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length;
}

describe("dropout", () => {
  it("zeroes a fraction ≈ p and scales the kept entries by exactly 1/(1 − p)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (p, seed) => {
        const n = 20_000;
        const y = F.dropout(ones([n], { dtype: "float64" }), p, { generator: new Generator(seed) }).toFlatArray();
        const zeros = y.filter((v) => v === 0).length;
        // 5 standard deviations of a Binomial(n, p) fraction.
        expect(Math.abs(zeros / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
        expect(y.filter((v) => v !== 0 && v !== 1 / (1 - p))).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });

  it("preserves the expectation: the mean over many draws is the input", () => {
    const x = tensor([-2, 0.5, 3], { dtype: "float64" });
    const g = new Generator(4);
    const draws = 20_000;
    const total = [0, 0, 0];
    for (let k = 0; k < draws; k++) F.dropout(x, 0.4, { generator: g }).toFlatArray().forEach((v, i) => (total[i] += v));
    total.forEach((s, i) => expect(s / draws).toBeCloseTo(x.data[i], 1));
  });

  it("is the identity in eval mode and for p = 0; p = 1 gives zeros", () => {
    const x = randn([4, 5], { generator: new Generator(1) });
    expect(F.dropout(x, 0.5, { training: false })).toBe(x);
    expect(F.dropout(x, 0)).toBe(x);
    const leaf = randn([4, 5], { generator: new Generator(1), requiresGrad: true });
    const dropped = F.dropout(leaf, 1);
    expect(dropped.toFlatArray().every((v) => v === 0)).toBe(true);
    dropped.sum().backward();
    expect(leaf.grad!.toFlatArray().every((v) => v === 0)).toBe(true);
  });

  it("the gradient is the same mask: 1/(1 − p) where kept, 0 where dropped", () => {
    const x = ones([1000], { dtype: "float64", requiresGrad: true });
    const y = F.dropout(x, 0.25, { generator: new Generator(9) });
    y.sum().backward();
    expect(x.grad!.toFlatArray()).toEqual(y.toFlatArray());
  });

  it("same generator seed → same mask", () => {
    const x = ones([50]);
    const a = F.dropout(x, 0.5, { generator: new Generator(3) }).toFlatArray();
    const b = F.dropout(x, 0.5, { generator: new Generator(3) }).toFlatArray();
    const c = F.dropout(x, 0.5, { generator: new Generator(4) }).toFlatArray();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("refuses p outside [0, 1]", () => {
    expect(() => F.dropout(ones([2]), 1.5)).toThrow("[dropout] Invalid dropout probability: 1.5 (must be in [0, 1])");
    expect(() => F.dropout(ones([2]), -0.1)).toThrow(/Invalid dropout probability: -0.1/);
    expect(() => F.dropout(ones([2]), NaN)).toThrow(/Invalid dropout probability: NaN/);
  });
});

describe("alphaDropout", () => {
  it("keeps mean ≈ 0 and variance ≈ 1 of a standard normal input", () => {
    for (const p of [0.1, 0.3, 0.5]) {
      const x = randn([200_000], { dtype: "float64", generator: new Generator(7) });
      const y = F.alphaDropout(x, p, { training: true, generator: new Generator(8) }).toFlatArray();
      expect(Math.abs(meanOf(y))).toBeLessThan(0.01);
      expect(Math.abs(varianceOf(y) - 1)).toBeLessThan(0.02);
    }
  });

  it("sets dropped units to a·α' + b and maps kept ones to a·x + b", () => {
    const p = 0.2;
    const a = 1 / Math.sqrt((1 - p) * (1 + p * SELU_ALPHA_PRIME ** 2));
    const b = -a * SELU_ALPHA_PRIME * p;
    const y = F.alphaDropout(ones([1000], { dtype: "float64" }), p, { training: true, generator: new Generator(2) }).toFlatArray();
    const values = [...new Set(y.map((v) => v.toFixed(12)))].map(Number).sort((u, v) => u - v);
    expect(values).toHaveLength(2);
    expect(values[0]).toBeCloseTo(a * SELU_ALPHA_PRIME + b, 12);
    expect(values[1]).toBeCloseTo(a + b, 12);
  });

  it("is the identity unless training (default false, as F.alpha_dropout) and for p = 0; p = 1 gives zeros", () => {
    const x = randn([10], { generator: new Generator(5) });
    expect(F.alphaDropout(x, 0.5)).toBe(x);
    expect(F.alphaDropout(x, 0, { training: true })).toBe(x);
    expect(F.alphaDropout(x, 1, { training: true }).toFlatArray().every((v) => v === 0)).toBe(true);
    expect(() => F.alphaDropout(x, 2)).toThrow(/\[alphaDropout\] Invalid dropout probability: 2/);
  });
});
