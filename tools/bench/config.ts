/**
 * What the benchmark measures: the reference network and batch (the MLP
 * every framework is timed on), the matmul size, and how often each timing
 * is repeated. One object, so the test can run the very same code on a tiny
 * configuration.
 */
export interface BenchConfig {
  /** Widths from input to classes: [784, 256, 256, 10] gives two hidden blocks and the output layer. */
  readonly sizes: readonly number[];
  readonly batch: number;
  /** Drop probability of the Dropout after each hidden block. */
  readonly dropout: number;
  /** Adam's learning rate (betas 0.9, 0.999, eps 1e-8 everywhere). */
  readonly lr: number;
  /** Side of the square float32 matrices in the matmul case. */
  readonly matmulN: number;
  /** Seed of the generator that draws weights, inputs and labels. */
  readonly seed: number;
}

/**
 * The reference: MLP 784→256→256→10 built as
 * [Linear(no bias) → BatchNorm1d → ReLU → Dropout(0.3)] ×2 → Linear,
 * batch 128, Adam(lr 1e-3); 512×512 matmul.
 */
export const REFERENCE: BenchConfig = {
  sizes: [784, 256, 256, 10],
  batch: 128,
  dropout: 0.3,
  lr: 1e-3,
  matmulN: 512,
  seed: 0,
};

/** Same structure, sizes small enough for a test to run every case in a second or two. */
export const TINY: BenchConfig = {
  sizes: [12, 8, 8, 3],
  batch: 6,
  dropout: 0.3,
  lr: 1e-3,
  matmulN: 16,
  seed: 0,
};

/**
 * How one implementation is timed: untimed warm-up calls, at least `warmup`
 * of them and for at least `warmupMs` (JIT compilation: V8 optimizes hot
 * JavaScript and tiers WebAssembly up from its baseline compiler only after
 * many calls; first-use allocations; tfjs kernel set-up), then up to `reps`
 * timed calls whose median is reported. A call slower than budgetMs / reps
 * lowers the count (never below minReps) so slow implementations do not
 * dominate the run. Every implementation gets the same treatment.
 */
export interface Repetitions {
  readonly warmup: number;
  readonly warmupMs: number;
  readonly reps: number;
  readonly minReps: number;
  readonly budgetMs: number;
}

export const FULL: Repetitions = { warmup: 3, warmupMs: 1500, reps: 41, minReps: 5, budgetMs: 4000 };
export const QUICK: Repetitions = { warmup: 1, warmupMs: 300, reps: 9, minReps: 3, budgetMs: 1500 };
/** For tests: one call each, no warm-up. */
export const ONCE: Repetitions = { warmup: 0, warmupMs: 0, reps: 1, minReps: 1, budgetMs: Infinity };
