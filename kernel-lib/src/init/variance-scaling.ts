import { fail } from "../core/errors";
import type { Tensor } from "../tensor";
import { type InitOptions, fillNormal, fillUniform } from "./fill";
import { type Nonlinearity, calculateFans, calculateGain } from "./gain";

/**
 * Variance-scaling initializers (Lesson: notebooks/src/02-initialization.ts §3 (the variance-preservation argument)). A unit
 * y = Σᵢ wᵢ xᵢ over fanIn inputs has Var(y) = fanIn · Var(w) · Var(x) for
 * independent zero-mean terms, so Var(w) = gain² / fan keeps the signal's
 * variance constant from layer to layer (forward with fanIn, backward with
 * fanOut); `gain` undoes what the activation removes. A uniform U(−bound, bound)
 * has variance bound²/3, hence the √3 in every uniform bound.
 */

export interface XavierOptions extends InitOptions {
  /** Scale for the activation that follows (see calculateGain); default 1. */
  gain?: number;
}

/**
 * Glorot & Bengio (2010): U(−bound, bound) with bound = gain · √(6 / (fanIn + fanOut)),
 * i.e. Var(w) = gain² · 2 / (fanIn + fanOut), a compromise between the forward
 * (fanIn) and backward (fanOut) conditions. Suits layers followed by no
 * activation, tanh, sigmoid or softmax (pass gain = calculateGain("tanh") for tanh).
 */
export function xavierUniform_(t: Tensor, options: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const bound = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return fillUniform("xavierUniform_", t, -bound, bound, options.generator);
}

/** Glorot normal: N(0, std²) with std = gain · √(2 / (fanIn + fanOut)). Same use as xavierUniform_. */
export function xavierNormal_(t: Tensor, options: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const std = (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  return fillNormal("xavierNormal_", t, 0, std, options.generator);
}

export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (used when nonlinearity is "leakyRelu"); default 0. */
  a?: number;
  /** "fanIn" (default) preserves the forward signal's variance, "fanOut" the backward gradient's. */
  mode?: "fanIn" | "fanOut";
  /** Default "leakyRelu" (with a = 0 that is plain ReLU's gain √2), as in PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  const mode = options.mode ?? "fanIn";
  if (mode !== "fanIn" && mode !== "fanOut") fail(op, `mode must be "fanIn" or "fanOut", got "${String(mode)}"`);
  const fans = calculateFans(t);
  const fan = mode === "fanIn" ? fans.fanIn : fans.fanOut;
  if (fan === 0) fail(op, "cannot initialize a tensor with a zero fan (an empty dimension)");
  const gain = calculateGain(options.nonlinearity ?? "leakyRelu", options.a ?? 0);
  return gain / Math.sqrt(fan);
}

/**
 * He et al. (2015): U(−bound, bound) with bound = gain · √(3 / fan); with
 * ReLU's gain √2 that is Var(w) = 2 / fan, because ReLU zeroes half of its
 * inputs and so halves the variance. Suits ReLU and its variants
 * (leaky ReLU: pass `a`, PReLU, ELU, GELU, SiLU in practice).
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd("kaimingUniform_", t, options);
  return fillUniform("kaimingUniform_", t, -bound, bound, options.generator);
}

/** He normal: N(0, std²) with std = gain / √fan. Same use as kaimingUniform_. */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return fillNormal("kaimingNormal_", t, 0, kaimingStd("kaimingNormal_", t, options), options.generator);
}

/**
 * LeCun et al. (1998): U(−bound, bound) with bound = √(3 / fanIn), i.e.
 * Var(w) = 1 / fanIn (gain 1, forward condition only). The initialization
 * self-normalizing networks need: SELU keeps activations at mean 0,
 * variance 1 only if the weights start like this (Klambauer et al., 2017).
 */
export function lecunUniform_(t: Tensor, options: InitOptions = {}): Tensor {
  const bound = Math.sqrt(3 / calculateFans(t).fanIn);
  return fillUniform("lecunUniform_", t, -bound, bound, options.generator);
}

/** LeCun normal: N(0, std²) with std = 1 / √fanIn. The init for SELU networks. */
export function lecunNormal_(t: Tensor, options: InitOptions = {}): Tensor {
  return fillNormal("lecunNormal_", t, 0, 1 / Math.sqrt(calculateFans(t).fanIn), options.generator);
}
