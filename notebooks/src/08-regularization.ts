// %% [markdown] slide
// # Lesson 8 — Regularization
//
// Deep networks have enough parameters to memorize their training set. Regularization is everything we do
// so that they learn the task instead: penalties on the weights, noise during training, stopping at the
// right time, more (or synthetic) data — and the implicit preferences of SGD itself.
//
// **What you will learn**
//
// - to diagnose overfitting from the train–validation gap, on a real run;
// - L2 and L1 penalties: their formulas and conventions, shrinkage, sparsity, the Bayesian view;
// - weight decay inside optimizers, and why Adam + L2 is not AdamW;
// - dropout: masks, inverted scaling, the ensemble view, `train()`/`eval()`, Monte-Carlo dropout;
// - max-norm constraints, early stopping, data augmentation, alpha dropout, label smoothing;
// - implicit regularization, and how the choices become hyperparameters.

// %% skip
import {
  nn, optim, F, data, init, regularization, fit, evaluate, manualSeed, Generator, Tensor,
  EarlyStopping, show, table, charts, tensor, randn, noGrad, meanSd, formatMeanSd, withinNoise, quote, type Callback, type History,
} from "kernel-lib";

manualSeed(0);
// A deliberately small training set: 300 digits; 500 more for validation (every curve and every choice of this lesson),
// and 500 for testing (only section 14's final comparison looks at them).
const digits = data.loadDigits({ train: 300, test: 1000, seed: 0 });
/** 28×28 → 14×14 by averaging 2×2 blocks: 4× fewer inputs, so every run of this lesson takes seconds. */
const downsample = (x: Tensor) => x.reshape([x.shape[0], 14, 2, 14, 2]).mean([2, 4]).reshape([x.shape[0], 196]);
const train = { x: downsample(digits.xTrain), y: digits.yTrain };
const val = { x: downsample(digits.xTest.slice(0, 0, 500)), y: digits.yTest.slice(0, 0, 500) };
const test = { x: downsample(digits.xTest.slice(0, 500, 1000)), y: digits.yTest.slice(0, 500, 1000) };
const EPOCHS = 20;

/** 196 → 128 → 128 → 10 with ReLU, optional dropout after each hidden activation; the same initial weights for the same seed. */
function makeMLP(dropout = 0, seed = 1): nn.Sequential {
  const g = new Generator(seed);
  const layers: nn.Module[] = [new nn.Linear(196, 128, { generator: g }), new nn.ReLU()];
  if (dropout > 0) layers.push(new nn.Dropout(dropout));
  layers.push(new nn.Linear(128, 128, { generator: g }), new nn.ReLU());
  if (dropout > 0) layers.push(new nn.Dropout(dropout));
  layers.push(new nn.Linear(128, 10, { generator: g }));
  return new nn.Sequential(...layers);
}

/** Every run of this lesson: Adam (lr 3e-3) unless told otherwise, batch 32, the batch order of `seed` (default 0); extra options per run. */
function trainMLP(model: nn.Sequential, options: {
  epochs?: number; penalty?: () => Tensor; callbacks?: Callback[]; data?: data.DataLoader; optimizer?: optim.Optimizer; seed?: number;
} = {}): History {
  return fit(model, options.data ?? train, {
    optimizer: options.optimizer ?? new optim.Adam(model.parameters(), { lr: 3e-3 }),
    loss: F.crossEntropy, epochs: options.epochs ?? EPOCHS, batchSize: 32, seed: options.seed ?? 0,
    validation: val, metrics: ["accuracy"], penalty: options.penalty, callbacks: options.callbacks, progress: "none",
  });
}

/** The weight matrices of a model (not the biases): what penalties usually act on. */
const weightsOf = (model: nn.Module) => model.parameters().filter((p) => p.ndim > 1);
const frobenius = (w: Tensor) => Math.sqrt(Array.from(w.data).reduce((s, v) => s + v * v, 0));
console.log(`train ${train.x.shape}, validation ${val.x.shape}, test ${test.x.shape}; ${makeMLP().numParameters()} parameters`);
quote({ paramCount: makeMLP().numParameters().toLocaleString("en-US"), paramsPerImage: Math.floor(makeMLP().numParameters() / train.x.shape[0]) });

// %% [markdown] slide
// ## 1. Capacity and the train–validation gap
//
// A model's **capacity** is roughly its number of parameters times how efficiently it uses them (lesson 1).
// Too little and it *underfits* (high bias: train and validation errors both high); too much for the data and
// it *overfits* (high variance: it fits the noise of its particular training set, and the validation error
// stays well above the training error). The **gap between training and validation** curves is the diagnostic
// to watch, every epoch.
//
// Our test bed is built to overfit: 300 training digits (downsampled to 14×14 pixels) for {{paramCount}} parameters —
// over {{paramsPerImage}} parameters per training image. Below, the baseline without any regularization.

// %% subslide
const baseline = makeMLP();
const baselineHistory = trainMLP(baseline);
show(charts.lossCurves(baselineHistory, { title: "Baseline: 300 digits, no regularization" }));
const baseBest = baselineHistory.get("valLoss").indexOf(Math.min(...baselineHistory.get("valLoss")));
console.log(`train accuracy ${baselineHistory.last.accuracy.toFixed(3)}, validation accuracy ${baselineHistory.last.valAccuracy.toFixed(3)}`);
console.log(`validation loss: lowest ${baselineHistory.get("valLoss")[baseBest].toFixed(3)} at epoch ${baseBest + 1}, ${baselineHistory.last.valLoss.toFixed(3)} at the end`);
quote({
  baseTrainLoss: baselineHistory.last.loss, baseTrainAcc: baselineHistory.last.accuracy, baseValAcc: baselineHistory.last.valAccuracy,
  baseBestEpoch: baseBest + 1, baseBestVal: baselineHistory.get("valLoss")[baseBest], baseLastVal: baselineHistory.last.valLoss,
});

// %% [markdown] fragment
// The textbook picture: the training loss heads for 0 ({{baseTrainLoss}} after 20 epochs, training accuracy
// {{baseTrainAcc}}), while the validation loss bottoms out at epoch {{baseBestEpoch}} ({{baseBestVal}}) and then *climbs*
// (to {{baseLastVal}}): the network becomes more and more confident on the training images, including about what is
// specific to them. Validation accuracy stalls at {{baseValAcc}}.
//
// **More data first.** The best cure for overfitting is more training data (lesson 1 measured test accuracy
// against training-set size with a fixed test set: it keeps rising). When more data costs too much time or
// money, we make the most of what we have: constrain the model, add noise, stop early, or synthesize variations
// of the data (augmentation, section 9).

// %% [markdown] slide
// ## 2. The L2 penalty (weight decay, Tikhonov, ridge)
//
// *Explicit* regularization penalizes large or complex parameter values: it controls the capacity of the family of
// models we train (structural risk minimization). The most common penalty adds the squared size of the weights to the
// loss. The same idea appears in three notations:
//
// $$L_\text{total} = L_\text{data} + \lambda \sum_i w_i^2 \qquad
// \mathcal L' = \mathcal L + \frac{\lambda}{2}\lVert\theta\rVert^2 \qquad
// J(W, b) = \frac1n \sum_{i=1}^n \mathcal L(y^{[i]}, \hat y^{[i]}) + \frac{\lambda}{n}\sum_{l=1}^{L} \lVert W^{(l)}\rVert_F^2$$
//
// with $\lVert W\rVert_F^2 = \sum_i\sum_j w_{ij}^2$ (the squared Frobenius norm). They differ only in how $\lambda$
// is scaled: the $\tfrac12$ makes the gradient $\lambda\theta$ instead of $2\lambda\theta$; the $1/n$ keeps the
// penalty's weight relative to the *average* loss fixed when the training set grows. Compare $\lambda$ values only
// within one convention. Usually only weights are penalized, not biases (or batch-norm parameters).

// %% [markdown] fragment
// **Shrinkage.** With the $\tfrac{\lambda}{2}$ form, a gradient step is
// $\theta \leftarrow \theta - \eta(\nabla L + \lambda\theta) = (1-\eta\lambda)\,\theta - \eta\nabla L$:
// before each update every weight is shrunk by the factor $(1-\eta\lambda)$ — hence "weight decay".
// Small weights make the function smoother: it cannot react strongly to any single input pixel, and the penalty
// prefers small, *distributed* representations (many moderate weights rather than a few large ones).

