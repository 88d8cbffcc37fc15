/**
 * Feedback a student can act on, for grading-core's comparisons:
 *
 * - `formatPair`: expected and got with just enough digits to tell them
 *   apart, plus their difference (never "expected 2.74525 but got 2.74525");
 * - `symptom`: what the pattern of the mismatch over ALL compared values
 *   suggests (a constant factor N/(N−1) is the unbiased variance, a constant
 *   offset a misplaced constant, agreement to 6 digits a misplaced eps, a
 *   shift by one position an off-by-one…), or null when nothing stands out;
 * - `describeInput`: the input at the failing position (the row that holds
 *   it), with the shapes of everything else, instead of a truncated dump.
 *
 * Free of Vitest, like grading-core.ts, so the autograder's re-check prints
 * the same words.
 */

/** `expected` and `got` with enough significant digits (6 to 17) to differ, e.g. ["2.745250", "2.745262"]. */
export function formatPair(expected: number, got: number): [string, string] {
  const show = (v: number, digits: number) => (Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : v.toPrecision(digits));
  if (!Number.isFinite(expected) || !Number.isFinite(got)) return [String(expected), String(got)];
  // The fewest digits (at least 6) at which the two rounded values differ.
  let digits = 6;
  while (digits < 17 && Number(expected.toPrecision(digits)) === Number(got.toPrecision(digits))) digits++;
  return [show(expected, digits), show(got, digits)];
}

/** "difference 1.2e-7" for two finite numbers, else "". */
export function difference(expected: number, got: number): string {
  return Number.isFinite(expected) && Number.isFinite(got) ? `difference ${(got - expected).toExponential(2)}` : "";
}

const near = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), 1e-300);

/** A constant c with got[i] ≈ c · expected[i] wherever expected[i] ≠ 0 (null if none). */
function constantRatio(g: readonly number[], e: readonly number[]): number | null {
  let ratio: number | null = null;
  for (let i = 0; i < e.length; i++) {
    if (e[i] === 0) {
      if (Math.abs(g[i]) > 1e-12) return null;
      continue;
    }
    const r = g[i] / e[i];
    if (ratio === null) ratio = r;
    else if (!near(r, ratio, 1e-7)) return null;
  }
  return ratio;
}

/** The integer k with r = k/(k − 1) or (k − 1)/k (the unbiased-vs-biased factor), also for √r; null if none. */
function besselFactor(r: number): { n: number; root: boolean } | null {
  for (const [value, root] of [[r, false], [r * r, true]] as const) {
    const up = value > 1 ? value : 1 / value; // = k/(k − 1)
    if (!(up > 1)) continue;
    const k = up / (up - 1);
    if (k >= 2 && k <= 1e5 && Math.abs(k - Math.round(k)) < 1e-6 * k) return { n: Math.round(k), root };
  }
  return null;
}

