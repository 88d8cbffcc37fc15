// LiveProgress inside the REAL tslab kernel (through the headless runner, on
// the BUILT kernel-lib: run `npm run build` first). A fit must leave ONE output
// (its update_display_data messages rewrite it in place, as in Jupyter) showing
// the final state, and throttling must keep the number of redraws far below the
// number of batches. The cost of the display is measured and printed, not asserted.
import { describe, expect, it } from "vitest";
import type { CodeCell, Notebook } from "../../../tools/notebook/notebook";
import type { Output } from "../../../tools/notebook/outputs";
import { executeNotebook } from "../../../tools/notebook/run-notebook";

function notebookOf(sources: string[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
    cells: sources.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
  };
}

const outputsOf = (notebook: Notebook, cellNumber: number): Output[] => (notebook.cells[cellNumber - 1] as CodeCell).outputs;
const displays = (outputs: Output[]) => outputs.flatMap((o) => (o.output_type === "display_data" ? [o.data] : []));
const printed = (outputs: Output[]) => outputs.map((o) => (o.output_type === "stream" ? o.text : "")).join("");

// 2,400 samples in batches of 8: 300 fast batches per epoch.
const SETUP = `
import { nn, optim, F, fit, randn, randint, manualSeed, LiveProgress, type Callback } from "kernel-lib";
manualSeed(0);
const x = randn([2400, 10]);
const y = randint(0, 3, [2400]);
function train(epochs: number, progress: "none" | "live" | "auto", callbacks: Callback[] = []): number {
  const model = new nn.Sequential(new nn.Linear(10, 16), new nn.ReLU(), new nn.Linear(16, 3));
  const started = performance.now();
  fit(model, { x, y }, {
    optimizer: new optim.SGD(model.parameters(), { lr: 0.05 }), loss: F.crossEntropy, epochs, batchSize: 8, seed: 0,
    validation: { x: x.slice(0, 0, 200), y: y.slice(0, 0, 200) }, progress, callbacks,
  });
  return performance.now() - started;
}`;

describe("LiveProgress in a tslab notebook", () => {
  it("leaves one output showing the last epoch, redrawn far fewer times than there are batches", async () => {
    const result = await executeNotebook(
      notebookOf([
        SETUP,
        `const progress = new LiveProgress();
const ms = train(3, "none", [progress]);
console.log(JSON.stringify({ updates: progress.updates, ms }));`,
        // A delayed display (as "auto" makes, with 2 s) that opens during the run.
        `train(2, "none", [new LiveProgress({ delayMs: 1 })]);`,
        // The display's cost: time spent inside its callbacks (robust to other load on the machine),
        // and wall-clock fits without and with it, alternating; the first pair warms up the JIT.
        `function timed(p: LiveProgress): { callback: Callback; spent: () => number } {
  let spent = 0;
  const time = <A extends unknown[]>(f: (...args: A) => void) => (...args: A): void => {
    const t = performance.now();
    f.apply(p, args);
    spent += performance.now() - t;
  };
  const callback = { onTrainBegin: time(p.onTrainBegin), onEpochBegin: time(p.onEpochBegin), onBatchEnd: time(p.onBatchEnd), onEpochEnd: time(p.onEpochEnd), onTrainEnd: time(p.onTrainEnd) };
  return { callback, spent: () => spent };
}
const runs = { none: [] as number[], live: [] as number[], inside: [] as number[] };
for (let i = 0; i < 8; i++) {
  runs.none.push(train(2, "none"));
  const t = timed(new LiveProgress());
  runs.live.push(train(2, "none", [t.callback]));
  runs.inside.push(t.spent());
}
console.log(JSON.stringify(runs));`,
      ]),
      { cellTimeoutMs: 120_000, label: "live-progress-kernel" },
    );
    expect(result.failure?.message ?? null, "is kernel-lib built? (npm run build)").toBeNull();

    const first = outputsOf(result.notebook, 2);
    const [display] = displays(first);
    expect(displays(first).length).toBe(1);
    expect(display["text/html"]).toContain("<b>epoch 3/3</b> · batch 300/300");
    expect(display["text/html"]).toContain("<b>done</b>");
    expect(display["text/html"]).toContain("<polyline"); // the loss sparkline
    expect(display["text/plain"]).toMatch(/^epoch 3\/3 {2}batch 300\/300 {2}\d+:\d\d elapsed {2}done {2}loss /);

    const { updates, ms } = JSON.parse(printed(first)) as { updates: number; ms: number };
    const batches = 3 * 300;
    // begin + one per epoch end + the end, and at most one per 250 ms in between.
    expect(updates).toBeGreaterThanOrEqual(1 + 3 + 1);
    expect(updates).toBeLessThanOrEqual(1 + 3 + 1 + Math.floor(ms / 250));
    expect(updates).toBeLessThan(batches / 10);

    // A display opened late still ends as one output showing the last state.
    const auto = displays(outputsOf(result.notebook, 3));
    expect(auto.length).toBe(1);
    expect(auto[0]["text/html"]).toContain("<b>epoch 2/2</b> · batch 300/300");

    const runs = JSON.parse(printed(outputsOf(result.notebook, 4))) as { none: number[]; live: number[]; inside: number[] };
    const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
    const [none, live, inside] = [runs.none, runs.live, runs.inside].map((v) => median(v.slice(1)));
    expect(inside).toBeGreaterThan(0);
    console.log(
      `LiveProgress in the kernel: ${updates} redraws for ${batches} batches in ${ms.toFixed(0)} ms. ` +
        `Fit of 600 batches (medians of 7): ${inside.toFixed(2)} ms inside the display's callbacks ` +
        `(${((inside / live) * 100).toFixed(1)}% of ${live.toFixed(1)} ms); wall clock ${none.toFixed(1)} ms without it.`,
    );
  });
});
