/**
 * Freezes what kernel-lib exports (its functions, classes, their prototypes
 * and its namespaces such as `nn`, `F`, `init`) before student code can see
 * it, so a submission cannot swap `init.kaimingNormal_` or
 * `nn.Linear.prototype.forward` under the tests that compute expected values
 * with them. Instances (e.g. `defaultGenerator`) keep their mutable state.
 * Prototype methods become override-safe accessors (see lockdown.ts), so
 * `this.forward = …` on an instance still works.
 */

function overrideSafe(obj: object): void {
  for (const key of Reflect.ownKeys(obj)) {
    const desc = Object.getOwnPropertyDescriptor(obj, key)!;
    if (!("value" in desc) || !desc.configurable) continue;
    const value: unknown = desc.value;
    Object.defineProperty(obj, key, {
      get() {
        return value;
      },
      set(this: object, next: unknown) {
        if (this === obj) throw new TypeError(`Cannot assign to read only property '${String(key)}': the grader freezes kernel-lib`);
        Object.defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true });
      },
      enumerable: desc.enumerable,
      configurable: false,
    });
  }
}

/** A namespace or data object (not a class instance, not a prototype). */
function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null || Array.isArray(v)) && !isPrototypeObject(v);
}

/** Freezes the API surface reachable from `root`; returns root. */
export function hardenLibrary<T>(root: T): T {
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if ((typeof v !== "object" && typeof v !== "function") || v === null || seen.has(v) || Object.isFrozen(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) continue;
    if (typeof v === "function") {
      const proto = (v as { prototype?: unknown }).prototype;
      if (proto !== null && typeof proto === "object" && !Object.isFrozen(proto)) {
        overrideSafe(proto);
        stack.push(proto, Object.getPrototypeOf(proto));
      }
      stack.push(Object.getPrototypeOf(v));
    } else if (!isPlain(v) && !isPrototypeObject(v as object)) {
      continue; // an instance: its state is the library's business
    }
    for (const key of Reflect.ownKeys(v)) {
      const desc = Object.getOwnPropertyDescriptor(v, key)!;
      if ("value" in desc) stack.push(desc.value);
      else {
        stack.push(desc.get, desc.set);
        // A bundle's export getters hand out live bindings: freeze what they return too.
        if (desc.get && typeof v === "object" && isPlain(v)) stack.push(Reflect.get(v, key));
      }
    }
    Object.freeze(v);
  }
  return root;
}

function isPrototypeObject(v: object): boolean {
  const ctor = Object.getOwnPropertyDescriptor(v, "constructor");
  return ctor !== undefined && typeof ctor.get === "function"
    ? (ctor.get.call(v) as { prototype?: unknown } | undefined)?.prototype === v
    : ctor !== undefined && typeof ctor.value === "function" && (ctor.value as { prototype?: unknown }).prototype === v;
}
