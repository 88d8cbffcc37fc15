/**
 * The reference training step in a loop, for profiling (no peers, no table):
 *
 *   npx tsx --tsconfig tools/bench/tsconfig.json tools/bench/profile-step.ts [steps]
 *   node --cpu-prof --import tsx tools/bench/profile-step.ts 500   (with TSX_TSCONFIG_PATH=tools/bench/tsconfig.json)
 *
 * Prints the median, 10th percentile and fastest step after 50 warm-up steps.
 * Set KERNEL_LIB_THREADS=1 for a single-thread profile whose self times add up.
 */
import { REFERENCE } from "./config";
import { ourTrainer } from "./ours";
import { referenceBatch, referenceWeights } from "./weights";

const steps = Number(process.argv[2] ?? 300);
const trainer = ourTrainer(referenceWeights(REFERENCE), referenceBatch(REFERENCE), REFERENCE);
for (let i = 0; i < 50; i++) trainer.step();
const times: number[] = [];
for (let i = 0; i < steps; i++) {
  const start = performance.now();
  trainer.step();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(steps - 1, Math.floor(q * steps))].toFixed(2);
console.log(`${steps} steps: median ${at(0.5)} ms, p10 ${at(0.1)} ms, fastest ${times[0].toFixed(2)} ms`);
