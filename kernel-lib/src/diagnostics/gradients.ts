import type { Module } from "../nn/module";
import type { Tensor } from "../tensor";

export interface NormRow {
  /** Parameter name ("0.weight") or layer name ("0") for per-layer rows. */
  name: string;
  norm: number;
}

/** ‖grad‖₂ of every parameter after `backward()` (0 where a parameter has no gradient). */
export function gradientNorms(model: Module): NormRow[] {
  return model.namedParameters().map(([name, p]) => ({ name, norm: p.grad ? l2(p.grad.data) : 0 }));
}

/**
 * ‖grad‖₂ per layer (all of a module's own parameters together), in the
 * order of the forward pass: the picture of vanishing gradients is this list
 * falling by orders of magnitude from the last layer to the first.
 */
export function layerGradientNorms(model: Module): NormRow[] {
  const byLayer = new Map<string, number>();
  for (const [name, p] of model.namedParameters()) {
    const layer = name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : "(model)";
    const g = p.grad ? sumSquares(p.grad.data) : 0;
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + g);
  }
  return [...byLayer].map(([name, s]) => ({ name, norm: Math.sqrt(s) }));
}

/**
 * Runs `step` (usually `() => optimizer.step()`) and returns, per parameter,
 * ‖Δw‖ / ‖w‖: the relative size of the update. Around 1e-3 is healthy;
 * much smaller means learning stalls, much larger means it is unstable.
 */
export function updateRatios(model: Module, step: () => void): NormRow[] {
  const before = model.namedParameters().map(([name, p]) => ({ name, p, copy: p.data.slice() }));
  step();
  return before.map(({ name, p, copy }) => {
    let d = 0;
    for (let i = 0; i < copy.length; i++) d += (p.data[i] - copy[i]) ** 2;
    const w = l2(p.data);
    return { name, norm: w === 0 ? (d === 0 ? 0 : Infinity) : Math.sqrt(d) / w };
  });
}

function sumSquares(d: Tensor["data"]): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  return s;
}

function l2(d: Tensor["data"]): number {
  return Math.sqrt(sumSquares(d));
}
