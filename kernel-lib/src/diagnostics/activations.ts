import { noGrad } from "../autograd/grad-mode";
import type { AnyModule, Module, RemovableHandle } from "../nn/module";
import { Tensor } from "../tensor";

export interface ActivationStats {
  /** Dotted path of the module in the model ("0", "layers.2", …). */
  layer: string;
  /** The module's class name (Linear, ReLU, BatchNorm1d, …). */
  type: string;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Fraction of units (columns of a [N, units] output) that are ≤ 0 for every sample: dead ReLUs. */
  deadFraction: number;
  /** Sigmoid/Tanh outputs only: fraction within 1% of the flat ends (σ < 0.01 or > 0.99, |tanh| > 0.99). */
  saturatedFraction?: number;
  /** Up to `sample` output values, for histograms. */
  values: number[];
}

export interface ActivationStatsOptions {
  /** Which modules to record; default: every leaf module (one with no children). */
  include?: (name: string, module: AnyModule) => boolean;
  /** How many output values to keep per layer for histograms (evenly spaced). Default 0. */
  sample?: number;
}

/**
 * Runs `model` on `x` once (without recording gradients, in its current
 * mode) and summarizes every layer's output: the numbers lessons 1–3 read to
 * diagnose vanishing signals (std shrinking layer by layer), explosions (std
 * growing), dead ReLUs and saturated sigmoids.
 */
export function activationStats(model: Module, x: Tensor, options: ActivationStatsOptions = {}): ActivationStats[] {
  const stats: ActivationStats[] = [];
  const handles = watchOutputs(model, options.include, (layer, module, out) => {
    stats.push(summarize(layer, module, out, options.sample ?? 0));
  });
  try {
    noGrad(() => model.call(x));
  } finally {
    handles.forEach((h) => h.remove());
  }
  return stats;
}

/** Registers `visit` as a forward hook on each selected module; returns the handles to remove. */
export function watchOutputs(
  model: Module,
  include: ((name: string, module: AnyModule) => boolean) | undefined,
  visit: (layer: string, module: AnyModule, out: Tensor) => void,
): RemovableHandle[] {
  const pick = include ?? ((_: string, m: AnyModule) => m.children().length === 0);
  return model
    .namedModules()
    .filter(([name, m]) => pick(name, m))
    .map(([name, m]) =>
      m.registerForwardHook((mod, _inputs, out) => {
        if (out instanceof Tensor) visit(name || "(model)", mod, out);
      }),
    );
}

function summarize(layer: string, module: AnyModule, out: Tensor, sample: number): ActivationStats {
  const d = out.data;
  const n = d.length;
  let sum = 0, sq = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = d[i];
    sum += v;
    sq += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  const type = module.constructor.name;
  const stats: ActivationStats = {
    layer, type, mean, min, max,
    std: Math.sqrt(Math.max(0, sq / n - mean * mean)),
    deadFraction: deadFraction(out),
    values: sampleValues(d, sample),
  };
  if (type === "Sigmoid" || type === "Tanh") {
    let saturated = 0;
    for (let i = 0; i < n; i++) {
      const v = d[i];
      if (type === "Sigmoid" ? v < 0.01 || v > 0.99 : Math.abs(v) > 0.99) saturated++;
    }
    stats.saturatedFraction = saturated / n;
  }
  return stats;
}

function deadFraction(out: Tensor): number {
  if (out.ndim < 2) return 0;
  const rows = out.shape[0];
  const units = out.size / rows;
  let dead = 0;
  for (let u = 0; u < units; u++) {
    let alive = false;
    for (let r = 0; r < rows && !alive; r++) alive = out.data[r * units + u] > 0;
    if (!alive) dead++;
  }
  return dead / units;
}

function sampleValues(d: ArrayLike<number>, count: number): number[] {
  if (count <= 0) return [];
  const step = Math.max(1, Math.floor(d.length / count));
  const out: number[] = [];
  for (let i = 0; i < d.length && out.length < count; i += step) out.push(d[i]);
  return out;
}
