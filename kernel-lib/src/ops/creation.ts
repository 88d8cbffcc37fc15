import { type DType, DEFAULT_DTYPE, allocate } from "../core/dtype";
import { fail, fmtShape } from "../core/errors";
import { type Shape, checkShape, sizeOf } from "../core/shape";
import { type Generator, defaultGenerator } from "../core/random";
import { Tensor, type NestedArray } from "../tensor";
import { checkIntegerIn, invalid } from "../core/validate";

/** Options shared by the functions that create tensors. */
export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

/** Options of the random constructors: a generator makes them reproducible. */
export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

function make(op: string, shape: Shape, options: CreateOptions, fill?: (data: Float32Array | Float64Array | Int32Array) => void): Tensor {
  checkShape(op, shape);
  const data = allocate(options.dtype ?? DEFAULT_DTYPE, sizeOf(shape));
  fill?.(data);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/**
 * A tensor from nested arrays or a flat typed array / list plus an explicit shape:
 *   tensor([[1, 2], [3, 4]])            // shape [2, 2], float32
 *   tensor([1, 2, 3, 4], { shape: [2, 2], dtype: "float64" })
 */
export function tensor(values: NestedArray | ArrayLike<number>, options: CreateOptions & { shape?: Shape } = {}): Tensor {
  if (typeof values === "number") return make("tensor", options.shape ?? [], options, (d) => d.fill(values));
  if (options.shape !== undefined) {
    const flat = values as ArrayLike<number>;
    if (flat.length !== sizeOf(options.shape)) fail("tensor", `${flat.length} values do not fill shape ${fmtShape(options.shape)}`);
    return make("tensor", options.shape, options, (d) => d.set(flat));
  }
  // A typed array without a shape is 1-D (it cannot nest).
  if (ArrayBuffer.isView(values)) {
    const flat = values as ArrayLike<number>;
    return make("tensor", [flat.length], options, (d) => d.set(flat));
  }
  const shape = nestedShape(values as NestedArray);
  const flat: number[] = [];
  flattenInto(values as NestedArray, shape, 0, flat);
  return make("tensor", shape, options, (d) => d.set(flat));
}

function nestedShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  if (!Array.isArray(v) && typeof v !== "number") {
    fail("tensor", `expected numbers or nested arrays of numbers, got ${typeof v}`);
  }
  return shape;
}

function flattenInto(v: NestedArray, shape: Shape, depth: number, out: number[]): void {
  if (depth === shape.length) {
    if (typeof v !== "number") fail("tensor", `ragged nested array: expected a number at depth ${depth}, got ${Array.isArray(v) ? "an array" : typeof v}`);
    out.push(v);
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[depth]) {
    fail("tensor", `ragged nested array: expected ${shape[depth]} entries at depth ${depth} (shape ${fmtShape(shape)}), got ${Array.isArray(v) ? v.length : typeof v}`);
  }
  for (const x of v) flattenInto(x, shape, depth + 1, out);
}

export function zeros(shape: Shape, options: CreateOptions = {}): Tensor {
  return make("zeros", shape, options);
}

export function ones(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  return make("full", shape, options, (d) => d.fill(value));
}

/** start, start+step, … up to but excluding end; arange(5) is 0..4. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step)) invalid("arange", "step", step, "a non-zero finite number");
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  return make("arange", [n], options, (d) => {
    for (let i = 0; i < n; i++) d[i] = lo + i * step;
  });
}

/** `steps` evenly spaced values from start to end, both included. */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  checkIntegerIn("linspace", "steps", steps, 0);
  return make("linspace", [steps], options, (d) => {
    for (let i = 0; i < steps; i++) d[i] = steps === 1 ? start : start + ((end - start) * i) / (steps - 1);
  });
}

/** The n×m identity matrix (ones on the diagonal). */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  return make("eye", [n, m], options, (d) => {
    for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  });
}

/** Uniform samples in [0, 1). */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return make("rand", shape, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.uniform();
  });
}

/** Standard normal samples (mean 0, variance 1). */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return make("randn", shape, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.normal();
  });
}

/** Integers drawn uniformly from [low, high); int32 unless a dtype is given. */
export function randint(low: number, high: number, shape: Shape, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return make("randint", shape, { dtype: "int32", ...options }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.randint(low, high);
  });
}

/** A random permutation of 0..n−1 (int32). */
export function randperm(n: number, options: { generator?: Generator } = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return new Tensor(g.permutation(n), [n]);
}
