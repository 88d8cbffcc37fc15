import { describe, expect, it } from "vitest";
import { fasterPerCase, torchThreadCounts } from "../../../tools/bench/torch";

describe("PyTorch is timed at 1 thread and at every core, and each case keeps the faster", () => {
  it("tries 1 and all cores, or only 1 on a single core", () => {
    expect(torchThreadCounts(2)).toEqual([1, 2]);
    expect(torchThreadCounts(1)).toEqual([1]);
  });

  it("keeps the faster run per case and says which thread count won and what the other gave", () => {
    const rows = fasterPerCase([
      { threads: 1, rows: [{ case: "train-step", impl: "torch", ms: 3.0 }, { case: "matmul", impl: "torch", ms: 9, gflops: 30 }] },
      { threads: 2, rows: [{ case: "train-step", impl: "torch", ms: 17.5 }, { case: "matmul", impl: "torch", ms: 5, gflops: 54 }] },
    ]);
    expect(rows).toEqual([
      { case: "train-step", impl: "torch", ms: 3.0, note: "fastest at 1 thread (2 threads 17.5 ms)" },
      { case: "matmul", impl: "torch", ms: 5, gflops: 54, note: "fastest at 2 threads (1 thread 9.00 ms)" },
    ]);
  });

  it("keeps sized rows of a scaling case apart", () => {
    const rows = fasterPerCase([
      { threads: 1, rows: [{ case: "width", impl: "torch", ms: 1, size: 64 }, { case: "width", impl: "torch", ms: 4, size: 256 }] },
      { threads: 2, rows: [{ case: "width", impl: "torch", ms: 2, size: 64 }, { case: "width", impl: "torch", ms: 3, size: 256 }] },
    ]);
    expect(rows.map((r) => [r.size, r.ms])).toEqual([[64, 1], [256, 3]]);
  });
});
