/**
 * The grader's settings: limits for the sandbox and what students see.
 * Defaults here; a course can override any of them in grading/config.json
 * (same keys), and the command line overrides both.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./image";

export interface Limits {
  /** CPU-time limit for one test or hidden case (ms): unlike the clock, it does not depend on how busy the machine is. */
  unitCpuMs: number;
  /** Wall-clock limit for one test or hidden case (ms), for code that waits instead of computing. */
  unitMs: number;
  /** Wall-clock limit for all the tests of one exercise file (ms). */
  fileMs: number;
  /** Wall-clock limit for the whole submission (ms). */
  submissionMs: number;
  /** V8 heap cap of a sandbox process (--max-old-space-size, MiB). */
  heapMiB: number;
  /** Resident memory at which a sandbox process is killed (MiB; catches typed arrays, which live outside the heap). */
  rssMiB: number;
  /** What a sandbox process may write into its scratch folder, all files together (MiB; a tmpfs where namespaces allow, else per file). */
  scratchMiB: number;
  /** Sandbox processes running at once. */
  parallel: number;
  /** V8 heap cap of the type check (tsc), MiB: a "type bomb" makes tsc allocate without end. */
  typecheckHeapMiB: number;
  /** Wall-clock limit of the type check (ms). */
  typecheckMs: number;
}

/** Gradescope's visibility values. */
export type Visibility = "hidden" | "after_due_date" | "after_published" | "visible";

export interface GraderConfig {
  limits: Limits;
  /** Visibility of the public tests' results. */
  publicVisibility: Visibility;
  /** Visibility of the hidden tests' results ("visible only after grading, as configured"). */
  hiddenVisibility: Visibility;
  /** Top-level visibility of results.json. */
  visibility: Visibility;
  /** Gradescope's stdout_visibility: the autograder's own console output. */
  stdoutVisibility: Visibility;
}

export const DEFAULT_CONFIG: GraderConfig = {
  limits: { unitCpuMs: 10_000, unitMs: 30_000, fileMs: 90_000, submissionMs: 240_000, heapMiB: 1024, rssMiB: 2048, scratchMiB: 64, parallel: 2, typecheckHeapMiB: 768, typecheckMs: 120_000 },
  publicVisibility: "visible",
  hiddenVisibility: "after_published",
  visibility: "visible",
  stdoutVisibility: "hidden",
};

/** The defaults, overridden by grading/config.json if it exists, then by `overrides`. */
export function loadConfig(overrides: { limits?: Partial<Limits> } & Partial<Omit<GraderConfig, "limits">> = {}): GraderConfig {
  const file = join(root, "grading/config.json");
  const fromFile = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as typeof overrides) : {};
  return {
    ...DEFAULT_CONFIG, ...fromFile, ...overrides,
    limits: { ...DEFAULT_CONFIG.limits, ...fromFile.limits, ...overrides.limits },
  };
}
