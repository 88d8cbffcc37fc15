/**
 * Contract checks shared by the exercise graders: inputs left untouched,
 * refusals that really throw, results that are copies. Each check reports
 * through expectEqual (from "./grading"), so the autograder re-checks it in
 * its own process like every other comparison.
 */
import { expectEqual } from "./grading";

/** A JSON text of any input (typed arrays as lists, tensors as shape and values) to compare before and after a call. */
export function snapshot(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    if (typeof v === "number" && !Number.isFinite(v)) return String(v);
    const t = v as { shape?: unknown; data?: unknown } | null;
    if (t !== null && typeof t === "object" && Array.isArray(t.shape) && ArrayBuffer.isView(t.data)) {
      return { shape: t.shape, data: Array.from(t.data as unknown as ArrayLike<number>) };
    }
    return v;
  }) ?? "undefined";
}

/**
 * Calls `call` and checks that none of `inputs` changed (compared as
 * snapshots taken before the call). Returns what `call` returned.
 */
export function expectInputsUntouched<T>(fn: string, inputs: Record<string, unknown>, call: () => T): T {
  const before = Object.entries(inputs).map(([name, v]) => [name, snapshot(v)] as const);
  const out = call();
  for (const [name, text] of before) {
    expectEqual(snapshot(inputs[name]) === text, true, {
      what: `${fn} changed its argument \`${name}\``,
      hint: `build new arrays for the results (e.g. with .map or [...row]) instead of writing into ${name}: the caller still needs it`,
    });
  }
  return out;
}

/**
 * True when `fn` throws an error of its own. "not implemented yet" and the
 * graders' shortcut refusal (forbidden.ts) are passed on, so neither a stub
 * nor a shortcut ever earns the points of a refusal.
 */
export function throws(fn: () => unknown): boolean {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error && /not implemented yet|: shortcut refused: /.test(e.message)) throw e;
    return true;
  }
  return false;
}

/** Checks that `fn` throws (a refusal the doc promises). */
export function expectThrows(what: string, fn: () => unknown, hint: string): void {
  expectEqual(throws(fn), true, { what: `${what} throws an Error`, hint });
}
