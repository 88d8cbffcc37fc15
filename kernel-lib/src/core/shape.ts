import { fail, fmtShape } from "./errors";

export type Shape = readonly number[];

/** Number of elements of a tensor with this shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-order) strides: the last axis is contiguous. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks that every entry is a non-negative integer. */
export function checkShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      fail(op, `invalid shape ${fmtShape(shape)}: sizes must be non-negative integers`);
    }
  }
}

/**
 * NumPy broadcasting: align shapes on the right; each pair of sizes must be
 * equal or one of them 1. Example: [32,1,5] with [4,5] gives [32,4,5].
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      fail(
        op,
        `cannot broadcast ${fmtShape(a)} with ${fmtShape(b)}: sizes ${da} and ${db} at axis ${i - n} differ and neither is 1`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Turns a possibly negative axis into 0..rank-1, with a clear error when out of range. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    fail(op, `axis ${axis} is out of range for a tensor of rank ${rank} (use -${Math.max(rank, 1)}..${Math.max(rank, 1) - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalizes an axis argument (one, several, or all when undefined), sorted and unique. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, rank)))];
  return out.sort((x, y) => x - y);
}
