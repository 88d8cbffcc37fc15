/** The weights file format: a state dict and its metadata survive the round trip exactly. */
import { describe, expect, it } from "vitest";
import { Tensor, tensor } from "kernel-lib";
import { decodeWeights, encodeWeights } from "../../../kernel-lib/src/models/weights-file";

describe("encodeWeights / decodeWeights", () => {
  const state = {
    "0.weight": tensor([[1.5, -2.25, 1e-30], [3.4028234663852886e38, -0, 0.1]]),
    "1.numBatchesTracked": new Tensor(Int32Array.of(-7), []),
    "2.bias": tensor([Math.PI]),
  };

  it("gives back every tensor's name, shape, dtype and float32 bits, and the meta", () => {
    const bytes = encodeWeights(state, { seed: 11, note: "é" });
    const back = decodeWeights<{ seed: number; note: string }>(bytes, "test.bin");
    expect(back.meta).toEqual({ seed: 11, note: "é" });
    expect(Object.keys(back.state)).toEqual(Object.keys(state));
    for (const [name, t] of Object.entries(state)) {
      expect(back.state[name].shape).toEqual(t.shape);
      expect(back.state[name].dtype).toBe(t.dtype);
      expect(Object.is(back.state[name].data[0], t.data[0])).toBe(true);
      expect(Array.from(back.state[name].data)).toEqual(Array.from(t.data));
    }
    expect(bytes.length % 4).toBe(0);
    expect(Array.from(encodeWeights(state, { seed: 11, note: "é" }))).toEqual(Array.from(bytes));
  });

  it("refuses float64 tensors and files that are not its own", () => {
    expect(() => encodeWeights({ w: tensor([1], { dtype: "float64" }) }, {})).toThrow(/\[encodeWeights\] "w" is float64; shipped weights are float32/);
    expect(() => decodeWeights(new TextEncoder().encode("PK\u0003\u0004 a zip"), "x.bin")).toThrow(/x\.bin is not a kernel-lib weights file \(it does not start with "KLW1"\)/);
    const bytes = encodeWeights(state, {});
    expect(() => decodeWeights(bytes.subarray(0, bytes.length - 4), "x.bin")).toThrow(/where its header describes/);
    const badHeader = bytes.slice();
    badHeader[8] = "}".charCodeAt(0);
    expect(() => decodeWeights(badHeader, "x.bin")).toThrow(/its header is not JSON/);
  });
});
