import { fail } from "../core/errors";
import { invalid } from "../core/validate";

/** A size given once for both spatial axes, or as [height, width]. */
export type Pair = number | readonly [number, number];

/** Padding of a convolution: zeros added on each side, or "valid" (none) or "same" (output as large as the input). */
export type ConvPadding = Pair | "valid" | "same";

/** [height, width] from a Pair, refusing anything but integers ≥ `min`. */
export function pair(op: string, name: string, v: Pair, min: number): [number, number] {
  const [h, w] = typeof v === "number" ? [v, v] : v;
  if (!Array.isArray(v) && typeof v !== "number") invalid(op, name, v, "a number or [height, width]");
  for (const d of [h, w]) {
    if (!Number.isInteger(d) || d < min) invalid(op, name, v, `${min === 0 ? "a non-negative" : "a positive"} integer or a pair of them`);
  }
  return [h, w];
}

/**
 * Zeros before and after along one axis. "same" pads dilation·(kernel − 1) in
 * all, the smaller half before and the larger after (as torch does for even
 * kernels), so that with stride 1 the output has the input's size.
 */
export function sidePadding(padding: ConvPadding, axis: 0 | 1, kernel: number, dilation: number, op: string): [number, number] {
  if (padding === "valid") return [0, 0];
  if (padding === "same") {
    const total = dilation * (kernel - 1);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }
  const p = pair(op, "padding", padding, 0)[axis];
  return [p, p];
}

/**
 * Output length along one axis, ⌊(size + padding − dilation·(kernel − 1) − 1) / stride⌋ + 1:
 * the number of window positions that fit. Fails when not even one does.
 */
export function outputSize(op: string, axisName: string, size: number, padBefore: number, padAfter: number, kernel: number, dilation: number, stride: number): number {
  const span = dilation * (kernel - 1) + 1;
  const padded = size + padBefore + padAfter;
  if (span > padded) {
    fail(op, `the kernel spans ${span} along ${axisName} (kernel ${kernel}, dilation ${dilation}) but the padded input is only ${padded} (${size} + padding ${padBefore + padAfter}); use a smaller kernel or more padding`);
  }
  return Math.floor((padded - span) / stride) + 1;
}
