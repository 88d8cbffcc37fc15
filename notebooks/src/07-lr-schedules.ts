// %% [markdown] slide
// # Lesson 7 — Learning-rate schedules
//
// The learning rate $\eta$ (`lr` in code) decides how far each step of gradient descent goes.
// Get it wrong and nothing else you tune matters; change it *during* training and the same
// network converges faster and lands lower.
//
// **What you will learn**
//
// - to read learning curves: too low, about right, too high — from real runs;
// - why mini-batch noise makes a constant rate stall, and why decaying it helps;
// - the common schedules — step, exponential, multiplicative, inverse time, power,
//   piecewise constant, cosine, warmup + cosine, 1cycle, reduce-on-plateau — their formulas,
//   and where each lives in kernel-lib;
// - how to find a good rate with the learning-rate range test;
// - how to attach a schedule to an optimizer, per epoch or per batch, and the caveats.

// %% skip
import {
  nn, optim, F, data, diagnostics, fit, evaluate, lrFinder, manualSeed, Generator,
  show, table, charts, meanSd, formatMeanSd, withinNoise, quote, type Callback, type TrainContext,
} from "kernel-lib";

manualSeed(0);
// The MNIST subset that ships with kernel-lib: 2,000 training digits, 500 validation digits (for every choice: rates,
// peaks, plateaus) and 500 test digits that only the final comparison of section 6 looks at.
const digits = data.loadDigits({ train: 2000, test: 1000, seed: 0 });
const train = { x: digits.xTrain, y: digits.yTrain };
const val = { x: digits.xTest.slice(0, 0, 500), y: digits.yTest.slice(0, 0, 500) };
const test = { x: digits.xTest.slice(0, 500, 1000), y: digits.yTest.slice(0, 500, 1000) };

/** The same small MLP (784 → 32 → 10) with the same initial weights every time it is called with the same seed. */
function makeModel(seed = 0): nn.Sequential {
  return new nn.Sequential(
    new nn.Linear(784, 32, { generator: new Generator(10 * seed + 1) }),
    new nn.ReLU(),
    new nn.Linear(32, 10, { generator: new Generator(10 * seed + 2) }),
  );
}

/** A callback that records the loss and the learning rate of every mini-batch. */
class BatchLog implements Callback {
  readonly losses: number[] = [];
  readonly lrs: number[] = [];
  onBatchEnd(ctx: TrainContext, logs: { loss: number }): void {
    this.losses.push(logs.loss);
    this.lrs.push(ctx.optimizer.paramGroups[0].lr);
  }
}

/** A fresh optimizer over a throw-away parameter: enough to drive a scheduler without training anything. */
const dummyOpt = (lr: number) => new optim.SGD(new nn.Linear(1, 1, { generator: new Generator(0) }).parameters(), { lr });

/** Exponential moving average with bias correction, to make noisy per-batch curves readable. */
function smooth(values: readonly number[], beta = 0.9): number[] {
  let avg = 0;
  return values.map((v, i) => {
    avg = beta * avg + (1 - beta) * v;
    return avg / (1 - beta ** (i + 1));
  });
}
console.log(`train ${train.x.shape}, validation ${val.x.shape}, test ${test.x.shape}`);

// %% [markdown] slide
// ## 1. The most important hyperparameter
//
// Gradient descent updates the weights $\theta$ by $\theta \leftarrow \theta - \eta\,\nabla_\theta L$.
// The gradient gives the direction; $\eta$ alone decides the length of the step.
//
// - **too low**: every step is safe and tiny; training crawls and the budget runs out first;
// - **too high**: steps overshoot the valley, the loss bounces or climbs; in a ReLU net a few
//   huge updates can switch units off for good, or the loss becomes `NaN`;
// - **about right**: the loss falls fast at first, then slowly.
//
// Géron's Figure 11-8 sketches these curves. Let us *measure* them: the same network, the same
// initial weights and batches, plain SGD, four learning rates a factor of 10 apart.

// %% subslide
const rateRuns: { lr: number; log: BatchLog; model: nn.Sequential }[] = [];
for (const lr of [0.003, 0.03, 0.3, 3]) {
  const model = makeModel();
  const log = new BatchLog();
  fit(model, train, { optimizer: new optim.SGD(model.parameters(), { lr }), loss: F.crossEntropy, epochs: 3, batchSize: 64, seed: 0, callbacks: [log], progress: "auto" });
  rateRuns.push({ lr, log, model });
}
show(charts.line(
  rateRuns.flatMap(({ lr, log }) => smooth(log.losses).map((loss, step) => ({ step, loss, lr: `lr = ${lr}` }))),
  { x: "step", y: "loss", color: "lr", logY: true, title: "Training loss per mini-batch (smoothed), plain SGD" },
));

// %% fragment
const rateRows = rateRuns.map(({ lr, log, model }) => {
  const perEpoch = log.losses.length / 3;
  const relu = diagnostics.activationStats(model, val.x).find((s) => s.type === "ReLU");
  return {
    lr,
    "loss, epoch 1 (mean)": log.losses.slice(0, perEpoch).reduce((a, b) => a + b, 0) / perEpoch,
    "loss, epoch 3 (mean)": log.losses.slice(-perEpoch).reduce((a, b) => a + b, 0) / perEpoch,
    "val accuracy": evaluate(model, val, { metrics: ["accuracy"] }).accuracy,
    "dead hidden units": relu ? relu.deadFraction : NaN,
  };
});
show(table(rateRows, { digits: 3, caption: "3 epochs of SGD, batch 64" }));
const rateRow = (lr: number) => rateRows.find((r) => r.lr === lr)!;
quote({
  lowestLrLoss: rateRow(0.003)["loss, epoch 3 (mean)"], bestRateOfFour: [...rateRows].sort((p, q) => q["val accuracy"] - p["val accuracy"])[0].lr,
  bestRateAcc: Math.max(...rateRows.map((r) => r["val accuracy"])), highLrLoss: rateRow(3)["loss, epoch 3 (mean)"], highLrFirst: rateRow(3)["loss, epoch 1 (mean)"],
  highLrDead: `${Math.round(100 * rateRow(3)["dead hidden units"])} %`,
});

