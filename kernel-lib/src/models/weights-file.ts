import { type DType, dtypeOf } from "../core/dtype";
import { fail } from "../core/errors";
import { Tensor } from "../tensor";
import type { StateDict } from "../nn/module";

/**
 * The file format of shipped weights: a state dict and a JSON description in
 * one small binary file (no pickle, no zip: the layout is read in twelve lines).
 *
 *   bytes 0..3   "KLW1" (kernel-lib weights, format 1)
 *   bytes 4..7   header length h, uint32 little-endian
 *   h bytes      header, UTF-8 JSON: { tensors: [{ name, dtype, shape }], meta }
 *   padding      zeros up to a multiple of 4 bytes
 *   data         each tensor's values in header order, little-endian
 *                (float32 or int32, 4 bytes each; float64 tensors are refused)
 *
 * `meta` is whatever the writer describes the weights with (how they were made).
 * Encoding the same state dict and meta always gives the same bytes.
 */

const MAGIC = "KLW1";

interface TensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
}

export interface WeightsFile<Meta> {
  state: StateDict;
  meta: Meta;
}

/** The bytes of `state` (in its key order) with `meta` in the header. */
export function encodeWeights<Meta>(state: Readonly<StateDict>, meta: Meta): Uint8Array {
  const entries: TensorEntry[] = Object.entries(state).map(([name, t]) => {
    if (t.dtype === "float64") fail("encodeWeights", `"${name}" is float64; shipped weights are float32 (convert with .float() first)`);
    return { name, dtype: t.dtype, shape: [...t.shape] };
  });
  const header = new TextEncoder().encode(JSON.stringify({ tensors: entries, meta }));
  const dataStart = align4(8 + header.length);
  const total = dataStart + 4 * entries.reduce((n, e) => n + state[e.name].size, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, header.length, true);
  bytes.set(header, 8);
  let at = dataStart;
  for (const { name, dtype } of entries) {
    for (const v of state[name].data) {
      if (dtype === "int32") view.setInt32(at, v, true);
      else view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return bytes;
}

/** Reads what `encodeWeights` wrote; `source` names the file and `op` the caller in error messages. */
export function decodeWeights<Meta>(bytes: Uint8Array, source: string, op = "decodeWeights"): WeightsFile<Meta> {
  const corrupt = (why: string): never => fail(op, `${source} is not a kernel-lib weights file (${why}); restore it from the repository or rebuild it with its script`);
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) corrupt(`it does not start with "${MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.length) corrupt("its header runs past the end");
  let header: { tensors: TensorEntry[]; meta: Meta };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as { tensors: TensorEntry[]; meta: Meta };
  } catch {
    return corrupt("its header is not JSON");
  }
  if (!Array.isArray(header.tensors)) corrupt("its header lists no tensors");
  const expected = align4(8 + headerLength) + 4 * header.tensors.reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.length !== expected) corrupt(`it has ${bytes.length} bytes where its header describes ${expected}`);
  const state: StateDict = {};
  let at = align4(8 + headerLength);
  for (const { name, dtype, shape } of header.tensors) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = dtype === "int32" ? new Int32Array(size) : dtype === "float32" ? new Float32Array(size) : corrupt(`"${name}" has dtype ${dtype}`);
    for (let i = 0; i < size; i++, at += 4) values[i] = dtypeOf(values) === "int32" ? view.getInt32(at, true) : view.getFloat32(at, true);
    state[name] = new Tensor(values, shape);
  }
  return { state, meta: header.meta };
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
