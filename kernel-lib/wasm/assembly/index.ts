// The WebAssembly kernels of kernel-lib (AssemblyScript). Compiled by
// scripts/build-wasm.mjs into dist/wasm/kernels.wasm; the JavaScript side is
// src/backend/wasm. Every function takes byte addresses into the one shared memory.
export { gemm, gemmScratchBytes } from "./gemm";
export { gemmF64, gemmF64ScratchBytes } from "./gemm-f64";
