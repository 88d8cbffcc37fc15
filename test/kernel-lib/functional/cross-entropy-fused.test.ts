/**
 * crossEntropy on class indices runs as one fused primitive
 * (functional/cross-entropy-fused.ts). Here it is checked against the
 * composed form it replaces, F.crossEntropyComposed (logsumexp, gather,
 * sums), in float64 on random shapes (odd sizes 1, 3, 17, 129 among them), with
 * weights, ignored targets, label smoothing and every reduction: values and
 * gradients. Its gradient checks are in losses-grad.test.ts, its values
 * against PyTorch in losses.test.ts (both beside this file).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { F, Generator, type Tensor, randn, tensor } from "kernel-lib";

const reductions = ["mean", "sum", "none"] as const;

interface Case {
  n: number;
  c: number;
  seed: number;
  weighted: boolean;
  ignoreSome: boolean;
  eps: number;
  reduction: (typeof reductions)[number];
}

function inputs({ n, c, seed, weighted, ignoreSome }: Case) {
  const g = new Generator(seed);
  const x = randn([n, c], { generator: g, dtype: "float64" }).mul(3);
  // Never ignore every sample: "mean" would then divide 0 by 0 on both paths.
  const y = Array.from({ length: n }, (_, i) => (ignoreSome && i % 3 === 1 ? -100 : Math.floor(g.uniform() * c)));
  const w = weighted ? tensor(Array.from({ length: c }, () => 0.1 + 2 * g.uniform()), { dtype: "float64" }) : undefined;
  return { x, y, w };
}

function compare(k: Case): void {
  const { x, y, w } = inputs(k);
  const xf = x.clone().requiresGrad_();
  const xc = x.clone().requiresGrad_();
  const fused = F.crossEntropy(xf, y, { weight: w, labelSmoothing: k.eps, reduction: k.reduction });
  const reference = F.crossEntropyComposed(xc, y, { weight: w, labelSmoothing: k.eps, reduction: k.reduction });
  expect(fused.shape).toEqual(reference.shape);
  fused.data.forEach((v, i) => expect(v).toBeCloseTo(reference.data[i], 12));
  // A fixed direction r makes the scalar Σ loss·r, so "none" is checked with distinct weights per sample.
  const r = tensor(Array.from({ length: fused.size }, (_, i) => 1 + i / 7), { dtype: "float64" }).reshape(fused.shape);
  fused.mul(r).sum().backward();
  reference.mul(r).sum().backward();
  xf.grad!.data.forEach((v, i) => expect(v).toBeCloseTo(xc.grad!.data[i], 12));
}

describe("fused crossEntropy against the composed form (float64)", () => {
  for (const [n, c] of [[1, 1], [1, 3], [3, 17], [17, 3], [129, 10], [5, 129]]) {
    for (const reduction of reductions) {
      it(`[${n}, ${c}], ${reduction}: weighted, ignored targets, smoothing 0.1`, () => {
        compare({ n, c, seed: n * 1000 + c, weighted: true, ignoreSome: n > 1, eps: 0.1, reduction });
      });
    }
  }

  it("every combination on random shapes (property)", () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 40 }),
          c: fc.integer({ min: 1, max: 40 }),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          weighted: fc.boolean(),
          ignoreSome: fc.boolean(),
          eps: fc.constantFrom(0, 0.05, 0.3, 1),
          reduction: fc.constantFrom(...reductions),
        }),
        (k) => compare({ ...k, ignoreSome: k.ignoreSome && k.n > 1 }),
      ),
      { numRuns: 150, seed: 42 },
    );
  });

  it("float32 logits give float32 losses and gradients, within float32 rounding of float64", () => {
    const { x, y } = inputs({ n: 33, c: 10, seed: 5, weighted: false, ignoreSome: true, eps: 0, reduction: "mean" });
    const x32 = x.float().requiresGrad_();
    const x64 = x.clone().requiresGrad_();
    const l32 = F.crossEntropy(x32, y);
    const l64 = F.crossEntropy(x64, y);
    expect(l32.dtype).toBe("float32");
    expect(Math.abs(l32.item() - l64.item())).toBeLessThan(1e-6 * Math.max(1, l64.item()));
    l32.backward();
    l64.backward();
    expect(x32.grad!.dtype).toBe("float32");
    x32.grad!.data.forEach((v, i) => expect(Math.abs(v - x64.grad!.data[i])).toBeLessThan(1e-7));
  });

  it("a weight that requires grad takes the composed path, so its gradient is still there", () => {
    const { x, y } = inputs({ n: 4, c: 3, seed: 9, weighted: false, ignoreSome: false, eps: 0, reduction: "mean" });
    const w = tensor([0.5, 1, 2], { dtype: "float64" }).requiresGrad_();
    F.crossEntropy(x, y, { weight: w }).backward();
    expect(w.grad).not.toBeNull();
  });
});
