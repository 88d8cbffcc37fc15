import { cpuKernels } from "./cpu";
import type { Kernels } from "./kernels";

export type { Kernels, BinaryOp, UnaryOp } from "./kernels";

let active: Kernels = cpuKernels;

/** The kernels currently in use. Everything above the backend calls through this. */
export function kernels(): Kernels {
  return active;
}

/** Swaps in another implementation of the kernels (e.g. a faster one); returns the previous. */
export function setKernels(next: Kernels): Kernels {
  const previous = active;
  active = next;
  return previous;
}
