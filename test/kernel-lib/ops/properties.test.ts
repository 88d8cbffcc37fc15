/**
 * Properties that must hold for every shape, checked with fast-check on
 * random shapes and seeded random values (float64).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Generator, type Tensor, concat, matmul, randn } from "kernel-lib";
import { expectClose, naiveMatmul } from "../../helpers/reference";

const values = (shape: number[], seed: number): Tensor => randn(shape, { dtype: "float64", generator: new Generator(seed) });
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const shapeArb = (maxRank = 4) => fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: maxRank });

/** A broadcast shape and two operand shapes that broadcast to it (leading axes dropped, some sizes set to 1). */
const broadcastPair = shapeArb().chain((out) =>
  fc.tuple(
    fc.constant(out),
    ...[0, 1].map(() =>
      fc.tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
        .map(([drop, ones]) => out.map((d, i) => (ones[i] ? 1 : d)).slice(drop)),
    ),
  ),
);

describe("broadcasting", () => {
  it("the result shape follows the rule: right-aligned, sizes of 1 stretch", () => {
    fc.assert(
      fc.property(broadcastPair, seed, ([, a, b], s) => {
        const n = Math.max(a.length, b.length);
        const expected = Array.from({ length: n }, (_, i) => Math.max(a[a.length - n + i] ?? 1, b[b.length - n + i] ?? 1));
        expect(values(a, s).add(values(b, s + 1)).shape).toEqual(expected);
      }),
    );
  });
  it("add and mul are commutative, exactly", () => {
    fc.assert(
      fc.property(broadcastPair, seed, ([, a, b], s) => {
        const x = values(a, s);
        const y = values(b, s + 1);
        expect(x.add(y).toArray()).toEqual(y.add(x).toArray());
        expect(x.mul(y).toArray()).toEqual(y.mul(x).toArray());
      }),
    );
  });
  it("broadcasting equals expanding both operands explicitly (add, sub, mul, div; suffix shapes take a faster loop)", () => {
    fc.assert(
      fc.property(broadcastPair, seed, ([, a, b], s) => {
        const x = values(a, s);
        const y = values(b, s + 1);
        const out = x.sub(y).shape;
        for (const op of ["add", "sub", "mul", "div"] as const) {
          expect(x[op](y).toArray(), op).toEqual(x.expand(out)[op](y.expand(out)).toArray());
        }
      }),
    );
  });
  it("the gradient of a broadcast operand is the upstream gradient summed over the stretched axes", () => {
    fc.assert(
      fc.property(broadcastPair, seed, ([out, a], s) => {
        const x = values(a, s).requiresGrad_();
        const g = values(out, s + 2);
        x.expand(out).backward(g);
        const lead = out.length - a.length;
        const axes = out.map((_, i) => i).filter((i) => i < lead || (a[i - lead] === 1 && out[i] !== 1));
        expectClose(x.grad!, axes.length ? g.sum(axes, { keepdims: true }).reshape(a) : g, 1e-12);
      }),
    );
  });
});

describe("shape round trips", () => {
  it("reshape to any factorization and back is the identity", () => {
    fc.assert(
      fc.property(shapeArb(), seed, fc.integer({ min: 0, max: 3 }), (shape, s, cut) => {
        const x = values(shape, s);
        const flat = x.reshape(-1);
        const k = Math.min(cut, shape.length);
        const split = [shape.slice(0, k).reduce((p, d) => p * d, 1), -1];
        expect(flat.reshape(split).reshape(shape).toArray()).toEqual(x.toArray());
      }),
    );
  });
  it("transposing twice is the identity", () => {
    fc.assert(
      fc.property(shapeArb(4).filter((sh) => sh.length >= 2), seed, (shape, s) => {
        const x = values(shape, s);
        expect(x.transpose(0, -1).transpose(0, -1).toArray()).toEqual(x.toArray());
      }),
    );
  });
  it("permute then the inverse permutation is the identity; shapes move with the axes", () => {
    const arb = shapeArb(4).chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length })));
    fc.assert(
      fc.property(arb, seed, ([shape, perm], s) => {
        const x = values(shape, s);
        const p = x.permute(...perm);
        expect(p.shape).toEqual(perm.map((d) => shape[d]));
        const inverse = perm.map((_, i) => perm.indexOf(i));
        expect(p.permute(...inverse).toArray()).toEqual(x.toArray());
      }),
    );
  });
  it("concat then slice gives back the parts", () => {
    const arb = fc.tuple(shapeArb(3).filter((sh) => sh.length >= 1), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), fc.nat());
    fc.assert(
      fc.property(arb, seed, ([shape, sizes, axisPick], s) => {
        const dim = axisPick % shape.length;
        const parts = sizes.map((n, i) => values(shape.map((d, a) => (a === dim ? n : d)), s + i));
        const joined = concat(parts, dim);
        let start = 0;
        for (const part of parts) {
          expect(joined.slice(dim, start, start + part.shape[dim]).toArray()).toEqual(part.toArray());
          start += part.shape[dim];
        }
        expect(joined.shape[dim]).toBe(start);
      }),
    );
  });
});

