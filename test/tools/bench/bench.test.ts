// The benchmark (tools/bench, `npm run bench`) compares kernel-lib with
// TensorFlow.js. These tests check its plumbing and, above all, that both
// sides compute the same network: same loss, same gradients, same Adam
// trajectory from the same weights and batch. No timing is asserted.
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { F, nn } from "kernel-lib";
import { ONCE, TINY, type BenchConfig } from "../../../tools/bench/config";
import { type Row, median } from "../../../tools/bench/harness";
import { verdict } from "../../../tools/bench/report";
import { buildOurMlp, ourBatch, ourEvalLoss, ourTrainer } from "../../../tools/bench/ours";
import { tf, useTfjsBackend, type TfjsBackend } from "../../../tools/bench/tfjs-setup";
import { buildTfjsMlp, tfjsBatch, tfjsTrainer } from "../../../tools/bench/tfjs-mlp";
import { referenceBatch, referenceWeights } from "../../../tools/bench/weights";
import { runBench } from "../../../tools/bench/run";
import { naiveMatmul } from "../../../tools/bench/naive";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const BACKENDS: TfjsBackend[] = ["cpu", "wasm"];
/** float32 results of the same math summed in different orders agree to about 1e-6 relative. */
const F32_TOLERANCE = 2e-5;

function expectClose(actual: number, expected: number, tolerance = F32_TOLERANCE): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

/** Largest |a − b| relative to the largest |b|. */
function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

function transpose(w: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
  return t;
}

function expectRowShape(row: Row): void {
  expect(Object.keys(row).every((k) => ["case", "impl", "ms", "gflops"].includes(k))).toBe(true);
  expect(typeof row.case).toBe("string");
  expect(typeof row.impl).toBe("string");
  expect(Number.isFinite(row.ms) && row.ms > 0).toBe(true);
  if (row.gflops !== undefined) expect(Number.isFinite(row.gflops) && row.gflops > 0).toBe(true);
}

function expectEveryCaseCompared(rows: readonly Row[], cases: readonly string[]): void {
  expect([...new Set(rows.map((r) => r.case))]).toEqual(cases);
  for (const name of cases) {
    const impls = rows.filter((r) => r.case === name).map((r) => r.impl);
    expect(impls).toEqual(expect.arrayContaining(["ours", "tfjs-cpu", "tfjs-wasm"]));
  }
  rows.forEach(expectRowShape);
  for (const r of rows.filter((r) => r.case === "matmul")) expect(r.gflops).toBeDefined();
}

