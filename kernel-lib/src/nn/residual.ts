import { fail, fmtShape } from "../core/errors";
import { add } from "../ops/elementwise";
import type { Tensor } from "../tensor";
import { Module } from "./module";

export interface ResidualOptions {
  /** Applied to the skip path when `inner` changes the shape (e.g. a Linear(in, out) without activation). */
  projection?: Module;
}

/**
 * A residual connection (He et al., 2016): y = skip(x) + inner(x), with
 * skip the identity or `projection`. The gradient reaches x through the
 * skip path unattenuated (∂y/∂x = I + ∂inner/∂x), which is what lets very
 * deep networks train.
 * Lesson: notebooks/src/05-residuals-and-clipping.ts §2 (residual connections)
 *
 *   new Residual(new Sequential(new Linear(64, 64), new ReLU(), new Linear(64, 64)))
 */
export class Residual extends Module {
  readonly inner: Module;
  readonly projection: Module | null;

  constructor(inner: Module, options: ResidualOptions = {}) {
    super();
    if (!(inner instanceof Module)) fail("Residual", "inner must be a Module");
    this.inner = inner;
    this.projection = options.projection ?? null;
  }

  forward(x: Tensor): Tensor {
    const skip = this.projection ? this.projection.call(x) : x;
    const y = this.inner.call(x);
    if (skip.ndim !== y.ndim || skip.shape.some((d, i) => d !== y.shape[i])) {
      fail(
        "Residual",
        `the inner module maps ${fmtShape(x.shape)} to ${fmtShape(y.shape)} but the skip path gives ${fmtShape(skip.shape)}; ` +
          "the two must have the same shape (pass a projection, e.g. new Linear(in, out), to reshape the skip path)",
      );
    }
    return add(skip, y);
  }
}
