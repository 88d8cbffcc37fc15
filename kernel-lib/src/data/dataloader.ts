import { fail } from "../core/errors";
import type { Generator } from "../core/random";
import { stack } from "../ops/indexing";
import type { Batch, Dataset } from "./dataset";
import { pickGenerator } from "./sampling";
import { checkPositiveInteger } from "../core/validate";

export interface DataLoaderOptions {
  /** Samples per mini-batch. Default 32. */
  batchSize?: number;
  /** Visit the samples in a new random order every epoch. Default false (in order). */
  shuffle?: boolean;
  /** Drop the last batch when it would be smaller than `batchSize`. Default false. */
  dropLast?: boolean;
  /** Where the shuffling order comes from; defaults to the default generator (seeded by `manualSeed`). */
  generator?: Generator;
}

/**
 * Cuts a dataset into mini-batches, like `torch.utils.data.DataLoader`.
 * Iterating once is one epoch; each batch is an `[x, y]` tuple whose first
 * axis is the batch axis.
 *
 * With `shuffle`, every epoch draws a fresh permutation of 0..n−1 from the
 * generator at the moment iteration starts, so every sample is seen exactly
 * once per epoch and a generator seeded the same way gives the same sequence
 * of epoch orders (Lesson: notebooks/src/07-lr-schedules.ts §2 (why decay? mini-batch noise)). Give the loader a
 * generator of its own if other code (dropout, initialization) draws from the
 * default one; otherwise their draws change the loader's orders.
 *
 * With n samples: `length` = ⌈n / batchSize⌉ batches, the last one holding
 * n mod batchSize samples when that is not 0; with `dropLast`, ⌊n / batchSize⌋
 * full batches and the remainder is skipped for this epoch.
 *
 *   const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 64, shuffle: true, generator: new Generator(0) });
 *   for (let epoch = 0; epoch < 10; epoch++) for (const [xb, yb] of loader) { … }
 */
export class DataLoader implements Iterable<Batch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;

  constructor(
    readonly dataset: Dataset,
    options: DataLoaderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 32;
    checkPositiveInteger("DataLoader", "batchSize", this.batchSize);
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.generator = pickGenerator(options.generator);
    if (!Number.isInteger(dataset.length) || dataset.length < 0) {
      fail("DataLoader", `dataset.length must be a non-negative integer, got ${dataset.length}`);
    }
  }

  /** Number of mini-batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Starts an epoch: fixes this epoch's sample order now, then yields its batches. */
  [Symbol.iterator](): Iterator<Batch> {
    return this.batches(this.epochOrder());
  }

  /** The order in which the next epoch would visit the samples (draws from the generator when shuffling). */
  private epochOrder(): Int32Array {
    const n = this.dataset.length;
    if (this.shuffle) return this.generator.permutation(n);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }

  private *batches(order: Int32Array): IterableIterator<Batch> {
    for (let b = 0; b < this.length; b++) {
      const indices = order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, order.length));
      yield this.fetch(indices);
    }
  }

  private fetch(indices: Int32Array): Batch {
    if (this.dataset.getBatch) return this.dataset.getBatch(indices);
    // A dataset without batch access: fetch samples one at a time and stack them.
    const samples = Array.from(indices, (i) => this.dataset.get(i));
    return [stack(samples.map((s) => s[0])), stack(samples.map((s) => s[1]))];
  }
}
