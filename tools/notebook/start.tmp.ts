import { KernelClient } from "./kernel-client";
async function main() {
  for (let i = 0; i < 4; i++) {
    const t0 = Date.now();
    const c = await KernelClient.start({ cwd: process.cwd() });
    const t1 = Date.now();
    const r = await c.execute("1+1", { timeoutMs: 30000, onIopub: () => {} });
    const t2 = Date.now();
    await c.shutdown();
    console.log(`start ${t1 - t0} ms, first cell ${t2 - t1} ms, shutdown ${Date.now() - t2} ms`, r.status);
  }
}
void main();