// %% [markdown] fragment
// **Bayesian view.** Training with the penalty is *maximum a posteriori* estimation: the loss is the negative
// log-posterior $-\log p(\theta \mid D) = -\log p(D\mid\theta) - \log p(\theta) + \text{const}$, and a Gaussian
// prior $\theta_i \sim \mathcal N(0, \sigma^2)$ contributes $\theta_i^2/(2\sigma^2)$: the $\tfrac\lambda2$ term with
// $\lambda = 1/\sigma^2$ (for a data loss summed over the samples). A strong penalty is a confident belief that weights
// are small.

// %% subslide
// kernel-lib: regularization.l2Penalty(params, λ) = λ·Σw² (pass { half: true } for λ/2); source kernel-lib/src/regularization/penalties.ts.
// The shrinkage story is SGD's, so this demo trains with SGD + momentum (lr 0.05), with and without the penalty in the
// loss. (With Adam a penalty in the loss does not shrink weights evenly: section 4.)
const sgdFor = (model: nn.Module) => new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
const sgdBaseline = makeMLP();
const sgdBaselineHistory = trainMLP(sgdBaseline, { optimizer: sgdFor(sgdBaseline) });
const l2Model = makeMLP();
const l2History = trainMLP(l2Model, { optimizer: sgdFor(l2Model), penalty: () => regularization.l2Penalty(weightsOf(l2Model), 1e-2) });
show(table([[sgdBaseline, sgdBaselineHistory], [l2Model, l2History]].map(([model, history], k) => ({
  "SGD + momentum": k === 0 ? "no penalty" : "L2, λ = 0.01",
  "‖W1‖_F": frobenius(weightsOf(model as nn.Sequential)[0]),
  "‖W2‖_F": frobenius(weightsOf(model as nn.Sequential)[1]),
  "‖W3‖_F": frobenius(weightsOf(model as nn.Sequential)[2]),
  "train acc": (history as History).last.accuracy,
  "val acc": (history as History).last.valAccuracy,
  "val loss": (history as History).last.valLoss,
})), { digits: 3, caption: `after ${EPOCHS} epochs, one seed` }));
show(charts.layerHistograms([
  { layer: "first layer, no penalty", values: Array.from(weightsOf(sgdBaseline)[0].data) },
  { layer: "first layer, L2", values: Array.from(weightsOf(l2Model)[0].data) },
], { bins: 40, title: "Weights of the first layer (SGD + momentum)" }));
const shrink = (k: number) => 1 - frobenius(weightsOf(l2Model)[k]) / frobenius(weightsOf(sgdBaseline)[k]);
quote({
  l2ShrinkW1: `${Math.round(100 * shrink(0))} %`, l2ShrinkW2: `${Math.round(100 * shrink(1))} %`, l2ShrinkW3: `${Math.round(100 * shrink(2))} %`,
  l2ValLoss: l2History.last.valLoss, sgdValLoss: sgdBaselineHistory.last.valLoss, l2ValAcc: l2History.last.valAccuracy, sgdValAcc: sgdBaselineHistory.last.valAccuracy,
});

// %% [markdown] fragment
// The penalty did what it promises: the weight matrices are smaller ({{l2ShrinkW1}}, {{l2ShrinkW2}} and {{l2ShrinkW3}}
// smaller in Frobenius norm, layer by layer) and the first layer's weights are squeezed toward 0. The final validation
// loss is {{l2ValLoss}} against {{sgdValLoss}} without the penalty, the accuracy {{l2ValAcc}} against {{sgdValAcc}}: one
// seed, so section 14 repeats the comparison over several seeds before drawing conclusions.

// %% [markdown] notes
// A common confusion: "weight decay 5e-4" in a paper's SGD config and "λ = 5e-4" in a Keras L2 regularizer differ
// by a factor 2 (λ/2 vs λ convention). Ask students to always write down which one they mean.

// %% [markdown] slide
// ## 3. The L1 penalty (lasso): sparsity
//
// $$\mathcal L' = \mathcal L + \lambda\lVert\theta\rVert_1 = \mathcal L + \lambda \sum_i |\theta_i|$$
//
// Its gradient $\lambda\,\mathrm{sign}(\theta_i)$ has the same size for a tiny weight as for a large one: it keeps
// pushing small weights all the way to 0, where L2's pull $\lambda\theta_i$ fades away. L1 therefore produces
// **sparse** solutions — many weights exactly zero — and can be used for **feature selection**. Its Bayesian
// reading is a **Laplace prior** $p(\theta_i) \propto e^{-|\theta_i|/b}$: spiky at 0, heavy-tailed.
//
// A problem where we know the answer: linear regression with 20 features, of which only 3 matter.

// %% subslide tags=slide-hide-code
/** y = 2·x₀ − 3·x₁ + 1.5·x₂ + noise; features 3…19 are irrelevant. 60 samples. */
const sparseToy = (() => {
  const g = new Generator(5);
  const n = 60, d = 20;
  const wTrue = Array.from({ length: d }, (_, j) => (j === 0 ? 2 : j === 1 ? -3 : j === 2 ? 1.5 : 0));
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => g.normal()));
  const y = X.map((row) => row.reduce((s, v, j) => s + v * wTrue[j], 0) + 0.5 * g.normal());
  return { X, y, n, d, wTrue };
})();

/** Gradient of the mean squared error / 2 at w. */
function mseGrad(w: readonly number[]): number[] {
  const grad = new Array<number>(sparseToy.d).fill(0);
  sparseToy.X.forEach((row, i) => {
    const r = row.reduce((s, v, j) => s + v * w[j], 0) - sparseToy.y[i];
    row.forEach((v, j) => { grad[j] += (r * v) / sparseToy.n; });
  });
  return grad;
}

/** 2000 steps of full-batch gradient descent (lr 0.05) with no penalty, L2 (λ/2·‖w‖²), L1 by subgradient, or L1 by soft-thresholding. */
function fitSparseToy(kind: "none" | "L2" | "L1 (subgradient)" | "L1 (proximal)", lambda: number): number[] {
  const lr = 0.05;
  let w = new Array<number>(sparseToy.d).fill(0);
  for (let step = 0; step < 2000; step++) {
    const g = mseGrad(w);
    if (kind === "L2") w = w.map((v, j) => v - lr * (g[j] + lambda * v));
    else if (kind === "L1 (subgradient)") w = w.map((v, j) => v - lr * (g[j] + lambda * Math.sign(v)));
    else if (kind === "L1 (proximal)") w = w.map((v, j) => { const z = v - lr * g[j]; return Math.sign(z) * Math.max(0, Math.abs(z) - lr * lambda); });
    else w = w.map((v, j) => v - lr * g[j]);
  }
  return w;
}

const sparseFits = (["none", "L2", "L1 (subgradient)", "L1 (proximal)"] as const).map((kind) => ({ kind, w: fitSparseToy(kind, 0.3) }));
show(charts.bar(
  sparseFits.flatMap(({ kind, w }) => w.map((value, j) => ({ feature: `x${j}`, weight: value, fit: kind }))),
  { x: "feature", y: "weight", color: "fit", title: "Learned weights (true: 2, −3, 1.5, then zeros)" },
));
show(table(sparseFits.map(({ kind, w }) => ({
  fit: kind,
  "|w| < 0.01 (of the 17 irrelevant)": w.slice(3).filter((v) => Math.abs(v) < 0.01).length,
  "exactly 0": w.filter((v) => v === 0).length,
  "w0, w1, w2": w.slice(0, 3).map((v) => v.toFixed(2)).join(", "),
})), { caption: "λ = 0.3 for every penalty (L2 in the λ/2 convention)" }));

// %% [markdown] fragment
// Without a penalty every irrelevant feature gets a small non-zero weight (fitting the noise of 60 samples). L2
// shrinks everything a little but zeroes nothing. L1 silences the irrelevant features: with plain (sub)gradient
// steps — what `regularization.l1Penalty` + SGD does — the weights end up jittering within a step size of 0;
// with the *proximal* step (soft-thresholding: $w \leftarrow \mathrm{sign}(z)\max(0, |z| - \eta\lambda)$ after
// the gradient step) they are exactly 0. L1 also shrinks the useful weights by a constant amount — the price of
// selection.

// %% [markdown] slide
// ## 4. Weight decay inside the optimizer
//
// Since the L2 gradient is just $\lambda\theta$, optimizers offer it as an option, `weightDecay`:
// $\theta \leftarrow (1-\eta\lambda)\,\theta - \eta\nabla_\theta L$. For plain SGD this *is* the $\tfrac\lambda2\lVert\theta\rVert^2$
// penalty — check: five SGD steps with `weightDecay` and five with the penalty in the loss give the same weights.

