/**
 * The functional forms (PyTorch's torch.nn.functional, imported as `F`):
 * stateless functions of tensors, composed from the primitives. Layers in
 * `nn` hold the parameters and call these.
 *
 *   import { F } from "kernel-lib";
 *   const yHat = F.softmax(F.linear(F.relu(F.linear(X, W1, b1)), W2, b2));
 */
export {
  relu, sigmoid, tanh, leakyRelu, prelu, rrelu, elu, selu, celu, gelu, silu, softplus, hardtanh,
  SELU_ALPHA, SELU_SCALE,
  type RReluOptions, type GeluOptions, type SoftplusOptions,
} from "./activations";
export { softmax, logSoftmax } from "./softmax";
export { linear, linearComposed } from "./linear";
export { batchNorm, batchNormComposed, type BatchNormOptions } from "./batch-norm";
export { layerNorm, groupNorm, instanceNorm } from "./normalization";
export { dropout, alphaDropout, type DropoutOptions } from "./dropout";
export { dropout2d } from "./dropout2d";
export { conv2d, conv1d, type Conv2dOptions, type Conv1dOptions, type ConvPadding, type Pair } from "./conv";
export { maxPool2d, avgPool2d, adaptiveAvgPool2d, type PoolOptions, type AvgPoolOptions } from "./pooling";
export * from "./losses";
export * from "./kl-div";
