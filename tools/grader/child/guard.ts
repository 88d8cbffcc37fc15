/**
 * The exercise module as the graders see it in the sandbox: every exported
 * function (and class constructor) is called through a guard, so that
 *
 *   - student code never holds the test's own arrays and objects: it gets
 *     deep copies. Where the stub declares a parameter writable (a mutable
 *     array type, as `clipGradNorm(grads: number[][], …)`; see
 *     ../signatures.ts), what the call changed in the copy is written back
 *     when it returns, so that in-place contract works as under Vitest;
 *     every other argument is a FROZEN copy: changing it throws (a clear
 *     failure, as the in-place checks under Vitest give), and the test's own
 *     values, from which it may compute what it checks, stay untouched;
 *   - what it returns reaches the test as plain data: arrays, typed arrays
 *     and plain objects are copied (getters read once, Proxies read through
 *     once), so a value cannot change between two reads;
 *   - objects of the engine's classes (tensors, modules) that it returns are
 *     checked: a Proxy, an accessor property or an own function that shadows
 *     a method of the class is refused ("methods that lie").
 *
 * Kernel-lib objects, generators and functions passed IN are handed over as
 * they are: exercises initialise tensors and draw from generators in place.
 * Methods of objects the student's code creates (an EarlyStopper) are the
 * student's code, graded as such.
 */
import { types } from "node:util";

const MAX_NODES = 5_000_000;

type Plain = Record<PropertyKey, unknown>;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function isClass(fn: Function): boolean {
  return /^class\b/.test(Function.prototype.toString.call(fn));
}

/** Copies of the plain parts of `value` (arrays, typed arrays, plain objects); everything else is shared. */
class Copier {
  readonly copies = new Map<object, object>();
  private nodes = 0;

  /** `frozen`: arrays and plain objects of the copy are frozen (typed arrays cannot be: they are copies only). */
  constructor(private readonly frozen = false) {}

  copy(value: unknown): unknown {
    if (typeof value !== "object" || value === null) return value;
    const known = this.copies.get(value);
    if (known !== undefined) return known;
    if (++this.nodes > MAX_NODES) throw new Error("the grader cannot copy a value this large (more than 5,000,000 entries)");
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const ta = value as unknown as { slice(): object };
      const c = ta.slice();
      this.copies.set(value, c);
      return c;
    }
    if (Array.isArray(value)) {
      const c: unknown[] = [];
      this.copies.set(value, c);
      const n = value.length;
      for (let i = 0; i < n; i++) c.push(this.copy(value[i]));
      return this.frozen ? Object.freeze(c) : c;
    }
    if (isPlainObject(value)) {
      const c: Plain = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
      this.copies.set(value, c);
      for (const key of Object.keys(value)) {
        Object.defineProperty(c, key, { value: this.copy((value as Plain)[key]), enumerable: true, writable: true, configurable: true });
      }
      return this.frozen ? Object.freeze(c) : c;
    }
    return value; // an engine object, a generator, a Map…: shared, by design
  }
}

/** Writes what the student did to the copies back into the test's originals (in place, keeping the originals' identity). */
function writeBack(copies: Map<object, object>): void {
  const reverse = new Map<object, object>();
  for (const [orig, copy] of copies) reverse.set(copy, orig);
  const resolve = (v: unknown): unknown => (typeof v === "object" && v !== null && reverse.has(v) ? reverse.get(v) : v);
  for (const [orig, copy] of copies) {
    if (ArrayBuffer.isView(orig)) {
      (orig as unknown as Float64Array).set(copy as Float64Array);
    } else if (Array.isArray(orig)) {
      const c = copy as unknown[];
      if (Object.isFrozen(orig)) continue;
      orig.length = c.length;
      for (let i = 0; i < c.length; i++) orig[i] = resolve(c[i]);
    } else if (!Object.isFrozen(orig)) {
      const o = orig as Plain;
      const c = copy as Plain;
      for (const key of Object.keys(o)) if (!(key in c)) delete o[key];
      for (const key of Object.keys(c)) Object.defineProperty(o, key, { value: resolve(c[key]), enumerable: true, writable: true, configurable: true });
    }
  }
}

