/**
 * Lesson 9 exercises: reusing what was learned (transfer learning) and
 * searching for hyperparameters.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 09`.
 */
import { Generator, nn, noGrad } from "kernel-lib";

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
  // BEGIN SOLUTION hint: loop over model.namedParameters(); a name matches p when p === "" || name === p || name.startsWith(p + ".")
  const matches = (name: string, prefix: string) => prefix === "" || name === prefix || name.startsWith(`${prefix}.`);
  const named = model.namedParameters();
  for (const prefix of prefixes) {
    if (!named.some(([name]) => matches(name, prefix))) {
      throw new Error(`setTrainable: no parameter matches the prefix "${prefix}" (names look like "${named[0]?.[0] ?? "?"}")`);
    }
  }
  const changed: string[] = [];
  for (const [name, p] of named) {
    if (prefixes.some((prefix) => matches(name, prefix))) {
      p.requiresGrad_(trainable);
      changed.push(name);
    }
  }
  return changed;
  // END SOLUTION
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
  // BEGIN SOLUTION hint: p.size is the number of entries of a tensor; p.requiresGrad tells trainable from frozen
  let trainable = 0;
  let frozen = 0;
  for (const p of model.parameters()) {
    if (p.requiresGrad) trainable += p.size;
    else frozen += p.size;
  }
  return { trainable, frozen, total: trainable + frozen };
  // END SOLUTION
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
  // BEGIN SOLUTION hint: for a Linear, build new nn.Linear(l.inFeatures, l.outFeatures, { bias: l.bias !== null }) and copy_ its weight (and bias) inside noGrad
  if (!Number.isInteger(reuse) || reuse < 1 || reuse > source.length) {
    throw new Error(`newHeadOnBody: reuse must be an integer in 1..${source.length}, got ${reuse}`);
  }
  const freeze = options.freeze ?? true;
  const body: nn.Module[] = [];
  let features = -1;
  for (let i = 0; i < reuse; i++) {
    const m = source.at(i);
    if (m instanceof nn.Linear) {
      const copy = new nn.Linear(m.inFeatures, m.outFeatures, { bias: m.bias !== null });
      noGrad(() => {
        copy.weight.copy_(m.weight);
        if (m.bias && copy.bias) copy.bias.copy_(m.bias);
      });
      if (freeze) copy.requiresGrad_(false);
      body.push(copy);
      features = m.outFeatures;
    } else if (m.parameters().length === 0) {
      body.push(m);
    } else {
      throw new Error(`newHeadOnBody: module ${i} (${m.constructor.name}) has parameters but is not a Linear; cannot copy it`);
    }
  }
  if (features < 0) throw new Error(`newHeadOnBody: the first ${reuse} module(s) contain no Linear layer to build on`);
  return new nn.Sequential(...body, new nn.Linear(features, numClasses, { generator: options.generator }));
  // END SOLUTION
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
  // BEGIN SOLUTION hint: validate every entry first; then for each trial build an object key by key, calling generator.uniform() once per key
  for (const [key, p] of Object.entries(space)) {
    if (p.kind === "choice") {
      if (p.values.length === 0) throw new Error(`sampleConfigs: "${key}" has no values to choose from`);
      continue;
    }
    if (!(p.low <= p.high)) throw new Error(`sampleConfigs: "${key}" needs low ≤ high, got ${p.low} and ${p.high}`);
    if (p.kind === "logUniform" && !(p.low > 0)) throw new Error(`sampleConfigs: "${key}" is log-uniform, so low must be > 0, got ${p.low}`);
    if (p.kind === "int" && !(Number.isInteger(p.low) && Number.isInteger(p.high))) throw new Error(`sampleConfigs: "${key}" needs integer bounds`);
  }
  const configs: Config[] = [];
  for (let trial = 0; trial < n; trial++) {
    const config: Config = {};
    for (const [key, p] of Object.entries(space)) {
      const u = generator.uniform();
      if (p.kind === "logUniform") config[key] = Math.exp(Math.log(p.low) + u * (Math.log(p.high) - Math.log(p.low)));
      else if (p.kind === "uniform") config[key] = p.low + u * (p.high - p.low);
      else if (p.kind === "int") config[key] = p.low + Math.floor(u * (p.high - p.low + 1));
      else config[key] = p.values[Math.floor(u * p.values.length)];
    }
    configs.push(config);
  }
  return configs;
  // END SOLUTION
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
  // BEGIN SOLUTION hint: start from [{}] and, key by key, replace the list by every old config extended with every value of that key
  let configs: Config[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    const next: Config[] = [];
    for (const config of configs) for (const v of values) next.push({ ...config, [key]: v });
    configs = next;
  }
  return configs;
  // END SOLUTION
}