// %% [markdown] fragment
// Read the four curves like a doctor reads a chart:
//
// - `lr = 0.003` has barely left the starting loss $\ln 10 \approx 2.30$ (a uniform guess over 10 classes): its third
//   epoch still averages {{lowestLrLoss}};
// - `lr = 0.03` is learning, but slowly: it would need many more epochs;
// - the best of the four on the validation digits (one seed) is `lr = {{bestRateOfFour}}` (accuracy {{bestRateAcc}}): a steep fall, then a
//   noisy slow descent;
// - `lr = 3` jumps *up* on its first steps (epoch 1 averages {{highLrFirst}}) and then sits at {{highLrLoss}}: the huge first
//   updates pushed the hidden units into the region where ReLU outputs 0 for every input ({{highLrDead}} of them are dead).
//   With no gradient left, the network is stuck at chance.
//   In other networks the same mistake shows up as a loss that grows to `NaN`; `fit` stops then
//   and sets `history.diverged`.
//
// The good range is narrow on a log scale, and its best value depends on the model, the
// optimizer and the batch size: that is why the rate is called the most important hyperparameter.

// %% [markdown] notes
// Point at the log scale: the lr values differ by 10×, so the plot is the natural way to read them.
// The lr = 3 run is a nice surprise for students who expect NaN: a ReLU net can "die" instead.

// %% [markdown] slide
// ## 2. Why decay? Mini-batch noise
//
// A mini-batch gradient is an *estimate* of the full gradient, made from $B$ samples. Its
// average is right, but it scatters around the truth with a variance proportional to $1/B$.
// With a constant rate the weights therefore never settle: near the minimum the true gradient
// is small while the noise is not, so every step jitters around the minimum in a "noise ball"
// whose size grows with $\eta$ and shrinks with $B$. The loss curve oscillates.
//
// Two ways to calm it down:
//
// - **larger batches** (less noise per step, but fewer steps per epoch and more work per step);
// - **a smaller rate at the end of training**: big steps early to travel, small steps late to
//   settle. That is a learning-rate *schedule*.

// %% [markdown] subslide
// ### The batch-size experiment from Karmakar's lecture notes
//
// In Sourav Karmakar's lecture notes *Additional Techniques for Training Neural Networks*, the same MNIST classifier trains for 100 epochs with two batch sizes:
//
// | batch size | train acc. | validation acc. | test acc. | time |
// |---:|---:|---:|---:|---:|
// | 1024 | 98.45 % | 97.67 % | 97.08 % | 4.38 min |
// | 64 | 98.50 % | 97.65 % | 97.18 % | 5.59 min |
//
// After 100 epochs both end in the same place, but the batch-64 curves zig-zag much more
// on the way (each epoch is 16× more steps, each one noisier), and the run takes longer on the
// same hardware. Their conclusion: the oscillations come from the mini-batch
// approximation, and decaying the learning rate is how to damp them toward the end.
// (A zig-zag loss is also one of the signals for *raising* the batch size — lesson 8.)

// %% [markdown] subslide
// ### The noise ball, measured
//
// A problem small enough to know its exact minimum: linear least squares with $n = 1000$ samples
// and $d = 10$ features, $L(w) = \frac{1}{2n}\sum_i (x_i^\top w - y_i)^2$, trained by mini-batch SGD.
// We track the *excess* loss $L(w_t) - L(\hat w)$ above the true minimum $\hat w$.

// %% fragment
/** A linear-regression problem on plain arrays: X [n, d], y = X·w* + noise. */
const toy = (() => {
  const g = new Generator(3);
  const n = 1000, d = 10;
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => g.normal()));
  const wTrue = Array.from({ length: d }, () => g.normal());
  const y = X.map((row) => row.reduce((s, xj, j) => s + xj * wTrue[j], 0) + 0.5 * g.normal()); // noise σ = 0.5
  return { X, y, n, d };
})();

/** Mean squared error / 2 over the whole set. */
function toyLoss(w: readonly number[]): number {
  let total = 0;
  toy.X.forEach((row, i) => {
    const r = row.reduce((s, xj, j) => s + xj * w[j], 0) - toy.y[i];
    total += r * r;
  });
  return total / (2 * toy.n);
}

/**
 * Mini-batch SGD from w = 0: each step averages the gradient of `batchSize` random samples
 * (all n samples, in order, when batchSize = n). lrAt(step) gives the rate. Returns the loss after every step.
 */
function toySgd(lrAt: (step: number) => number, batchSize: number, steps: number, seed: number): { w: number[]; losses: number[] } {
  const g = new Generator(seed);
  const w = new Array<number>(toy.d).fill(0);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const grad = new Array<number>(toy.d).fill(0);
    for (let b = 0; b < batchSize; b++) {
      const i = batchSize === toy.n ? b : g.randint(0, toy.n);
      const r = toy.X[i].reduce((s, xj, j) => s + xj * w[j], 0) - toy.y[i];
      for (let j = 0; j < toy.d; j++) grad[j] += (r * toy.X[i][j]) / batchSize;
    }
    const lr = lrAt(step);
    for (let j = 0; j < toy.d; j++) w[j] -= lr * grad[j];
    losses.push(toyLoss(w));
  }
  return { w, losses };
}

// The minimum: full-batch gradient descent until it stops moving (this problem is well conditioned).
const minLoss = toyLoss(toySgd(() => 0.5, toy.n, 200, 0).w);
console.log(`minimum of L: ${minLoss.toFixed(6)}`);

// %% subslide tags=slide-hide-code
const toySteps = 2000;
const sigma = 0.5; // the noise level used to make y
const toyRuns = [
  { name: "η = 0.05, B = 8", lrAt: () => 0.05, batch: 8, lr: 0.05 },
  { name: "η = 0.005, B = 8", lrAt: () => 0.005, batch: 8, lr: 0.005 },
  { name: "η = 0.05, B = 128", lrAt: () => 0.05, batch: 128, lr: 0.05 },
  { name: "η = 0.05 → cosine → 0, B = 8", lrAt: (s: number) => optim.schedules.cosine(0.05, s, toySteps), batch: 8, lr: NaN },
].map((r) => ({ ...r, excess: toySgd(r.lrAt, r.batch, toySteps, 1).losses.map((l) => l - minLoss) }));

