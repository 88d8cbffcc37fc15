/** Small text helpers shared by the displays: number formats, HTML escaping, durations. */

/**
 * One format for a group of numbers (a tensor, a table column) so they line up:
 * whole numbers as integers (unless `wholeAsInteger` is false, as for a float
 * tensor, where 1.0000 says "float"); otherwise `digits` decimals, switching to
 * scientific notation when the magnitudes call for it (largest ≥ 1e6, or
 * smallest non-zero < 10^-digits, which fixed decimals would print as 0).
 */
export function numberFormat(values: ArrayLike<number>, digits = 4, wholeAsInteger = true): (v: number) => string {
  let maxAbs = 0;
  let minNonZero = Infinity;
  let allIntegers = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minNonZero) minNonZero = a;
    if (!Number.isInteger(v)) allIntegers = false;
  }
  const scientific = maxAbs >= 1e6 || minNonZero < 10 ** -digits;
  return (v) => {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "inf" : "-inf";
    if (wholeAsInteger && allIntegers && maxAbs < 1e15) return String(v);
    return scientific ? v.toExponential(digits) : v.toFixed(digits);
  };
}

/** A single number in about `significant` digits, for progress lines: 0.1234, 1.235e-5, 1234. */
export function compactNumber(v: number, significant = 4): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(significant - 1);
  return String(Number(v.toPrecision(significant)));
}

/** Milliseconds as m:ss, or h:mm:ss past an hour. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** The text of an HTML fragment, for the text/plain fallback of `html(...)`. */
export function stripTags(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h[1-6])>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * Plain-text columns: the header, a rule of dashes, then the rows; each column
 * padded to its widest cell, right-aligned where `right[c]` (numbers).
 */
export function alignColumns(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(1, ...all.map((r) => (r[c] ?? "").length)));
  const line = (r: readonly string[]): string =>
    r.map((cell, c) => (right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}
