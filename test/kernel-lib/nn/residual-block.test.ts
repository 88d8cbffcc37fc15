/** nn.ResidualBlock: shapes with and without projection, the skip's contribution, the plain variant, gradients in float64. */
import { describe, expect, it } from "vitest";
import { Generator, gradcheck, nn, randn } from "kernel-lib";

describe("ResidualBlock", () => {
  it("keeps the shape with the identity shortcut; stride 2 with new channels projects", () => {
    const same = new nn.ResidualBlock(8, 8, { generator: new Generator(1) });
    expect(same.call(randn([2, 8, 6, 6])).shape).toEqual([2, 8, 6, 6]);
    expect(same.parameters().length).toBe(6); // two convs, two BN (weight, bias)
    const down = new nn.ResidualBlock(8, 16, { stride: 2, generator: new Generator(2) });
    expect(down.call(randn([2, 8, 7, 7])).shape).toEqual([2, 16, 4, 4]);
    expect(down.parameters().length).toBe(9); // plus the 1×1 projection and its BN
  });

  it("y = relu(body(x) + x): with the body's last BN scaled to 0 the block is relu(x)", () => {
    const block = new nn.ResidualBlock(3, 3, { generator: new Generator(3) });
    const lastBn = block.parameters()[4];
    lastBn.data.fill(0);
    const x = randn([2, 3, 4, 4]);
    expect(block.call(x).toFlatArray()).toEqual(x.relu().toFlatArray());
  });

  it("skip: false builds the same layers without the shortcut", () => {
    const plain = new nn.ResidualBlock(3, 3, { skip: false, generator: new Generator(4) });
    plain.parameters()[4].data.fill(0);
    expect(plain.call(randn([2, 3, 4, 4])).toFlatArray().every((v) => v === 0)).toBe(true);
  });

  it("gradcheck through both paths in float64", () => {
    const block = new nn.ResidualBlock(2, 4, { stride: 2, dtype: "float64", generator: new Generator(5) });
    const x = randn([2, 2, 5, 5], { dtype: "float64", generator: new Generator(6) }).requiresGrad_();
    const r = randn([2, 4, 3, 3], { dtype: "float64", generator: new Generator(7) });
    expect(gradcheck((t) => block.call(t).mul(r), [x], { eps: 1e-6 }).worst).toBeUndefined();
  });
});