// %% fragment
const stepsWith = (decayInOptimizer: boolean): Tensor => {
  const model = new nn.Linear(196, 10, { generator: new Generator(3) });
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, weightDecay: decayInOptimizer ? 0.01 : 0 });
  const xb = train.x.slice(0, 0, 64), yb = train.y.slice(0, 0, 64);
  for (let step = 0; step < 5; step++) {
    optimizer.zeroGrad();
    let loss = F.crossEntropy(model.call(xb), yb);
    if (!decayInOptimizer) loss = loss.add(regularization.l2Penalty(model.parameters(), 0.01, { half: true }));
    loss.backward();
    optimizer.step();
  }
  return model.weight;
};
const wDecay = stepsWith(true), wPenalty = stepsWith(false);
console.log(`largest |difference| between the two weight matrices: ${Math.max(...Array.from(wDecay.data, (v, i) => Math.abs(v - wPenalty.data[i]))).toExponential(1)}`);

// %% [markdown] subslide
// ### Adam + L2 is not AdamW
//
// With Adam the two are **not** the same. An L2 term added to the gradient goes through Adam's normalization
// $\hat m/\sqrt{\hat v}$: a weight whose gradients are large and noisy has a large $\sqrt{\hat v}$, so its
// decay is divided away; a weight with tiny gradients is decayed at nearly full step size. **AdamW**
// (Loshchilov & Hutter) *decouples* the decay: $\theta \leftarrow \theta - \eta\lambda\theta$ outside the adaptive
// step, the same relative shrink for every weight. (Source: `kernel-lib/src/optim/adam.ts`, option
// `decoupledWeightDecay`; Hédi Hadiji's slides *Deep Learning Class 5: Training Neural Networks* (CentraleSupélec): "applied directly to parameters, not to gradients: improves stability".)
//
// A controlled experiment: 400 weights start at 1; the data gradient is pure zero-mean noise — std 10 for
// half of them ("loud"), 0.01 for the other half ("quiet") — so only the regularizer has an opinion about where
// they should go. Same $\lambda = 0.2$, $\eta = 0.01$, 1,000 steps.

// %% fragment tags=slide-hide-code
function decayExperiment(decoupled: boolean): { step: number; loud: number; quiet: number }[] {
  const g = new Generator(8);
  const n = 200;
  const theta = tensor(new Array<number>(2 * n).fill(1), { requiresGrad: true });
  const optimizer = decoupled ? new optim.AdamW([theta], { lr: 0.01, weightDecay: 0.2 }) : new optim.Adam([theta], { lr: 0.01, weightDecay: 0.2 });
  const trace: { step: number; loud: number; quiet: number }[] = [];
  for (let step = 0; step <= 1000; step++) {
    if (step % 25 === 0) {
      const d = theta.data;
      let loud = 0, quiet = 0;
      for (let i = 0; i < n; i++) { loud += d[i] / n; quiet += d[n + i] / n; }
      trace.push({ step, loud, quiet });
    }
    theta.grad = tensor(Array.from({ length: 2 * n }, (_, i) => (i < n ? 10 : 0.01) * g.normal()));
    optimizer.step();
  }
  return trace;
}
const adamL2 = decayExperiment(false), adamW = decayExperiment(true);
const lastOf = <T>(xs: readonly T[]) => xs[xs.length - 1];
console.log(`after 1000 steps: Adam + L2 loud ${lastOf(adamL2).loud.toFixed(3)}, quiet ${lastOf(adamL2).quiet.toFixed(3)};` +
  ` AdamW loud ${lastOf(adamW).loud.toFixed(3)}, quiet ${lastOf(adamW).quiet.toFixed(3)}; (1 − ηλ)^1000 = ${(0.998 ** 1000).toFixed(3)}`);
show(charts.line([
  ...adamL2.flatMap((r) => [{ step: r.step, mean: r.loud, run: "Adam + L2, loud weights" }, { step: r.step, mean: r.quiet, run: "Adam + L2, quiet weights" }]),
  ...adamW.flatMap((r) => [{ step: r.step, mean: r.loud, run: "AdamW, loud weights" }, { step: r.step, mean: r.quiet, run: "AdamW, quiet weights" }]),
  ...adamW.map((r) => ({ step: r.step, mean: (1 - 0.01 * 0.2) ** r.step, run: "(1 − ηλ)^t" })),
], { x: "step", y: "mean", color: "run", title: "Average weight under weight decay (λ = 0.2) with noise-only gradients", yTitle: "mean weight" }));
const quietAt = (step: number) => adamL2.find((r) => r.step === step)!.quiet;
quote({ quietAt100: quietAt(100), quietAt200: quietAt(200), quietBelow1: String(adamL2.find((r) => r.quiet < 0.01)?.step ?? "never"), loudAt1000: lastOf(adamL2).loud });

// %% [markdown] fragment
// With Adam + L2 the quiet weights fall to {{quietAt100}} by step 100 and {{quietAt200}} by step 200, and are below
// 0.01 from step {{quietBelow1}} on, while the loud ones are still at {{loudAt1000}} after 1,000 steps: the
// strength of the "same" regularizer differs by orders of magnitude between weights. With AdamW both groups
// follow $(1-\eta\lambda)^t$, as weight decay is supposed to. This is why large models (transformers) are trained
// with AdamW, and why `weightDecay` values for Adam and AdamW are not interchangeable.

// %% [markdown] slide
// ## 5. Dropout
//
// During training, each unit of a layer is switched off at random on every forward pass (Srivastava et al., 2014).
// With drop probability $p$ (the recipe of Sourav Karmakar's lecture notes *Additional Techniques for Training Neural Networks*):
//
// 1. draw $v_i \sim U[0, 1]$ for every unit $i$ of the layer;
// 2. where $v_i < p$ set the mask to 0 — about $p\cdot 100\,\%$ of the units are dropped;
// 3. scale the survivors by $\frac{1}{1-p}$: $\tilde a = a \odot m$, $m_i \in \{0, \tfrac{1}{1-p}\}$.
//
// Then $\mathbb E[\tilde a_i] = (1-p)\cdot\frac{a_i}{1-p} = a_i$: the layer's expected output is unchanged, and at
// inference time dropout simply does nothing — no scaling. This is **inverted dropout**, what every modern framework
// does (`F.dropout`, `nn.Dropout`; source `kernel-lib/src/functional/dropout.ts`).

// %% [markdown] fragment
// The original paper (and one of our seed slides) writes it the other way round: $p$ is the probability of
// **keeping** a unit, $h_i \leftarrow m_i h_i$ with $m_i \sim \text{Bernoulli}(p)$ during training, and at test
// time all units are used but scaled, $\hat h_i = p\,h_i$. Same expectation, scaling moved to test time. Read
// carefully which $p$ a text means: `nn.Dropout(0.3)` drops 30 %.

// %% subslide
// The tutorial *Learn AI Series (#40): Training Neural Networks – Practical Challenges* (scipio) demonstrates it: eight activations 1 … 8, four dropout samples at rate 0.5.
const a8 = tensor([1, 2, 3, 4, 5, 6, 7, 8]);
const dropGen = new Generator(42);
console.log(`original: [${Array.from(a8.data).join(", ")}]  mean ${a8.mean().item().toFixed(2)}`);
for (let k = 1; k <= 4; k++) {
  const dropped = F.dropout(a8, 0.5, { generator: dropGen });
  const active = Array.from(dropped.data).filter((v) => v !== 0).length;
  console.log(`sample ${k}: [${Array.from(dropped.data).join(", ")}]  mean ${dropped.mean().item().toFixed(2)}  active ${active}/8`);
}

// %% [markdown] fragment
// Our generator is not NumPy's, so the masks differ from scipio's printout, but the behaviour is the same:
// kept values are doubled ($1/(1-0.5)$), about half the units are active, and each sample's mean scatters around
// the original mean of 4.5. Averaging many samples — inverted, and in the keep-probability convention — shows the
// two conventions agree in expectation:

// %% fragment
const samples = 10000;
const invertedSum = new Array<number>(8).fill(0), keepSum = new Array<number>(8).fill(0);
const mcGen = new Generator(1);
for (let s = 0; s < samples; s++) {
  const inv = F.dropout(a8, 0.5, { generator: mcGen }).data;
  for (let i = 0; i < 8; i++) {
    invertedSum[i] += inv[i] / samples;
    keepSum[i] += (mcGen.uniform() < 0.7 ? a8.data[i] : 0) / samples; // keep probability 0.7, no scaling
  }
}
show(table(Array.from(a8.data).map((h, i) => ({
  h,
  "inverted, drop 0.5: mean over samples": invertedSum[i],
  "test time (inverted)": h,
  "keep-prob 0.7: mean over samples": keepSum[i],
  "test time (× 0.7)": 0.7 * h,
})), { digits: 3, caption: `${samples} samples each` }));

