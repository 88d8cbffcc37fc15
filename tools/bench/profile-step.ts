/**
 * A training step in a loop, for profiling (no peers, no table):
 *
 *   npx tsx --tsconfig tools/bench/tsconfig.json tools/bench/profile-step.ts [steps] [--lesson | --cnn]
 *   node --cpu-prof --import tsx tools/bench/profile-step.ts 500   (with TSX_TSCONFIG_PATH=tools/bench/tsconfig.json)
 *
 * Default: the reference step. `--lesson`: the size most lessons train, where
 * the time goes to per-op overhead rather than to the matrix products
 * (784→32→10 with ReLU, batch 32, cross-entropy, SGD with momentum; as in
 * lesson 6's optimizer comparison). `--cnn`: the bench's cnn-step (cnn.ts).
 * Prints the median, 10th percentile and
 * fastest step after the warm-up steps.
 * Set KERNEL_LIB_THREADS=1 for a single-thread profile whose self times add up.
 */
import { F, Generator, nn, optim, randn, tensor } from "kernel-lib";
import { cnnWeights, ourCnnTrainer } from "./cnn";
import { REFERENCE } from "./config";
import { ourTrainer } from "./ours";
import { referenceBatch, referenceWeights } from "./weights";

const lesson = process.argv.includes("--lesson");
const cnn = process.argv.includes("--cnn");
const steps = Number(process.argv.slice(2).find((a) => !a.startsWith("--")) ?? 300);

function lessonStep(): () => void {
  const g = new Generator(0);
  const model = new nn.Sequential(new nn.Linear(784, 32, { generator: g }), new nn.ReLU(), new nn.Linear(32, 10, { generator: g }));
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const x = randn([32, 784], { generator: g });
  const y = tensor(Array.from({ length: 32 }, (_, i) => i % 10), { dtype: "int32" });
  return () => {
    optimizer.zeroGrad();
    F.crossEntropy(model.call(x), y).backward();
    optimizer.step();
  };
}

const step = lesson ? lessonStep()
  : cnn ? ourCnnTrainer(cnnWeights(REFERENCE), REFERENCE.lr)
  : ourTrainer(referenceWeights(REFERENCE), referenceBatch(REFERENCE), REFERENCE).step;
const warmup = lesson ? 2000 : cnn ? 10 : 50;
for (let i = 0; i < warmup; i++) step();
const times: number[] = [];
for (let i = 0; i < steps; i++) {
  const start = performance.now();
  step();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const unit = lesson ? 1000 : 1;
const fmt = (ms: number) => (ms * unit).toFixed(2);
const at = (q: number) => fmt(times[Math.min(steps - 1, Math.floor(q * steps))]);
console.log(`${lesson ? "lesson-sized" : cnn ? "cnn" : "reference"} step, ${steps} steps: median ${at(0.5)}, p10 ${at(0.1)}, fastest ${fmt(times[0])} ${lesson ? "µs" : "ms"}`);
