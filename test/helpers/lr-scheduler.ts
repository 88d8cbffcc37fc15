import { optim, tensor } from "kernel-lib";

export const { lrScheduler } = optim;

/** An SGD optimizer over one small parameter, with `lr` (or one group per lr). */
export function sgd(lr: number | number[] = 0.1, options: { momentum?: number } = {}): optim.SGD {
  const lrs = Array.isArray(lr) ? lr : [lr];
  return new optim.SGD(
    lrs.map((groupLr) => ({ params: [tensor([1, 2], { requiresGrad: true })], lr: groupLr })),
    { momentum: options.momentum ?? 0.9 },
  );
}

/** The lr of group 0 at epochs 0..n−1: read after construction, then after each step(). */
export function lrSequence(opt: optim.Optimizer, scheduler: { step(): void }, n: number, group = 0): number[] {
  const out = [opt.paramGroups[group].lr];
  for (let e = 1; e < n; e++) {
    scheduler.step();
    out.push(opt.paramGroups[group].lr);
  }
  return out;
}

/** Elementwise relative comparison, for sequences computed by two different (but equal) formulas. */
export function maxRelativeError(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(Math.abs(b[i]), 1e-300)));
}
