import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import type { BenchConfig, Repetitions } from "./config";
import type { Row } from "./harness";

/**
 * Optional PyTorch figures (`--torch`): the same training step, inference
 * and matmul, timed by a small Python script with the same warm-up/median
 * rule. Weights are PyTorch's own random init, which does not change the timing.
 *
 * NOTE: PyTorch is timed at 1 thread and at every core's count, and each case
 * keeps the faster. On a busy 2-core machine its 2-thread training step ran
 * 5–6× slower than at 1 thread (intra-op threads spinning against each other
 * and against other processes), so a fixed 2 threads made it look far slower
 * than it is. The row's note says which count won and what the other gave.
 */

/** The Python side of harness.ts's timeMedian (same warm-up and budget rule), shared by the PyTorch scripts. */
export const PY_MEDIAN_MS = String.raw`
def median_ms(fn):
    last, i, warm_start = 0.0, 0, time.perf_counter()
    while i < reps["warmup"] or (time.perf_counter() - warm_start) * 1e3 < reps["warmupMs"]:
        t = time.perf_counter(); fn(); last = (time.perf_counter() - t) * 1e3; i += 1
    count = reps["reps"] if last <= 0 else max(reps["minReps"], min(reps["reps"], int(reps["budgetMs"] // last)))
    samples = []
    for _ in range(count):
        t = time.perf_counter(); fn(); samples.append((time.perf_counter() - t) * 1e3)
    return statistics.median(samples)
`;

const SCRIPT = String.raw`
import json, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

cfg = json.loads(sys.argv[1])
torch.set_num_threads(cfg["threads"])
torch.manual_seed(cfg["seed"])
reps = cfg["reps"]

${PY_MEDIAN_MS}
sizes, batch = cfg["sizes"], cfg["batch"]
def mlp():
    layers = []
    for i in range(len(sizes) - 2):
        layers += [nn.Linear(sizes[i], sizes[i + 1], bias=False), nn.BatchNorm1d(sizes[i + 1]), nn.ReLU(), nn.Dropout(cfg["dropout"])]
    return nn.Sequential(*layers, nn.Linear(sizes[-2], sizes[-1]))

x = torch.randn(batch, sizes[0])
y = torch.randint(0, sizes[-1], (batch,))
rows = []
if "train-step" in cfg["cases"]:
    model = mlp().train()
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"], betas=(0.9, 0.999), eps=1e-8)
    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()
    rows.append({"case": "train-step", "impl": "torch", "ms": median_ms(step)})
if "forward" in cfg["cases"]:
    model = mlp().eval()
    def infer():
        with torch.no_grad():
            model(x)
    rows.append({"case": "forward", "impl": "torch", "ms": median_ms(infer)})
if "matmul" in cfg["cases"]:
    n = cfg["matmulN"]
    a = torch.rand(n, n) * 2 - 1
    b = torch.rand(n, n) * 2 - 1
    ms = median_ms(lambda: torch.mm(a, b))
    rows.append({"case": "matmul", "impl": "torch", "ms": ms, "gflops": 2 * n ** 3 / (ms * 1e6)})
print(json.dumps({"torch": torch.__version__, "rows": rows}))
`;

/**
 * The Pythons tried, in order: the one on PATH, then Debian's, where
 * `apt-get install python3-torch` puts PyTorch (a pyenv or venv python3 on
 * PATH does not see the system's packages).
 */
export const PYTHONS = ["python3", "/usr/bin/python3"];

let torchPython: string | null | undefined;

/** The first of PYTHONS for which `import torch` succeeds, or null. */
export function findTorchPython(): string | null {
  torchPython ??= PYTHONS.find((py) => spawnSync(py, ["-c", "import torch"], { stdio: "ignore" }).status === 0) ?? null;
  return torchPython;
}

/** Whether some python3 can `import torch`. */
export function torchAvailable(): boolean {
  return findTorchPython() !== null;
}

export interface TorchResult {
  version: string;
  /** One row per case: the faster of the thread counts tried, with a note naming both. */
  rows: Row[];
  /** The thread counts tried, in order. */
  threads: number[];
}

/** The thread counts PyTorch is timed at: 1, and every core (when there is more than one). */
export function torchThreadCounts(cores: number = availableParallelism()): number[] {
  return cores > 1 ? [1, cores] : [1];
}

/**
 * Times PyTorch at each of `threads` (a separate Python process each, since
 * the intra-op pool is fixed once work has run) and keeps, per case, the
 * faster run, noting which thread count won.
 */
export function runTorch(config: BenchConfig, reps: Repetitions, cases: readonly string[], threads: readonly number[] = torchThreadCounts()): TorchResult {
  const runs = threads.map((n) => ({ threads: n, ...runTorchAt(n, config, reps, cases) }));
  return { version: runs[0].version, rows: fasterPerCase(runs), threads: [...threads] };
}

/** Per case (and size), the fastest of the runs' rows, with a note giving every thread count's time. */
export function fasterPerCase(runs: readonly { threads: number; rows: readonly Row[] }[]): Row[] {
  const key = (r: Row) => `${r.case}\u0000${r.size ?? ""}`;
  const keys = [...new Set(runs.flatMap((run) => run.rows.map(key)))];
  return keys.map((k) => {
    const candidates = runs.flatMap((run) => run.rows.filter((r) => key(r) === k).map((row) => ({ threads: run.threads, row })));
    const best = candidates.reduce((a, b) => (b.row.ms < a.row.ms ? b : a));
    const others = candidates.filter((c) => c !== best).map((c) => `${c.threads} thread${c.threads === 1 ? "" : "s"} ${c.row.ms.toPrecision(3)} ms`);
    const won = `fastest at ${best.threads} thread${best.threads === 1 ? "" : "s"}`;
    return { ...best.row, note: others.length > 0 ? `${won} (${others.join(", ")})` : won };
  });
}

/** Writes the script to a temporary folder, runs it at `threads` threads and parses its one JSON line. */
function runTorchAt(threads: number, config: BenchConfig, reps: Repetitions, cases: readonly string[]): { version: string; rows: Row[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "kernel-lib-bench-"));
  try {
    const file = path.join(dir, "bench_torch.py");
    writeFileSync(file, SCRIPT);
    const args = JSON.stringify({ ...config, threads, reps: { ...reps, budgetMs: Number.isFinite(reps.budgetMs) ? reps.budgetMs : 1e12 }, cases });
    const python = findTorchPython();
    if (python === null) throw new Error(`PyTorch is not importable from ${PYTHONS.join(" or ")}`);
    const r = spawnSync(python, [file, args], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`PyTorch script failed (exit ${r.status}): ${r.stderr.trim()}`);
    const lastLine = r.stdout.trim().split("\n").pop() ?? "";
    const parsed = JSON.parse(lastLine) as { torch: string; rows: Row[] };
    return { version: parsed.torch, rows: parsed.rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
