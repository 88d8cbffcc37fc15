import type { Tensor } from "../tensor";
import { formatTensor } from "../format";
import type { MimeBundle } from "./mime";
import { escapeHtml, numberFormat } from "./text";

/** Beyond these, a table shows its first and last halves with ⋮ / … between them. */
const MAX_ROWS = 20;
const MAX_COLS = 12;

/**
 * A tensor for the notebook: 0-D, 1-D and 2-D tensors as an HTML table with
 * row/column indices (1-D as a single row), large ones summarized to their
 * corners; ≥ 3-D tensors as the printed form in a <pre>. The caption names the
 * shape, the dtype and the autograd state. The text fallback is `toString()`.
 */
export function tensorBundle(t: Tensor): MimeBundle {
  const text = formatTensor(t);
  const caption = escapeHtml(describe(t));
  if (t.ndim > 2) return { "text/html": `<div><div><small>${caption}</small></div><pre>${escapeHtml(text)}</pre></div>`, "text/plain": text };
  const rows = t.ndim === 2 ? t.shape[0] : 1;
  const cols = t.ndim === 0 ? 1 : t.shape[t.ndim - 1];
  const rowIds = pick(rows, MAX_ROWS);
  const colIds = pick(cols, MAX_COLS);
  const shownValues: number[] = [];
  for (const r of rowIds) for (const c of colIds) if (r >= 0 && c >= 0) shownValues.push(t.data[r * cols + c]);
  const format = t.dtype === "int32" ? (v: number) => String(v) : numberFormat(shownValues, 4, false);

  const head = t.ndim === 0 ? "" : `<thead><tr><th></th>${colIds.map((c) => `<th>${c < 0 ? "…" : c}</th>`).join("")}</tr></thead>`;
  const body = rowIds.map((r) => {
    const label = t.ndim === 0 ? "" : `<th>${r < 0 ? "⋮" : t.ndim === 1 ? "" : r}</th>`;
    const cells = colIds.map((c) => (r < 0 ? "<td>⋮</td>" : c < 0 ? "<td>…</td>" : `<td>${format(t.data[r * cols + c])}</td>`));
    return `<tr>${label}${cells.join("")}</tr>`;
  });
  const htmlText =
    `<table style="font-family:monospace;text-align:right"><caption>${caption}</caption>` +
    `${head}<tbody>${body.join("")}</tbody></table>`;
  return { "text/html": htmlText, "text/plain": text };
}

/** "tensor · shape [3, 4] · float32 · gradFn mul". */
function describe(t: Tensor): string {
  const parts = [t.name ? `tensor ${t.name}` : "tensor", `shape [${t.shape.join(", ")}]`, t.dtype];
  if (t.gradFn) parts.push(`gradFn ${t.gradFn.op}`);
  else if (t.requiresGrad) parts.push("requiresGrad");
  return parts.join(" · ");
}

/** Indices 0..n-1, or the first and last `max / 2` with -1 marking the gap. */
function pick(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const half = Math.floor(max / 2);
  return [...Array.from({ length: half }, (_, i) => i), -1, ...Array.from({ length: half }, (_, i) => n - half + i)];
}
