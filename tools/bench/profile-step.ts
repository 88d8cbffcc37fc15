import { REFERENCE } from "./config";
import { referenceWeights, referenceBatch } from "./weights";
import { ourTrainer } from "./ours";
const t = ourTrainer(referenceWeights(REFERENCE), referenceBatch(REFERENCE), REFERENCE);
for (let i = 0; i < 30; i++) t.step();
const N = Number(process.argv[2] ?? 200);
const times: number[] = [];
for (let i = 0; i < N; i++) { const t0 = performance.now(); t.step(); times.push(performance.now() - t0); }
times.sort((a, b) => a - b);
console.log(`step median ${times[N >> 1].toFixed(2)} ms, p10 ${times[Math.floor(N / 10)].toFixed(2)}, min ${times[0].toFixed(2)}`);
