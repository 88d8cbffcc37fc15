/**
 * Synthetic sets: spirals, moons, circles, blobs (shapes, class counts,
 * geometry, determinism) and polynomial regression with polynomialFeatures.
 */
import { describe, expect, it } from "vitest";
import { Generator, Tensor, data, gradcheck, randn, tensor } from "kernel-lib";

const { makeSpirals, makeMoons, makeCircles, makeBlobs, makePolynomialRegression, polynomialFeatures } = data;

const counts = (y: Tensor, k: number) => Array.from(y.data).reduce((c, v) => (c[v]++, c), new Array<number>(k).fill(0));
const point = (x: Tensor, i: number) => [x.data[2 * i], x.data[2 * i + 1]];
const radius = (x: Tensor, i: number) => Math.hypot(...point(x, i));

describe("classification sets: shapes, dtypes, class counts, determinism", () => {
  const makers = {
    makeSpirals: (seed: number) => makeSpirals({ n: 301, generator: new Generator(seed) }),
    makeMoons: (seed: number) => makeMoons({ n: 301, generator: new Generator(seed) }),
    makeCircles: (seed: number) => makeCircles({ n: 301, generator: new Generator(seed) }),
    makeBlobs: (seed: number) => makeBlobs({ n: 301, generator: new Generator(seed) }),
  };
  const classes = { makeSpirals: 3, makeMoons: 2, makeCircles: 2, makeBlobs: 3 };

  it.each(Object.keys(makers) as (keyof typeof makers)[])("%s: x float32 [n, 2], y int32 [n], classes split evenly", (name) => {
    const { x, y } = makers[name](0);
    const k = classes[name];
    expect([x.dtype, x.shape, y.dtype, y.shape]).toEqual(["float32", [301, 2], "int32", [301]]);
    const c = counts(y, k);
    expect(c.reduce((a, b) => a + b)).toBe(301);
    expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
    // Grouped by class, class 0 first.
    expect(Array.from(y.data)).toEqual([...y.data].sort((a, b) => a - b));
  });

  it.each(Object.keys(makers) as (keyof typeof makers)[])("%s: same seed same data, different seeds differ", (name) => {
    const a = makers[name](1);
    expect(makers[name](1).x.toFlatArray()).toEqual(a.x.toFlatArray());
    expect(makers[name](2).x.toFlatArray()).not.toEqual(a.x.toFlatArray());
  });
});

describe("makeSpirals", () => {
  it("without noise, point i of a class sits at radius i/(m−1) on its arm", () => {
    const { x, y } = makeSpirals({ n: 40, classes: 4, noise: 0, turns: 0.5 });
    expect(counts(y, 4)).toEqual([10, 10, 10, 10]);
    for (let c = 0; c < 4; c++) {
      for (let i = 0; i < 10; i++) {
        const r = i / 9;
        const t = 2 * Math.PI * (c / 4 + 0.5 * r);
        const [px, py] = point(x, c * 10 + i);
        expect(px).toBeCloseTo(r * Math.cos(t), 6);
        expect(py).toBeCloseTo(r * Math.sin(t), 6);
      }
    }
  });

  it("noise perturbs the angle only: every radius stays in [0, 1]", () => {
    const { x } = makeSpirals({ n: 300, noise: 0.5, generator: new Generator(3) });
    for (let i = 0; i < 300; i++) expect(radius(x, i)).toBeLessThanOrEqual(1 + 1e-6);
  });

  it("refuses more classes than points and a non-positive turns", () => {
    expect(() => makeSpirals({ n: 2, classes: 3 })).toThrow(/too small for 3 classes/);
    expect(() => makeSpirals({ turns: 0 })).toThrow(/Invalid turns: 0/);
    expect(() => makeSpirals({ noise: -1 })).toThrow(/Invalid noise: -1/);
  });
});

describe("makeMoons and makeCircles", () => {
  it("moons without noise lie on their half circles", () => {
    const { x } = makeMoons({ n: 100, noise: 0 });
    for (let i = 0; i < 50; i++) {
      const [a, b] = point(x, i);
      expect(Math.hypot(a, b)).toBeCloseTo(1, 6);
      expect(b).toBeGreaterThanOrEqual(-1e-7);
      const [c, d] = point(x, 50 + i);
      expect(Math.hypot(c - 1, d - 0.5)).toBeCloseTo(1, 6);
      expect(d).toBeLessThanOrEqual(0.5 + 1e-7);
    }
    expect(point(x, 0)).toEqual([1, 0]);
    expect(point(x, 50)).toEqual([0, 0.5]);
  });

  it("moons' noise has the requested spread around the curves", () => {
    const { x } = makeMoons({ n: 4000, noise: 0.1, generator: new Generator(0) });
    const clean = makeMoons({ n: 4000, noise: 0 }).x;
    const d = x.sub(clean);
    expect(d.std().item()).toBeCloseTo(0.1, 2);
  });

  it("circles without noise have radii 1 and factor", () => {
    const { x, y } = makeCircles({ n: 60, noise: 0, factor: 0.3 });
    for (let i = 0; i < 60; i++) expect(radius(x, i)).toBeCloseTo(y.data[i] === 0 ? 1 : 0.3, 6);
  });

  it("circles refuse a factor outside (0, 1)", () => {
    expect(() => makeCircles({ factor: 1 })).toThrow(/Invalid factor: 1/);
  });
});

