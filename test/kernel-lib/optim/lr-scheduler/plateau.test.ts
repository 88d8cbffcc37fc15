import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { lrScheduler, sgd } from "../../../helpers/lr-scheduler";

/** Steps the scheduler through `metrics` (epochs 1, 2, …) and returns the lr after each. */
function run(scheduler: InstanceType<typeof lrScheduler.ReduceLROnPlateau>, metrics: number[]): number[] {
  return metrics.map((m) => {
    scheduler.step(m);
    return scheduler.getLastLr()[0];
  });
}

describe("ReduceLROnPlateau", () => {
  it("reduces on the (patience+1)-th bad epoch, waits out the cooldown and stops at minLr", () => {
    const opt = sgd(0.1);
    const scheduler = new lrScheduler.ReduceLROnPlateau(opt, { patience: 2, cooldown: 1, factor: 0.5, minLr: 0.02 });
    // epoch:         1    2    3     4     5     6     7    8     9     10    11    12    13    14    15    16    17    18
    const metrics = [1.0, 0.9, 0.95, 0.92, 0.91, 0.93, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85];
    // Bad epochs: 3, 4, 5 → reduce at 5 (cooldown: 6 does not count). 7 improves. Bad 8, 9, 10 → reduce at 10.
    // Cooldown 11; bad 12, 13, 14 → reduce at 14 to max(0.0125, minLr) = 0.02. Cooldown 15; bad 16, 17, 18 → already at minLr.
    const lrs = run(scheduler, metrics);
    const expected = metrics.map((_, i) => {
      const epoch = i + 1;
      return epoch < 5 ? 0.1 : epoch < 10 ? 0.05 : epoch < 14 ? 0.025 : 0.02;
    });
    expect(lrs).toEqual(expected);
    expect(opt.paramGroups[0].lr).toBe(0.02);
    expect(scheduler.best).toBe(0.8);
    expect(scheduler.lastEpoch).toBe(18);
  });

  it("with patience 0 and no cooldown every non-improving epoch reduces", () => {
    const opt = sgd(1);
    const lrs = run(new lrScheduler.ReduceLROnPlateau(opt, { patience: 0 }), [5, 5, 4, 4, 6]);
    expect(lrs).toEqual([1, 0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1]);
  });

  it("relative threshold: an improvement smaller than best·threshold does not count", () => {
    const opt = sgd(1);
    const scheduler = new lrScheduler.ReduceLROnPlateau(opt, { patience: 1, threshold: 0.01 });
    // best 1 → 0.995 is not below 1·(1 − 0.01) = 0.99: bad; 0.992: bad → reduce at epoch 3.
    expect(run(scheduler, [1, 0.995, 0.992])).toEqual([1, 1, 0.1]);
    expect(scheduler.best).toBe(1);
  });

  it("mode max with an absolute threshold (an accuracy that must rise by 0.01)", () => {
    const opt = sgd(1);
    const scheduler = new lrScheduler.ReduceLROnPlateau(opt, { mode: "max", thresholdMode: "abs", threshold: 0.01, patience: 1, factor: 0.5 });
    // 0.5 best; 0.505 < 0.51 bad; 0.52 best; 0.525 bad; 0.529 bad → reduce at 5.
    expect(run(scheduler, [0.5, 0.505, 0.52, 0.525, 0.529])).toEqual([1, 1, 1, 1, 0.5]);
  });

  it("a reduction smaller than eps is skipped; each group has its own minLr", () => {
    const opt = sgd([1e-8, 1]);
    const scheduler = new lrScheduler.ReduceLROnPlateau(opt, { patience: 0, minLr: [0, 0.5] });
    scheduler.step(1);
    scheduler.step(1);
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([1e-8, 0.5]); // 1e-8 − 1e-9 < eps
  });

  it("NaN metrics count as bad epochs", () => {
    const opt = sgd(1);
    expect(run(new lrScheduler.ReduceLROnPlateau(opt, { patience: 1 }), [1, NaN, NaN])).toEqual([1, 1, 0.1]);
  });

  it("property: lr never rises nor falls below minLr, and reductions are at least patience + cooldown + 1 epochs apart", () => {
    const metric = fc.double({ min: 0, max: 10, noNaN: true });
    fc.assert(fc.property(fc.array(metric, { minLength: 1, maxLength: 80 }), fc.nat(5), fc.nat(4), (metrics, patience, cooldown) => {
      const opt = sgd(1);
      const lrs = run(new lrScheduler.ReduceLROnPlateau(opt, { patience, cooldown, factor: 0.5, minLr: 1e-3 }), metrics);
      const reductions = lrs.map((lr, i) => (lr < (i === 0 ? 1 : lrs[i - 1]) ? i : -1)).filter((i) => i >= 0);
      const apart = reductions.every((r, k) => k === 0 || r - reductions[k - 1] >= patience + cooldown + 1);
      const first = reductions.length === 0 || reductions[0] >= patience + 1;
      return apart && first && lrs.every((lr, i) => lr >= 1e-3 && lr <= (i === 0 ? 1 : lrs[i - 1]));
    }));
  });
});
