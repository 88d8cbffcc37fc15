/**
 * Freezes the JavaScript built-ins of the sandbox process before any student
 * code runs, so a submission cannot change what the tests compute with:
 * `Math.random = …`, `Array.prototype.map = …`, `Object.prototype.toJSON = …`,
 * `JSON.stringify = …` or `globalThis.Date = …` throw a TypeError instead (the
 * exercise then fails to load, which costs only its own points).
 *
 * Freezing a prototype has one well-known side effect, the "override
 * mistake": `this.name = "MyError"` in an Error subclass would throw, since
 * `name` is read-only on the frozen Error.prototype. As SES's `lockdown()`
 * does, the properties that ordinary code assigns on instances (name,
 * message, toString, constructor, …) become accessors whose setter defines an
 * own property on the instance instead.
 */

/** Properties that honest code assigns on instances, per prototype (SES's "moderate" override taming). */
const OVERRIDABLE: ReadonlyArray<readonly [object, readonly PropertyKey[]]> = [
  [Object.prototype, ["constructor", "toString", "toLocaleString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"]],
  [Error.prototype, ["constructor", "name", "message", "toString"]],
  [Function.prototype, ["constructor", "toString"]],
  [Array.prototype, ["constructor", "toString", "push", "concat"]],
  [Promise.prototype, ["constructor"]],
];

const ERRORS = [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError];

/** Names on globalThis that become read-only bindings. */
const GLOBALS = [
  "Object", "Function", "Array", "String", "Number", "Boolean", "Symbol", "BigInt", "Math", "JSON", "Reflect", "Proxy",
  "Date", "RegExp", "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Promise", "ArrayBuffer", "SharedArrayBuffer", "DataView",
  "Atomics", "Intl", "globalThis", "isNaN", "isFinite", "parseFloat", "parseInt",
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
  "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
  "Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError",
  // Node's own: the harness encodes its reports with them after student code has run. Buffer.from looks up
  // Buffer.prototype.utf8Write at each call, so a patched one saw every report, the per-run secret included,
  // and could rewrite them (a failed test reported as passed).
  "Buffer", "TextEncoder", "TextDecoder",
];

/** Makes `obj[key]` an accessor: reading gives the original; assigning on an inheriting object defines an own property. */
function tameOverride(obj: object, key: PropertyKey): void {
  const desc = Object.getOwnPropertyDescriptor(obj, key);
  if (!desc || !("value" in desc) || !desc.configurable) return;
  const value: unknown = desc.value;
  Object.defineProperty(obj, key, {
    get() {
      return value;
    },
    set(this: object, next: unknown) {
      if (this === obj) throw new TypeError(`Cannot assign to read only property '${String(key)}': the grader freezes JavaScript's built-ins`);
      Object.defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true });
    },
    enumerable: desc.enumerable,
    configurable: false,
  });
}

/** Every object reachable from the built-ins through own properties and prototypes, frozen. */
function freezeDeep(root: unknown, seen: Set<unknown>): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue;
    seen.add(value);
    Object.freeze(value);
    stack.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const desc = Object.getOwnPropertyDescriptor(value, key)!;
      if ("value" in desc) stack.push(desc.value);
      else stack.push(desc.get, desc.set);
    }
  }
}

/** The intrinsics that are not reachable by name from globalThis. */
function hiddenIntrinsics(): unknown[] {
  const typedArray = Object.getPrototypeOf(Int8Array) as unknown;
  const iteratorProto = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as unknown;
  function* gen(): Generator<number> {
    yield 1;
  }
  async function* agen(): AsyncGenerator<number> {
    yield 1;
  }
  return [
    typedArray,
    iteratorProto,
    Object.getPrototypeOf([][Symbol.iterator]()),
    Object.getPrototypeOf(new Map()[Symbol.iterator]()),
    Object.getPrototypeOf(new Set()[Symbol.iterator]()),
    Object.getPrototypeOf(""[Symbol.iterator]()),
    Object.getPrototypeOf(gen),
    Object.getPrototypeOf(agen),
    Object.getPrototypeOf(async () => undefined),
  ];
}

let locked = false;

/** Freezes the built-ins once; later calls do nothing. */
export function lockdown(): void {
  if (locked) return;
  locked = true;
  for (const [proto, keys] of OVERRIDABLE) for (const key of keys) tameOverride(proto, key);
  for (const E of ERRORS) for (const key of ["constructor", "name", "message", "toString"]) tameOverride(E.prototype, key);
  // Node sets Error.stackTraceLimit and Error.prepareStackTrace at run time: Error itself stays writable,
  // its prototype (what messages and names come from) is frozen.
  const seen = new Set<unknown>([Error]);
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of GLOBALS) if (name !== "globalThis" && g[name] !== undefined && g[name] !== Error) freezeDeep(g[name], seen);
  freezeDeep(Error.prototype, seen);
  for (const extra of hiddenIntrinsics()) freezeDeep(extra, seen);
  for (const name of GLOBALS) {
    const desc = Object.getOwnPropertyDescriptor(globalThis, name);
    if (desc && desc.configurable) Object.defineProperty(globalThis, name, { value: g[name], writable: false, enumerable: false, configurable: false });
  }
}
