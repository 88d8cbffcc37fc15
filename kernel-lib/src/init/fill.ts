import { fail, fmtShape } from "../core/errors";
import { type Generator, defaultGenerator } from "../core/random";
import { noGrad } from "../autograd/grad-mode";
import { erf } from "../backend/erf";
import type { Tensor } from "../tensor";

/**
 * The basic in-place fills of torch.nn.init. Each writes into `t.data`
 * inside `noGrad` (an initializer is not part of the computation to
 * differentiate) and returns `t`, so `init.zeros_(layer.bias)` reads like PyTorch.
 */

/** Options of every random initializer: a generator makes it reproducible. */
export interface InitOptions {
  generator?: Generator;
}

function requireFloat(op: string, t: Tensor): void {
  if (t.dtype === "int32") fail(op, "needs a float tensor, got int32; initialize parameters, which are float");
}

/** Fills `t` with samples of U(low, high); shared by every uniform initializer. */
export function fillUniform(op: string, t: Tensor, low: number, high: number, generator: Generator = defaultGenerator): Tensor {
  requireFloat(op, t);
  if (!(low <= high)) fail(op, `need low ≤ high, got low=${low}, high=${high}`);
  const d = t.data;
  const width = high - low;
  noGrad(() => {
    for (let i = 0; i < d.length; i++) d[i] = low + width * generator.uniform();
  });
  return t;
}

/** Fills `t` with samples of N(mean, std²); shared by every normal initializer. */
export function fillNormal(op: string, t: Tensor, mean: number, std: number, generator: Generator = defaultGenerator): Tensor {
  requireFloat(op, t);
  if (!(std >= 0)) fail(op, `standard deviation must be non-negative, got ${std}`);
  const d = t.data;
  noGrad(() => {
    for (let i = 0; i < d.length; i++) d[i] = mean + std * generator.normal();
  });
  return t;
}

/** Sets every entry to `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  noGrad(() => t.data.fill(value));
  return t;
}

export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Samples from U(a, b); defaults a = 0, b = 1. */
export function uniform_(t: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  return fillUniform("uniform_", t, a, b, options.generator);
}

/** Samples from N(mean, std²); defaults mean = 0, std = 1. */
export function normal_(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  return fillNormal("normal_", t, mean, std, options.generator);
}

/**
 * Samples from N(mean, std²) restricted to [a, b] (defaults 0, 1, −2, 2, as
 * in PyTorch; a and b are absolute bounds, not multiples of std). Draws
 * outside [a, b] are redrawn (rejection sampling), so each kept value
 * follows the truncated density; the interval must hold a reasonable share
 * of the mass (at least 1e-4), or sampling would take forever.
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2, options: InitOptions = {}): Tensor {
  requireFloat("truncNormal_", t);
  if (!(a < b)) fail("truncNormal_", `need a < b, got a=${a}, b=${b}`);
  if (!(std > 0)) fail("truncNormal_", `standard deviation must be positive, got ${std}`);
  const mass = normalCdf((b - mean) / std) - normalCdf((a - mean) / std);
  if (!(mass >= 1e-4)) {
    fail("truncNormal_", `[${a}, ${b}] holds only ${mass.toExponential(2)} of N(${mean}, ${std}²); move the bounds closer to the mean`);
  }
  const g = options.generator ?? defaultGenerator;
  const d = t.data;
  noGrad(() => {
    for (let i = 0; i < d.length; i++) {
      let v = mean + std * g.normal();
      while (v < a || v > b) v = mean + std * g.normal();
      d[i] = v;
    }
  });
  return t;
}

/** Φ(z) = (1 + erf(z/√2)) / 2, the standard normal CDF. */
function normalCdf(z: number): number {
  return (1 + erf(z / Math.SQRT2)) / 2;
}

/** Writes the identity into a 2-D tensor (ones on the diagonal, zeros elsewhere), like torch.nn.init.eye_. */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) fail("eye_", `needs a 2-D tensor, got ${fmtShape(t.shape)}`);
  const [rows, cols] = t.shape;
  noGrad(() => {
    t.data.fill(0);
    for (let i = 0; i < Math.min(rows, cols); i++) t.data[i * cols + i] = 1;
  });
  return t;
}
