/**
 * data.augment: Gaussian input noise and the image transforms (shift, flip,
 * rotation), checked exactly on constructed images.
 */
import { describe, expect, it } from "vitest";
import { Generator, Tensor, data, randn, tensor } from "kernel-lib";

const { gaussianNoise, translate, randomShift, flipHorizontal, horizontalFlip, rotate, randomRotation } = data.augment;

/** n images of h×w (float64) with a single bright pixel at (row, col) of each. */
function dots(n: number, h: number, w: number, row: number, col: number): Tensor {
  const x = new Float64Array(n * h * w);
  for (let i = 0; i < n; i++) x[i * h * w + row * w + col] = 1;
  return new Tensor(x, [n, h, w]);
}

/** Row and column of the brightest pixel of image i. */
function brightest(x: Tensor, i: number, h: number, w: number): [number, number] {
  let best = 0;
  for (let p = 1; p < h * w; p++) if (x.data[i * h * w + p] > x.data[i * h * w + best]) best = p;
  return [Math.floor(best / w), best % w];
}

const maxAbsDiff = (a: Tensor, b: Tensor) => a.toFlatArray().reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i])), 0);

describe("gaussianNoise", () => {
  it("adds noise of the requested std, keeping shape and dtype", () => {
    const x = randn([200, 100], { generator: new Generator(0) });
    const noisy = gaussianNoise(x, 0.3, { generator: new Generator(1) });
    expect([noisy.shape, noisy.dtype]).toEqual([[200, 100], "float32"]);
    const d = noisy.sub(x);
    expect(d.std().item()).toBeCloseTo(0.3, 2);
    expect(Math.abs(d.mean().item())).toBeLessThan(0.01);
  });

  it("is reproducible given the generator; std 0 leaves x unchanged", () => {
    const x = randn([10, 3], { generator: new Generator(0) });
    const a = gaussianNoise(x, 1, { generator: new Generator(5) });
    expect(gaussianNoise(x, 1, { generator: new Generator(5) }).toFlatArray()).toEqual(a.toFlatArray());
    expect(gaussianNoise(x, 1, { generator: new Generator(6) }).toFlatArray()).not.toEqual(a.toFlatArray());
    expect(gaussianNoise(x, 0).toFlatArray()).toEqual(x.toFlatArray());
  });

  it("passes gradients to x unchanged", () => {
    const x = randn([4, 2], { dtype: "float64", generator: new Generator(0) }).requiresGrad_();
    gaussianNoise(x, 0.5).sum().backward();
    expect(x.grad?.toFlatArray()).toEqual(new Array(8).fill(1));
  });

  it("refuses a negative std", () => {
    expect(() => gaussianNoise(tensor([1]), -0.1)).toThrow(/Invalid std: -0.1/);
  });
});

describe("translate and randomShift", () => {
  it("moves a constructed image by exactly (dx, dy) pixels", () => {
    const x = dots(1, 28, 28, 10, 12);
    const moved = translate(x, 2, -3);
    expect(brightest(moved, 0, 28, 28)).toEqual([7, 14]);
    expect(moved.sum().item()).toBe(1);
  });

  it("fills with 0 what enters from the border and drops what leaves", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]).reshape(1, 3, 3);
    expect(translate(x, 1, 0).toArray()).toEqual([[[0, 1, 2], [0, 4, 5], [0, 7, 8]]]);
    expect(translate(x, -1, 1).toArray()).toEqual([[[0, 0, 0], [2, 3, 0], [5, 6, 0]]]);
    expect(translate(x, 3, 0).sum().item()).toBe(0);
  });

  it("treats [N, 784], [N, 28, 28] and [N, 1, 28, 28] alike", () => {
    const x = randn([3, 28, 28], { generator: new Generator(2) });
    const expected = translate(x, 1, 2).toFlatArray();
    expect(translate(x.reshape(3, 784), 1, 2).toFlatArray()).toEqual(expected);
    expect(translate(x.reshape(3, 1, 28, 28), 1, 2).shape).toEqual([3, 1, 28, 28]);
    expect(translate(x.reshape(3, 1, 28, 28), 1, 2).toFlatArray()).toEqual(expected);
  });

  it("randomShift moves each image by its own (dx, dy), drawn dx then dy from −maxShift..maxShift", () => {
    const x = dots(200, 28, 28, 14, 14).reshape(200, 784);
    const g = new Generator(7);
    const draws = g.clone();
    const shifted = randomShift(x, { maxShift: 2, generator: g });
    expect(shifted.shape).toEqual([200, 784]);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const dx = draws.randint(-2, 3);
      const dy = draws.randint(-2, 3);
      expect(brightest(shifted, i, 28, 28)).toEqual([14 + dy, 14 + dx]);
      seen.add(`${dx},${dy}`);
    }
    expect(seen.size).toBe(25);
    expect(shifted.sum().item()).toBe(200);
  });

  it("randomShift is reproducible given the generator", () => {
    const x = randn([5, 8, 8], { generator: new Generator(0) });
    const a = randomShift(x, { generator: new Generator(1) }).toFlatArray();
    expect(randomShift(x, { generator: new Generator(1) }).toFlatArray()).toEqual(a);
    expect(randomShift(x, { maxShift: 0, generator: new Generator(1) }).toFlatArray()).toEqual(x.toFlatArray());
  });

  it("refuses non-image shapes and fractional shifts", () => {
    expect(() => translate(randn([2, 783]), 1, 0)).toThrow(/783 pixels per row is not a square/);
    expect(() => translate(randn([784]), 1, 0)).toThrow(/expects images as/);
    expect(() => translate(randn([1, 4, 4]), 0.5, 0)).toThrow(/whole pixels/);
    expect(() => randomShift(randn([1, 4, 4]), { maxShift: -1 })).toThrow(/Invalid maxShift: -1/);
  });
});