// %% [markdown] subslide
// ### How much dropout, where
//
// | where | typical rate $p$ (drop) |
// |---|---|
// | input layer | 0 – 0.2 (scipio's tutorial: 0.0 – 0.1, "rarely drop inputs"; Karmakar's notes: 0.1 – 0.2) |
// | fully connected hidden layers | 0.3 – 0.5; **0.5 is the classic**; 0.2 – 0.3 if 0.5 makes the model underfit |
// | convolutional layers | 0.1 – 0.3 (neighbouring pixels are redundant, spatial structure matters) |
// | just before the output | 0 (do not randomize the predictions) |
//
// Karmakar adds that anything in 0.2 – 0.8 is seen in practice. More dropout is stronger regularization and slower
// convergence. In a `Sequential`, the usual place is right after the activation:
// `Linear → ReLU → Dropout(p) → Linear → …` (with batch norm: `Linear → BatchNorm1d → ReLU → Dropout`, lesson 4).
//
// **Why it works.** Each mini-batch trains a different *thinned* network, drawn from $2^N$ possible ones for $N$
// droppable units, all sharing weights: dropout trains an **ensemble**, and the full network at test time
// approximates its average prediction (like a random forest averages decorrelated trees). A unit cannot count on
// any particular other unit being present, so units cannot **co-adapt**; each must be useful on its own —
// redundant, robust representations.

// %% [markdown] notes
// The ensemble count: our test bed has 2 × 128 droppable hidden units, so 2^256 thinned networks — far more than
// the number of mini-batches ever drawn. Each thinned network is trained for at most a step or two; weight sharing is
// what makes the ensemble work at all.

// %% [markdown] subslide
// ### `train()` and `eval()`
//
// Dropout behaves differently in the two modes, so the mode must be switched: `model.train()` before the training
// batches, `model.eval()` before validation and prediction. `fit`, `evaluate` and `predict` do it for you; in a
// hand-written loop, forgetting it is a classic bug (random, too-noisy predictions at test time — or, the other way
// round, no regularization during training).

// %% fragment
const demoNet = makeMLP(0.5);
const oneDigit = val.x.slice(0, 0, 1);
demoNet.train();
const t1 = noGrad(() => demoNet.call(oneDigit)), t2 = noGrad(() => demoNet.call(oneDigit));
demoNet.eval();
const e1 = noGrad(() => demoNet.call(oneDigit)), e2 = noGrad(() => demoNet.call(oneDigit));
const maxDiff = (a: Tensor, b: Tensor) => Math.max(...Array.from(a.data, (v, i) => Math.abs(v - b.data[i])));
console.log(`train mode: two calls on the same digit differ by up to ${maxDiff(t1, t2).toFixed(3)} in a logit`);
console.log(`eval mode:  two calls differ by ${maxDiff(e1, e2)}`);

// %% [markdown] subslide
// ### Dropout on the overfitting test bed
//
// The baseline again, with `Dropout(0.5)` after both hidden ReLUs.

// %% fragment
const dropoutModel = makeMLP(0.5);
const dropoutHistory = trainMLP(dropoutModel);
show(charts.line(
  [["baseline", baselineHistory], ["dropout 0.5", dropoutHistory]].flatMap(([name, h]) =>
    (h as History).toRows(["loss", "valLoss"]).map((r) => ({ epoch: r.epoch + 1, loss: r.value, curve: `${name as string}, ${r.name === "loss" ? "train" : "validation"}` }))),
  { x: "epoch", y: "loss", color: "curve", title: "Baseline vs dropout: training and validation loss" },
));
show(table([["baseline", baselineHistory], ["dropout 0.5", dropoutHistory]].map(([name, h]) => {
  const hist = h as History;
  return {
    run: name as string, "train loss": hist.last.loss, "val loss": hist.last.valLoss,
    "best val loss": Math.min(...hist.get("valLoss")), "train acc": hist.last.accuracy, "val acc": hist.last.valAccuracy,
  };
}), { digits: 3 }));
const climb = (h: History) => h.last.valLoss - Math.min(...h.get("valLoss"));
quote({
  dropTrainLoss: dropoutHistory.last.loss, dropBestVal: Math.min(...dropoutHistory.get("valLoss")), baseBestVal2: Math.min(...baselineHistory.get("valLoss")),
  dropClimb: climb(dropoutHistory), baseClimb: climb(baselineHistory),
  dropGap: dropoutHistory.last.valLoss - dropoutHistory.last.loss, baseGap: baselineHistory.last.valLoss - baselineHistory.last.loss,
  dropValAcc: dropoutHistory.last.valAccuracy, baseValAcc2: baselineHistory.last.valAccuracy,
  dropEpoch1: dropoutHistory.get("valLoss")[0], baseEpoch1: baselineHistory.get("valLoss")[0],
  dropSpeed: dropoutHistory.get("valLoss")[0] > baselineHistory.get("valLoss")[0] ? "it starts slower, the price of the regularization" : "it does not start slower here",
});

// %% [markdown] fragment
// With dropout the training loss (measured *with* dropout on) stays above 0 ({{dropTrainLoss}}); the validation loss
// reaches a minimum of {{dropBestVal}} (baseline {{baseBestVal2}}) and climbs {{dropClimb}} above it by the last epoch
// (baseline {{baseClimb}}); the final train–validation gap in loss is {{dropGap}} against {{baseGap}}. After the first
// epoch its validation loss is {{dropEpoch1}} against {{baseEpoch1}}, so {{dropSpeed}}. The validation
// accuracy ends at {{dropValAcc}} against {{baseValAcc2}}: on 300 digits, and on one seed, what dropout changes is mostly the
// overconfidence (the loss), not the accuracy (section 14 repeats the comparison over seeds).

// %% [markdown] slide
// ## 6. Monte-Carlo dropout: dropout at test time
//
// Keep dropout **on** at prediction time and run the same input $T$ times (Gal & Ghahramani, 2016): each pass is a
// different thinned network. The average of the $T$ softmax outputs is the prediction (Gal & Ghahramani report it
// slightly more accurate than one deterministic pass on several datasets; we measure it below); their standard deviation says how much the ensemble **disagrees** — an uncertainty
// estimate for free. `regularization.mcDropoutPredict(model, x, { samples: T })` switches only the dropout layers to
// training mode (source: `kernel-lib/src/regularization/mc-dropout.ts`).
//
// Test: 200 validation digits (in distribution) vs 200 images of random static (nothing like a digit).

// %% fragment tags=slide-hide-code
const inDist = val.x.slice(0, 0, 200), inLabels = val.y.slice(0, 0, 200);
const staticImages = randn([200, 196], { generator: new Generator(21) }).abs().mul(0.3).clamp(0, 1);
const softmax = (out: Tensor) => F.softmax(out, -1);
function uncertainty(x: Tensor) {
  const mc = regularization.mcDropoutPredict(dropoutModel, x, { samples: 20, transform: softmax });
  const n = x.shape[0];
  const top = mc.mean.argmax(1).data;
  let conf = 0, spread = 0, entropy = 0;
  for (let i = 0; i < n; i++) {
    conf += mc.mean.data[i * 10 + top[i]] / n;
    spread += mc.std.data[i * 10 + top[i]] / n;
    for (let c = 0; c < 10; c++) { const q = mc.mean.data[i * 10 + c]; if (q > 0) entropy -= (q * Math.log(q)) / n; }
  }
  return { mc, top, conf, spread, entropy };
}
const uIn = uncertainty(inDist), uOut = uncertainty(staticImages);
const deterministicAcc = evaluate(dropoutModel, { x: inDist, y: inLabels }, { metrics: ["accuracy"] }).accuracy;
const mcAcc = Array.from(uIn.top).filter((c, i) => c === inLabels.data[i]).length / 200;
show(table([
  { inputs: "validation digits", "MC accuracy": mcAcc, "deterministic accuracy": deterministicAcc, "mean top probability": uIn.conf, "mean std of top class": uIn.spread, "predictive entropy": uIn.entropy },
  { inputs: "random static", "MC accuracy": null, "deterministic accuracy": null, "mean top probability": uOut.conf, "mean std of top class": uOut.spread, "predictive entropy": uOut.entropy },
], { digits: 3, caption: "T = 20 stochastic passes of the dropout model" }));
// One standard error of a difference of two accuracies near p on n = 200 digits: √(2p(1 − p)/n) (both are measured on the same
// digits, so this overstates it a little; it is the right order of magnitude).
const pMean = (mcAcc + deterministicAcc) / 2;
const mcStdErr = Math.sqrt((2 * pMean * (1 - pMean)) / 200);
quote({
  mcAcc, deterministicAcc, staticTop: `${Math.round(100 * uOut.conf)} %`, mcStdErr: `${(100 * mcStdErr).toFixed(1)} points`,
  mcVsDet: Math.abs(mcAcc - deterministicAcc) <= 2 * mcStdErr ? "within the noise" : "beyond the noise",
  mcMoreAccurate: mcAcc > deterministicAcc ? "*is* slightly more accurate here" : "is *not* more accurate here",
});

