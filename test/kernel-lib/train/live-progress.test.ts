// LiveProgress outside a kernel: throttling (with a fake clock, so counts are
// exact), the terminal bar on a fake TTY, one line per epoch on a non-TTY
// stream, the notebook display through a stand-in kernel, and fit's
// `progress` option. The real kernel is in live-progress-kernel.test.ts.
import { afterEach, describe, expect, it, vi } from "vitest";
import { AUTO_DELAY_MS, F, History, LiveProgress, fit, manualSeed, nn, optim, randn, type Tensor, type TrainContext } from "kernel-lib";
import { progressCallback } from "../../../kernel-lib/src/train/live-progress";
import { progressBundle, progressLine, sparkline, type ProgressState } from "../../../kernel-lib/src/display/progress-view";
import { compactNumber, formatDuration } from "../../../kernel-lib/src/display/text";

afterEach(() => {
  vi.restoreAllMocks();
  delete (globalThis as { __tslab__?: unknown }).__tslab__;
});

/** A stream that records what is written; `isTTY` decides between the bar and epoch lines. */
function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, text: () => chunks.join(""), stream: { isTTY, columns: 120, write: (s: string) => chunks.push(s) } };
}

/** Drives the callback like fit does, with a clock advancing `msPerBatch` per batch. */
function drive(progress: LiveProgress, clock: { t: number }, epochs: number, batches: number, msPerBatch: number, stopAfter = epochs) {
  const ctx = { epochs, stepsPerEpoch: batches, epoch: 0, globalStep: 0, stopTraining: false, history: new History() } as unknown as TrainContext;
  progress.onTrainBegin(ctx);
  for (let e = 0; e < stopAfter; e++) {
    ctx.epoch = e;
    progress.onEpochBegin(ctx);
    for (let b = 0; b < batches; b++) {
      clock.t += msPerBatch;
      progress.onBatchEnd(ctx, { batch: b, loss: 1 / (e + 1), size: 4 });
    }
    progress.onEpochEnd(ctx, { loss: 1 / (e + 1), valLoss: 1.5 / (e + 1), lr: 0.1 });
  }
  progress.onTrainEnd(ctx);
}

describe("LiveProgress throttling", () => {
  it("redraws at most once per throttleMs inside an epoch, plus once per epoch end", () => {
    const clock = { t: 0 };
    const out = fakeStream(true);
    const progress = new LiveProgress({ mode: "bar", stream: out.stream, now: () => clock.t });
    // 100 batches of 10 ms per epoch: redraws at 250, 500, 750, 1000 ms, then the epoch end.
    drive(progress, clock, 2, 100, 10);
    expect(progress.updates).toBe(2 * (4 + 1));
    const unthrottled = new LiveProgress({ mode: "bar", stream: fakeStream(true).stream, now: () => clock.t, throttleMs: 0 });
    drive(unthrottled, clock, 2, 100, 10);
    expect(unthrottled.updates).toBe(2 * (100 + 1));
  });

  it("refuses bad options", () => {
    expect(() => new LiveProgress({ throttleMs: -1 })).toThrow("[LiveProgress] Invalid throttleMs: -1 (must be a finite number ≥ 0)");
    expect(() => new LiveProgress({ mode: "fancy" as "bar" })).toThrow('[LiveProgress] Invalid mode: "fancy"');
  });
});

describe("LiveProgress on a terminal", () => {
  it("draws a cli-progress bar per epoch and leaves one finished line per epoch", () => {
    const clock = { t: 0 };
    const out = fakeStream(true);
    drive(new LiveProgress({ mode: "bar", stream: out.stream, now: () => clock.t }), clock, 2, 100, 10);
    const text = out.text();
    expect(text.split("\n").length - 1).toBe(2);
    expect(text).toContain("epoch 1/2 ██████░░░░░░░░░░░░░░░░░░ 25/100  ETA 0:02  loss 1.0000");
    expect(text).toContain(`epoch 2/2 ${"█".repeat(24)} 100/100  0:02  loss 0.5000  valLoss 0.7500  lr 1.00e-1`);
  });

  it("leaves no timer holding the process when training throws inside an epoch", () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    manualSeed(0);
    const model = new nn.Linear(3, 1);
    const x = randn([64, 3]);
    let calls = 0;
    const explode = (yHat: Tensor, y: Tensor) => {
      if (++calls === 3) throw new Error("boom");
      return F.mseLoss(yHat, y);
    };
    const progress = new LiveProgress({ mode: "bar", stream: fakeStream(true).stream, throttleMs: 0 });
    expect(() => fit(model, { x, y: x.sum(1, { keepdims: true }) }, { optimizer: new optim.SGD(model.parameters(), { lr: 0.01 }), loss: explode, epochs: 2, batchSize: 8, callbacks: [progress] })).toThrow("boom");
    expect(progress.updates).toBe(2); // the bar was drawn, then abandoned mid-epoch
    expect(timers()).toBe(before);
  });

  it("writes one line per epoch when the stream is not a terminal, and says why training ended early", () => {
    const clock = { t: 0 };
    const out = fakeStream(false);
    const progress = new LiveProgress({ mode: "bar", stream: out.stream, now: () => clock.t });
    drive(progress, clock, 5, 100, 10, 2);
    expect(out.chunks).toEqual([
      "epoch 1/5  loss 1.0000  valLoss 1.5000  lr 1.00e-1  (0:01 elapsed)\n",
      "epoch 2/5  loss 0.5000  valLoss 0.7500  lr 1.00e-1  (0:02 elapsed)\n",
      "training stopped early after epoch 2/5\n",
    ]);
    expect(progress.updates).toBe(3);
    expect(progress.state.status).toBe("stopped early");
  });
});

