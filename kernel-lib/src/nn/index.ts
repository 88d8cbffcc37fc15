/**
 * Layers and models, like torch.nn: `Module` (the base: parameters, modes,
 * state dicts, hooks), `Parameter`, containers, and the layers, each a thin
 * holder of parameters around a function of `F`.
 *
 *   const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
 *   const loss = new nn.CrossEntropyLoss().call(model.call(X), y);
 */
export { Parameter } from "./parameter";
export { Module, type AnyModule, type ForwardHook, type RemovableHandle, type StateDict, type LoadStateDictOptions } from "./module";
export { Sequential, ModuleList } from "./containers";
export { Linear, Identity, Flatten, type LinearOptions } from "./linear";
export { Residual, type ResidualOptions } from "./residual";
export {
  ReLU, Sigmoid, Tanh, SiLU, SELU, LeakyReLU, PReLU, RReLU, ELU, CELU, GELU, Softplus, Hardtanh, Softmax, LogSoftmax,
} from "./activation";
export {
  BatchNorm1d, LayerNorm, GroupNorm, InstanceNorm1d,
  type BatchNormModuleOptions, type LayerNormOptions, type GroupNormOptions,
} from "./normalization";
export { Dropout, AlphaDropout, Dropout2d, type DropoutModuleOptions } from "./dropout";
export { Conv2d, Conv1d, type Conv2dModuleOptions, type Conv1dModuleOptions } from "./conv";
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from "./pooling";
export { BatchNorm2d, InstanceNorm2d } from "./normalization-2d";
export { ResidualBlock, type ResidualBlockOptions } from "./residual-block";
export { MSELoss, L1Loss, HuberLoss, SmoothL1Loss, KLDivLoss, CrossEntropyLoss, NLLLoss, BCEWithLogitsLoss, BCELoss } from "./losses";
