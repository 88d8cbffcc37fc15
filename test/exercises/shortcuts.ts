/**
 * What each exercise must be written without. The graders refuse a function
 * that reaches one of these (forbidden.ts), and `npm run exercises` writes
 * the rules at the top of every stub, so students read them before starting.
 *
 * - `fromScratch`: functions that must not use kernel-lib at all (its types
 *   in annotations are fine: they vanish when the file is compiled).
 * - `without`: functions that may use the engine but not these of its
 *   parts: a path into kernel-lib ("init" forbids all of init.*,
 *   "F.dropout" only that function) or a method name (".numParameters"
 *   forbids calling it on anything).
 *
 * Exercises meant to use the engine (building a model, freezing layers)
 * stay allowed: they are in neither list.
 */
export interface ShortcutRules {
  fromScratch: readonly string[];
  without: Readonly<Record<string, readonly string[]>>;
  /** Functions whose doc says they change an argument in place (every other one must leave its arguments as they were). */
  inPlace?: readonly string[];
}

const SCHEDULES = ["optim.schedules", "optim.lrScheduler"];

export const SHORTCUTS: Readonly<Record<string, ShortcutRules>> = {
  "01-why-deep-is-hard": {
    fromScratch: ["sigmoidDerivative", "gradientThroughSigmoids", "countParameters", "fitPolynomial", "errorsByDegree", "sigmoidStackGradientNorms"],
    without: {},
  },
  "02-initialization": {
    fromScratch: ["fans", "initStd", "uniformBound", "stackActivationStats"],
    without: { initialize_: ["init", ".uniform_", ".normal_"] },
    inPlace: ["initialize_"],
  },
  "03-activations": {
    fromScratch: ["leakyRelu", "elu", "selu", "geluTanh", "deadFraction"],
    without: {},
  },
  "04-batch-normalization": {
    fromScratch: ["batchNormForward", "batchNormBackward", "updateRunningStats", "foldBatchNorm", "batchNormEval", "layerNormForward", "gradientCheck"],
    without: {},
  },
  "05-residuals-and-clipping": {
    fromScratch: ["clipGradNorm", "clipGradValue", "cosineSimilarity", "residualForward", "residualBackward", "backpropNorms"],
    without: {},
    inPlace: ["clipGradNorm", "clipGradValue"],
  },
  "06-optimizers": {
    fromScratch: ["momentumStep", "nesterovStep", "rmspropStep", "adamStep", "adamwStep"],
    without: {},
  },
  "07-lr-schedules": {
    fromScratch: ["stepDecay", "exponentialDecay", "inverseTimeDecay", "cosineAnnealing", "warmupCosine", "oneCycle"],
    without: {},
  },
  "08-regularization": {
    fromScratch: ["dropoutForward", "dropoutBackward", "dropoutEval", "l2PenaltyWithGrad", "l1PenaltyWithGrad", "EarlyStopper", "mcDropoutStats", "labelSmoothingCrossEntropy"],
    without: {},
  },
  "09-transfer-learning": {
    fromScratch: ["sampleConfigs", "gridConfigs"],
    without: { countParameters: [".numParameters"] },
    inPlace: ["setTrainable"],
  },
  "10-modern-recipe": {
    fromScratch: ["diagnose"],
    without: { warmupCosineSchedule: SCHEDULES },
  },
  "11-convolutional-networks": {
    fromScratch: ["convOutputSize", "conv2dForward", "maxPool2dForward", "maxPool2dBackward", "batchNorm2dStats", "convStackSummary"],
    without: {},
  },
};

/** The note `npm run exercises` puts at the top of a stub (empty when the exercise has no rules). */
export function shortcutNote(exercise: string, exists: (fn: string) => boolean = () => true): string[] {
  const rules = SHORTCUTS[exercise];
  if (rules === undefined) return [];
  const lines = ["/*", " * Write these yourself: the grader checks, and a function that takes a shortcut scores 0."];
  const scratch = rules.fromScratch.filter(exists);
  if (scratch.length > 0) lines.push(` * - Without kernel-lib (plain numbers and arrays; its types are fine): ${scratch.join(", ")}.`);
  for (const [fn, parts] of Object.entries(rules.without)) if (exists(fn)) lines.push(` * - ${fn} without ${parts.map(describePart).join(", ")}.`);
  lines.push(" */");
  return lines;
}

const NAMESPACES = new Set(["init", "optim", "optim.schedules", "optim.lrScheduler", "F", "nn", "data", "regularization", "diagnostics"]);

/** "init" → "kernel-lib's init.*", "F.dropout" → "kernel-lib's F.dropout", ".numParameters" → "the .numParameters() method". */
export function describePart(part: string): string {
  if (part.startsWith(".")) return `the ${part}() method`;
  return NAMESPACES.has(part) ? `kernel-lib's ${part}.*` : `kernel-lib's ${part}`;
}
