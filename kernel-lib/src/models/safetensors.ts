import type { DType } from "../core/dtype";
import { fail } from "../core/errors";
import { Tensor } from "../tensor";
import type { StateDict } from "../nn/module";

/**
 * Shipped weights are stored as safetensors, the format of Hugging Face's
 * `safetensors` library, so Python reads them too
 * (`safetensors.numpy.load_file("digits-conv-body.safetensors")`), and
 * reading one runs no code (unlike pickled PyTorch files):
 *
 *   bytes 0..7   header length n, unsigned 64-bit little-endian
 *   n bytes      header, UTF-8 JSON padded with spaces to a multiple of 8:
 *                { "<name>": { "dtype": "F32" | "I32", "shape": [...], "data_offsets": [begin, end] },
 *                  …, "__metadata__": { "<key>": "<string>" } }
 *   data         every tensor's values, little-endian, row-major, at its
 *                [begin, end) bytes counted from the end of the header; the
 *                tensors tile the data exactly, without gaps or overlaps
 *
 * We write the tensors in the state dict's order, so encoding the same state
 * dict and metadata always gives the same bytes. float64 is refused: shipped
 * weights are float32.
 */

const DTYPES: Record<string, DType> = { F32: "float32", I32: "int32" };
const CODES: Partial<Record<DType, string>> = { float32: "F32", int32: "I32" };

interface TensorInfo {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export interface Safetensors {
  state: StateDict;
  /** The header's `__metadata__`: strings only, as the format allows. */
  metadata: Record<string, string>;
}

/** The bytes of a safetensors file holding `state` and `metadata`. */
export function encodeSafetensors(state: Readonly<StateDict>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, TensorInfo | Record<string, string>> = {};
  let offset = 0;
  for (const [name, t] of Object.entries(state)) {
    const dtype = CODES[t.dtype] ?? fail("encodeSafetensors", `"${name}" is ${t.dtype}; shipped weights are float32 (convert with .float() first)`);
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + 4 * t.size] };
    offset += 4 * t.size;
  }
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const bytes = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  bytes.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of Object.values(state)) {
    for (const v of t.data) {
      if (t.dtype === "int32") view.setInt32(at, v, true);
      else view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return bytes;
}

/** Reads a safetensors file of F32 and I32 tensors; `source` names it and `op` the caller in error messages. */
export function decodeSafetensors(bytes: Uint8Array, source: string, op = "decodeSafetensors"): Safetensors {
  const corrupt = (why: string): never => fail(op, `${source} is not a safetensors file this engine reads (${why}); restore it from the repository or rebuild it with its script`);
  if (bytes.length < 8) corrupt(`it has only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) corrupt(`its header of ${headerLength} bytes runs past the end`);
  const dataStart = 8 + Number(headerLength);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, dataStart))) as Record<string, unknown>;
  } catch {
    return corrupt("its header is not JSON");
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) corrupt("its header is not a JSON object");
  const { __metadata__: metadata = {}, ...tensors } = header;
  const state: StateDict = {};
  const spans: [number, number, string][] = [];
  for (const [name, value] of Object.entries(tensors)) {
    const info = value as Partial<TensorInfo>;
    const dtype = DTYPES[info.dtype ?? ""] ?? corrupt(`"${name}" has dtype ${JSON.stringify(info.dtype)}; F32 and I32 are read`);
    const shape = info.shape;
    const [begin, end] = info.data_offsets ?? [];
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || !Number.isInteger(begin) || !Number.isInteger(end)) corrupt(`"${name}" has no valid shape and data_offsets`);
    const size = shape!.reduce((a, b) => a * b, 1);
    if (end! - begin! !== 4 * size) corrupt(`"${name}" has ${end! - begin!} bytes for ${size} values of 4 bytes`);
    if (dataStart + end! > bytes.length) corrupt(`"${name}" runs past the end of the file`);
    const values = dtype === "int32" ? new Int32Array(size) : new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const at = dataStart + begin! + 4 * i;
      values[i] = dtype === "int32" ? view.getInt32(at, true) : view.getFloat32(at, true);
    }
    state[name] = new Tensor(values, shape!);
    spans.push([begin!, end!, name]);
  }
  // As the reference reader: the tensors tile the data, from 0 to the end of the file.
  spans.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== covered) corrupt(`"${name}" starts at byte ${begin} of the data, expected ${covered}`);
    covered = end;
  }
  if (dataStart + covered !== bytes.length) corrupt(`its tensors end at byte ${dataStart + covered} but the file has ${bytes.length}`);
  if (typeof metadata !== "object" || metadata === null || Object.values(metadata).some((v) => typeof v !== "string")) corrupt("its __metadata__ is not a map of strings");
  return { state, metadata: metadata as Record<string, string> };
}