describe("LiveProgress in a notebook (stand-in kernel)", () => {
  it("creates one display and rewrites it: final state names the last epoch and draws the loss sparkline", () => {
    const raw = vi.fn();
    const newDisplay = vi.fn(() => ({ raw }));
    const tslab = { display: { raw: vi.fn() }, newDisplay };
    (globalThis as { __tslab__?: unknown }).__tslab__ = { require: () => tslab, exports: {} };
    const clock = { t: 0 };
    const progress = new LiveProgress({ now: () => clock.t });
    drive(progress, clock, 3, 50, 10);
    expect(newDisplay).toHaveBeenCalledTimes(1);
    expect(raw).toHaveBeenCalledTimes(progress.updates);
    // begin + per epoch (2 throttled ticks at 250 and 500 ms + the epoch end) + end.
    expect(progress.updates).toBe(1 + 3 * 3 + 1);
    const last = raw.mock.calls[raw.mock.calls.length - 1];
    expect(last[0]).toBe("text/html");
    expect(last[1]).toContain("<b>epoch 3/3</b> · batch 50/50 · 0:02 elapsed · <b>done</b>");
    expect(last[1]).toContain('<progress value="100" max="100"');
    expect((last[1] as string).match(/<polyline points="([^"]*)"/g)?.length).toBe(2); // train and validation loss
  });
});

describe("LiveProgress delayMs", () => {
  function standInKernel() {
    const raw = vi.fn();
    const newDisplay = vi.fn(() => ({ raw }));
    (globalThis as { __tslab__?: unknown }).__tslab__ = { require: () => ({ display: { raw: vi.fn() }, newDisplay }), exports: {} };
    return { raw, newDisplay };
  }

  it("shows nothing for a run shorter than the delay", () => {
    const { newDisplay } = standInKernel();
    const clock = { t: 0 };
    const progress = new LiveProgress({ delayMs: 2000, now: () => clock.t });
    drive(progress, clock, 2, 50, 10); // 1 s in all
    expect(newDisplay).not.toHaveBeenCalled();
    expect(progress.updates).toBe(0);
  });

  it("opens the display once the run has lasted the delay, with the state so far, and keeps it to the end", () => {
    const { raw, newDisplay } = standInKernel();
    const clock = { t: 0 };
    const progress = new LiveProgress({ delayMs: 1000, now: () => clock.t });
    drive(progress, clock, 2, 100, 10); // epochs of 1 s; throttled draws every 250 ms, and at each epoch end
    expect(newDisplay).toHaveBeenCalledTimes(1);
    const first = String(raw.mock.calls[0][1]);
    expect(first).toContain("<b>epoch 1/2</b> · batch 100/100 · 0:01 elapsed"); // opened at 1000 ms, not before
    // At 1000 ms the last tick and the end of epoch 1; 4 ticks and the end of epoch 2; the end of training.
    expect(progress.updates).toBe(2 + 5 + 1);
    expect(String(raw.mock.calls[raw.mock.calls.length - 1][1])).toContain("<b>done</b>");
    expect(() => new LiveProgress({ delayMs: Number.NaN })).toThrow("[LiveProgress] Invalid delayMs: NaN (must be a finite number ≥ 0)");
  });
});

