/**
 * The submission as the graders see it: every exported function
 *
 * - refused when it takes a forbidden shortcut (forbidden.ts), and
 * - checked, on every call, for leaving its arguments as they were (unless
 *   its doc says it works in place: shortcuts.ts' `inPlace`): arrays and
 *   plain objects are compared before and after the call; class instances
 *   (tensors, generators, models) and callbacks are not.
 *
 * So a contract broken in one function costs that function's tests, and
 * nothing else.
 */
import { GradingError } from "./grading-core";
import { withoutShortcuts } from "./forbidden";
import { SHORTCUTS } from "./shortcuts";

/** JSON of the plain-data part of an argument, or null for what is not plain data (a class instance, a function). */
function plainSnapshot(value: unknown): string | null {
  const isPlain = (v: unknown): boolean => {
    if (v === null || typeof v !== "object") return typeof v !== "function";
    if (Array.isArray(v)) return v.every(isPlain);
    return Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every(isPlain);
  };
  if (!isPlain(value) || typeof value !== "object" || value === null) return null;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

function guardArguments<F extends (...args: never[]) => unknown>(fn: F, name: string): F {
  const guarded = function (this: unknown, ...args: unknown[]): unknown {
    const before = args.map(plainSnapshot);
    // `new` on the guard constructs: a class may arrive wrapped (the grader's sandbox guards it in a Proxy, whose source text hides `class`).
    const out = new.target !== undefined
      ? Reflect.construct(fn as unknown as new (...a: unknown[]) => unknown, args)
      : (fn as unknown as (...a: unknown[]) => unknown).apply(this, args);
    before.forEach((text, k) => {
      if (text !== null && plainSnapshot(args[k]) !== text) {
        throw new GradingError(
          { what: `${name} changed its argument ${k + 1}`, hint: "build new arrays for your results (.map, [...row], structuredClone) instead of writing into the arguments: the caller still needs them" },
          `argument ${k + 1} was ${text.length > 200 ? `${text.slice(0, 200)}…` : text} before the call and is different after it`,
        );
      }
    });
    return out;
  };
  guarded.prototype = (fn as unknown as { prototype: unknown }).prototype; // instanceof sees through the guard
  return guarded as unknown as F;
}

/** The exercise module `exercise` as graded: shortcuts refused, arguments guarded (classes are passed through). */
export function asGraded<M extends object>(module: M, exercise: string): M {
  const refused = withoutShortcuts(module, exercise) as Record<string, unknown>;
  const inPlace = new Set(SHORTCUTS[exercise]?.inPlace ?? []);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(refused)) {
    const isClass = typeof value === "function" && /^class\b/.test(Function.prototype.toString.call(value));
    out[key] = typeof value === "function" && !isClass && !inPlace.has(key) ? guardArguments(value as (...args: never[]) => unknown, key) : value;
  }
  return out as M;
}