// %% [markdown] fragment
// On static the averaged prediction is less confident and the passes disagree more (higher std, higher entropy)
// than on real digits. The averaged prediction {{mcMoreAccurate}}: {{mcAcc}} against {{deterministicAcc}} for one
// deterministic pass, on 200 digits (one standard error of the difference is about {{mcStdErr}}, so the two are
// {{mcVsDet}}).
// It is not a perfect detector — a network trained on 300 digits has never been told what "not a digit" looks
// like, and still gives static a {{staticTop}} top probability on average — but the spread is an honest signal that the
// single softmax does not give. Exercise 8.5 computes these statistics from the raw passes.

// %% [markdown] slide
// ## 7. Max-norm constraints
//
// Instead of penalizing the weights, *constrain* them: after every optimizer step, rescale each unit's incoming weight
// vector $w$ (a row of a `Linear` weight) so that $\lVert w\rVert_2 \le c$:
// $w \leftarrow w \cdot \min(1, c/\lVert w\rVert_2)$. Typical $c$: 3 – 4 (the demo below uses $c = 1$, which binds for our
// small first layer). It keeps weights bounded even with large
// learning rates and combines well with dropout (Srivastava et al. used both). `regularization.maxNorm_(weight, c)`
// (source `kernel-lib/src/regularization/max-norm.ts`) does one pass and returns how many rows it rescaled; in `fit`,
// call it from a callback after each batch:
//
// ```ts
// const maxNormCallback = { onBatchEnd: () => { for (const w of weightsOf(model)) regularization.maxNorm_(w, 3); } };
// fit(model, train, { …, callbacks: [maxNormCallback] });
// ```

// %% fragment
const rowNorms = (w: Tensor) => Array.from({ length: w.shape[0] }, (_, r) => Math.hypot(...Array.from(w.data).slice(r * w.shape[1], (r + 1) * w.shape[1])));
const w1Copy = weightsOf(baseline)[0].clone();
const before = rowNorms(w1Copy);
const rescaled = regularization.maxNorm_(w1Copy, 1.0);
const after = rowNorms(w1Copy);
console.log(`baseline first layer: row norms from ${Math.min(...before).toFixed(2)} to ${Math.max(...before).toFixed(2)}`);
console.log(`maxNorm_(c = 1): ${rescaled} of ${w1Copy.shape[0]} rows rescaled; largest norm now ${Math.max(...after).toFixed(3)}`);

// %% [markdown] slide
// ## 8. Early stopping
//
// The validation loss falls, then rises as the network starts memorizing. Stop at the bottom: monitor the validation
// loss every epoch, remember the best weights, stop after `patience` epochs without improvement, and **restore the
// best weights** (the last ones are already overfit). Early stopping limits the *effective* capacity: within a limited
// number of steps from a small initialization, not every weight configuration can be reached.
//
// Scipio's tutorial simulates it with a training curve $0.8e^{-t/30} + 0.05$ and a validation curve that adds
// $0.001\max(0, t-80)^{1.3}$, over 200 epochs:

// %% fragment
const simEpochs = Array.from({ length: 200 }, (_, t) => t);
const simTrain = simEpochs.map((t) => 0.8 * Math.exp(-t / 30) + 0.05);
const simVal = simEpochs.map((t) => simTrain[t] + 0.001 * Math.max(0, t - 80) ** 1.3);
let simBest = Infinity, simBestEpoch = -1, simWait = 0, simStop = -1;
for (const t of simEpochs) {
  if (simVal[t] < simBest) { simBest = simVal[t]; simBestEpoch = t; simWait = 0; }
  else if (++simWait >= 10) { simStop = t; break; }
}
show(charts.line(simEpochs.flatMap((t) => [{ epoch: t, loss: simTrain[t], curve: "train" }, { epoch: t, loss: simVal[t], curve: "validation" }]),
  { x: "epoch", y: "loss", color: "curve", title: "Scipio's simulated curves" }));
console.log(`training loss at epoch 199: ${simTrain[199].toFixed(4)} (still decreasing)`);
console.log(`validation loss at epoch 199: ${simVal[199].toFixed(4)} (increasing)`);
console.log(`best validation loss ${simBest.toFixed(4)} at epoch ${simBestEpoch} (training loss there ${simTrain[simBestEpoch].toFixed(4)})`);
console.log(`patience 10 stops at epoch ${simStop}, saving ${200 - simStop} of 200 epochs`);
quote({ simBestEpoch, simBest: simBest.toFixed(4), simTrainAtBest: simTrain[simBestEpoch].toFixed(4), simStopLater: simStop - simBestEpoch, simSaved: 200 - simStop });

// %% [markdown] fragment
// The same numbers as scipio's printout: best epoch {{simBestEpoch}} (validation {{simBest}}, training {{simTrainAtBest}}),
// a stop {{simStopLater}} epochs later, and {{simSaved}} epochs of compute saved. On real curves the minimum is noisy: `minDelta` ignores tiny improvements,
// and `patience` must outlast a bump.
//
// Opinions differ on its place today. Scipio's tutorial calls early stopping the simplest, cheapest, most effective
// regularizer ("always use it"); Karmakar's notes say it is *not very common these days* — modern recipes fix the training
// length with a schedule (lesson 7) and regularize otherwise, keeping only the best checkpoint. Both agree on the
// mechanics below.

// %% [markdown] notes
// If students ask which seed is right about early stopping: both. With a fixed budget and a cosine schedule the last
// epoch is usually close to the best one, so stopping early saves little; with a constant rate and a small data set
// it saves a lot. Keeping the best checkpoint costs nothing either way.

// %% subslide
// The real thing: the baseline's set-up with kernel-lib's EarlyStopping callback (source kernel-lib/src/train/callbacks.ts).
const esModel = makeMLP();
const stopper = new EarlyStopping({ monitor: "valLoss", patience: 5, restoreBestWeights: true });
const esHistory = trainMLP(esModel, { callbacks: [stopper] });
const restored = evaluate(esModel, val, { loss: F.crossEntropy, metrics: ["accuracy"] });
console.log(`stopped after epoch ${(esHistory.stoppedEpoch ?? EPOCHS - 1) + 1} of ${EPOCHS}; best epoch ${(esHistory.bestEpoch ?? 0) + 1}`);
show(table([
  { weights: "last epoch", "val loss": esHistory.last.valLoss, "val acc": esHistory.last.valAccuracy },
  { weights: "restored best", "val loss": restored.loss, "val acc": restored.accuracy },
], { digits: 3 }));
quote({
  esLastLoss: esHistory.last.valLoss, esBestLoss: restored.loss, esLastAcc: esHistory.last.valAccuracy, esBestAcc: restored.accuracy,
  esSaved: EPOCHS - ((esHistory.stoppedEpoch ?? EPOCHS - 1) + 1), esEpochs: EPOCHS,
});

// %% [markdown] fragment
// The run ends `patience` epochs after the validation minimum, and `restoreBestWeights` hands back the model of the
// best epoch — the same network the baseline had at that epoch (same seed, same batches), before its validation loss
// started to climb: validation loss {{esBestLoss}} instead of {{esLastLoss}}, accuracy {{esBestAcc}} instead of
// {{esLastAcc}} (one seed), and {{esSaved}} of the {{esEpochs}} epochs of compute saved.
// Exercise 8.4 rebuilds this tracker.

// %% [markdown] slide
// ## 9. Data augmentation
//
// Enlarge the training set artificially with **label-preserving** transformations: a digit moved by two pixels, or
// turned by ten degrees, is still the same digit. The network sees a new variant of each image every epoch and learns
// the invariances we want it to have. It adds no new facts about the world: it adds our **prior knowledge** of
// how a digit may vary without changing its label, which makes it a regularizer. Geometric (shifts, rotations, flips, crops, elastic deformations) and
// photometric (brightness, contrast, noise, blur) transforms are standard for images; audio, text and time series
// have their own.
//
// The transformation must not change the label: a horizontal **flip** is fine for photos of cats but turns a 2 into
// a backwards "S" and a 3 into an "Ɛ". For **tabular** data there is rarely a transformation that surely keeps the
// label; adding small Gaussian noise (`data.augment.gaussianNoise`) is about all there is, and it usually helps little.
// Source of the image transforms: `kernel-lib/src/data/augment/`.

