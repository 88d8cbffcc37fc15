// The WebAssembly kernels of kernel-lib (AssemblyScript). Compiled by
// scripts/build-wasm.mjs into dist/wasm/ (four builds: plain or relaxed SIMD,
// shared or unshared memory); the JavaScript side is src/backend/wasm. Every
// function takes byte addresses into its instance's memory.
export { gemm, gemmF64, gemmF64ScratchBytes, gemmScratchBytes } from "./gemm";
export { adamF32 } from "./adam";
export { sgdF32 } from "./sgd";
export { channelMomentsF32, channelAffineF32, channelGradSumsF32, channelAffine2F32 } from "./batch-norm";
export { binaryF32, unaryF32, zeroBytes } from "./elementwise";
export { bernoulliMaskF32 } from "./bernoulli";
export { channelMomentsSpatialF32, channelAffineSpatialF32, channelGradSumsSpatialF32, channelAffine2SpatialF32 } from "./batch-norm-spatial";
export { maxPool2x2F32, maxPoolBackwardF32 } from "./pool";
export { conv2dF32, conv2dF64, conv2dBackwardF32, conv2dBackwardF64, conv2dScratchBytesF32, conv2dScratchBytesF64 } from "./conv";