show(charts.line(
  toyRuns.flatMap((r) => r.excess.filter((_, s) => s % 10 === 0).map((excess, k) => ({ step: 10 * k, excess, run: r.name }))),
  { x: "step", y: "excess", color: "run", logY: true, title: "Excess loss L(w) − L(ŵ) of mini-batch SGD", yTitle: "excess loss" },
));
const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const toyRows = toyRuns.map((r) => ({
  run: r.name,
  "after 200 steps": r.excess[199],
  "steps 1000–1500 (mean)": meanOf(r.excess.slice(1000, 1500)),
  "last 100 steps (mean)": meanOf(r.excess.slice(-100)),
  "predicted floor ηdσ²/(4B)": Number.isNaN(r.lr) ? null : (r.lr * toy.d * sigma ** 2) / (4 * r.batch),
}));
show(table(toyRows, { digits: 5 }));
// The floor of a constant-rate run: its mean excess loss over steps 1000–1500, long after it stopped improving.
const [large, small, bigBatch, decayed] = toyRows;
const floorOf = (r: (typeof toyRows)[number]) => r["steps 1000–1500 (mean)"];
quote({
  floorRatioLr: floorOf(large) / floorOf(small), floorRatioBatch: floorOf(large) / floorOf(bigBatch),
  smallAt200: small["after 200 steps"], largeAt200: large["after 200 steps"], decayedAt200: decayed["after 200 steps"],
  decayedEnd: decayed["last 100 steps (mean)"], largeEnd: large["last 100 steps (mean)"], smallEnd: small["last 100 steps (mean)"],
  decayedBelowLarge: large["last 100 steps (mean)"] / decayed["last 100 steps (mean)"],
  decayedVsSmall: decayed["last 100 steps (mean)"] <= small["last 100 steps (mean)"] ? "below" : "above",
}, 2);

// %% [markdown] fragment
// What the numbers say:
//
// - with a **constant** rate the loss stops improving at a floor: the noise ball. For this problem the floor can
//   be worked out: near the minimum each step adds noise of variance $\propto \eta^2\sigma^2/B$ and removes a
//   fraction $\propto \eta$ of the distance, which balances at an excess loss of about $\eta\,d\,\sigma^2/(4B)$ —
//   the "predicted" column. The floor is **proportional to $\eta/B$**;
// - dividing $\eta$ by 10 lowers the floor {{floorRatioLr}}× (measured over steps 1000–1500; the prediction is 10×) — but
//   that run is still at {{smallAt200}} after 200 steps, where the large rate is at {{largeAt200}};
// - a **16× larger batch** lowers the floor {{floorRatioBatch}}× (predicted 16×), at 16× the gradient computations per step;
// - the **decayed** rate gets both: after 200 steps it is at {{decayedAt200}}, as fast as the large rate, and over the last
//   100 steps it averages {{decayedEnd}}, {{decayedBelowLarge}}× below the large constant rate ({{largeEnd}}) and {{decayedVsSmall}}
//   the small one ({{smallEnd}}) — the floor sinks as $\eta \to 0$.

// %% [markdown] notes
// Stochastic-approximation theory (Robbins–Monro) makes this precise: SGD converges on convex
// problems when Σ η_t = ∞ (you can travel anywhere) and Σ η_t² < ∞ (the noise adds up to a finite amount),
// e.g. η_t ∝ 1/t. A constant rate violates the second condition.

// %% [markdown] slide
// ## 3. The schedules
//
// A schedule is a function $t \mapsto \eta_t$ of the epoch (or step) $t$, starting from $\eta_0$
// (`lr0`). All of these are in `optim.schedules` as pure functions
// (source: `kernel-lib/src/optim/schedules/`), and in `optim.lrScheduler` bound to an optimizer.
//
// | schedule | $\eta_t$ | `optim.schedules` | PyTorch |
// |---|---|---|---|
// | step decay | $\eta_0\,\gamma^{\lfloor t/s \rfloor}$ | `stepDecay(lr0, t, { stepSize, gamma })` | `StepLR` |
// | exponential | $\eta_0\,e^{-kt}$ | `exponential(lr0, t, k)` | `ExponentialLR` ($\gamma = e^{-k}$) |
// | multiplicative | $\eta_t = \alpha\,\eta_{t-1}$, $0<\alpha<1$ | `multiplicative(lr0, t, () => alpha)` | `MultiplicativeLR` |
// | inverse time | $\eta_0 / (1 + kt)$ | `inverseTime(lr0, t, k)` | `LambdaLR` |
// | power (Keras) | $\eta_0 / (1 + t/s)^c$ | `power(lr0, t, { s, c })` | `LambdaLR` |
// | piecewise constant | $\eta^{(i)}$ between boundaries | `piecewiseConstant(t, boundaries, values)` | `MultiStepLR` |
// | cosine annealing | $\eta_{\min} + \tfrac12(\eta_0-\eta_{\min})(1+\cos\tfrac{\pi t}{T})$ | `cosine(lr0, t, T, lrMin)` | `CosineAnnealingLR` |
// | warmup + cosine | $\eta_0\,t/t_w$ for $t<t_w$, then cosine over $T - t_w$ | `warmupCosine(lr0, t, {…})` | `SequentialLR(LinearLR, CosineAnnealingLR)` |
// | 1cycle | up from $\eta_{\max}/25$ to $\eta_{\max}$, down to $\eta_{\max}/(25\cdot10^4)$ | `oneCycle(t, { maxLr, totalSteps })` | `OneCycleLR` |
// | performance-based | $\eta \leftarrow f\,\eta$ when the validation loss stalls | (needs the metric) | `ReduceLROnPlateau` |