/** What the mismatch between all of `got` and `expected` looks like, in a sentence, or null when no pattern stands out. */
export function symptom(g: readonly number[], e: readonly number[]): string | null {
  if (g.length !== e.length || e.length === 0) return null;
  const nan = g.findIndex((v) => Number.isNaN(v));
  if (nan >= 0 && !Number.isNaN(e[nan])) return `NaN at position ${nan}: look for 0/0, the square root of a negative number, or reading past the end of an array`;
  if (g.some((v) => !Number.isFinite(v)) || e.some((v) => !Number.isFinite(v))) return null;
  if (g.every((v) => v === 0) && e.some((v) => v !== 0)) return "every value is 0: is the result filled in (and returned)?";
  // The largest difference relative to the largest expected value: how many digits agree overall.
  const maxRel = Math.max(...g.map((v, i) => Math.abs(v - e[i]))) / Math.max(...e.map(Math.abs), 1e-300);
  const ratio = constantRatio(g, e);
  if (ratio !== null && !near(ratio, 1, 1e-7)) {
    const bessel = besselFactor(ratio);
    if (bessel !== null) {
      return `${e.length > 1 ? "every value is" : "your value is"} off by the factor ${bessel.root ? "√" : ""}(${bessel.n}/${bessel.n - 1})${ratio < 1 ? "⁻¹" : ""}: that is the difference between dividing by N = ${bessel.n} (biased variance) and by N − 1 (unbiased)`;
    }
    const every = e.length > 1 ? "every value is" : "your value is exactly";
    if (near(ratio, -1, 1e-7)) return `${every} the expected one with the wrong sign`;
    for (const [c, name] of [[2, "2"], [0.5, "½"], [Math.sqrt(3), "√3"], [1 / Math.sqrt(3), "1/√3"], [Math.sqrt(2), "√2"], [1 / Math.sqrt(2), "1/√2"]] as const) {
      if (near(ratio, c, 1e-7)) return `${every} ${name} times the expected one: a constant factor is missing or extra`;
    }
    // One number is always some multiple of another: a ratio says something only when many values share it.
    if (e.length > 2) return `every value is ${ratio.toPrecision(6)} times the expected one: a scale factor is wrong`;
  }
  if (e.length >= 2) {
    const offset = g[0] - e[0];
    if (offset !== 0 && g.every((v, i) => near(v - e[i], offset, 1e-7))) {
      return `every value is off by the same amount (${offset.toExponential(3)}): a constant term is wrong (where eps or a bias is added, or the starting value)`;
    }
    const shifted = (s: number) => e.length >= 3 && g.every((v, i) => i + s < 0 || i + s >= e.length || near(v, e[i + s], 1e-9));
    if (shifted(1)) return "your values are the expected ones one position early: an off-by-one (does your count start at 0?)";
    if (shifted(-1)) return "your values are the expected ones one position late: an off-by-one (does your count start at 0?)";
  }
  if (maxRel < 1e-3) {
    const digits = Math.max(1, Math.floor(-Math.log10(maxRel)));
    return `your values agree with the expected ones to about ${digits} digits: the formula is right in shape; look for a small constant in the wrong place (eps inside vs outside a square root, a missing + 1e-6) or a float32 step`;
  }
  return null;
}

/** JSON of a value, with typed arrays and tensors as lists. */
function json(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => {
    if (ArrayBuffer.isView(val)) return Array.from(val as unknown as ArrayLike<number>);
    const t = val as { shape?: unknown; data?: unknown } | null;
    if (t !== null && typeof t === "object" && Array.isArray(t.shape) && ArrayBuffer.isView(t.data)) return { shape: t.shape, values: Array.from(t.data as unknown as ArrayLike<number>) };
    return val;
  }) ?? "undefined";
}

function shapeOf(v: unknown): string | null {
  if (!Array.isArray(v)) return null;
  const inner = v.length > 0 && Array.isArray(v[0]) ? shapeOf(v[0]) : "";
  return `[${v.length}]${inner ?? ""}`;
}

const LIMIT = 300;

/**
 * The input as shown to the student. Short inputs are shown whole. Long
 * ones show each field's shape and, for arrays, the entry (of a list) or
 * the row (of a matrix, read row by row) at the failing position of the
 * flattened result; nothing is cut in the middle of a number.
 */
export function describeInput(input: unknown, position: number | null): string {
  const whole = json(input);
  if (whole.length <= LIMIT) return whole;
  const fields: [string, unknown][] = input !== null && typeof input === "object" && !Array.isArray(input) ? Object.entries(input as Record<string, unknown>) : [["input", input]];
  const parts = fields.map(([name, v]) => {
    const text = json(v);
    if (text.length <= 80) return `${name} = ${text}`;
    const shape = shapeOf(v);
    if (shape !== null && position !== null) {
      const rows = v as unknown[];
      const width = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : 1;
      const row = width > 0 ? Math.floor(position / width) : position;
      if (row < rows.length) return `${name}: ${shape}, ${name}[${row}] = ${json(rows[row])}`;
    }
    return `${name}: ${shape ?? "(long)"}`;
  });
  return parts.join("; ");
}