describe("makeBlobs", () => {
  it("clusters around the given centres with the given spreads", () => {
    const { x, y, centers } = makeBlobs({ n: 3000, centers: [[0, 0], [5, 5], [-5, 10]], std: [0.5, 1, 2], generator: new Generator(4) });
    expect(centers.toArray()).toEqual([[0, 0], [5, 5], [-5, 10]]);
    expect(counts(y, 3)).toEqual([1000, 1000, 1000]);
    [0.5, 1, 2].forEach((s, k) => {
      const cluster = x.slice(0, k * 1000, (k + 1) * 1000);
      cluster.mean(0).toFlatArray().forEach((m, j) => expect(Math.abs(m - centers.data[2 * k + j])).toBeLessThan(0.2));
      // The std of 1000 draws is within about 2.2% (one standard error) of the true one.
      cluster.std(0).toFlatArray().forEach((v) => expect(Math.abs(v / s - 1)).toBeLessThan(0.08));
    });
  });

  it("draws random centres inside centerBox, in any dimension", () => {
    const { x, centers } = makeBlobs({ n: 50, centers: 5, dim: 4, centerBox: [-1, 1], generator: new Generator(5) });
    expect(x.shape).toEqual([50, 4]);
    expect(centers.shape).toEqual([5, 4]);
    centers.toFlatArray().forEach((c) => expect(Math.abs(c)).toBeLessThan(1));
  });

  it("refuses a std list of the wrong length", () => {
    expect(() => makeBlobs({ centers: 3, std: [1, 2] })).toThrow(/got 2 standard deviations for 3 centers/);
  });
});

describe("makePolynomialRegression", () => {
  it("with noise 0, y equals the true function at x", () => {
    const { x, y, trueFunction, coefficients } = makePolynomialRegression({ n: 50, coefficients: [1, -2, 0, 3], noise: 0, generator: new Generator(0) });
    expect(coefficients).toEqual([1, -2, 0, 3]);
    expect([x.shape, y.shape, x.dtype, y.dtype]).toEqual([[50, 1], [50, 1], "float32", "float32"]);
    for (let i = 0; i < 50; i++) {
      const t = x.data[i];
      expect(y.data[i]).toBe(Math.fround(1 - 2 * t + 3 * t ** 3));
      expect(y.data[i]).toBe(Math.fround(trueFunction(t)));
    }
  });

  it("draws x inside xRange and adds noise of the requested std", () => {
    const { x, y, trueFunction } = makePolynomialRegression({ n: 5000, degree: 2, noise: 0.3, xRange: [2, 3], generator: new Generator(1) });
    x.toFlatArray().forEach((v) => expect(v >= 2 && v < 3).toBe(true));
    const residuals = Array.from(y.data, (v, i) => v - trueFunction(x.data[i]));
    const mean = residuals.reduce((a, b) => a + b) / residuals.length;
    const std = Math.sqrt(residuals.reduce((a, r) => a + (r - mean) ** 2, 0) / residuals.length);
    expect(std).toBeCloseTo(0.3, 1);
    expect(Math.abs(mean)).toBeLessThan(0.02);
  });

  it("draws degree + 1 coefficients from the generator when none are given", () => {
    const a = makePolynomialRegression({ degree: 5, generator: new Generator(9) });
    expect(a.coefficients).toHaveLength(6);
    expect(makePolynomialRegression({ degree: 5, generator: new Generator(9) }).coefficients).toEqual(a.coefficients);
  });

  it("refuses an empty xRange", () => {
    expect(() => makePolynomialRegression({ xRange: [1, 1] })).toThrow(/Invalid xRange: \[1, 1\]/);
  });
});

describe("polynomialFeatures", () => {
  it("lists the powers x, x², …, x^degree as columns", () => {
    expect(polynomialFeatures(tensor([[2], [3]]), 3).toArray()).toEqual([[2, 4, 8], [3, 9, 27]]);
    expect(polynomialFeatures(tensor([2, -1]), 2, { includeBias: true }).toArray()).toEqual([[1, 2, 4], [1, -1, 1]]);
  });

  it("is differentiable in x (float64 gradcheck)", () => {
    const x = randn([5, 1], { dtype: "float64", generator: new Generator(0) }).requiresGrad_();
    expect(gradcheck((v) => polynomialFeatures(v, 4).sum(), [x]).maxRelativeError).toBeLessThanOrEqual(1e-6);
  });

  it("refuses more than one feature", () => {
    expect(() => polynomialFeatures(tensor([[1, 2]]), 2)).toThrow(/expects one feature, shape \[n\] or \[n, 1\], got \[1,2\]/);
  });
});
