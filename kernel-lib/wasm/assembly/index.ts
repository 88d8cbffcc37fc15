// The WebAssembly kernels of kernel-lib (AssemblyScript). Compiled by
// scripts/build-wasm.mjs into dist/wasm/kernels.wasm (and kernels-relaxed.wasm);
// the JavaScript side is src/backend/wasm. Every function takes byte addresses
// into the one shared memory.
export { gemm, gemmScratchBytes } from "./gemm";
export { gemmF64, gemmF64ScratchBytes } from "./gemm-f64";
export { adamF32 } from "./adam";
export { channelMomentsF32, channelAffineF32, channelGradSumsF32, channelAffine2F32 } from "./batch-norm";
export { binaryF32, unaryF32 } from "./elementwise";
export { bernoulliMaskF32 } from "./bernoulli";
