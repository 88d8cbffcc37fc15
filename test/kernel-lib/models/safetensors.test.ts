/** The safetensors file format: exact bytes, a lossless round trip, other writers' files, and refusals. */
import { describe, expect, it } from "vitest";
import { Tensor, models, tensor } from "kernel-lib";

const { encodeSafetensors, decodeSafetensors } = models;

/** A safetensors file from its header object and data bytes, as any writer would lay it out. */
function file(header: object, data: number[], pad = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(pad));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe("encodeSafetensors / decodeSafetensors", () => {
  const state = {
    "0.weight": tensor([[1.5, -2.25, 1e-30], [3.4028234663852886e38, -0, 0.1]]),
    "1.numBatchesTracked": new Tensor(Int32Array.of(-7), []),
    "2.bias": tensor([Math.PI]),
  };

  it("writes the format's bytes: u64 header length, JSON padded with spaces to 8, little-endian data", () => {
    const bytes = encodeSafetensors({ w: tensor([1, -2]) }, { a: "b" });
    const json = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"a":"b"}}';
    const padded = json + " ".repeat((8 - (json.length % 8)) % 8);
    expect(Array.from(bytes)).toEqual([
      ...[padded.length, 0, 0, 0, 0, 0, 0, 0],
      ...Array.from(new TextEncoder().encode(padded)),
      ...[0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0], // 1.0f and -2.0f
    ]);
  });

  it("gives back every tensor's name, shape, dtype and float32 bits, and the metadata; the same input, the same bytes", () => {
    const bytes = encodeSafetensors(state, { meta: '{"seed":11}', note: "é" });
    const back = decodeSafetensors(bytes, "test.safetensors");
    expect(back.metadata).toEqual({ meta: '{"seed":11}', note: "é" });
    expect(Object.keys(back.state)).toEqual(Object.keys(state));
    for (const [name, t] of Object.entries(state)) {
      expect(back.state[name].shape).toEqual(t.shape);
      expect(back.state[name].dtype).toBe(t.dtype);
      expect(Object.is(back.state[name].data[0], t.data[0])).toBe(true);
      expect(Array.from(back.state[name].data)).toEqual(Array.from(t.data));
    }
    expect(Array.from(encodeSafetensors(state, { meta: '{"seed":11}', note: "é" }))).toEqual(Array.from(bytes));
  });

  it("reads another writer's layout: metadata first, tensors stored in another order than listed, extra padding", () => {
    const bytes = file({ __metadata__: { format: "pt" }, b: { dtype: "F32", shape: [1], data_offsets: [4, 8] }, a: { dtype: "I32", shape: [1], data_offsets: [0, 4] } }, [5, 0, 0, 0, 0, 0, 0x80, 0xbf], 13);
    const back = decodeSafetensors(bytes, "other.safetensors");
    expect(back.state.a.dtype).toBe("int32");
    expect(Array.from(back.state.a.data)).toEqual([5]);
    expect(Array.from(back.state.b.data)).toEqual([-1]);
    expect(back.metadata).toEqual({ format: "pt" });
  });

  it("refuses float64 tensors, and files that are short, malformed, of other dtypes, or with gaps", () => {
    expect(() => encodeSafetensors({ w: tensor([1], { dtype: "float64" }) })).toThrow(/\[encodeSafetensors\] "w" is float64; shipped weights are float32/);
    const refuse = (bytes: Uint8Array, why: RegExp) => expect(() => decodeSafetensors(bytes, "x.safetensors")).toThrow(why);
    refuse(new Uint8Array(5), /\[decodeSafetensors\] x\.safetensors is not a safetensors file this engine reads \(it has only 5 bytes\)/);
    refuse(new TextEncoder().encode("PK\u0003\u0004 a zip file"), /its header of \d+ bytes runs past the end/);
    refuse(file({}, []).map((b, i) => (i === 8 ? 0x7d : b)), /its header is not JSON/);
    refuse(file({ w: { dtype: "F64", shape: [1], data_offsets: [0, 8] } }, [0, 0, 0, 0, 0, 0, 0, 0]), /"w" has dtype "F64"; F32 and I32 are read/);
    refuse(file({ w: { dtype: "F32", shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /"w" has 4 bytes for 2 values of 4 bytes/);
    refuse(file({ w: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, [0, 0, 0, 0, 0, 0, 0, 0]), /"w" starts at byte 4 of the data, expected 0/);
    refuse(file({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0, 9]), /its tensors end at byte \d+ but the file has \d+/);
    refuse(file({ __metadata__: { n: 1 } }, []), /its __metadata__ is not a map of strings/);
  });
});
