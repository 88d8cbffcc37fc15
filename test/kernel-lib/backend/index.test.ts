/**
 * Which kernels run: the WebAssembly backend by default, the reference
 * JavaScript kernels with KERNEL_LIB_BACKEND=js, one thread with
 * KERNEL_LIB_THREADS=1. Each case starts a fresh process, since the choice
 * is made when the engine loads.
 */
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const PROBE = `
const { backend, matmul, randn } = require("./kernel-lib/src");
const y = matmul(randn([64, 64]), randn([64, 64]));
console.log(JSON.stringify({ ...backend.backendInfo(), threads: backend.getNumThreads(), shape: y.shape }));
`;

function probe(env: Record<string, string>): { name: string; reason: string | null; threads: number; shape: number[] } {
  const r = spawnSync(TSX, ["-e", PROBE], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

describe("backend selection", () => {
  it("defaults to the WebAssembly kernels", () => {
    const info = probe({ KERNEL_LIB_BACKEND: "", KERNEL_LIB_THREADS: "" });
    expect(info).toMatchObject({ name: "wasm", reason: null, shape: [64, 64] });
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it("KERNEL_LIB_BACKEND=js forces the reference kernels and says so", () => {
    expect(probe({ KERNEL_LIB_BACKEND: "js" })).toMatchObject({ name: "js", reason: "KERNEL_LIB_BACKEND=js", shape: [64, 64] });
  });

  it("KERNEL_LIB_THREADS sets the number of threads", () => {
    expect(probe({ KERNEL_LIB_THREADS: "1" }).threads).toBe(1);
    expect(probe({ KERNEL_LIB_THREADS: "3" }).threads).toBe(3);
  });
});
