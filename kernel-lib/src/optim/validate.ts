// The optimizers' and schedulers' checks are the engine's one argument-validation module.
export * from "../core/validate";