/** Refuses engine objects that could lie to the test. */
function vetInstance(value: object, what: string, seen: Set<object>, depth: number): void {
  if (seen.has(value) || depth > 30) return;
  seen.add(value);
  if (types.isProxy(value)) throw new TypeError(`${what} is a Proxy; the grader accepts only plain data and the engine's own objects`);
  if (ArrayBuffer.isView(value)) return;
  const proto = Object.getPrototypeOf(value) as object | null;
  for (const key of Reflect.ownKeys(value)) {
    const desc = Object.getOwnPropertyDescriptor(value, key)!;
    if (!("value" in desc)) throw new TypeError(`${what} has a getter or setter for "${String(key)}"; the grader accepts only plain data and the engine's own objects`);
    if (typeof desc.value === "function" && proto !== null && typeof Reflect.get(proto, key) === "function" && !isPlainObject(value)) {
      throw new TypeError(`${what} replaces the method "${String(key)}" of ${(value as { constructor?: { name?: string } }).constructor?.name ?? "its class"}; return the engine's objects unchanged`);
    }
    if (typeof desc.value === "object" && desc.value !== null) vetInstance(desc.value as object, `${what}.${String(key)}`, seen, depth + 1);
  }
}

/** What the test gets back: plain data copied, the engine's objects vetted, functions as they are. */
export function toPlain(value: unknown, what = "the returned value"): unknown {
  const copier = new Copier();
  const out = copier.copy(value);
  const seen = new Set<object>();
  const vetDeep = (v: unknown, path: string): void => {
    if (typeof v !== "object" || v === null || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) v.forEach((x, i) => vetDeep(x, `${path}[${i}]`));
    else if (ArrayBuffer.isView(v)) return;
    else if (isPlainObject(v)) for (const k of Object.keys(v)) vetDeep((v as Plain)[k], `${path}.${k}`);
    else vetInstance(v, path, new Set(), 0);
  };
  vetDeep(out, what);
  return out;
}

/** A TypeError thrown by writing into a frozen copy. */
const FROZEN_WRITE = /read[ -]only|not extensible|Cannot (assign|add|delete|define|redefine)/;

/** `fn` called with copies of its arguments (see the module comment) and its result made plain. */
function guardFunction(fn: Function, name: string, inPlace: readonly boolean[]): Function {
  const withCopies = <T>(args: unknown[], invoke: (a: unknown[]) => T): T => {
    const writable = new Copier(false);
    const frozen = new Copier(true);
    const copied = args.map((a, i) => (inPlace[i] === true ? writable : frozen).copy(a));
    try {
      return invoke(copied);
    } catch (e) {
      if (e instanceof TypeError && frozen.copies.size > 0 && FROZEN_WRITE.test(e.message) && !/freezes/.test(e.message)) {
        throw new TypeError(`${name} changed an argument it must leave unchanged (${e.message}); copy it first, e.g. with .map or [...x]`);
      }
      throw e;
    } finally {
      writeBack(writable.copies);
    }
  };
  const call = (args: unknown[], invoke: (a: unknown[]) => unknown): unknown => {
    const result = withCopies(args, invoke);
    if (result instanceof Promise) return result.then((r) => toPlain(r, `the value returned by ${name}`));
    return toPlain(result, `the value returned by ${name}`);
  };
  if (isClass(fn)) {
    // Instances are the student's objects (their methods are graded code): only the constructor's arguments are copied.
    return new Proxy(fn, {
      construct(target, args, newTarget) {
        return withCopies(args, (a) => Reflect.construct(target, a, newTarget) as object);
      },
      apply(target, thisArg, args) {
        return call(args, (a) => Reflect.apply(target, thisArg, a));
      },
    });
  }
  const guarded = {
    [name](this: unknown, ...args: unknown[]): unknown {
      return call(args, (a) => Reflect.apply(fn, this, a));
    },
  }[name];
  return guarded;
}

/** A frozen view of an exercise module whose functions are guarded (see the module comment). */
export function guardModule(mod: unknown, inPlace: Readonly<Record<string, readonly boolean[]>>): unknown {
  if (typeof mod !== "object" || mod === null) return mod;
  const view: Plain = {};
  for (const key of Object.keys(mod)) {
    const v = (mod as Plain)[key];
    view[key] = typeof v === "function" ? guardFunction(v, key, inPlace[key] ?? []) : toPlain(v, `the export ${key}`);
  }
  return Object.freeze(view);
}