// %% [markdown] subslide
// ### Decays
//
// - **Step decay** holds the rate, then cuts it by a factor $\gamma$ every $s$ epochs (the classic ImageNet
//   recipe: ÷10 every 30 epochs). The sudden drops show as sudden drops in the loss; they can also knock the
//   network out of a local minimum, which helps or hurts depending on the timing.
// - **Exponential** $\eta_0 e^{-kt}$ is its smooth version: ÷$e$ every $1/k$ epochs. Multiplying by a fixed
//   $\alpha$ each epoch, $\eta_t = \alpha\,\eta_{t-1}$, is *the same curve* with $\alpha = e^{-k}$.
// - **Inverse time** $\eta_0/(1+kt)$ and **power scheduling** $\eta_0/(1+t/s)^c$ fall fast at first, then
//   slower and slower: the rate reaches $\eta_0/2^j$ at $t = s\,(2^{j/c} - 1)$. For $c = 1$ (inverse time with
//   $k = 1/s$) that is after $s$, $3s$, $7s$, … epochs; for the chart's $c = 2$ the halvings come sooner, after
//   $0.41s$, $s$, $1.83s$, ….
// - **Piecewise constant**: hand-picked values between hand-picked epochs.

// %% fragment
const lr0 = 0.1;
const epochs100 = Array.from({ length: 100 }, (_, t) => t);
const decays = [
  { name: "step (γ = 0.5, every 20)", lrs: epochs100.map((t) => optim.schedules.stepDecay(lr0, t, { stepSize: 20, gamma: 0.5 })) },
  { name: "exponential (k = 0.03)", lrs: epochs100.map((t) => optim.schedules.exponential(lr0, t, 0.03)) },
  { name: "multiplicative (α = e^−0.03)", lrs: epochs100.map((t) => optim.schedules.multiplicative(lr0, t, () => Math.exp(-0.03))) },
  { name: "inverse time (k = 0.1)", lrs: epochs100.map((t) => optim.schedules.inverseTime(lr0, t, 0.1)) },
  { name: "power (s = 10, c = 2)", lrs: epochs100.map((t) => optim.schedules.power(lr0, t, { s: 10, c: 2 })) },
  { name: "piecewise [0.1, 0.03, 0.01]", lrs: epochs100.map((t) => optim.schedules.piecewiseConstant(t, [40, 70], [0.1, 0.03, 0.01])) },
];
show(charts.lrSchedule(decays, { logScale: true, xTitle: "epoch", title: "Decay schedules from η₀ = 0.1 (log scale)" }));
const maxGap = Math.max(...epochs100.map((t) => Math.abs(decays[1].lrs[t] - decays[2].lrs[t]) / decays[1].lrs[t]));
console.log(`exponential vs multiplicative: largest relative difference ${maxGap.toExponential(1)} (the same curve)`);

// %% [markdown] subslide
// ### Cosine, warmup, 1cycle
//
// - **Cosine annealing** needs only the length $T$ of training. It stays high for a long time, falls fastest
//   in the middle and lands softly on $\eta_{\min}$. Popular because it works across architectures with
//   almost no tuning.
// - **Warmup**: a freshly initialized network (and Adam, whose moment estimates are still empty) can take
//   destructive steps at full rate. Start near 0 and rise linearly for the first 5–10 % of training, then
//   decay — usually by a cosine. Warmup + cosine is today's default for large models and transformers.
// - **1cycle**. Smith's original (2018) rises *linearly* from a low rate to $\eta_{\max}$ over about half of
//   training, falls linearly back to the low rate, and ends with a short "annihilation" phase that drops it
//   several orders of magnitude further; the momentum moves the opposite way. PyTorch's `OneCycleLR` (after
//   fast.ai), which kernel-lib follows, is a variant: two phases, by default *cosine*, from $\eta_{\max}/25$ up to
//   $\eta_{\max}$ over the first 30 % of the steps, then down to $\eta_{\max}/(25\cdot 10^4)$, momentum
//   0.95 → 0.85 → 0.95 (`threePhase: true` and `annealStrategy: "linear"` come closer to Smith's). The high
//   middle acts as a regularizer, the tiny end converges. Meant to be stepped **per batch**.
// - **Performance-based** (`ReduceLROnPlateau`): no formula in advance; multiply the rate by `factor` when the
//   validation loss has not improved for `patience` epochs. Below it is fed the simulated validation curve
//   of lesson 8 ($0.8e^{-t/30} + 0.05 + 0.001\max(0, t-80)^{1.3}$, made to plateau with noise).

// %% fragment
const plateauOpt = dummyOpt(lr0);
const plateau = new optim.lrScheduler.ReduceLROnPlateau(plateauOpt, { factor: 0.5, patience: 5 });
const noise = new Generator(4);
const plateauLrs = epochs100.map((t) => {
  const lr = plateauOpt.paramGroups[0].lr;
  const valLoss = 0.8 * Math.exp(-t / 30) + 0.05 + 0.001 * Math.max(0, t - 80) ** 1.3 + 0.01 * noise.normal();
  plateau.step(valLoss);
  return lr;
});
const shapes = [
  { name: "cosine (T = 100)", lrs: epochs100.map((t) => optim.schedules.cosine(lr0, t, 100)) },
  { name: "warmup 10 + cosine", lrs: epochs100.map((t) => optim.schedules.warmupCosine(lr0, t, { warmupSteps: 10, totalSteps: 100 })) },
  { name: "1cycle (max 0.1)", lrs: epochs100.map((t) => optim.schedules.oneCycle(t, { maxLr: lr0, totalSteps: 100 })) },
  { name: "reduce on plateau (½, patience 5)", lrs: plateauLrs },
];
show(charts.lrSchedule(shapes, { xTitle: "epoch", title: "Schedules with a shape (linear scale)" }));

// %% [markdown] subslide
// ### The seed's table, reproduced
//
// The tutorial *Learn AI Series (#40): Training Neural Networks – Practical Challenges* (scipio) compares three schedules over 100 epochs from $\eta_0 = 0.001$: step decay halving every
// 30 epochs, cosine annealing over 100 epochs with $\eta_{\min} = 10^{-6}$, and 10 epochs of linear warmup
// followed by a cosine over the remaining 90 (same $\eta_{\min}$). Here they are with kernel-lib's
// functions, printed with six decimals as scipio's tutorial does.

