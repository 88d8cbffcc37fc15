/** Explicit regularization and stabilization (lessons 5 and 8). */
export { l1Penalty, l2Penalty } from "./penalties";
export { clipGradNorm_, clipGradValue_ } from "./clip";
export { maxNorm_ } from "./max-norm";
export { mcDropoutPredict } from "./mc-dropout";
