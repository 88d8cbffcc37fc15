import type { DType } from "../core/dtype";
import { fail } from "../core/errors";
import type { Generator } from "../core/random";
import { full } from "../ops/creation";
import type { Tensor } from "../tensor";
import * as F from "../functional/activations";
import { logSoftmax, softmax } from "../functional/softmax";
import { Module } from "./module";
import { Parameter } from "./parameter";
import { checkFiniteNumber, checkInteger, checkOneOf, checkPositive, checkPositiveInteger, invalid } from "../core/validate";

/**
 * Activation functions as modules, for use in Sequential. Each wraps the
 * function of the same name in `F` (see there for the math); arguments are
 * checked here, at construction.
 * Lesson: notebooks/src/03-activations.ts §3 (keeping the negative side alive)
 */

export class ReLU extends Module {
  forward(x: Tensor): Tensor { return F.relu(x); }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor { return F.sigmoid(x); }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor { return F.tanh(x); }
}

export class SiLU extends Module {
  forward(x: Tensor): Tensor { return F.silu(x); }
}

export class SELU extends Module {
  forward(x: Tensor): Tensor { return F.selu(x); }
}

function finite(op: string, name: string, v: number): void {
  checkFiniteNumber(op, name, v);
}

/** x for x > 0, negativeSlope · x otherwise (default 0.01). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    finite("LeakyReLU", "negativeSlope", negativeSlope);
  }
  forward(x: Tensor): Tensor { return F.leakyRelu(x, this.negativeSlope); }
  override extraRepr(): string { return `negativeSlope=${this.negativeSlope}`; }
}

/**
 * Parametric ReLU with a learned negative slope: one shared (numParameters = 1,
 * default) or one per channel (numParameters = C); initial slope 0.25, as in PyTorch.
 * Do not apply weight decay to its weight.
 */
export class PReLU extends Module {
  readonly weight: Parameter;
  /** 1 (a shared slope) or the number of channels. Not called numParameters: that is Module's method. */
  readonly numSlopes: number;

  constructor(numParameters = 1, init = 0.25, options: { dtype?: DType } = {}) {
    super();
    this.numSlopes = numParameters;
    checkPositiveInteger("PReLU", "numParameters", numParameters);
    finite("PReLU", "init", init);
    this.weight = new Parameter(full([numParameters], init, { dtype: options.dtype }));
  }
  forward(x: Tensor): Tensor { return F.prelu(x, this.weight); }
  override extraRepr(): string { return `numParameters=${this.numSlopes}`; }
}

/** Randomized leaky ReLU: slope ~ U(lower, upper) per element in training, (lower + upper)/2 in evaluation. */
export class RReLU extends Module {
  private readonly generator: Generator | undefined;

  constructor(readonly lower = 1 / 8, readonly upper = 1 / 3, options: { generator?: Generator } = {}) {
    super();
    if (!(Number.isFinite(lower) && Number.isFinite(upper) && lower <= upper)) fail("RReLU", `need finite lower ≤ upper, got lower=${lower}, upper=${upper}`);
    this.generator = options.generator;
  }
  forward(x: Tensor): Tensor {
    return F.rrelu(x, { lower: this.lower, upper: this.upper, training: this.training, generator: this.generator });
  }
  override extraRepr(): string { return `lower=${this.lower}, upper=${this.upper}`; }
}

/** x for x > 0, alpha · (eˣ − 1) otherwise (default alpha = 1). */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    finite("ELU", "alpha", alpha);
  }
  forward(x: Tensor): Tensor { return F.elu(x, this.alpha); }
  override extraRepr(): string { return `alpha=${this.alpha}`; }
}

/** x for x > 0, alpha · (e^(x/alpha) − 1) otherwise (default alpha = 1). */
export class CELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    if (alpha === 0 || !Number.isFinite(alpha)) invalid("CELU", "alpha", alpha, "a non-zero finite number");
  }
  forward(x: Tensor): Tensor { return F.celu(x, this.alpha); }
  override extraRepr(): string { return `alpha=${this.alpha}`; }
}

/** x · Φ(x), exact (approximate "none", default) or with the tanh approximation. */
export class GELU extends Module {
  readonly approximate: "none" | "tanh";

  constructor(options: F.GeluOptions = {}) {
    super();
    this.approximate = options.approximate ?? "none";
    checkOneOf("GELU", "approximate", this.approximate, ["none", "tanh"]);
  }
  forward(x: Tensor): Tensor { return F.gelu(x, { approximate: this.approximate }); }
  override extraRepr(): string { return `approximate=${this.approximate}`; }
}

/** (1/beta) · ln(1 + e^(beta·x)), linear above beta·x > threshold (defaults 1 and 20). */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;

  constructor(options: F.SoftplusOptions = {}) {
    super();
    this.beta = options.beta ?? 1;
    this.threshold = options.threshold ?? 20;
    checkPositive("Softplus", "beta", this.beta);
  }
  forward(x: Tensor): Tensor { return F.softplus(x, { beta: this.beta, threshold: this.threshold }); }
  override extraRepr(): string { return `beta=${this.beta}, threshold=${this.threshold}`; }
}

/** Clamps to [minVal, maxVal] (defaults −1, 1). */
export class Hardtanh extends Module {
  constructor(readonly minVal = -1, readonly maxVal = 1) {
    super();
    if (!(minVal < maxVal)) fail("Hardtanh", `need minVal < maxVal, got ${minVal} and ${maxVal}`);
  }
  forward(x: Tensor): Tensor { return F.hardtanh(x, this.minVal, this.maxVal); }
  override extraRepr(): string { return `minVal=${this.minVal}, maxVal=${this.maxVal}`; }
}

/** Softmax along `dim` (default −1: the last axis, the classes of [N, classes]). */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
    checkInteger("Softmax", "dim", dim);
  }
  forward(x: Tensor): Tensor { return softmax(x, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

/** Log-softmax along `dim` (default −1); pair with NLLLoss. */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
    checkInteger("LogSoftmax", "dim", dim);
  }
  forward(x: Tensor): Tensor { return logSoftmax(x, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}