describe("bench: kernel-lib and tfjs compute the same reference network", () => {
  // No dropout (its masks come from different generators); a large lr makes any difference in Adam visible within five steps.
  const config: BenchConfig = { ...TINY, dropout: 0, lr: 0.05 };
  const weights = referenceWeights(config);
  const batch = referenceBatch(config);

  it.each(BACKENDS)("same eval-mode loss on fixed weights and batch (tfjs %s)", async (backend) => {
    await useTfjsBackend(backend);
    const theirs = tfjsTrainer(weights, batch, config);
    const ours = ourEvalLoss(buildOurMlp(weights, config), batch);
    // Computed by hand, the loss of random weights on 3 classes is near ln 3; far from it would mean a broken setup.
    expect(ours).toBeGreaterThan(0.3);
    expect(ours).toBeLessThan(5);
    expectClose(theirs.evalLoss(), ours);
    theirs.dispose();
  });

  it.each(BACKENDS)("same training-mode loss and gradients with batch statistics (tfjs %s)", async (backend) => {
    await useTfjsBackend(backend);
    const model = buildOurMlp(weights, config).train();
    const { x, y } = ourBatch(batch);
    const loss = F.crossEntropy(model.call(x), y);
    loss.backward();

    const mlp = buildTfjsMlp(weights, config);
    const data = tfjsBatch(batch);
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(data.oneHot, mlp.forward(data.x, true)) as tf.Scalar, mlp.trainable);
    expectClose(value.dataSync()[0], loss.item());

    const params = model.parameters();
    expect(params.length).toBe(mlp.trainable.length);
    params.forEach((p, i) => {
      const theirs = grads[mlp.trainable[i].name].dataSync();
      // tfjs kernels are [in, out]: compare with our [out, in] gradient transposed.
      const ours = p.ndim === 2 ? transpose(p.grad!.data, p.shape[0], p.shape[1]) : p.grad!.data;
      expect(maxRelativeDifference(theirs, ours)).toBeLessThan(1e-4);
    });
    // Running statistics moved the same way (unbiased variance, momentum 0.1).
    const stats = mlp.runningStats();
    const norms = model.modules().filter((m): m is nn.BatchNorm1d => m instanceof nn.BatchNorm1d);
    expect(norms.length).toBe(stats.length);
    norms.forEach((n, i) => {
      expect(maxRelativeDifference(stats[i].mean, n.runningMean!.data)).toBeLessThan(1e-5);
      expect(maxRelativeDifference(stats[i].variance, n.runningVar!.data)).toBeLessThan(1e-5);
    });
    tf.dispose([value, ...Object.values(grads)]);
    mlp.dispose();
    data.dispose();
  });

  it.each(BACKENDS)("same losses along five Adam steps (tfjs %s)", async (backend) => {
    await useTfjsBackend(backend);
    const ours = ourTrainer(weights, batch, config);
    const theirs = tfjsTrainer(weights, batch, config);
    const oursLosses = Array.from({ length: 5 }, () => ours.step());
    const theirLosses = [theirs.step()];
    // After the first step (which creates Adam's moment variables) a step leaks no tensors.
    const before = tf.memory().numTensors;
    for (let i = 1; i < 5; i++) theirLosses.push(theirs.step());
    expect(tf.memory().numTensors).toBe(before);
    expect(oursLosses[4]).toBeLessThan(oursLosses[0]);
    theirLosses.forEach((l, i) => expectClose(l, oursLosses[i]));
    expectClose(theirs.evalLoss(), ourEvalLoss(ours.model, batch));
    theirs.dispose();
  });
});

describe("bench: harness pieces", () => {
  it("median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it("verdict names the faster side in words", () => {
    expect(verdict(10, 31)).toBe("ours 3.10× faster");
    expect(verdict(10, 5)).toBe("ours 2.00× slower");
    expect(verdict(10, 10)).toBe("ours 1.00× faster");
  });

  it("naive matmul matches a hand-computed 2×2 product", () => {
    expect(Array.from(naiveMatmul(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), 2))).toEqual([19, 22, 43, 50]);
  });
});

describe("bench: rows", () => {
  it("runBench on the tiny configuration gives ours, tfjs-cpu and tfjs-wasm rows for every case", async () => {
    const rows = await runBench({ config: TINY, reps: ONCE });
    expectEveryCaseCompared(rows, ["train-step", "forward", "matmul"]);
    expect(rows.filter((r) => r.case === "train-step").map((r) => r.impl)).toContain("ours-float64");
    expect(rows.filter((r) => r.case === "matmul").map((r) => r.impl)).toContain("naive-js");
  });

  it("`bench --json` prints exactly one JSON array on stdout (built package, tiny sizes)", () => {
    const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
    const r = spawnSync(tsx, ["--tsconfig", "tools/bench/tsconfig.json", "tools/bench/bench.ts", "--json", "--quick", "--tiny", "--skip-build", "--case", "matmul", "--case", "train-step"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Row[];
    expectEveryCaseCompared(rows, ["matmul", "train-step"]);
  });

  it("`bench` refuses an unknown case and says which ones exist", () => {
    const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
    const r = spawnSync(tsx, ["--tsconfig", "tools/bench/tsconfig.json", "tools/bench/bench.ts", "--json", "--skip-build", "--case", "conv3d"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('unknown case "conv3d"; choose from train-step, forward, matmul, cnn-step, conv');
  });
});
