import type { Tensor } from "./tensor";

/** Above this many elements, only the first and last EDGE entries of each axis are printed. */
const SUMMARIZE_ABOVE = 1000;
const EDGE = 3;

/**
 * A PyTorch-like rendering for notebooks:
 *   tensor([[ 1.0000, -2.5000],
 *           [ 0.0000,  3.0000]], dtype=float32, requiresGrad=true)
 * Numbers share one format (fixed 4 decimals, or scientific when the
 * magnitudes call for it) so columns line up.
 */
export function formatTensor(t: Tensor): string {
  const summarize = t.size > SUMMARIZE_ABOVE;
  const shown = visibleValues(t, summarize);
  const fmt = numberFormat(t, shown);
  const width = Math.max(...shown.map((v) => fmt(v).length), 1);
  const cell = (v: number) => fmt(v).padStart(width);
  const indent = "tensor(".length;

  const render = (axis: number, offset: number): string => {
    if (axis === t.ndim) return cell(t.data[offset]);
    const n = t.shape[axis];
    const pick = summarize && n > 2 * EDGE ? [...range(0, EDGE), -1, ...range(n - EDGE, n)] : range(0, n);
    const parts = pick.map((i) => (i === -1 ? "..." : render(axis + 1, offset + i * t.strides[axis])));
    const depth = t.ndim - axis - 1;
    const sep = depth === 0 ? ", " : "," + "\n".repeat(depth) + " ".repeat(indent + axis + 1);
    return "[" + parts.join(sep) + "]";
  };

  const extras: string[] = [];
  if (t.dtype !== "float32") extras.push(`dtype=${t.dtype}`);
  if (summarize) extras.push(`shape=[${t.shape.join(",")}]`);
  if (t.gradFn) extras.push(`gradFn=${t.gradFn.op}`);
  else if (t.requiresGrad) extras.push("requiresGrad=true");
  if (t.name) extras.push(`name=${t.name}`);
  return `tensor(${render(0, 0)}${extras.map((e) => ", " + e).join("")})`;
}

function numberFormat(t: Tensor, shown: readonly number[]): (v: number) => string {
  if (t.dtype === "int32") return (v) => String(v);
  const finite = shown.filter((v) => Number.isFinite(v)).map(Math.abs);
  const maxAbs = finite.length ? Math.max(...finite) : 0;
  const minNonZero = Math.min(...finite.filter((v) => v > 0), Infinity);
  const scientific = maxAbs >= 1e8 || (minNonZero < 1e-4 && minNonZero !== Infinity);
  return (v) => (!Number.isFinite(v) ? String(v).replace("Infinity", "inf") : scientific ? v.toExponential(4) : v.toFixed(4));
}

function visibleValues(t: Tensor, summarize: boolean): number[] {
  if (!summarize) return Array.from(t.data);
  return [...Array.from(t.data.subarray(0, 50)), ...Array.from(t.data.subarray(t.size - 50))];
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}
