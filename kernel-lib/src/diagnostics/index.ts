/** Looking inside a network: activations, gradients, updates, non-finite values, metrics. */
export { activationStats, watchOutputs, type ActivationStats, type ActivationStatsOptions } from "./activations";
export { gradientNorms, layerGradientNorms, updateRatios, type NormRow } from "./gradients";
export { findNonFinite, watchNonFinite, type NonFiniteReport } from "./non-finite";
export { accuracy, confusionMatrix, predictClasses } from "./metrics";
