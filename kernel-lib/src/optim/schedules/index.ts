/**
 * Learning-rate schedules as pure functions of the step t: lr = f(lr0, t, …).
 * `optim.lrScheduler` holds the same schedules bound to an optimizer.
 *
 *   optim.schedules.cosine(0.1, 50, 100);   // 0.05
 */
export { stepDecay, exponential, exponentialGamma, multiplicative, inverseTime, power, piecewiseConstant } from "./decay";
export { cosine, warmupCosine } from "./cosine";
export type { WarmupCosineOptions } from "./cosine";
export { oneCycle, annealCos, annealLinear } from "./one-cycle";
export type { OneCycleOptions, AnnealStrategy } from "./one-cycle";