// %% fragment
const seedEpochs = [0, 5, 10, 20, 30, 50, 70, 90, 99];
const seedRows = seedEpochs.map((e) => ({
  epoch: e,
  step: optim.schedules.stepDecay(0.001, e, { stepSize: 30, gamma: 0.5 }).toFixed(6),
  cosine: optim.schedules.cosine(0.001, e, 100, 1e-6).toFixed(6),
  "warmup+cos": optim.schedules.warmupCosine(0.001, e, { warmupSteps: 10, totalSteps: 100, lrMin: 1e-6 }).toFixed(6),
}));
show(table(seedRows, { caption: "η at selected epochs (η₀ = 0.001)" }));
const seedAt = (epoch: number) => seedRows.find((r) => r.epoch === epoch)!;
quote({ seedCos30: seedAt(30).cosine, seedWarm30: seedAt(30)["warmup+cos"], seedStep90: seedAt(90).step, seedWarm0: seedAt(0)["warmup+cos"], seedCos99: optim.schedules.cosine(0.001, 99, 100, 1e-6) }, 2);

// %% [markdown] fragment
// Every entry equals what scipio's Python prints (for instance {{seedCos30}} for cosine at epoch 30,
// {{seedWarm30}} for warmup + cosine, {{seedStep90}} for step decay from epoch 90 on). Two details worth noticing:
//
// - the warmup rate at epoch 0 is {{seedWarm0}}: that first epoch trains nothing. PyTorch's `LinearLR` (and ours)
//   requires a start factor above 0; `warmupCosine` accepts a `warmupStartLr` to start above 0 as well.
// - at epoch 99 the cosine is at {{seedCos99}}, not $10^{-6}$: with epochs numbered 0–99 the cosine reaches
//   $T = 100$ only *after* the last epoch. Use $T$ = epochs − 1 to land exactly on $\eta_{\min}$.

// %% [markdown] slide
// ## 4. Attaching a schedule to an optimizer
//
// PyTorch offers two ways, and so do we.
//
// **Option 1 — your own function**, called at the end of each epoch, writing the rate into the optimizer:
//
// ```ts
// for (let epoch = 0; epoch < epochs; epoch++) {
//   trainOneEpoch(model, optimizer);
//   for (const group of optimizer.paramGroups) group.lr = optim.schedules.cosine(lr0, epoch + 1, epochs);
// }
// ```
//
// **Option 2 — a scheduler object** (`torch.optim.lr_scheduler` ↔ `optim.lrScheduler`, source in
// `kernel-lib/src/optim/lr-scheduler/`): build it after the optimizer, call `scheduler.step()` after each
// epoch (or each batch — or every few epochs: nothing forces one call per epoch), read `scheduler.getLastLr()`.
// Construction already sets the epoch-0 rate.
// With `fit`, pass it as an option and `fit` steps it for you:
//
// ```ts
// fit(model, train, { optimizer, scheduler, schedulerInterval: "epoch" /* or "batch" */, … });
// ```

// %% subslide tags=slide-hide-code
/** The rate a scheduler sets at epochs 0 … n − 1. */
function ratesOf(scheduler: optim.lrScheduler.LRScheduler, n: number): number[] {
  return Array.from({ length: n }, (_, e) => {
    if (e > 0) scheduler.step();
    return scheduler.getLastLr()[0];
  });
}
const optA = dummyOpt(0.001);
const optB = dummyOpt(0.001);
const optC = dummyOpt(0.001);
const bound = {
  "StepLR vs stepDecay": [
    ratesOf(new optim.lrScheduler.StepLR(optA, { stepSize: 30, gamma: 0.5 }), 100),
    epochs100.map((t) => optim.schedules.stepDecay(0.001, t, { stepSize: 30, gamma: 0.5 })),
  ],
  "CosineAnnealingLR vs cosine": [
    ratesOf(new optim.lrScheduler.CosineAnnealingLR(optB, { tMax: 100, etaMin: 1e-6 }), 100),
    epochs100.map((t) => optim.schedules.cosine(0.001, t, 100, 1e-6)),
  ],
  "SequentialLR(LinearLR, Cosine) vs warmupCosine": [
    ratesOf(new optim.lrScheduler.SequentialLR(optC, {
      schedulers: [
        new optim.lrScheduler.LinearLR(optC, { startFactor: 0.1, totalIters: 10 }),
        new optim.lrScheduler.CosineAnnealingLR(optC, { tMax: 90, etaMin: 1e-6 }),
      ],
      milestones: [10],
    }), 100),
    epochs100.map((t) => optim.schedules.warmupCosine(0.001, t, { warmupSteps: 10, totalSteps: 100, lrMin: 1e-6, warmupStartLr: 0.0001 })),
  ],
};
show(table(Object.entries(bound).map(([pair, [a, b]]) => ({
  pair,
  "largest |difference| over 100 epochs": Math.max(...a.map((v, i) => Math.abs(v - b[i]))),
})), { digits: 3 }));

// %% [markdown] fragment
// The bound schedulers and the pure functions agree to rounding (the warmup pair starts at a tenth of the rate,
// `startFactor: 0.1` ↔ `warmupStartLr: 0.0001`, since `LinearLR` cannot start at 0). Anything else can be written as a
// `LambdaLR`, whose factor multiplies the base rate — e.g. inverse-time decay:
// `new optim.lrScheduler.LambdaLR(optimizer, { lrLambda: (e) => 1 / (1 + 0.1 * e) })`.

// %% [markdown] slide
// ## 5. Finding the rate: the range test
//
// Smith's learning-rate range test (`lrFinder`, source `kernel-lib/src/train/lr-finder.ts`) trains for a
// few hundred mini-batches while the rate grows exponentially from tiny to huge,
// $\eta_i = \eta_{\text{start}}\,(\eta_{\text{end}}/\eta_{\text{start}})^{i/(N-1)}$, and records the (smoothed)
// loss. The model's weights are restored afterwards.
//
// On the curve: flat on the left (too small to matter), a steep descent, a minimum, then an explosion.
// Good rates sit on the steep part — `suggestedLr` is where the loss falls fastest — or, by another common
// rule, one tenth of the rate at the minimum.

