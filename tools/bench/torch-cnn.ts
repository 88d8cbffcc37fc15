import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Repetitions } from "./config";
import type { Row } from "./harness";
import { PY_MEDIAN_MS, findTorchPython } from "./torch";

/**
 * PyTorch's figures for the convolutional cases (cnn.ts): the same network,
 * batch and convolution, timed with the same warm-up/median rule at 1 and at
 * 2 threads; the faster is reported, with a note saying which thread count
 * won (on a busy 2-core machine the second thread often costs more than it
 * brings). Weights are PyTorch's own init, which does not change the timing.
 */

const SCRIPT = String.raw`
import json, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

cfg = json.loads(sys.argv[1])
reps = cfg["reps"]
torch.manual_seed(cfg["seed"])

${PY_MEDIAN_MS}
def cnn_step():
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 10)).train()
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"], betas=(0.9, 0.999), eps=1e-8)
    x = torch.randn(64, 1, 28, 28)
    y = torch.randint(0, 10, (64,))
    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()
    return step

def conv():
    x = torch.randn(64, 32, 14, 14, requires_grad=True)
    w = (torch.rand(64, 32, 3, 3) * 0.2 - 0.1).requires_grad_()
    r = torch.randn(64, 64, 14, 14)
    def run():
        x.grad = None; w.grad = None
        F.conv2d(x, w, padding=1).backward(r)
    return run

flops = 3 * 2 * 64 * 64 * 14 * 14 * 32 * 9
rows = []
for name, make in (("cnn-step", cnn_step), ("conv", conv)):
    if name not in cfg["cases"]:
        continue
    fn = make()
    times = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        times[threads] = median_ms(fn)
    best = min(times, key=times.get)
    other = 3 - best
    row = {"case": name, "impl": "torch", "ms": times[best],
           "note": f"PyTorch at {best} thread{'s' if best > 1 else ''} (faster; {other} thread{'s' if other > 1 else ''}: {times[other]:.1f} ms)"}
    if name == "conv":
        row["gflops"] = flops / (times[best] * 1e6)
    rows.append(row)
print(json.dumps({"torch": torch.__version__, "rows": rows}))
`;

/** The torch rows of the convolutional cases among `cases` (none when neither is asked for). */
export function runTorchCnn(seed: number, lr: number, reps: Repetitions, cases: readonly string[]): Row[] {
  if (!cases.includes("cnn-step") && !cases.includes("conv")) return [];
  const python = findTorchPython();
  if (python === null) return [];
  const dir = mkdtempSync(path.join(tmpdir(), "kernel-lib-bench-cnn-"));
  try {
    const file = path.join(dir, "bench_torch_cnn.py");
    writeFileSync(file, SCRIPT);
    const args = JSON.stringify({ seed, lr, reps: { ...reps, budgetMs: Number.isFinite(reps.budgetMs) ? reps.budgetMs : 1e12 }, cases });
    const r = spawnSync(python, [file, args], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`PyTorch convolution script failed (exit ${r.status}): ${r.stderr.trim()}`);
    return (JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as { rows: Row[] }).rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