// %% subslide
const sampleIdx = [0, 1];
const g9 = new Generator(9);
const originals = digits.xTrain.indexSelect(0, sampleIdx); // full-resolution 28×28 images
const variants = [
  ["original", originals],
  ["shift (±2 px)", data.augment.randomShift(originals, { maxShift: 2, generator: g9 })],
  ["rotate (±10°)", data.augment.randomRotation(originals, { maxDegrees: 10, generator: g9 })],
  ["both", data.augment.randomShift(data.augment.randomRotation(originals, { maxDegrees: 10, generator: g9 }), { maxShift: 2, generator: g9 })],
  ["flip (wrong!)", data.augment.flipHorizontal(originals)],
] as const;
// One picture: rows = the two digits, columns = the variants, a blank row/column between them.
const mosaic = Array.from({ length: 2 * 29 }, (_, r) => {
  const img = Math.floor(r / 29), y = r % 29;
  return variants.flatMap(([, x]) => Array.from({ length: 29 }, (_, c) => (y < 28 && c < 28 ? x.data[img * 784 + y * 28 + c] : 0)));
});
show(charts.heatmap(mosaic, { title: variants.map(([name]) => name).join(" | "), scheme: "greys", showValues: false }));
console.log(`labels of the two digits: ${sampleIdx.map((i) => train.y.data[i]).join(", ")}`);

// %% subslide
/** A dataset that hands out a freshly shifted and rotated copy of each image every time it is asked. */
class AugmentedDigits implements data.Dataset {
  constructor(readonly x: Tensor, readonly y: Tensor, readonly generator: Generator, readonly maxShift = 2) {}
  get length(): number {
    return this.x.shape[0];
  }
  /** Rotate and shift the 28×28 images, then downsample as the rest of the lesson does. */
  private augment(xb: Tensor): Tensor {
    const rotated = data.augment.randomRotation(xb, { maxDegrees: 10, generator: this.generator });
    return downsample(data.augment.randomShift(rotated, { maxShift: this.maxShift, generator: this.generator }));
  }
  get(index: number): data.Batch {
    return [this.augment(this.x.slice(0, index, index + 1)).reshape([196]), this.y.select(0, index)];
  }
  getBatch(indices: ArrayLike<number>): data.Batch {
    return [this.augment(this.x.indexSelect(0, indices)), this.y.indexSelect(0, indices)];
  }
}
const augLoader = new data.DataLoader(new AugmentedDigits(digits.xTrain, digits.yTrain, new Generator(10)), { batchSize: 32, shuffle: true, generator: new Generator(1) });
const augModel = makeMLP();
const augHistory = trainMLP(augModel, { data: augLoader });
show(charts.lossCurves(augHistory, { title: "With shift + rotation augmentation" }));
console.log(`validation accuracy ${augHistory.last.valAccuracy.toFixed(3)} (baseline ${baselineHistory.last.valAccuracy.toFixed(3)})`);
const augVal = augHistory.get("valLoss");
const augBest = augVal.indexOf(Math.min(...augVal));
quote({
  augBestEpoch: augBest + 1, augBestVal: augVal[augBest], augLastVal: augHistory.last.valLoss,
  augGap: augHistory.last.valLoss - augHistory.last.loss, baseGap2: baselineHistory.last.valLoss - baselineHistory.last.loss,
});

// %% [markdown] fragment
// Every regularizer here encodes a prior: the penalties say "weights are small", dropout "no unit may rely on another".
// Augmentation's prior is specific to the data — how a digit may vary without changing its label — and a fully connected
// network needs exactly that: it has to learn every position separately (it has no notion of "the same stroke, two pixels
// to the left"), which is what shifted copies show it. On this seed the validation loss is lowest at epoch
// {{augBestEpoch}} of 20 ({{augBestVal}}; {{augLastVal}} at the end), and the final train–validation gap in loss is
// {{augGap}} against the baseline's {{baseGap2}} (the training loss is now measured on fresh variants). Section 14 compares
// it with the others over several seeds.

// %% [markdown] slide
// ## 10. Implicit regularization
//
// Deep networks often generalize well even without any explicit penalty: the *training procedure itself* prefers
// simple solutions.
//
// - **Gradient descent's bias.** In an over-parameterized model many weight vectors fit the training data exactly.
//   For least squares started at 0, gradient descent converges to the one with the **smallest norm** — the most
//   conservative interpolation. Shown below.
// - **SGD noise.** Mini-batch gradients are noisy, and that noise keeps the weights out of sharp, narrow minima;
//   small batches sometimes generalize better than large ones.
// - **Everything from earlier lessons**: early stopping, normalization layers (batch norm has a noisy, batch-dependent
//   effect), the scale of the initialization, data augmentation.

// %% fragment tags=slide-hide-code
/** 20 samples, 50 features: infinitely many w with Xw = y. */
const under = (() => {
  const g = new Generator(12);
  const n = 20, d = 50;
  const wTrue = Array.from({ length: d }, () => g.normal() / Math.sqrt(d));
  const make = (m: number) => {
    const X = Array.from({ length: m }, () => Array.from({ length: d }, () => g.normal()));
    return { X, y: X.map((row) => row.reduce((s, v, j) => s + v * wTrue[j], 0) + 0.1 * g.normal()) };
  };
  return { n, d, train: make(n), test: make(500) };
})();
const sqLoss = (w: readonly number[], set: { X: number[][]; y: number[] }) =>
  set.X.reduce((s, row, i) => s + (row.reduce((a, v, j) => a + v * w[j], 0) - set.y[i]) ** 2, 0) / (2 * set.X.length);
function gdFrom(w0: number[]): number[] {
  const w = [...w0];
  for (let step = 0; step < 3000; step++) {
    const grad = new Array<number>(under.d).fill(0);
    under.train.X.forEach((row, i) => {
      const r = row.reduce((a, v, j) => a + v * w[j], 0) - under.train.y[i];
      row.forEach((v, j) => { grad[j] += (r * v) / under.n; });
    });
    for (let j = 0; j < under.d; j++) w[j] -= 0.01 * grad[j];
  }
  return w;
}
const g12 = new Generator(13);
const fromZero = gdFrom(new Array<number>(under.d).fill(0));
const fromRandom = gdFrom(Array.from({ length: under.d }, () => g12.normal()));
show(table([["start at 0", fromZero], ["start at random N(0, 1)", fromRandom]].map(([name, w]) => ({
  "gradient descent": name as string,
  "train loss": sqLoss(w as number[], under.train),
  "‖w‖": Math.hypot(...(w as number[])),
  "test loss": sqLoss(w as number[], under.test),
})), { digits: 4, caption: "least squares, 20 samples, 50 weights, 3000 steps" }));

// %% [markdown] fragment
// Both runs fit the training data (almost) perfectly, but they are different solutions. Every gradient
// $X^\top r$ lies in the span of the 20 training inputs, so gradient descent never changes the other 30 directions of
// $w$: started at 0 it stays in that span and ends at the minimum-norm interpolant; started elsewhere it keeps
// whatever the initialization put in the other directions — a larger norm and a worse test loss. The initialization
// and the optimizer are part of the regularization.

// %% [markdown] slide
// ## 11. Alpha dropout for self-normalizing networks
//
// Lesson 3's SELU networks keep activations at mean 0 and standard deviation 1 through many layers — as long as
// nothing disturbs the statistics. Ordinary dropout does: it sets units to 0 (not SELU's resting value) and scales
// the rest up. **Alpha dropout** sets dropped units to SELU's negative saturation value $-\lambda\alpha \approx -1.758$
// and applies an affine correction that restores mean 0 and variance 1 (`nn.AlphaDropout`; source
// `kernel-lib/src/functional/dropout.ts`). Twenty SELU layers with LeCun initialization, in training mode:

// %% fragment
function seluStack(drop: "none" | "dropout" | "alpha"): { mean: number; std: number } {
  const g = new Generator(14);
  const layers: nn.Module[] = [];
  for (let l = 0; l < 20; l++) {
    const lin = new nn.Linear(64, 64, { generator: g });
    init.lecunNormal_(lin.weight, { generator: g });
    init.zeros_(lin.bias!);
    layers.push(lin, new nn.SELU());
    if (drop === "dropout") layers.push(new nn.Dropout(0.1, { generator: g }));
    if (drop === "alpha") layers.push(new nn.AlphaDropout(0.1, { generator: g }));
  }
  const out = noGrad(() => new nn.Sequential(...layers).train().call(randn([400, 64], { generator: g })));
  return { mean: out.mean().item(), std: out.std().item() };
}
show(table((["none", "dropout", "alpha"] as const).map((kind) => ({ "after each SELU": kind === "none" ? "nothing" : kind === "dropout" ? "Dropout(0.1)" : "AlphaDropout(0.1)", ...seluStack(kind) })),
  { digits: 3, caption: "activations after 20 layers (standardized inputs)" }));

