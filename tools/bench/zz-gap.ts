import { backend, matmul, randn, Generator, noGrad } from "kernel-lib";
const g = new Generator(1);
const A = randn([128, 784], { generator: g }), B = randn([256, 784], { generator: g }).transpose(0, 1);
function busy(ms: number) { const t = performance.now(); let x = 0; while (performance.now() - t < ms) x += Math.sqrt(x + 1); return x; }
for (const gap of [0, 0.5, 1, 3, 5]) {
  const res: string[] = [];
  for (const t of [1, 2]) {
    backend.setNumThreads(t); backend.setAdaptiveThreads(false);
    const times: number[] = [];
    noGrad(() => { for (let i = 0; i < 80; i++) { busy(gap); const t0 = performance.now(); matmul(A, B); if (i >= 20) times.push(performance.now() - t0); } });
    times.sort((a, b) => a - b);
    res.push(`${t}T ${times[30].toFixed(3)}`);
  }
  console.log(`gap ${gap} ms: ${res.join("  ")}`);
}
