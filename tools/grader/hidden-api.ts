/**
 * Hidden test cases: one definition serves both ways of running them.
 *
 * A case is a function `run(ex)` that calls the exercise module `ex` and
 * returns what should be compared (numbers, arrays, tensors, plain objects).
 * The grader runs it once with the reference solution and once, inside the
 * sandbox, with the submission; both results are turned into plain data by
 * `observe` and compared by `compareObserved` in the grader's own process, so
 * the expected values never depend on anything the submission can touch.
 * test/tools/grader/hidden-api.test.ts runs the same cases in Vitest with the same two
 * functions.
 */
import { closeMismatch } from "../../test/exercises/grading-core";

export interface HiddenCase<M> {
  /** Shown to the student after grading, as configured (visibility). */
  name: string;
  points: number;
  /** Calls the exercise; what it returns is compared with what it returns for the reference solution. */
  run(ex: M): unknown;
  /** Tolerances for every number in the result (expectClose's defaults: rtol 1e-5, atol 1e-8). */
  rtol?: number;
  atol?: number;
}

export interface HiddenSuite {
  exercise: string;
  cases: readonly HiddenCase<never>[];
}

/** Declares the hidden cases of one exercise; `M` is the module's type (`typeof import("../../solutions/NN-topic")`). */
export function hiddenCases<M>(exercise: string, cases: HiddenCase<M>[]): HiddenSuite {
  return { exercise, cases: cases as unknown as HiddenCase<never>[] };
}

/**
 * True when `fn` throws an error of its own. A "not implemented yet" error,
 * the graders' shortcut refusal and calling something that is not a function
 * are passed on, so neither a stub, a shortcut nor a missing export ever
 * scores by throwing.
 */
export function threw(fn: () => unknown): boolean {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error && (/not implemented yet|: shortcut refused: /.test(e.message) || (e instanceof TypeError && /is not a function/.test(e.message)))) throw e;
    return true;
  }
  return false;
}

/** Plain data: what `observe` makes of a result (JSON-safe; special numbers as strings). */
export type Observed =
  | number
  | string
  | boolean
  | null
  | Observed[]
  | { [key: string]: Observed };

const MAX_NODES = 2_000_000;
const MAX_DEPTH = 40;

/**
 * Turns a result into plain data: numbers (NaN, ±Infinity and −0 as tagged
 * strings), arrays and typed arrays as lists, tensors as { $tensor: shape,
 * data }, other objects as their own enumerable properties. Refuses cycles
 * and results with more than two million values.
 */
export function observe(value: unknown): Observed {
  let nodes = 0;
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): Observed => {
    if (++nodes > MAX_NODES) throw new Error("the result is too large to compare (more than 2,000,000 values)");
    if (depth > MAX_DEPTH) throw new Error("the result is nested too deeply to compare");
    if (typeof v === "number") return encodeSpecial(v);
    if (typeof v === "string" || typeof v === "boolean" || v === null) return v;
    if (v === undefined) return { $undefined: true };
    if (typeof v === "bigint") return { $bigint: v.toString() };
    if (typeof v === "function") return { $function: typeof v.name === "string" ? v.name : "" };
    if (typeof v === "symbol") return { $symbol: String(v.description) };
    const obj = v as object;
    if (seen.has(obj)) throw new Error("the result contains a cycle");
    seen.add(obj);
    try {
      if (ArrayBuffer.isView(obj)) {
        const view = obj as unknown as ArrayLike<number>;
        const out: Observed[] = [];
        for (let i = 0; i < view.length; i++) out.push(walk(Number(view[i]), depth + 1));
        return out;
      }
      if (Array.isArray(obj)) return obj.map((x) => walk(x, depth + 1));
      const t = obj as { shape?: unknown; data?: unknown };
      if (Array.isArray(t.shape) && ArrayBuffer.isView(t.data)) {
        return { $tensor: walk(t.shape, depth + 1), data: walk(t.data, depth + 1) };
      }
      const out: { [key: string]: Observed } = {};
      for (const key of Object.keys(obj).sort()) {
        // defineProperty: a key named "__proto__" stays data instead of becoming a prototype.
        Object.defineProperty(out, key, { value: walk((obj as Record<string, unknown>)[key], depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      seen.delete(obj);
    }
  };
  return walk(value, 0);
}

function encodeSpecial(v: number): Observed {
  if (Number.isNaN(v)) return { $number: "NaN" };
  if (v === Infinity || v === -Infinity) return { $number: String(v) };
  if (Object.is(v, -0)) return { $number: "-0" };
  return v;
}

function decodeSpecial(v: Observed): number | null {
  if (typeof v === "number") return v;
  if (v !== null && typeof v === "object" && !Array.isArray(v) && typeof v.$number === "string" && Object.keys(v).length === 1) {
    return v.$number === "-0" ? -0 : Number(v.$number);
  }
  return null;
}

/**
 * null when `got` matches `expected` (numbers by expectClose's rule with the
 * case's tolerances, everything else exactly), else where and how it differs.
 */
export function compareObserved(
  got: Observed, expected: Observed, tolerance: { rtol?: number; atol?: number } = {}, where = "result", reveal = true,
): string | null {
  const e = decodeSpecial(expected);
  if (e !== null) {
    const g = decodeSpecial(got);
    if (g === null) return reveal ? `${where}: expected the number ${fmt(e)} but got ${preview(got)}` : `${where}: expected a number but got ${preview(got)}`;
    const detail = closeMismatch([g], [e], tolerance);
    if (detail === null) return null;
    // Hidden cases must not print the reference's value, nor a cause that would give it away (an offset, a factor).
    return reveal ? `${where}: ${detail}` : `${where}: ${fmt(g)} is not the reference value (beyond the tolerance)`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(got)) return `${where}: expected a list of ${expected.length} but got ${preview(got)}`;
    if (got.length !== expected.length) return `${where}: expected ${expected.length} entries but got ${got.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = compareObserved(got[i], expected[i], tolerance, `${where}[${i}]`, reveal);
      if (d !== null) return d;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object") {
    if (got === null || typeof got !== "object" || Array.isArray(got)) return `${where}: expected an object but got ${preview(got)}`;
    const ek = Object.keys(expected);
    const gk = Object.keys(got);
    const missing = ek.filter((k) => !(k in got));
    if (missing.length > 0) return `${where}: missing ${missing.join(", ")}`;
    const extra = gk.filter((k) => !(k in expected));
    if (extra.length > 0) return `${where}: unexpected ${extra.join(", ")}`;
    for (const k of ek) {
      const d = compareObserved(got[k], expected[k], tolerance, k.startsWith("$") ? where : `${where}.${k}`, reveal);
      if (d !== null) return d;
    }
    return null;
  }
  if (got === expected) return null;
  return reveal ? `${where}: expected ${preview(expected)} but got ${preview(got)}` : `${where}: ${preview(got)} is not the reference value`;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6);
}

function preview(v: Observed): string {
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
}
