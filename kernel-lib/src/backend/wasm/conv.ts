import type { TypedArray } from "../../core/dtype";
import type { ConvShape } from "../conv";
import { helperKernel } from "./helper-threads";
import { type WasmInstance, type WasmRuntime, instanceFor } from "./runtime";
import { type Slot, copyOut, into, stage } from "./staging";
import { mainShare, partition, runSplit, threadsFor } from "./thread-split";

/**
 * Convolutions on the WebAssembly kernels (kernel-lib/wasm/assembly/conv.ts:
 * im2col and the products one image at a time, in WebAssembly memory), the
 * batch's images split across the helper threads when the work is large
 * enough. Each thread computes whole images; for the weight gradient each
 * writes a dW of its own over its images, summed here.
 *
 * Copied into WebAssembly memory: x, the weight, dOut; copied out: the
 * output, dx, dW. This replaced im2col over the whole batch in JavaScript,
 * whose columns (9× the input, 14 MB for the cnn-step's second convolution)
 * were copied into WebAssembly memory for each of the three products:
 * measured on that convolution, forward and both gradients on one thread,
 * 66–73 → 41–46 ms of CPU time (three alternating runs of 15 calls).
 */

export type Floats = Float32Array | Float64Array;

/** The geometry as wasm/assembly/conv.ts reads it: 16 int32 in this order. */
function geometryWords(g: ConvShape): Int32Array {
  return Int32Array.of(
    g.batch, g.channels, g.height, g.width, g.kernelH, g.kernelW, g.strideH, g.strideW,
    g.padTop, g.padLeft, g.dilationH, g.dilationW, g.outH, g.outW, g.groups, g.outChannels,
  );
}

/** Multiply-adds of one of the three products over the batch. */
function work(g: ConvShape): number {
  return g.batch * g.outChannels * g.outH * g.outW * (g.channels / g.groups) * g.kernelH * g.kernelW;
}

/** Ranges of images [n0, n1), one per thread (one range when the work is small). */
function imageRanges(g: ConvShape): [number, number][] {
  const count = Math.max(1, Math.min(threadsFor(work(g)), g.batch));
  return partition(g.batch, count, mainShare(count));
}

/**
 * The weight gradient sums over the batch. How many threads share a call,
 * and where their ranges meet, changes with the machine's load (see
 * thread-split.ts), and a float sum depends on its order. So the images are
 * cut into runs fixed by the batch size alone (at most RUNS of them), each
 * run's sum is computed on its own, and the runs are added in order: the
 * same bits on one thread or four, busy or idle.
 */
const RUNS = 8;

/** The runs' length, and whole runs per thread as image ranges. */
function runRanges(g: ConvShape): { chunk: number; ranges: [number, number][]; runs: number } {
  const chunk = Math.max(1, Math.ceil(g.batch / RUNS));
  const runs = Math.ceil(g.batch / chunk);
  const count = Math.max(1, Math.min(threadsFor(work(g)), runs));
  const ranges = partition(runs, count, mainShare(count)).map(([a, b]): [number, number] => [a * chunk, Math.min(b * chunk, g.batch)]);
  return { chunk, ranges, runs };
}

/**
 * Stages the geometry word block, the slots, and one scratch area per
 * thread; returns the geometry's address, the slots' and the scratch areas'.
 */
function place(inst: WasmInstance, g: ConvShape, double: boolean, slots: Slot[], threads: number): { geo: number; at: number[]; scratch: number[] } {
  // The scratch size depends on the geometry, which the kernel reads from memory: stage it alone first.
  const words = geometryWords(g);
  const [geoProbe] = stage(inst, [words]);
  const perThread = (double ? inst.exports.conv2dScratchBytesF64 : inst.exports.conv2dScratchBytesF32)(geoProbe);
  const [geo, ...rest] = stage(inst, [words, ...slots, ...new Array<number>(threads).fill(perThread)]);
  return { geo, at: rest.slice(0, slots.length), scratch: rest.slice(slots.length) };
}

export function conv2dWasm(rt: WasmRuntime, x: Floats, weight: Floats, bias: Floats | null, g: ConvShape, out: Floats): void {
  const double = out instanceof Float64Array;
  const ranges = imageRanges(g);
  const inst = ranges.length > 1 ? rt.shared : instanceFor(rt, [x, out]);
  const { geo, at, scratch } = place(inst, g, double, [x, weight, bias ?? 0, into(out)], ranges.length);
  const [xAt, wAt, bAt, outAt] = at;
  const kernel = double ? inst.exports.conv2dF64 : inst.exports.conv2dF32;
  const id = helperKernel(double ? "conv2dF64" : "conv2dF32");
  const jobs = ranges.map(([n0, n1], t) => [xAt, wAt, bias ? bAt : 0, outAt, geo, n0, n1, scratch[t], 0, 0, 0, 0, 0, id]);
  runSplit(rt, kernel, jobs, (ranges[0][1] - ranges[0][0]) / g.batch);
  copyOut(inst, outAt, out);
}

export function conv2dBackwardWasm(
  rt: WasmRuntime, x: Floats, weight: Floats, dOut: Floats, g: ConvShape, dx: Floats | null, dWeight: Floats | null,
): void {
  const double = dOut instanceof Float64Array;
  const { chunk, ranges, runs } = runRanges(g);
  const inst = ranges.length > 1 ? rt.shared : instanceFor(rt, [x, dOut, dx]);
  const dWBytes = weight.byteLength;
  // One partial dW per run of images, one after another (an empty batch: one, which the kernel zeroes).
  const dWSlot: Slot[] = dWeight ? [Math.max(1, runs) * dWBytes] : [];
  const { geo, at, scratch } = place(inst, g, double, [x, weight, dOut, dx ? into(dx) : 0, ...dWSlot], ranges.length);
  const [xAt, wAt, dOutAt, dxAt, dWAt] = at;
  const kernel = double ? inst.exports.conv2dBackwardF64 : inst.exports.conv2dBackwardF32;
  const id = helperKernel(double ? "conv2dBackwardF64" : "conv2dBackwardF32");
  const jobs = ranges.map(([n0, n1], t) => [xAt, wAt, dOutAt, dx ? dxAt : 0, dWeight ? dWAt + (n0 / chunk) * dWBytes : 0, geo, n0, n1, scratch[t], chunk, 0, 0, 0, id]);
  runSplit(rt, kernel, jobs, (ranges[0][1] - ranges[0][0]) / g.batch);
  if (dx) copyOut(inst, dxAt, dx);
  if (dWeight) {
    copyOut(inst, dWAt, dWeight);
    // The other runs' partial sums, added in run order straight from WebAssembly memory.
    const memory = double ? inst.f64() : inst.f32();
    for (let r = 1; r < runs; r++) {
      const at = (dWAt + r * dWBytes) / memory.BYTES_PER_ELEMENT;
      for (let i = 0; i < dWeight.length; i++) dWeight[i] += memory[at + i];
    }
  }
}

/** Whether every array is float32, or every one float64 (the kernels' two instances). */
export function sameFloats(arrays: (TypedArray | null)[]): boolean {
  const present = arrays.filter((a): a is TypedArray => a !== null);
  return present.every((a) => a instanceof Float32Array) || present.every((a) => a instanceof Float64Array);
}
