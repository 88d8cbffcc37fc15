import { fail, fmtShape } from "../core/errors";
import { type DType, type TypedArray, allocate } from "../core/dtype";
import { closeScope, freedOnClose, isScoped, openScope, openScopes, sharing } from "../backend/scoped-storage";
import { onCellStart } from "../display/cell-stack";
import { Tensor, replaceStorage } from "../tensor";

/**
 * Runs `fn` with the tensors it computes kept in WebAssembly memory, and
 * frees them all when it returns, except the tensors it returns (and those
 * passed to `keep`), which are copied out into ordinary storage. As tfjs's
 * tf.tidy, for a training step:
 *
 *   const loss = tidy(() => {
 *     optimizer.zeroGrad();
 *     const loss = F.crossEntropy(model.call(x), y);
 *     loss.backward();
 *     optimizer.step();
 *     return loss;
 *   });
 *
 * Why: the kernels compute in WebAssembly memory. A tensor outside tidy()
 * lives in its own typed array, so every kernel copies its operands in and
 * its result out, and every result is a fresh array for the garbage
 * collector. Inside tidy() a result is written where the next kernel reads
 * it. Measured on the bench's cnn-step (`npm run bench -- --case cnn-step`):
 * see tools/bench/cnn.ts.
 *
 * What survives: parameters, buffers (running statistics), gradients in
 * `.grad` and optimizer state are ordinary storage and are not touched.
 * Reading a tensor computed inside after tidy() returned, say one an
 * activation hook stored, throws an error that names tidy() and the fix; it
 * never shows stale values. The one way around that: a tensor's `.data`
 * array kept past the scope (returning one is refused; copy it with
 * `.slice()`). Without the WebAssembly backend tidy() just calls `fn`.
 *
 * `fn` must be synchronous: the scope would otherwise close before an
 * awaited part runs.
 */
export function tidy<T>(fn: () => T): T {
  openScope();
  // finally: the scope closes whatever happens, also when keeping the result throws
  // (a released tensor in it, a getter); a scope left open would hold every later tensor.
  try {
    const result = fn();
    if (result instanceof Promise) {
      fail("tidy", "the function returned a Promise: tidy() frees its tensors when the function returns, before an awaited part runs; pass a synchronous function, and call tidy() inside the async code instead");
    }
    tensorsIn(result, new Set(), (t) => keep(t));
    return result;
  } finally {
    releaseAll();
  }
}

/**
 * Moves a tensor computed inside tidy() (and its `.grad`) into ordinary
 * storage, so that it can be used after tidy() returns. Returns it. Outside
 * tidy(), or for a tensor that is ordinary already, it does nothing.
 */
export function keep<T extends Tensor>(t: T): T {
  if (isScoped(t.data)) {
    // Its views move with it (one copy for all): apart, an in-place write to one would not show in the others.
    const copy = t.data.slice();
    for (const view of [t, ...sharing(t.data)]) replaceStorage(view as Tensor, copy);
  }
  if (t.grad !== null) keep(t.grad);
  return t;
}

/**
 * A notebook cell interrupted inside tidy() (Interrupt in Jupyter: SIGINT,
 * which tslab's vm call turns into a termination) never runs tidy()'s
 * `finally`, so its scope would stay open and take every tensor computed
 * afterwards, never freeing them. No cell starts inside a tidy(): whatever is
 * open when one starts was abandoned, and is closed like a scope that returned.
 */
onCellStart(() => {
  while (openScopes() > 0) releaseAll();
});

function releaseAll(): void {
  for (const t of closeScope()) {
    if (t instanceof Tensor) replaceStorage(t, releasedStorage(t.shape, t.dtype));
  }
}

/**
 * Storage that throws on any use: the memory behind it now holds other
 * tensors. Every read of a tensor's values (`.data`, `.item()`, printing, an
 * op) goes through its storage, so none can see stale numbers.
 */
function releasedStorage(shape: readonly number[], dtype: DType): TypedArray {
  const complain = (): never =>
    fail("tidy", `this tensor (shape ${fmtShape(shape)}) was computed inside tidy(), whose memory was freed when it returned; ` +
      "return it from the function passed to tidy() (tidy() finds tensors in arrays, plain objects, Maps and Sets, not in other objects), " +
      "or pass it to keep() inside, to use it afterwards " +
      "(backward() walks the graph: call it inside the tidy() that computed the loss)");
  // util.inspect (console.log, a notebook's display) reads the proxy's target, not through it: say so there.
  // Of the tensor's own type: its dtype (read from the array's class, which the proxy passes through) stays right.
  const target = Object.defineProperty(allocate(dtype, 0), Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `<freed when tidy() returned: shape ${fmtShape(shape)}>`,
  });
  return new Proxy(target, { get: complain, set: complain, has: complain, ownKeys: complain });
}

/** Calls `visit` on every tensor in `value`: itself, or inside arrays, plain objects, Maps (keys too) and Sets. */
function tensorsIn(value: unknown, seen: Set<unknown>, visit: (t: Tensor) => void): void {
  if (value instanceof Tensor) {
    visit(value);
    return;
  }
  if (ArrayBuffer.isView(value) && freedOnClose(value)) {
    fail("tidy", "the function returned a tensor's array (.data), which lives in the memory tidy() frees; " +
      "return the tensor itself, or a copy of its values (.data.slice(), .toFlatArray())");
  }
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const v of value) tensorsIn(v, seen, visit);
  } else if (value instanceof Map || value instanceof Set) {
    for (const [k, v] of value.entries()) {
      tensorsIn(k, seen, visit);
      tensorsIn(v, seen, visit);
    }
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) tensorsIn(v, seen, visit);
  }
}