// %% subslide
const finder = lrFinder(makeModel(), train, {
  makeOptimizer: (params) => new optim.SGD(params, { lr: 1, momentum: 0.9 }),
  loss: F.crossEntropy, startLr: 1e-4, endLr: 10, numIters: 100, batchSize: 64, seed: 0,
});
show(charts.line(
  finder.lrs.map((lr, i) => ({ lr, loss: finder.smoothedLosses[i] })),
  { x: "lr", y: "loss", logX: true, title: "LR range test: SGD with momentum 0.9", xTitle: "learning rate (log)", yTitle: "smoothed loss" },
));
console.log(`steepest descent at lr = ${finder.suggestedLr.toPrecision(2)}`);
console.log(`minimum of the loss at lr = ${finder.minLossLr.toPrecision(2)} → a tenth of it: ${(finder.minLossLr / 10).toPrecision(2)}`);
if (finder.lrs.length < 100) console.log(`the sweep stopped after ${finder.lrs.length} of 100 batches: the loss exploded`);
const [ruleA, ruleB] = [finder.suggestedLr, finder.minLossLr / 10].sort((a, b) => a - b);
quote({ rangeLow: ruleA, rangeHigh: ruleB, rangeFactor: ruleB / ruleA }, 2);

// %% [markdown] fragment
// The two rules land a factor {{rangeFactor}} apart, between {{rangeLow}} and {{rangeHigh}} for SGD with momentum 0.9 on
// this network. The whole test cost about three epochs of training — cheap compared with a grid of full runs. A
// range test gives one rate for one schedule, though; to *compare* schedules fairly, each gets its own.

// %% [markdown] slide
// ## 6. Schedules on a real run
//
// The same network and SGD with momentum 0.9, batch 64, **6 epochs**; only the schedule changes:
//
// - constant; step decay ×0.3 every 2 epochs; cosine over the 6 epochs (stepped per epoch);
// - warmup (1 epoch) + cosine and 1cycle, both stepped **per batch**;
// - reduce-on-plateau (×0.3 after 1 epoch without validation improvement);
// - a deliberately bad one: ×0.3 *every* epoch — decay that comes too early.
//
// A fair comparison gives every schedule its own **peak rate**: each runs at 0.01, 0.03, 0.1, 0.3 and 1 on 3 seeds
// (a seed fixes the initial weights and the batch order), keeps the rate with the lowest mean validation loss
// (checked to be inside the grid), and is then rerun at that rate on 5 fresh seeds, scored on the 500 **test** digits
// that no choice looked at: those are the table's numbers. (A 1cycle run
// at twice the others' peak rate, as a range test would suggest, mixes the effect of the schedule with the
// effect of the rate.)

// %% subslide tags=slide-hide-code
const E = 6;
const stepsPerEpoch = Math.ceil(train.x.shape[0] / 64);
type Sched = { scheduler?: optim.lrScheduler.LRScheduler | optim.lrScheduler.ReduceLROnPlateau; schedulerInterval?: "epoch" | "batch" };
const scheduleRuns: Record<string, (opt: optim.SGD, peak: number) => Sched> = {
  constant: () => ({}),
  "step ×0.3 / 2 epochs": (opt) => ({ scheduler: new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.3 }) }),
  "cosine (per epoch)": (opt) => ({ scheduler: new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: E }) }),
  "warmup + cosine (per batch)": (opt) => ({
    scheduler: new optim.lrScheduler.LambdaLR(opt, { lrLambda: (s) => optim.schedules.warmupCosine(1, s, { warmupSteps: stepsPerEpoch, totalSteps: E * stepsPerEpoch }) }),
    schedulerInterval: "batch",
  }),
  "1cycle (per batch)": (opt, peak) => ({ scheduler: new optim.lrScheduler.OneCycleLR(opt, { maxLr: peak, epochs: E, stepsPerEpoch: stepsPerEpoch }), schedulerInterval: "batch" }),
  "reduce on plateau": (opt) => ({ scheduler: new optim.lrScheduler.ReduceLROnPlateau(opt, { factor: 0.3, patience: 1 }) }),
  "too early: ×0.3 every epoch": (opt) => ({ scheduler: new optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.3 }) }),
};
/** One 6-epoch run of a schedule at peak rate `peak`; the seed fixes the initial weights and the batch order. */
function runSchedule(name: string, peak: number, seed: number) {
  const model = makeModel(seed);
  const optimizer = new optim.SGD(model.parameters(), { lr: peak, momentum: 0.9 });
  const log = new BatchLog();
  const history = fit(model, train, {
    optimizer, loss: F.crossEntropy, epochs: E, batchSize: 64, seed, validation: val, metrics: ["accuracy"],
    callbacks: [log], progress: "none", ...scheduleRuns[name](optimizer, peak),
  });
  return { history, log, model };
}
const peakGrid = [0.01, 0.03, 0.1, 0.3, 1];
const finiteOr = (x: number, fallback: number) => (Number.isFinite(x) ? x : fallback);
const tuning = Object.keys(scheduleRuns).map((name) => {
  const means = peakGrid.map((peak) => meanSd([0, 1, 2].map((seed) => finiteOr(runSchedule(name, peak, seed).history.last.valLoss, 10))).mean);
  const k = means.indexOf(Math.min(...means));
  return { name, peak: peakGrid[k], atEdge: k === 0 || k === peakGrid.length - 1 };
});
const freshSeeds = [10, 11, 12, 13, 14];
const results = tuning.map(({ name, peak, atEdge }) => {
  const runs = freshSeeds.map((seed) => runSchedule(name, peak, seed));
  const scores = runs.map((r) => evaluate(r.model, test, { loss: F.crossEntropy, metrics: ["accuracy"] }));
  return { name, peak, atEdge, runs, train: runs.map((r) => r.history.last.loss), testLoss: scores.map((t) => t.loss), testAcc: scores.map((t) => t.accuracy) };
});
show(table(results.map((r) => ({
  schedule: r.name, "peak lr": r.peak, "at grid edge?": r.atEdge ? "yes" : "no",
  "train loss": formatMeanSd(r.train, 4), "test loss": formatMeanSd(r.testLoss, 4), "test accuracy": formatMeanSd(r.testAcc, 4),
})), { caption: `after ${E} epochs at each schedule's tuned peak rate; test set, mean ± sd over 5 fresh seeds (train loss = mean over the last epoch)` }));
show(charts.bar(results.flatMap((r) => [
  { schedule: r.name, measure: "train loss", loss: meanSd(r.train).mean, sd: meanSd(r.train).sd },
  { schedule: r.name, measure: "test loss", loss: meanSd(r.testLoss).mean, sd: meanSd(r.testLoss).sd },
]), { x: "schedule", y: "loss", color: "measure", yError: "sd", title: "Schedules at their tuned peak rates (mean ± sd, 5 seeds)" }));

