/**
 * Weight initializers, like torch.nn.init: each writes into a tensor in
 * place (names end in `_`) and returns it.
 * Lesson: notebooks/src/02-initialization.ts §4 (the schemes)
 *
 *   init.kaimingNormal_(layer.weight, { nonlinearity: "relu" });
 *   init.zeros_(layer.bias!);
 */
export { calculateGain, calculateFans, type Nonlinearity } from "./gain";
export { constant_, zeros_, ones_, uniform_, normal_, truncNormal_, eye_, type InitOptions } from "./fill";
export {
  xavierUniform_, xavierNormal_, kaimingUniform_, kaimingNormal_, lecunUniform_, lecunNormal_,
  type XavierOptions, type KaimingOptions,
} from "./variance-scaling";
export { orthogonal_, type OrthogonalOptions } from "./orthogonal";