describe("reduction identities", () => {
  const nonEmpty = shapeArb(4).filter((sh) => sh.length >= 1);
  it("the sum of everything is the sum of the sums over any axis", () => {
    fc.assert(
      fc.property(nonEmpty, seed, fc.nat(), (shape, s, pick) => {
        const x = values(shape, s);
        const axis = pick % shape.length;
        expect(Math.abs(x.sum(axis).sum().item() - x.sum().item())).toBeLessThan(1e-12 * (1 + x.size));
      }),
    );
  });
  it("mean · n = sum along an axis", () => {
    fc.assert(
      fc.property(nonEmpty, seed, fc.nat(), (shape, s, pick) => {
        const x = values(shape, s);
        const axis = pick % shape.length;
        expectClose(x.mean(axis).mul(shape[axis]), x.sum(axis), 1e-13);
      }),
    );
  });
  it("biased variance = mean(x²) − mean(x)²; unbiased = biased · n/(n−1)", () => {
    fc.assert(
      fc.property(nonEmpty.filter((sh) => sh[sh.length - 1] >= 2), seed, (shape, s) => {
        const x = values(shape, s);
        const n = shape[shape.length - 1];
        const biased = x.var(-1, { unbiased: false });
        expectClose(biased, x.square().mean(-1).sub(x.mean(-1).square()), 1e-12);
        expectClose(x.var(-1), biased.mul(n / (n - 1)), 1e-12);
        expectClose(x.std(-1).square(), x.var(-1), 1e-12);
      }),
    );
  });
  it("max ≥ mean ≥ min, and logsumexp lies in [max, max + log n]", () => {
    fc.assert(
      fc.property(nonEmpty, seed, (shape, s) => {
        const x = values(shape, s);
        const [mx, mn, mean, lse] = [x.max().item(), x.min().item(), x.mean().item(), x.logsumexp().item()];
        expect(mx).toBeGreaterThanOrEqual(mean - 1e-12);
        expect(mean).toBeGreaterThanOrEqual(mn - 1e-12);
        expect(lse).toBeGreaterThanOrEqual(mx);
        expect(lse).toBeLessThanOrEqual(mx + Math.log(x.size) + 1e-12);
      }),
    );
  });
});

describe("matmul properties", () => {
  const dim = fc.integer({ min: 1, max: 5 });
  it("agrees with a naive triple loop, with and without a batch axis", () => {
    fc.assert(
      fc.property(fc.option(dim, { nil: undefined }), dim, dim, dim, seed, (batch, m, k, n, s) => {
        const a = values(batch ? [batch, m, k] : [m, k], s);
        const b = values([k, n], s + 1);
        const out = matmul(a, b);
        expectClose(out.reshape(-1, m, n), naiveMatmul(a, b), 1e-12);
      }),
    );
  });
  it("is associative: (AB)C = A(BC)", () => {
    fc.assert(
      fc.property(dim, dim, dim, dim, seed, (m, k, l, n, s) => {
        const [a, b, c] = [values([m, k], s), values([k, l], s + 1), values([l, n], s + 2)];
        expectClose(matmul(matmul(a, b), c), matmul(a, matmul(b, c)), 1e-11);
      }),
    );
  });
  it("(AB)ᵀ = BᵀAᵀ", () => {
    fc.assert(
      fc.property(dim, dim, dim, seed, (m, k, n, s) => {
        const [a, b] = [values([m, k], s), values([k, n], s + 1)];
        expectClose(matmul(a, b).T, matmul(b.T, a.T), 1e-12);
      }),
    );
  });
});