// %%
const constantRun = results[0];
const decaying = results.filter((r) => ["step ×0.3 / 2 epochs", "cosine (per epoch)", "warmup + cosine (per batch)", "1cycle (per batch)"].includes(r.name));
const byTest = [...results].sort((p, q) => meanSd(p.testLoss).mean - meanSd(q.testLoss).mean);
const lowerTrainOnly = results.slice(1).filter((r) => meanSd(r.train).mean < meanSd(constantRun.train).mean && !withinNoise(r.train, constantRun.train) && withinNoise(r.testLoss, constantRun.testLoss));
const tooEarly = results[results.length - 1];
/** "within the noise of", "above" or "below": how the values a compare with b (5 seeds each). */
const verdictOf = (a: readonly number[], b: readonly number[]) => (withinNoise(a, b) ? "within the noise of" : meanSd(a).mean > meanSd(b).mean ? "above" : "below");
const plateauLog = results.find((r) => r.name === "reduce on plateau")!.runs[0].log.lrs;
const plateauFirstCut = plateauLog.findIndex((lr) => lr < plateauLog[0]) >= 0 ? plateauLog.findIndex((lr) => lr < plateauLog[0]) + 1 : undefined;
quote({
  bestSchedule: byTest[0].name, bestTest: formatMeanSd(byTest[0].testLoss, 4),
  testTies: byTest.filter((r) => withinNoise(r.testLoss, byTest[0].testLoss)).map((r) => r.name).join(", "),
  decayBeatsConstant: String(decaying.filter((r) => meanSd(r.testLoss).mean < meanSd(constantRun.testLoss).mean && !withinNoise(r.testLoss, constantRun.testLoss)).length),
  decayCount: String(decaying.length), constantTest: formatMeanSd(constantRun.testLoss, 4),
  oneCyclePeak: results.find((r) => r.name === "1cycle (per batch)")!.peak, constantPeak: constantRun.peak,
  tooEarlyTrain: formatMeanSd(tooEarly.train, 4), constantTrain: formatMeanSd(constantRun.train, 4),
  tooEarlyVsConstant: verdictOf(tooEarly.train, constantRun.train), tooEarlyPeakSentence: tooEarly.peak > constantRun.peak
    ? `Tuning fights back: its best peak is ${tooEarly.peak}, ${Number((tooEarly.peak / constantRun.peak).toPrecision(2))}× the constant rate's, so that a few big early steps do the travelling`
    : `Its best peak is ${tooEarly.peak}, no larger than the constant rate's`,
  tooEarlyTest: formatMeanSd(tooEarly.testLoss, 4), tooEarlyTestVsConstant: verdictOf(tooEarly.testLoss, constantRun.testLoss),
  tooEarlyTestVsBest: verdictOf(tooEarly.testLoss, byTest[0].testLoss),
  plateauCut: plateauFirstCut === undefined ? "here it never cut at all: its runs are the constant rate's, number for number" : `here its first cut came at batch ${plateauFirstCut} of ${E * stepsPerEpoch}`,
  trainOnlySentence: lowerTrainOnly.length === 0
    ? "no schedule here lowers the training loss beyond the noise while leaving the test loss where the constant rate's is"
    : `${lowerTrainOnly.map((r) => r.name).join(", ")} lower${lowerTrainOnly.length === 1 ? "s" : ""} the training loss beyond the noise but not the test loss`,
});

// %% subslide
show(charts.lrSchedule(results.map(({ name, runs }) => ({ name, lrs: runs[0].log.lrs })), { xTitle: "batch", title: "The learning rate of every batch (first seed)" }));
show(charts.line(
  results.flatMap(({ name, runs }) => runs[0].history.get("valLoss").map((valLoss, e) => ({ epoch: e + 1, valLoss, schedule: name }))),
  { x: "epoch", y: "valLoss", color: "schedule", title: "Validation loss per epoch (first seed)", yTitle: "validation loss" },
));

// %% [markdown] fragment
// How to read the table:
//
// - the lowest mean test loss is {{bestSchedule}}'s ({{bestTest}}), but the group within the noise of it
//   (difference under two standard errors) is: {{testTies}}. Five seeds on 500 test digits cannot rank those;
// - {{decayBeatsConstant}} of the {{decayCount}} schedules that *end* with a small rate (step, cosine, warmup + cosine,
//   1cycle) beat the constant rate ({{constantTest}}) by more than the noise;
// - with its own tuned peak, 1cycle runs at {{oneCyclePeak}} and the constant rate at {{constantPeak}}: compare
//   schedules at their own best rates, never one at the range test's peak and the others at a cautious rate;
// - reduce-on-plateau can only react after the validation loss has stalled, so in a short run it cuts late or never
//   ({{plateauCut}}; first seed, see its rate in the chart below);
// - **too early** decay (×0.3 every epoch: after 3 epochs the rate is $0.3^3$ = 2.7 % of the peak) is the first caveat in
//   Karmakar's notes. {{tooEarlyPeakSentence}}. Its training loss ({{tooEarlyTrain}}) is {{tooEarlyVsConstant}} the
//   constant rate's ({{constantTrain}}), and its test loss ({{tooEarlyTest}}) is {{tooEarlyTestVsConstant}} the constant
//   rate's and {{tooEarlyTestVsBest}} the best schedule's: judge a schedule at its own tuned peak.

// %% [markdown] notes
// If a student asks why 1cycle's momentum cycles: OneCycleLR writes both the lr and the optimizer's momentum
// (cycleMomentum, 0.95 → 0.85 → 0.95).