describe("fit's progress option", () => {
  const data = () => {
    manualSeed(0);
    const x = randn([64, 3]);
    return { x, y: x.sum(1, { keepdims: true }) };
  };
  const options = (model: nn.Module) => ({ optimizer: new optim.SGD(model.parameters(), { lr: 0.01 }), loss: F.mseLoss, epochs: 3, batchSize: 16, seed: 0 });

  it('"auto" (the default) shows nothing outside a kernel', () => {
    const err = vi.spyOn(process.stderr, "write");
    const log = vi.spyOn(console, "log");
    const model = new nn.Linear(3, 1);
    fit(model, data(), options(model));
    expect(err).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });

  it('"epochs" writes one line per epoch to stderr; verbose still prints its own lines', () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const model = new nn.Linear(3, 1);
    fit(model, data(), { ...options(model), progress: "epochs", verbose: true });
    expect(err.mock.calls.map((c) => String(c[0]).slice(0, 10))).toEqual(["epoch 1/3 ", "epoch 2/3 ", "epoch 3/3 "]);
    expect(log.mock.calls.map((c) => String(c[0]).slice(0, 9))).toEqual(["epoch 1/3", "epoch 2/3", "epoch 3/3"]);
  });

  it('"auto" in a kernel is a live display delayed by AUTO_DELAY_MS; "live" adds none besides a LiveProgress the caller passed', () => {
    const newDisplay = vi.fn(() => ({ raw: vi.fn() }));
    (globalThis as { __tslab__?: unknown }).__tslab__ = { require: () => ({ display: { raw: vi.fn() }, newDisplay }), exports: {} };
    const auto = progressCallback("auto", []);
    expect(auto).toBeInstanceOf(LiveProgress);
    expect([auto?.mode, auto?.delayMs]).toEqual(["live", AUTO_DELAY_MS]);
    expect(AUTO_DELAY_MS).toBe(2000);
    const model = new nn.Linear(3, 1);
    fit(model, data(), { ...options(model), progress: "live" });
    expect(newDisplay).toHaveBeenCalledTimes(1);
    const own = new LiveProgress();
    fit(model, data(), { ...options(model), callbacks: [own], progress: "live" });
    expect(newDisplay).toHaveBeenCalledTimes(2);
    expect(own.state.status).toBe("done");
  });

  it("reports a diverged run, and refuses an unknown mode", () => {
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const model = new nn.Linear(3, 1);
    const progress = new LiveProgress({ mode: "epochs", stream: fakeStream(false).stream });
    const history = fit(model, data(), { ...options(model), optimizer: new optim.SGD(model.parameters(), { lr: 1e6 }), epochs: 5, callbacks: [progress] });
    expect(history.diverged).toBe(true);
    expect(progress.state.status).toBe("diverged");
    expect(() => fit(model, data(), { ...options(model), progress: "loud" as "bar" })).toThrow('[fit] Invalid progress: "loud"');
  });
});

describe("progress view", () => {
  const state: ProgressState = {
    epoch: 2, epochs: 4, batch: 30, batches: 120, elapsedMs: 65_000, etaMs: 130_000,
    current: { loss: 0.123456 }, lastEpoch: { loss: 0.2, valLoss: 0.25 }, lossHistory: [0.2], valLossHistory: [0.25], status: "running",
  };

  it("says where training is in one line", () => {
    expect(progressLine(state)).toBe("epoch 2/4  batch 30/120  1:05 elapsed  ETA 2:10  loss 0.1235  last epoch: loss 0.2  valLoss 0.25");
    expect(progressBundle(state)["text/html"]).toContain('<progress value="31" max="100"'); // (120 + 30) / 480
  });

  it("draws a sparkline only from two points on, on a log scale when values span more than 20×", () => {
    expect(sparkline([{ values: [1], color: "red", label: "loss" }])).toBe("");
    expect(sparkline([{ values: [1, 0.5, 0.25], color: "red", label: "loss" }])).toContain('points="2.0,2.0 80.0,23.3 158.0,34.0"');
    const log = sparkline([{ values: [100, 10, 1], color: "red", label: "loss" }]);
    expect(log).toContain('points="2.0,2.0 80.0,18.0 158.0,34.0"');
    expect(log).toContain("(log scale)");
  });

  it.each([
    [0, "0:00"],
    [61_000, "1:01"],
    [3_723_000, "1:02:03"],
    [-1, "?"],
  ])("formatDuration(%d) = %s", (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([
    [0.123456, "0.1235"],
    [1.23456e-5, "1.235e-5"],
    [12, "12"],
    [NaN, "NaN"],
    [Infinity, "inf"],
  ])("compactNumber(%d) = %s", (v, text) => expect(compactNumber(v)).toBe(text));
});
