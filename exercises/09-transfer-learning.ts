/**
 * Lesson 9 exercises: reusing what was learned (transfer learning) and
 * searching for hyperparameters.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 09`.
 */
/*
 * Write these yourself: the grader checks, and a function that takes a shortcut scores 0.
 * - Without kernel-lib (plain numbers and arrays; its types are fine): sampleConfigs, gridConfigs.
 * - countParameters without the .numParameters() method.
 */
import { Generator, nn, noGrad } from "kernel-lib";
import { notImplemented } from "./support";

/**
 * 9.1 Freeze or unfreeze parameters by name.
 *
 * `model.namedParameters()` lists every parameter with its dotted path, e.g.
 * "0.0.weight" for the weight of the first layer of the first child. A
 * parameter belongs to `prefix` when its name equals the prefix or starts
 * with `prefix + "."` — so "0.2" selects "0.2.weight" and "0.2.bias" but NOT
 * "0.20.weight". The empty prefix "" selects every parameter.
 *
 * Set `requiresGrad` to `trainable` on every selected parameter (with
 * `p.requiresGrad_(flag)`) and return the names of the parameters you
 * changed, in the model's order, each once even if several prefixes select it.
 *
 * A prefix that selects nothing is almost always a typo that would silently
 * leave layers trainable: throw an Error naming it.
 */
export function setTrainable(model: nn.Module, prefixes: readonly string[], trainable: boolean): string[] {
  return notImplemented("setTrainable", "loop over model.namedParameters(); a name matches p when p === \"\" || name === p || name.startsWith(p + \".\")");
}

/** What `countParameters` returns: numbers of scalar entries (not of tensors). */
export interface ParameterCount {
  trainable: number;
  frozen: number;
  total: number;
}

/**
 * 9.2 Count a model's parameters: the number of scalar entries (a [64, 784]
 * weight counts 50,176) whose tensor has `requiresGrad` (trainable) or not
 * (frozen), and both together. A frozen layer costs no optimizer state and no
 * weight gradient, which is why freezing also makes training cheaper.
 */
export function countParameters(model: nn.Module): ParameterCount {
  return notImplemented("countParameters", "p.size is the number of entries of a tensor; p.requiresGrad tells trainable from frozen");
}

export interface NewHeadOptions {
  /** Freeze the copied layers (default true): only the new head trains. */
  freeze?: boolean;
  /** Draws the new head's initial weights (default: the default generator). */
  generator?: Generator;
}

/**
 * 9.3 Put a new head on a reused body (the book's Figure 11-4).
 *
 * `source` is a trained `nn.Sequential` made of `nn.Linear` layers and
 * parameter-free layers (activations such as `nn.ReLU`). Build and return a
 * NEW `nn.Sequential` holding:
 *
 *   1. copies of `source`'s first `reuse` modules, in order: each `nn.Linear`
 *      becomes a new `nn.Linear` of the same shape (same bias or no bias)
 *      whose weight and bias VALUES are copied from the source, so that
 *      training the new model never changes `source`; a module without
 *      parameters may be reused as it is;
 *   2. a new head `nn.Linear(k, numClasses, { generator })`, where k is the
 *      `outFeatures` of the last `nn.Linear` among the reused modules.
 *
 * With `freeze` (default true) the copied layers' parameters get
 * `requiresGrad` false; the head always trains.
 *
 * Throw an Error when `reuse` is not an integer in 1..source.length, when the
 * reused modules contain no `nn.Linear`, or when one of them has parameters
 * but is not an `nn.Linear` (you would not know how to copy it).
 */
export function newHeadOnBody(source: nn.Sequential, reuse: number, numClasses: number, options: NewHeadOptions = {}): nn.Sequential {
  return notImplemented("newHeadOnBody", "for a Linear, build new nn.Linear(l.inFeatures, l.outFeatures, { bias: l.bias !== null }) and copy_ its weight (and bias) inside noGrad");
}

/** One hyperparameter's search space. */
export type ParamSpace =
  | { kind: "logUniform"; low: number; high: number }
  | { kind: "uniform"; low: number; high: number }
  | { kind: "int"; low: number; high: number }
  | { kind: "choice"; values: readonly (number | string | boolean)[] };

/** A configuration: hyperparameter name → value. */
export type Config = Record<string, number | string | boolean>;

/**
 * 9.4 Random search: draw `n` configurations from `space`.
 *
 * For trial 0, 1, …, n−1 and, within a trial, for each key of `space` in
 * its own order, draw ONE number u = generator.uniform() (in [0, 1)) and map it:
 *
 *   logUniform  low·(high/low)^u  = exp(ln low + u·(ln high − ln low))   (every decade equally likely)
 *   uniform     low + u·(high − low)
 *   int         low + ⌊u·(high − low + 1)⌋                               (low..high inclusive)
 *   choice      values[⌊u·values.length⌋]
 *
 * (Drawing exactly one u per value, in this order, makes your search
 * reproducible: the grader replays it.) Throw an Error for an invalid space:
 * low > high, logUniform with low ≤ 0, int bounds that are not integers, an
 * empty choice list.
 */
export function sampleConfigs(space: Readonly<Record<string, ParamSpace>>, n: number, generator: Generator): Config[] {
  return notImplemented("sampleConfigs", "validate every entry first; then for each trial build an object key by key, calling generator.uniform() once per key");
}

/**
 * 9.5 Grid search: every combination of the listed values, as nested loops
 * over the keys in the grid's order — the FIRST key changes slowest, the
 * last key fastest:
 *
 *   gridConfigs({ lr: [0.1, 0.01], units: [32, 64] })
 *   → [{ lr: 0.1, units: 32 }, { lr: 0.1, units: 64 }, { lr: 0.01, units: 32 }, { lr: 0.01, units: 64 }]
 *
 * An empty grid {} has exactly one configuration, {}; a key with an empty
 * list of values leaves no configuration at all ([]).
 */
export function gridConfigs(grid: Readonly<Record<string, readonly (number | string | boolean)[]>>): Config[] {
  return notImplemented("gridConfigs", "start from [{}] and, key by key, replace the list by every old config extended with every value of that key");
}