describe("flipHorizontal and horizontalFlip", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]).reshape(1, 2, 3);

  it("mirrors each row", () => {
    expect(flipHorizontal(x).toArray()).toEqual([[[3, 2, 1], [6, 5, 4]]]);
  });

  it("p = 1 always flips, p = 0 never", () => {
    const images = randn([6, 2, 5, 5], { generator: new Generator(0) });
    expect(horizontalFlip(images, { p: 1 }).toFlatArray()).toEqual(flipHorizontal(images).toFlatArray());
    expect(horizontalFlip(images, { p: 0 }).toFlatArray()).toEqual(images.toFlatArray());
  });

  it("flips each image (all its channels together) when its draw u < p", () => {
    const images = randn([400, 2, 3, 3], { generator: new Generator(1) });
    const g = new Generator(3);
    const draws = g.clone();
    const out = horizontalFlip(images, { p: 0.3, generator: g });
    const flipped = flipHorizontal(images);
    let count = 0;
    for (let i = 0; i < 400; i++) {
      const expected = draws.uniform() < 0.3 ? flipped : images;
      if (expected === flipped) count++;
      expect(out.slice(0, i, i + 1).toFlatArray()).toEqual(expected.slice(0, i, i + 1).toFlatArray());
    }
    expect(count).toBeGreaterThan(90);
    expect(count).toBeLessThan(150);
  });

  it("refuses a probability outside [0, 1]", () => {
    expect(() => horizontalFlip(x, { p: 1.5 })).toThrow(/Invalid probability p: 1.5/);
  });
});

describe("rotate and randomRotation", () => {
  const image = randn([2, 28, 28], { dtype: "float64", generator: new Generator(4) });

  it("rotating by 0 is the identity, exactly", () => {
    expect(rotate(image, 0).toFlatArray()).toEqual(image.toFlatArray());
  });

  it("rotating by 90° matches np.rot90 (counter-clockwise): out[r][c] = x[c][W−1−r]", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]], { dtype: "float64" }).reshape(1, 3, 3);
    const out = rotate(x, 90).toFlatArray();
    [3, 6, 9, 2, 5, 8, 1, 4, 7].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 12));
    const big = rotate(image, 90);
    let worst = 0;
    for (let i = 0; i < 2; i++)
      for (let r = 0; r < 28; r++)
        for (let c = 0; c < 28; c++) worst = Math.max(worst, Math.abs(big.data[i * 784 + r * 28 + c] - image.data[i * 784 + c * 28 + 27 - r]));
    expect(worst).toBeLessThan(1e-12);
  });

  it("four quarter turns, or one of 360°, give the image back", () => {
    const back = rotate(rotate(rotate(rotate(image, 90), 90), 90), 90);
    expect(maxAbsDiff(back, image)).toBeLessThan(1e-12);
    expect(maxAbsDiff(rotate(image, 360), image)).toBeLessThan(1e-12);
    expect(maxAbsDiff(rotate(image, -90), rotate(image, 270))).toBeLessThan(1e-12);
  });

  it("interpolates bilinearly between the four neighbours of the source point", () => {
    // Rotating by 180° about the centre of a 2×2 image maps the grid onto itself.
    const x = tensor([[1, 2], [3, 4]], { dtype: "float64" }).reshape(1, 2, 2);
    rotate(x, 180).toFlatArray().forEach((v, i) => expect(v).toBeCloseTo([4, 3, 2, 1][i], 12));
    // A 45° turn of a 3×3 image: the top-middle output pixel (r, c) = (0, 1) reads the source at
    // sx = 1 + sin 45° ≈ 1.707, sy = 1 − cos 45° ≈ 0.293, between the pixels 2, 3 (row 0) and 5, 6 (row 1).
    const y = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]], { dtype: "float64" }).reshape(1, 3, 3);
    const fx = Math.SQRT1_2;
    const fy = 1 - Math.SQRT1_2;
    const expected = (1 - fx) * (1 - fy) * 2 + fx * (1 - fy) * 3 + (1 - fx) * fy * 5 + fx * fy * 6;
    expect(rotate(y, 45).data[1]).toBeCloseTo(expected, 12);
  });

  it("randomRotation turns each image by at most maxDegrees, both ways, reproducibly", () => {
    // A dot 10 pixels right of the centre (13.5, 13.5) of each image.
    const x = dots(300, 28, 28, 13, 24).add(dots(300, 28, 28, 14, 24)).reshape(300, 784);
    const out = randomRotation(x, { maxDegrees: 10, generator: new Generator(8) });
    expect(out.shape).toEqual([300, 784]);
    const angles: number[] = [];
    for (let i = 0; i < 300; i++) {
      let m = 0, mr = 0, mc = 0;
      for (let p = 0; p < 784; p++) {
        const v = out.data[i * 784 + p];
        m += v;
        mr += v * Math.floor(p / 28);
        mc += v * (p % 28);
      }
      angles.push((Math.atan2(13.5 - mr / m, mc / m - 13.5) * 180) / Math.PI);
    }
    angles.forEach((a) => expect(Math.abs(a)).toBeLessThanOrEqual(10.5));
    expect(Math.min(...angles)).toBeLessThan(-8);
    expect(Math.max(...angles)).toBeGreaterThan(8);
    expect(randomRotation(x, { maxDegrees: 10, generator: new Generator(8) }).toFlatArray()).toEqual(out.toFlatArray());
    expect(randomRotation(x, { maxDegrees: 0 }).toFlatArray()).toEqual(x.toFlatArray());
  });

  it("refuses a negative maxDegrees", () => {
    expect(() => randomRotation(image, { maxDegrees: -5 })).toThrow(/Invalid maxDegrees: -5/);
  });
});
