import { KernelClient } from "./kernel-client";
async function main() {
  const c = await KernelClient.start({ cwd: process.cwd() + "/notebooks" });
  const cells = [
    "1+1",
    'import { Generator, Tensor, manualSeed, tensor, nn, F, optim, data, fit, show, table, charts } from "kernel-lib";',
    "const a = 1;", "const b = tensor([1,2,3]);", "const m = new nn.Linear(3, 2);", "const y = m.forward(b.reshape([1,3]));", "let s = 0; for (let i = 0; i < 10; i++) s += i;", "const z = 5;",
    "const q = data.loadDigits({ train: 200, test: 50, seed: 0 });",
  ];
  for (const src of cells) {
    const t = Date.now();
    const r = await c.execute(src, { timeoutMs: 30000, onIopub: () => {} });
    console.log(`${Date.now() - t} ms ${r.status} ${src.slice(0, 50)}`);
  }
  await c.shutdown();
}
void main();