// %% [markdown] subslide
// ### Per epoch or per batch?
//
// A scheduler does not know what a "step" is: it counts its own `step()` calls. `OneCycleLR` and warmup in
// steps are built for **per-batch** stepping (`totalSteps = epochs × stepsPerEpoch`); step them once per epoch
// and the schedule hardly moves. The same 6-epoch 1cycle, stepped both ways:

// %% fragment
const perBatchOpt = dummyOpt(0.1);
const perEpochOpt = dummyOpt(0.1);
const perBatch = new optim.lrScheduler.OneCycleLR(perBatchOpt, { maxLr: 0.2, epochs: E, stepsPerEpoch: stepsPerEpoch });
const perEpoch = new optim.lrScheduler.OneCycleLR(perEpochOpt, { maxLr: 0.2, epochs: E, stepsPerEpoch: stepsPerEpoch });
const steppingRows = Array.from({ length: E }, (_, epoch) => {
  const row = { epoch, "lr, stepped per batch": perBatch.getLastLr()[0], "lr, stepped per epoch (bug)": perEpoch.getLastLr()[0] };
  for (let b = 0; b < stepsPerEpoch; b++) perBatch.step();
  perEpoch.step();
  return row;
});
show(table(steppingRows, { digits: 4, caption: "OneCycleLR(maxLr 0.2), rate at the start of each epoch" }));

// %% [markdown] fragment
// Stepped per epoch, the rate creeps up from its starting value $0.2/25 = 0.008$ and never gets near the peak:
// it has taken 6 of its 192 steps when training ends. The
// opposite mistake (stepping an epoch-based `StepLR` every batch) decays 32× too fast. `fit` steps per epoch
// unless told `schedulerInterval: "batch"`. Stepping `OneCycleLR` *past* `totalSteps` raises an error, as in
// PyTorch.

// %% [markdown] slide
// ## 7. Caveats
//
// - **Decay can come too early** when its parameters are not tuned: the rate collapses before the network has
//   travelled anywhere, and the loss stalls high. (Section 6 gives the "too early" run its own tuned peak: compare it
//   with the others'.)
// - **Train without decay first, then add it.** A constant rate tells you how fast the network learns and
//   where the loss flattens out; that is where a decay should start, and it gives a baseline to beat.
// - **Judge with held-out metrics.** A schedule can lower the training loss without helping on unseen data; keep the
//   decay only if the validation numbers improve by more than the seed-to-seed noise (and confirm on a test set the
//   choice never saw). In section 6: {{trainOnlySentence}}.
// - Tune the **base rate first** (range test), the schedule second; a schedule cannot rescue a rate that
//   is 10× off.
// - Schedules interact with the **optimizer**: Adam adapts per-parameter step sizes but still profits from a
//   global decay; warmup matters most for Adam-type optimizers and large batches.

// %% [markdown] slide
// ## Summary
//
// - The learning rate is the hyperparameter to get right first: too low crawls, too high bounces, dies or
//   diverges. The range test (`lrFinder`) finds the working range in a few epochs' worth of batches.
// - Mini-batch gradients are noisy; with a constant rate SGD ends in a noise ball whose size grows with $\eta$.
//   Decaying the rate shrinks the ball: big steps early, small steps late.
// - Step, exponential (= multiplicative), inverse time / power, piecewise constant, cosine, warmup + cosine,
//   1cycle and reduce-on-plateau are all a few lines: `optim.schedules` (pure functions) and `optim.lrScheduler`
//   (bound to an optimizer, as in PyTorch).
// - Step per epoch or per batch deliberately: `fit(…, { scheduler, schedulerInterval })`.
// - Start without decay, add it, and keep it only if the validation metrics say so.

// %% [markdown] slide
// ## Exercises
//
// Open `exercises/07-lr-schedules.ts` and implement six schedules as pure functions on numbers — no tensors,
// only `Math`:
//
// 1. `stepDecay(lr0, epoch, stepSize, gamma)` — $\eta_0\gamma^{\lfloor \text{epoch}/\text{stepSize}\rfloor}$ (3 pts);
// 2. `exponentialDecay(lr0, t, k)` — $\eta_0 e^{-kt}$ (1 pt);
// 3. `inverseTimeDecay(lr0, t, k)` — $\eta_0/(1+kt)$ (1 pt);
// 4. `cosineAnnealing(lr0, t, T, lrMin)` — the cosine, staying at `lrMin` after `T` (3 pts);
// 5. `warmupCosine(lr0, t, warmupSteps, totalSteps, lrMin)` — the seed's `warmup_cosine` (3 pts);
// 6. `oneCycle(t, maxLr, totalSteps, options)` — PyTorch's two-phase 1cycle with cosine phases (4 pts).
//
// The grader checks them at many epochs against closed forms and against kernel-lib's `optim.schedules` and
// `optim.lrScheduler` (StepLR, ExponentialLR, CosineAnnealingLR, OneCycleLR). From a terminal at the root of
// the repository:
//
// ```bash
// npm run check -- 07
// ```

// %% fragment
// In a TypeScript file you would write `import * as ex from "../exercises/07-lr-schedules";`. The notebook
// kernel only compiles files inside notebooks/, so we load the exercise file through tsx instead.
const { require: requireTs } = require("tsx/cjs/api") as { require: (id: string, fromFile: string) => unknown };
const ex = requireTs("../exercises/07-lr-schedules", `${process.cwd()}/lesson.js`) as {
  warmupCosine(lr0: number, t: number, warmupSteps: number, totalSteps: number, lrMin?: number): number;
};
try {
  const mine = [0, 5, 10, 50, 99].map((e) => ex.warmupCosine(0.001, e, 10, 100, 1e-6).toFixed(6));
  console.log(`your warmupCosine at epochs 0, 5, 10, 50, 99: ${mine.join(", ")}`);
  console.log("compare with the seed's table above");
} catch (err) {
  console.log((err as Error).message);
}

// %% [markdown] skip
// ### Check your exercises in the notebook
//
// Save `exercises/07-lr-schedules.ts` and run the next cell: it grades the file with the same tests and points as
// `npm run check -- 07` (it runs that command), and shows each test with expected vs got and a hint. Run it
// again after every change. (`check` comes from `notebooks/check.ts`, next to the lessons.)

// %% skip
import { check } from "./check";
await check("07");
