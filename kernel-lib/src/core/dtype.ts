/**
 * Element types. float32 is the default, as in PyTorch; float64 is there for
 * gradient checks and for students who want exact arithmetic. int32 holds
 * indices (class labels, argmax results) and is never differentiated.
 */
export type DType = "float32" | "float64" | "int32";

export type TypedArray = Float32Array | Float64Array | Int32Array;

export const DEFAULT_DTYPE: DType = "float32";

/** Allocates a zero-filled typed array of the given element type. */
export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "float64":
      return new Float64Array(size);
    case "int32":
      return new Int32Array(size);
  }
}

/** The dtype of an existing typed array. */
export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Int32Array) return "int32";
  return "float32";
}

/**
 * The result type of arithmetic between two tensors: float64 wins, and
 * int32 arithmetic is carried out in float32 (indices are not meant for math).
 */
export function promote(a: DType, b: DType): DType {
  if (a === "float64" || b === "float64") return "float64";
  return "float32";
}

/** The floating type used when a math function is applied to `dtype`. */
export function floatType(dtype: DType): DType {
  return dtype === "float64" ? "float64" : "float32";
}

export function isFloat(dtype: DType): boolean {
  return dtype !== "int32";
}