// %% [markdown] slide
// ## 12. Label smoothing
//
// Cross-entropy with one-hot targets rewards a network for pushing the correct logit ever further above the others:
// the loss only reaches 0 at infinite confidence. **Label smoothing** (Szegedy et al., 2016) trains against a softened
// target instead: with $C$ classes and smoothing $\varepsilon$, the correct class gets $1 - \varepsilon + \varepsilon/C$ and
// every other class $\varepsilon/C$. The best the network can now do is a finite gap between the logits, so it stops
// growing them: a regularizer on the *outputs* rather than on the weights. Müller, Kornblith and Hinton (*When does
// label smoothing help?*, 2019) found it improves calibration (predicted probabilities closer to observed accuracy)
// on several image tasks. In kernel-lib it is an option of the loss: `F.crossEntropy(logits, y, { labelSmoothing: 0.1 })`
// (PyTorch: `label_smoothing`).
//
// The experiment: the lesson's network and budget, trained with $\varepsilon$ = 0, 0.05, 0.1 and 0.2 on 5 seeds each.
// We measure the plain (unsmoothed) validation loss, the accuracy, and the **mean top probability** on the
// validation digits: a calibrated network's mean top probability equals its accuracy.

// %% fragment
const smoothingRows = [0, 0.05, 0.1, 0.2].map((eps) => {
  const runsEps = [0, 1, 2, 3, 4].map((seed) => {
    manualSeed(seed);
    const model = makeMLP(0, 1000 + seed);
    fit(model, train, {
      optimizer: new optim.Adam(model.parameters(), { lr: 3e-3 }), batchSize: 32, epochs: EPOCHS, seed, progress: "none",
      loss: (logits, y) => F.crossEntropy(logits, y, { labelSmoothing: eps }),
    });
    const scores = evaluate(model, val, { loss: F.crossEntropy, metrics: ["accuracy"] });
    const probs = noGrad(() => F.softmax(model.eval().call(val.x), -1));
    const confidence = noGrad(() => probs.max(1).mean().item());
    return { loss: scores.loss, acc: scores.accuracy, confidence };
  });
  const pick = (k: "loss" | "acc" | "confidence") => runsEps.map((r) => r[k]);
  return { eps, loss: pick("loss"), acc: pick("acc"), confidence: pick("confidence"), gap: runsEps.map((r) => r.confidence - r.acc) };
});
show(table(smoothingRows.map((r) => ({
  "label smoothing ε": r.eps, "val loss (plain CE)": formatMeanSd(r.loss), "val acc": formatMeanSd(r.acc),
  "mean top probability": formatMeanSd(r.confidence), "top probability − accuracy": formatMeanSd(r.gap),
})), { caption: `${EPOCHS} epochs, Adam, 300 training digits; mean ± sd over 5 seeds` }));
show(charts.line(smoothingRows.flatMap((r) => [
  { eps: r.eps, measure: "val accuracy", value: meanSd(r.acc).mean, sd: meanSd(r.acc).sd },
  { eps: r.eps, measure: "mean top probability", value: meanSd(r.confidence).mean, sd: meanSd(r.confidence).sd },
]), { x: "eps", y: "value", color: "measure", yError: "sd", xTitle: "label smoothing ε", title: "Confidence against accuracy (mean ± sd, 5 seeds)" }));
const noSmoothing = smoothingRows[0], smoothed = smoothingRows[2];
quote({
  lsGap0: meanSd(noSmoothing.gap).mean, lsGap1: meanSd(smoothed.gap).mean, lsLoss0: formatMeanSd(noSmoothing.loss), lsLoss1: formatMeanSd(smoothed.loss),
  lsAcc0: formatMeanSd(noSmoothing.acc), lsAcc1: formatMeanSd(smoothed.acc),
  lsAccNoise: withinNoise(noSmoothing.acc, smoothed.acc) ? "within the noise" : "beyond the noise",
}, 2);

// %% [markdown] fragment
// Without smoothing the network is over-confident: its mean top probability exceeds its accuracy by {{lsGap0}}. With
// $\varepsilon = 0.1$ the gap is {{lsGap1}} (negative means *under*-confident: the softened target caps the top
// probability). The plain validation loss goes from {{lsLoss0}} to {{lsLoss1}}, the accuracy from {{lsAcc0}} to
// {{lsAcc1}} ({{lsAccNoise}} of 5 seeds). So label smoothing acts mostly on the confidence, which is what it targets;
// whether it also helps accuracy depends on the problem. Two cautions from Müller et al.: a smoothed teacher is a worse
// teacher for knowledge distillation, and the confidence it removes is information some uses (e.g. uncertainty
// estimates) need.

// %% [markdown] slide
// ## 13. Regularization choices are hyperparameters
//
// Hyperparameters are set by us, not learned from the data. For an MLP:
//
// - **architectural**: number of hidden layers, units per layer, the regularization technique and its strength (the
//   dropout rate, $\lambda$), the activation function (ReLU is the usual default);
// - **learning-based**: number of epochs, mini-batch size, learning rate (usually with a schedule), the optimizer
//   (whose default settings — e.g. Adam's — often work well).
//
// They can be searched by **grid search**, **random search** (usually better: it tries more values of the parameters
// that matter) or **Bayesian optimization** (a model of the score guides the next trial); lesson 9 runs a small search.
// Most of the time, though, intuition and the learning curves do the work: a **zig-zagging loss** says the gradient is
// too noisy — increase the mini-batch size (or lower the learning rate); a growing train–validation gap says
// regularize more; two high curves say the model is too small or trained too briefly.

// %% [markdown] slide
// ## 14. All runs side by side
//
// The same network, data, optimizer (Adam, lr 3e-3) and 20 epochs; only the regularization changes. The runs above
// each used one seed and one strength, which is fine for showing what a technique does and not enough to rank them.
// So here every technique gets its strength tuned on a grid (3 seeds each, lowest mean validation loss, checked to be
// inside the grid), and is then rerun at that strength on **5 fresh seeds** (a seed fixes the initial weights, the
// batch order, the dropout masks and the augmentations). Max-norm, shown only on a weight matrix in section 7, is
// trained with here: a callback applies `maxNorm_` after every step. Weight decay is AdamW's (the form that works
// with Adam, section 4). The strengths are chosen on the 500 validation digits; the table scores the fresh runs on the
// 500 **test** digits, which no choice in this lesson has looked at, so neither the seeds nor the images of the
// reported numbers are the ones the choice was made on.

// %% fragment
type Contender = { name: string; grid: number[]; label: (v: number) => string; run: (v: number, seed: number) => { model: nn.Sequential; history: History } };
const maxNormCallback = (model: nn.Module, c: number): Callback => ({ onBatchEnd: () => { for (const w of weightsOf(model)) regularization.maxNorm_(w, c); } });
const augmentedFor = (seed: number, maxShift: number) =>
  new data.DataLoader(new AugmentedDigits(digits.xTrain, digits.yTrain, new Generator(100 + seed), maxShift), { batchSize: 32, shuffle: true, generator: new Generator(seed) });
const seeded = (seed: number, dropout = 0) => { manualSeed(seed); return makeMLP(dropout, 1000 + seed); };
const contenders: Contender[] = [
  { name: "baseline", grid: [0], label: () => "—", run: (_, seed) => { const model = seeded(seed); return { model, history: trainMLP(model, { seed }) }; } },
  { name: "weight decay (AdamW)", grid: [0.03, 0.1, 0.3, 1, 3], label: (v) => `λ = ${v}`, run: (v, seed) => {
    const model = seeded(seed);
    return { model, history: trainMLP(model, { seed, optimizer: new optim.AdamW(model.parameters(), { lr: 3e-3, weightDecay: v }) }) };
  } },
  { name: "dropout", grid: [0.1, 0.3, 0.5, 0.7], label: (v) => `p = ${v}`, run: (v, seed) => { const model = seeded(seed, v); return { model, history: trainMLP(model, { seed }) }; } },
  { name: "max-norm", grid: [0.5, 1, 2, 4], label: (v) => `c = ${v}`, run: (v, seed) => { const model = seeded(seed); return { model, history: trainMLP(model, { seed, callbacks: [maxNormCallback(model, v)] }) }; } },
  { name: "early stopping", grid: [1, 3, 6, 10, 20], label: (v) => `patience ${v}`, run: (v, seed) => {
    const model = seeded(seed);
    return { model, history: trainMLP(model, { seed, callbacks: [new EarlyStopping({ patience: v, restoreBestWeights: true })] }) };
  } },
  { name: "augmentation", grid: [0, 1, 2, 3], label: (v) => `rotation ±10°, shift ±${v} px`, run: (v, seed) => { const model = seeded(seed); return { model, history: trainMLP(model, { seed, data: augmentedFor(seed, v) }) }; } },
];
/** Loss and accuracy of a final model on a split (validation to choose, test to report), in eval mode. */
const scoreOf = (model: nn.Sequential, split = val) => evaluate(model, split, { loss: F.crossEntropy, metrics: ["accuracy"] });
type Compared = { name: string; strength: string; atEdge: boolean; loss: number[]; acc: number[] };
const compared: Compared[] = [];
/** Tunes each contender's strength (3 seeds, validation set), then scores it on 5 fresh seeds (test set); two contenders per cell, so no cell runs long. */
function compareContenders(from: number, to: number): void {
  for (const c of contenders.slice(from, to)) {
    const means = c.grid.map((v) => meanSd([0, 1, 2].map((seed) => scoreOf(c.run(v, seed).model).loss)).mean);
    const k = means.indexOf(Math.min(...means));
    const fresh = [10, 11, 12, 13, 14].map((seed) => scoreOf(c.run(c.grid[k], seed).model, test));
    compared.push({ name: c.name, strength: c.label(c.grid[k]), atEdge: c.grid.length > 1 && (k === 0 || k === c.grid.length - 1), loss: fresh.map((f) => f.loss), acc: fresh.map((f) => f.accuracy) });
  }
}
compareContenders(0, 2);

// %% fragment
compareContenders(2, 4);

// %% fragment
compareContenders(4, 5);

// %% fragment
compareContenders(5, 6);

// %% fragment
const bestAcc = [...compared].sort((p, q) => meanSd(q.acc).mean - meanSd(p.acc).mean)[0];
show(table(compared.map((c) => ({
  technique: c.name, "tuned strength": c.strength, "at grid edge?": c.atEdge ? "yes" : "no",
  "test loss": formatMeanSd(c.loss), "test acc": formatMeanSd(c.acc),
  "vs best accuracy": c === bestAcc ? "best mean" : withinNoise(c.acc, bestAcc.acc) ? "within noise" : "lower",
})), { caption: "each technique at its tuned strength; final model in eval mode; test set, mean ± sd over 5 fresh seeds" }));
show(charts.bar(compared.map((c) => ({ technique: c.name, "test accuracy": meanSd(c.acc).mean, sd: meanSd(c.acc).sd })), { x: "technique", y: "test accuracy", yError: "sd", title: "Test accuracy at tuned strength (mean ± sd, 5 seeds)" }));
const base = compared[0];
quote({
  bestTechnique: bestAcc.name, bestTechniqueAcc: formatMeanSd(bestAcc.acc), baseAccAll: formatMeanSd(base.acc),
  tiedWithBest: compared.filter((c) => c !== bestAcc && withinNoise(c.acc, bestAcc.acc)).map((c) => c.name).join(", ") || "none",
  aboveBaseline: compared.filter((c) => c !== base && !withinNoise(c.acc, base.acc) && meanSd(c.acc).mean > meanSd(base.acc).mean).map((c) => c.name).join(", ") || "none",
  lossBelowBaseline: compared.filter((c) => c !== base && !withinNoise(c.loss, base.loss) && meanSd(c.loss).mean < meanSd(base.loss).mean).map((c) => c.name).join(", ") || "none",
  accSpread: `${(100 * (Math.max(...compared.map((c) => meanSd(c.acc).mean)) - Math.min(...compared.map((c) => meanSd(c.acc).mean)))).toFixed(1)} points`,
});

// %% [markdown] fragment
// What the repeated comparison supports:
//
// - the highest mean test accuracy is {{bestTechnique}}'s ({{bestTechniqueAcc}}; baseline {{baseAccAll}});
//   within the noise of it (difference under two standard errors): {{tiedWithBest}};
// - techniques whose accuracy beats the baseline by more than the noise: {{aboveBaseline}};
// - techniques whose test *loss* beats the baseline's by more than the noise: {{lossBelowBaseline}}. A
//   regularizer that keeps the network from becoming over-confident lowers the loss long before it changes the
//   accuracy.
//
// On 300 training images the mean accuracies of the six lie within {{accSpread}} of each other, and five seeds on 500
// test digits resolve only the larger differences. Combine techniques with care: each one slows learning down, and
// stacking them untuned on a small network can cost accuracy (lesson 10 adds dropout to its recipe and measures it).

// %% [markdown] slide
// ## Summary
//
// - Overfitting shows as a growing gap between training and validation loss. More data is the best cure; the rest
//   makes the most of the data you have.
// - **L2** ($\lambda\sum w^2$, $\tfrac\lambda2\lVert\theta\rVert^2$ or $\tfrac\lambda n\sum\lVert W\rVert_F^2$ — mind the
//   convention) shrinks weights: a Gaussian prior. **L1** zeroes them: sparsity, feature selection, a Laplace prior.
// - In SGD, weight decay $\equiv$ L2. In Adam it is not: use **AdamW** for decoupled decay.
// - **Dropout**: drop with probability $p$, scale survivors by $1/(1-p)$ (inverted), nothing at test time; an implicit
//   ensemble. Switch `train()`/`eval()`. **MC dropout** keeps it on at test time for an uncertainty estimate.
// - **Max-norm** bounds each unit's incoming weights; **early stopping** keeps the best epoch's weights.
// - **Augmentation** with label-preserving transforms adds prior knowledge of how the data may vary; compare it with
//   the others over several seeds, each at its tuned strength, before calling a winner.
// - SGD, initialization and normalization regularize **implicitly**; **alpha dropout** goes with SELU.

// %% [markdown] slide
// ## Exercises
//
// Open `exercises/08-regularization.ts`; everything works on plain arrays:
//
// 1. `dropoutForward(x, p, generator)` — inverted dropout with a seeded mask; must match `F.dropout` draw for draw (4 pts);
// 2. `dropoutBackward(dOut, mask)` — checked against autograd (1 pt);
// 3. `l2PenaltyWithGrad(weights, λ, n)` — $(\lambda/n)\sum\lVert W\rVert_F^2$ and its gradient, against `regularization.l2Penalty` (2 pts);
// 4. `EarlyStopper` — patience, `minDelta`, best epoch, a deep copy of the best weights and `restore()`; graded on the
//    scipio's simulated curves (best 82, stop at 92) and tricky cases (5 pts);
// 5. `mcDropoutStats(predictions)` — mean, population std and predicted class over T stochastic passes, against
//    `regularization.mcDropoutPredict` (5 pts);
// 6. `dropoutEval(x, p)` — dropout at evaluation time (1 pt);
// 7. `l1PenaltyWithGrad(weights, λ, n)` — the L1 penalty and its subgradient, 0 at 0 (2 pts);
// 8. `labelSmoothingCrossEntropy(logits, labels, ε)` — softmax cross-entropy with label smoothing, stable for
//    large logits, against `F.crossEntropy` and its autograd (6 pts).
//
// From a terminal at the root of the repository:
//
// ```bash
// npm run check -- 08
// ```

// %% fragment
// In a TypeScript file you would write `import * as ex from "../exercises/08-regularization";`. The notebook
// kernel only compiles files inside notebooks/, so we load the exercise file through tsx instead.
const { require: requireTs } = require("tsx/cjs/api") as { require: (id: string, fromFile: string) => unknown };
const ex = requireTs("../exercises/08-regularization", `${process.cwd()}/lesson.js`) as {
  dropoutForward(x: readonly number[], p: number, generator: Generator): { out: number[]; mask: number[] };
};
try {
  const { out } = ex.dropoutForward([1, 2, 3, 4, 5, 6, 7, 8], 0.5, new Generator(42));
  const reference = F.dropout(a8, 0.5, { generator: new Generator(42) });
  console.log(`yours:     [${out.join(", ")}]`);
  console.log(`F.dropout: [${Array.from(reference.data).join(", ")}]`);
} catch (err) {
  console.log((err as Error).message);
}

// %% [markdown] skip
// ### Check your exercises in the notebook
//
// Save `exercises/08-regularization.ts` and run the next cell: it grades the file with the same tests and points as
// `npm run check -- 08` (it runs that command), and shows each test with expected vs got and a hint. Run it
// again after every change. (`check` comes from `notebooks/check.ts`, next to the lessons.)

// %% skip
import { check } from "./check";
await check("08");
