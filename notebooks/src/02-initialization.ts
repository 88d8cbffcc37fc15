// %% [markdown] slide
// # Lesson 2 — Weight initialization
//
// Lesson 1 ended with three 11-layer networks: identical except for their activation and their
// initial weights, and only one of them learned. This lesson is about that starting point.
//
// **What you will learn**
//
// - what a bad initialization does: vanishing or exploding signals, slow convergence, and the
//   **symmetry** trap of identical neurons;
// - the two goals of an initialization: break the symmetry, keep the scale of activations and gradients;
// - the 20-layer ReLU experiment with small, large and He-scaled weights, measured layer by layer;
// - the variance-preservation argument, and why ReLU needs a factor 2;
// - Glorot/Xavier, He/Kaiming and LeCun (uniform and normal), Table 11-1, `calculateGain`;
// - PyTorch's (and kernel-lib's) default for `Linear`, and how to re-initialize a model;
// - a real training run of the same deep network with small, default, He and large initial weights.

// %% skip
import { Generator, manualSeed, randn, zeros, tensor, noGrad, nn, init, F, optim, data, fit, evaluate, diagnostics, charts, show, table, quote, meanSd, formatMeanSd } from "kernel-lib";
import type { Tensor } from "kernel-lib";
manualSeed(0);
// The bundled MNIST subset (kernel-lib/src/data/mnist.ts): 28×28 digit images flattened to 784 pixels in [0, 1].
const digits = data.loadDigits({ train: 1000, test: 500, seed: 0 });
const trainSet = { x: digits.xTrain, y: digits.yTrain };
const testSet = { x: digits.xTest, y: digits.yTest };

// %% [markdown] slide
// ## 1. Why initialization matters
//
// Training starts from the initial weights; they set the **starting point** of the optimization and the
// **scale** at which learning happens. A poor choice causes:
//
// | problem | cause |
// |---|---|
// | **vanishing gradients** | weights too small: every layer shrinks the signal (lesson 1's product of factors < 1) |
// | **exploding gradients** | weights too large: every layer amplifies it, up to `NaN` |
// | **slow convergence** | updates far too small relative to the weights, so learning crawls |
// | **symmetry** | all weights equal: the neurons of a layer compute the same thing forever |
//
// A good initialization gives stable gradients, faster convergence, and better accuracy because the
// neurons of a layer learn *different* features. Hence **two goals**:
//
// 1. **break the symmetry** between the neurons of a layer;
// 2. **keep the typical scale** of activations (forward) and gradients (backward) the same across layers.

// %% [markdown] subslide
// ### The symmetry trap, measured
//
// If every weight starts with the same value, every hidden unit receives the same input, computes the
// same output, and gets **the same gradient** from backpropagation — so after every update the units are
// still identical. A layer of 32 units behaves like a layer of one. With all weights at 0 it is worse:
// a ReLU hidden layer outputs 0 and receives a zero gradient, so it never moves at all.
//
// A 784 → 32 → 10 network, initialized three ways, trained for 3 epochs with SGD:

// %% tags=slide-hide-code
function identicalRows(w: Tensor): number {
  // How many rows (hidden units) are exact copies of row 0.
  const [rows, cols] = w.shape;
  let copies = 0;
  for (let i = 0; i < rows; i++) {
    let same = true;
    for (let j = 0; j < cols && same; j++) same = w.data[i * cols + j] === w.data[j];
    if (same) copies++;
  }
  return copies;
}
const symmetryRows = ["all zeros", "all 0.05", "random (default)"].map((how) => {
  const model = new nn.Sequential(new nn.Linear(784, 32, { generator: new Generator(1) }), new nn.ReLU(), new nn.Linear(32, 10, { generator: new Generator(2) }));
  if (how !== "random (default)") for (const p of model.parameters()) init.constant_(p, how === "all zeros" ? 0 : 0.05);
  const hidden = (model.at(0) as nn.Linear).weight;
  F.crossEntropy(model.call(trainSet.x.slice(0, 0, 100)), trainSet.y.slice(0, 0, 100)).backward();
  const firstGradient = { norm: hidden.grad!.norm().item(), identical: identicalRows(hidden.grad!) };
  model.zeroGrad();
  fit(model, trainSet, { optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), loss: F.crossEntropy, epochs: 3, batchSize: 50, seed: 0, progress: "auto" });
  return {
    init: how,
    "‖∂L/∂W1‖ at start": firstGradient.norm,
    "units with the same gradient as unit 0": `${firstGradient.identical} / 32`,
    "units still copies of unit 0 after training": `${identicalRows(hidden)} / 32`,
    "test accuracy": evaluate(model, testSet, { metrics: ["accuracy"] }).accuracy,
  };
});
show(table(symmetryRows, { digits: 3 }));

// %% [markdown] fragment
// With equal weights the 32 hidden units stay exact copies (to the last bit) through every update,
// and the network is stuck near chance. Random initial values break the symmetry from the first step.

// %% [markdown] notes
// With all weights equal to 0.05, even the first gradient of the hidden layer is (almost) zero: the
// output layer's rows are equal, so the logits are equal and the backward signal to the hidden layer
// cancels. Later steps make the output rows differ, but each hidden unit still gets the same update.

// %% [markdown] slide
// ## 2. The 20-layer ReLU experiment
//
// How large should the random values be? The tutorial *Learn AI Series (#40): Training Neural Networks – Practical Challenges* (scipio), which this lesson builds on, pushes a batch
// $X$ of 100 samples × 64 features (standard normal) through 20 bias-free ReLU layers of 64 units,
// $a_\ell = \mathrm{ReLU}(a_{\ell-1} W_\ell)$, with $W_\ell$ drawn from $\mathcal{N}(0, 1)$ times a scale:
//
// - **small**: 0.01; **large**: 1.0; **He**: $\sqrt{2 / \text{fan\_in}}$ with fan_in = 64.
//
// We reproduce it (float64, one generator seeded 42 per strategy, as scipio's tutorial reseeds for each),
// and add two more scales for later: **Xavier** $\sqrt{2 / (\text{fan\_in} + \text{fan\_out})}$ and PyTorch's
// **default** for `Linear`, whose standard deviation is $1/\sqrt{3\,\text{fan\_in}}$ (section 5).

// %% tags=slide-hide-code
const X20 = randn([100, 64], { dtype: "float64", generator: new Generator(0) });
const strategies: Record<string, (fanIn: number, fanOut: number) => number> = {
  small: () => 0.01,
  large: () => 1.0,
  he: (fanIn) => Math.sqrt(2 / fanIn),
  xavier: (fanIn, fanOut) => Math.sqrt(2 / (fanIn + fanOut)),
  default: (fanIn) => 1 / Math.sqrt(3 * fanIn),
};
type Stat = { strategy: string; layer: number; mean: number; std: number; dead: number };
const layerStats: Stat[] = Object.entries(strategies).flatMap(([strategy, scale]) => {
  const g = new Generator(42);
  let a = X20;
  return Array.from({ length: 20 }, (_, l) => {
    const W = randn([a.shape[1], 64], { dtype: "float64", generator: g }).mul(scale(a.shape[1], 64));
    a = a.matmul(W).relu();
    const values = a.data;
    const mean = a.mean().item();
    const std = a.std(undefined, { unbiased: false }).item();
    let dead = 0; // units that output 0 for all 100 samples
    for (let u = 0; u < 64; u++) {
      let alive = false;
      for (let r = 0; r < 100 && !alive; r++) alive = values[r * 64 + u] > 0;
      if (!alive) dead++;
    }
    return { strategy, layer: l + 1, mean, std, dead };
  });
});
show(table(layerStats.filter((s) => s.layer === 20).map((s) => ({
  strategy: s.strategy, "mean after 20 layers": s.mean, "std after 20 layers": s.std, "dead units": `${s.dead}/64`,
})), { digits: 4, caption: "activation statistics after 20 ReLU layers (scipio's printout)" }));

// %% fragment
show(charts.line(layerStats.map((s) => ({ layer: s.layer, std: s.std, init: s.strategy })), {
  x: "layer", y: "std", color: "init", logY: true, title: "Std of the activations, layer by layer (log scale)",
}));
show(table(Array.from({ length: 20 }, (_, l) => {
  const at = (strategy: string) => layerStats.find((s) => s.strategy === strategy && s.layer === l + 1)!;
  return {
    layer: l + 1,
    "small mean": at("small").mean, "small std": at("small").std,
    "large mean": at("large").mean, "large std": at("large").std,
    "He mean": at("he").mean, "He std": at("he").std,
    "dead units": at("he").dead,
  };
}), { digits: 3, caption: "per-layer statistics of the three strategies of scipio's tutorial" }));
const std20 = (strategy: string) => layerStats.find((s) => s.strategy === strategy && s.layer === 20)!.std;
quote({ smallStd20: std20("small").toExponential(1), largeStd20: std20("large").toExponential(1) });

// %% [markdown] subslide
// ### Reading the numbers
//
// - **small (0.01)**: the std is multiplied by about $0.01 \cdot \sqrt{64/2} \approx 0.057$ per layer, a straight line
//   on the log scale down to {{smallStd20}} at layer 20: the signal has vanished, every unit outputs essentially nothing.
// - **large (1.0)**: multiplied by about $\sqrt{64/2} \approx 5.7$ per layer, up to {{largeStd20}}; in a real run the
//   gradients follow and the loss becomes `NaN` (section 6).
// - **He**: the std stays of order 1 across all 20 layers — scipio's conclusion, reproduced.
// - **Xavier** and **default** fall more gently but steadily: they were not designed for ReLU (section 3).
//
// A surprise: the **dead units are the same for every strategy**. Without biases, $\mathrm{ReLU}(c z) = c\,\mathrm{ReLU}(z)$
// for any $c > 0$, so rescaling all weights changes the *size* of every activation but not *which*
// ones are zero. The count grows with depth because 20 random layers make the 100 samples' activations
// more and more alike; the scale is what the initialization controls.

// %% [markdown] slide
// ## 3. Why $\sqrt{2/\text{fan\_in}}$: the variance-preservation argument
//
// Take one unit, $z_i = (Wx)_i = \sum_{j=1}^{n} W_{ij} x_j$ with $n$ = fan_in, and independent zero-mean weights
// of variance $\mathrm{Var}(W)$. For a **fixed input** $x$:
//
// $$\mathrm{Var}\big((Wx)_i \mid x\big) = \sum_{j=1}^{n} \mathrm{Var}(W_{ij})\, x_j^2 = \mathrm{Var}(W)\,\lVert x \rVert^2 .$$
//
// With $\mathrm{Var}(W) = 1/n$ this is $\lVert x\rVert^2 / n$, the mean square of $x$: the typical scale of the signal is
// **preserved** from layer to layer. Note the remark: this variance is over the **random initialization**
// only, not over the data — it says that at the start, the typical scale of the activations does not drift.
//
// **ReLU needs a factor 2.** $z$ is symmetric around 0 and ReLU zeroes the negative half, so
// $\mathbb{E}[\mathrm{ReLU}(z)^2] = \tfrac12 \mathrm{Var}(z)$: each layer would halve the mean square. He et al. (2015) double the
// weights' variance to compensate: $\mathrm{Var}(W) = 2/\text{fan\_in}$.
//
// **Gradients use fan_out.** Backward, $\partial\mathcal{L}/\partial x = W^\top \delta$ sums over the $\text{fan\_out}$ units a weight feeds, so
// $\mathrm{Var}\big((W^\top\delta)_j\big) = \mathrm{Var}(W)\,\lVert\delta\rVert^2$ over $\text{fan\_out}$ terms: preserving gradients asks for
// $\mathrm{Var}(W) = 1/\text{fan\_out}$ (or $2/\text{fan\_out}$ with ReLU). Glorot and Bengio compromise between the two: $1/\text{fan\_avg}$.

// %% subslide
// A Monte-Carlo check. Each row of W is an independent draw of one unit's weights, so the 4000 rows
// give 4000 samples of (Wx)_i for the same fixed x.
const gVar = new Generator(3);
const xFixed = randn([256, 1], { dtype: "float64", generator: gVar });
const Wmany = init.kaimingNormal_(zeros([4000, 256], { dtype: "float64" }), { nonlinearity: "relu", generator: gVar }); // Var(W) = 2/256
const zMany = Wmany.matmul(xFixed);
const msX = xFixed.square().mean().item();
const deltaOut = randn([1, 128], { dtype: "float64", generator: gVar }); // a backward signal at 128 units (fan_out)
const Wback = init.normal_(zeros([128, 4000], { dtype: "float64" }), 0, Math.sqrt(2 / 256), { generator: gVar });
const gradIn = deltaOut.matmul(Wback); // 4000 samples of (Wᵀδ)_j
show(table([
  { quantity: "Var((Wx)_i), forward", predicted: (2 / 256) * xFixed.square().sum().item(), measured: zMany.var(undefined, { unbiased: false }).item() },
  { quantity: "E[ReLU(z)²] after ReLU", predicted: 0.5 * (2 / 256) * xFixed.square().sum().item(), measured: zMany.relu().square().mean().item() },
  { quantity: "mean square of x (to keep)", predicted: msX, measured: msX },
  { quantity: "Var((Wᵀδ)_j), backward", predicted: (2 / 256) * deltaOut.square().sum().item(), measured: gradIn.var(undefined, { unbiased: false }).item() },
  { quantity: "mean square of δ", predicted: deltaOut.square().mean().item(), measured: deltaOut.square().mean().item() },
], { digits: 4 }));

// %% [markdown] fragment
// Forward, He's variance $2/256$ brings the mean square after the ReLU back to that of $x$. Backward, the
// same weights scale the gradient's variance by $\text{fan\_out} \cdot \mathrm{Var}(W) = 128 \cdot 2/256 = 1$ here (before the ReLU
// mask halves it): with fan_in ≠ fan_out, one of the two directions must give a little.

// %% [markdown] slide
// ## 4. The schemes
//
// All draw independent zero-mean weights, from a normal or a uniform distribution with the same variance
// ($U(-a, a)$ has variance $a^2/3$, so $a = \sqrt 3\,\sigma$):
//
// | scheme | normal | uniform | for |
// |---|---|---|---|
// | **Glorot / Xavier** (2010) | $\mathcal{N}\big(0, \sigma^2\big)$, $\sigma = \sqrt{2/(n_\text{in} + n_\text{out})}$ | $U\big[-\sqrt{6/(n_\text{in} + n_\text{out})}, +\sqrt{6/(n_\text{in} + n_\text{out})}\big]$ | none, tanh, logistic, softmax |
// | **He / Kaiming** (2015) | $\sigma = \sqrt{2/n_\text{in}}$ | $U\big[-\sqrt{6/n_\text{in}}, +\sqrt{6/n_\text{in}}\big]$ | ReLU and variants |
// | **LeCun** (1998) | $\sigma = \sqrt{1/n_\text{in}}$ | $U\big[-\sqrt{3/n_\text{in}}, +\sqrt{3/n_\text{in}}\big]$ | SELU (lesson 3) |
//
// (Sourav Karmakar's lecture notes *Additional Techniques for Training Neural Networks* write $\mathcal{N}(0, \sqrt{\cdot})$ with the standard deviation as second argument.) Aurélien Géron's *Hands-On Machine Learning with Scikit-Learn, Keras, and TensorFlow* (chapter 11, "Training Deep Neural Networks") states them in **Table 11-1**
// in terms of the variance, with $\text{fan}_\text{avg} = (\text{fan}_\text{in} + \text{fan}_\text{out})/2$:
//
// | initialization | activation functions | $\sigma^2$ (normal) |
// |---|---|---|
// | Glorot | none, tanh, logistic, softmax | $1/\text{fan}_\text{avg}$ |
// | He | ReLU and variants | $2/\text{fan}_\text{in}$ |
// | LeCun | SELU | $1/\text{fan}_\text{in}$ |
//
// In kernel-lib (kernel-lib/src/init/variance-scaling.ts): `init.xavierUniform_`, `init.xavierNormal_`,
// `init.kaimingUniform_`, `init.kaimingNormal_` (options `mode: "fanIn" | "fanOut"`, `nonlinearity`),
// `init.lecunUniform_`, `init.lecunNormal_` — PyTorch's `torch.nn.init` names in camelCase.

// %%
const initializers: [string, (w: Tensor, g: Generator) => Tensor, number, number][] = [
  // name, initializer, formula std, formula bound (0 for normal) — for a [128, 256] weight: fan_in 256, fan_out 128
  ["xavierUniform_", (w, g) => init.xavierUniform_(w, { generator: g }), Math.sqrt(2 / 384), Math.sqrt(6 / 384)],
  ["xavierNormal_", (w, g) => init.xavierNormal_(w, { generator: g }), Math.sqrt(2 / 384), 0],
  ["kaimingUniform_ (relu)", (w, g) => init.kaimingUniform_(w, { nonlinearity: "relu", generator: g }), Math.sqrt(2 / 256), Math.sqrt(6 / 256)],
  ["kaimingNormal_ (relu)", (w, g) => init.kaimingNormal_(w, { nonlinearity: "relu", generator: g }), Math.sqrt(2 / 256), 0],
  ["lecunUniform_", (w, g) => init.lecunUniform_(w, { generator: g }), Math.sqrt(1 / 256), Math.sqrt(3 / 256)],
  ["lecunNormal_", (w, g) => init.lecunNormal_(w, { generator: g }), Math.sqrt(1 / 256), 0],
];
show(table(initializers.map(([name, fill, std, bound]) => {
  const w = fill(zeros([128, 256]), new Generator(9));
  return {
    initializer: name, "formula std": std, "measured std": w.std(undefined, { unbiased: false }).item(),
    "formula bound": bound === 0 ? "—" : bound.toFixed(4), "max |w|": w.abs().max().item(),
  };
}), { digits: 4, caption: "a [128, 256] weight: fan_in = 256, fan_out = 128" }));

// %% [markdown] subslide
// ### Cheat sheet, and gains
//
// Scipio's quick reference for a layer with fan_in = 256 (it calls $\sqrt{1/\text{fan\_in}}$ "Xavier": that is
// Glorot's value when fan_in = fan_out, and LeCun's in general). PyTorch folds the activation into a
// **gain** (`init.calculateGain`, kernel-lib/src/init/gain.ts): $\sigma = \text{gain}/\sqrt{\text{fan}}$, e.g. $\sqrt 2$ for ReLU.

// %%
const fanIn256 = 256;
show(table([
  { activation: "ReLU", init: "He", formula: "sqrt(2/256)", std: Math.sqrt(2 / fanIn256) },
  { activation: "sigmoid", init: "Xavier (fan_in = fan_out)", formula: "sqrt(1/256)", std: Math.sqrt(1 / fanIn256) },
  { activation: "tanh", init: "Xavier (fan_in = fan_out)", formula: "sqrt(1/256)", std: Math.sqrt(1 / fanIn256) },
], { digits: 4, caption: "initialization cheat sheet, fan_in = 256" }));
show(table(([["linear"], ["sigmoid"], ["tanh"], ["relu"], ["leakyRelu", 0.01], ["leakyRelu", 0.2], ["selu"]] as [init.Nonlinearity, number?][]).map(([name, param]) => ({
  nonlinearity: param === undefined ? name : `${name} (slope ${param})`, "calculateGain": init.calculateGain(name, param),
  note: name === "selu" ? "not for self-normalizing nets: use gain 1 (LeCun), see below" : "",
})), { digits: 4 }));

// %% [markdown] fragment
// **A trap in that table: SELU.** Self-normalization (lesson 3) needs LeCun's variance, $1/\text{fan}_\text{in}$,
// i.e. gain 1. `calculateGain("selu")` returns $3/4$, which gives $\mathrm{Var}(W) = 0.5625/\text{fan}_\text{in}$: PyTorch
// chose that value for steadier gradients in non-square layers, and its documentation says to pass
// `nonlinearity="linear"` (gain 1) for self-normalizing networks instead. The difference, measured through 50 SELU layers:

// %%
/** Std of the activations after layers 10, 25 and 50 of a SELU stack (100 units) whose weights have std gain/√100. */
function seluDepth(gain: number): number[] {
  const g = new Generator(7);
  let h = randn([256, 100], { generator: g });
  const stds: number[] = [];
  noGrad(() => {
    for (let l = 1; l <= 50; l++) {
      const w = randn([100, 100], { generator: g }).mul(gain / Math.sqrt(100));
      h = F.selu(h.matmul(w));
      if ([10, 25, 50].includes(l)) stds.push(h.std().item());
    }
  });
  return stds;
}
const [seluGainOne, seluGainTorch] = [seluDepth(1), seluDepth(init.calculateGain("selu"))];
show(table([
  { weights: "gain 1 (LeCun)", "std @10": seluGainOne[0], "std @25": seluGainOne[1], "std @50": seluGainOne[2] },
  { weights: `gain ${init.calculateGain("selu")} (calculateGain("selu"))`, "std @10": seluGainTorch[0], "std @25": seluGainTorch[1], "std @50": seluGainTorch[2] },
], { digits: 3, caption: "std of the activations of a 50-layer SELU stack, inputs of std 1" }));
quote({ seluGainOne: seluGainOne[2], seluGainTorch: seluGainTorch[2], seluGainTorch25: seluGainTorch[1], seluGainTorch10: seluGainTorch[0] });

// %% [markdown] fragment
// With gain 1 the activations keep std {{seluGainOne}} after 50 layers; with `calculateGain("selu")` they fall to
// {{seluGainTorch10}} after 10 layers, {{seluGainTorch25}} after 25 and {{seluGainTorch}} after 50: the stack drifts away from
// the variance-1 fixed point that self-normalization relies on, so the network no longer hands each layer inputs of variance 1. For SELU,
// initialize with `init.lecunNormal_` (or gain 1), as lesson 3 does.

// %% [markdown] subslide
// ### Orthogonal initialization
//
// The variance argument keeps the *average* size of the signal. An **orthogonal** matrix ($W^\top W = I$, drawn by
// `init.orthogonal_` from the QR decomposition of a Gaussian matrix, `kernel-lib/src/init/orthogonal.ts`) does more: all
// its singular values are exactly 1, so $\lVert W x\rVert = \lVert x\rVert$ for **every** $x$, not just on average. A Gaussian
// matrix with the same variance $1/n$ has singular values spread between about 0 and 2; multiplied over many layers,
// some directions blow up and others die, even when the average is right. Saxe, McClelland and Ganguli (2014) showed
// that deep *linear* networks started orthogonal learn as fast as shallow ones; orthogonal matrices are also the usual
// start for recurrent weights (lesson 5), where the same matrix is applied at every step. With a gain (√2 for ReLU)
// the same idea carries over to nonlinear layers.
//
// The test: 30 linear layers of 64 units, Gaussian $\mathcal N(0, 1/64)$ or orthogonal, applied to 256 random inputs; for
// each input the ratio $\lVert x_{30}\rVert/\lVert x_0\rVert$.

// %%
/** ‖x_depth‖/‖x_0‖ for 256 random inputs through `depth` 64 × 64 layers drawn by `draw` (with a ReLU after each when `relu`). */
function normRatios(draw: (w: Tensor, g: Generator) => void, depth: number, relu = false): number[] {
  const g = new Generator(21);
  const x0 = randn([256, 64], { generator: g, dtype: "float64" });
  let h = x0;
  for (let l = 0; l < depth; l++) {
    const w = zeros([64, 64], { dtype: "float64" });
    draw(w, g);
    h = relu ? h.matmul(w).relu() : h.matmul(w);
  }
  const norms = (t: Tensor) => Array.from({ length: 256 }, (_, i) => Math.hypot(...Array.from(t.data.slice(i * 64, (i + 1) * 64))));
  const [n0, nL] = [norms(x0), norms(h)];
  return nL.map((v, i) => v / n0[i]);
}
const orthoRows = ([["Gaussian N(0, 1/64)", (w: Tensor, g: Generator) => init.normal_(w, 0, 1 / 8, { generator: g })], ["orthogonal", (w: Tensor, g: Generator) => init.orthogonal_(w, { generator: g })]] as const).flatMap(([name, draw]) =>
  [1, 10, 30].map((depth) => {
    const r = normRatios(draw, depth);
    return { weights: name, layers: depth, "smallest ‖x_L‖/‖x_0‖": Math.min(...r), "largest": Math.max(...r), "largest / smallest": Math.max(...r) / Math.min(...r) };
  }));
const reluRows = ([["He Gaussian N(0, 2/64) + ReLU", (w: Tensor, g: Generator) => init.normal_(w, 0, Math.sqrt(2 / 64), { generator: g })], ["orthogonal × √2 + ReLU", (w: Tensor, g: Generator) => init.orthogonal_(w, { gain: Math.SQRT2, generator: g })]] as const).map(([name, draw]) => {
  const r = normRatios(draw, 30, true);
  return { weights: name, layers: 30, "smallest ‖x_L‖/‖x_0‖": Math.min(...r), "largest": Math.max(...r), "largest / smallest": Math.max(...r) / Math.min(...r) };
});
show(table([...orthoRows, ...reluRows], { digits: 3, caption: "how much deep stacks of 64 × 64 layers stretch or shrink 256 random inputs" }));
quote({ gaussSpread30: orthoRows[2]["largest / smallest"], orthoSpread30: orthoRows[5]["largest / smallest"], heReluSpread: reluRows[0]["largest / smallest"], orthoReluSpread: reluRows[1]["largest / smallest"] }, 3);

// %% [markdown] fragment
// After 30 Gaussian layers the most-stretched input has grown {{gaussSpread30}} times as much as the most-shrunk one, even
// though the variance is "right" on average; after 30 orthogonal layers that ratio is {{orthoSpread30}}: every input
// keeps its length exactly, and so does every gradient on the way back (the transpose of an orthogonal matrix is
// orthogonal too). That is the appeal of orthogonal initialization for very deep linear stretches and recurrent
// networks. With a ReLU after each layer (last two rows, gain √2) the nonlinearity breaks the exact isometry: the ratio
// is no longer 1 but {{orthoReluSpread}} for orthogonal weights, and {{heReluSpread}} for He's Gaussian ones (one draw of each).

// %% [markdown] slide
// ## 5. The default initialization of `Linear`
//
// PyTorch's `nn.Linear` — and ours, in kernel-lib/src/nn/linear.ts — initializes the weight with
// `kaiming_uniform_(w, a=√5)`: the leaky-ReLU gain with slope $a = \sqrt 5$ is $\sqrt{2/(1+5)} = \sqrt{1/3}$, and the bound
// $\text{gain} \cdot \sqrt{3/\text{fan\_in}}$ works out to
//
// $$W \sim U\Big[-\tfrac{1}{\sqrt{\text{fan\_in}}}, +\tfrac{1}{\sqrt{\text{fan\_in}}}\Big], \qquad \mathrm{Var}(W) = \frac{1}{3\,\text{fan\_in}} .$$
//
// Karmakar's notes say the biases start at 0. **They do not**, in PyTorch nor here: the bias
// is drawn from the same $U(\pm 1/\sqrt{\text{fan\_in}})$. This default is neither Glorot nor He — a third of LeCun's
// variance — which is why the default-initialized deep ReLU networks of lesson 1 and of section 2 faded.
// (Frameworks differ here: Keras' `Dense` starts from Glorot uniform with zero biases.) A wrong scale
// raises no error message: the network just silently refuses to learn, so the initialization is one of
// the first things to check when training mysteriously stalls.

// %%
const defaultLayer = new nn.Linear(256, 128, { generator: new Generator(5) });
show(table([
  { tensor: "weight [128, 256]", "max |value|": defaultLayer.weight.abs().max().item(), "1/√fan_in": 1 / Math.sqrt(256), std: defaultLayer.weight.std(undefined, { unbiased: false }).item(), "1/√(3·fan_in)": 1 / Math.sqrt(3 * 256) },
  { tensor: "bias [128]", "max |value|": defaultLayer.bias!.abs().max().item(), "1/√fan_in": 1 / Math.sqrt(256), std: defaultLayer.bias!.std(undefined, { unbiased: false }).item(), "1/√(3·fan_in)": 1 / Math.sqrt(3 * 256) },
], { digits: 4, caption: "nn.Linear(256, 128) as constructed: weight and bias both U(±1/√256)" }));

// %% [markdown] subslide
// ### Re-initializing a model
//
// To use another scheme, overwrite the parameters in place after constructing the layers (the `_` suffix
// means *in place*). Karmakar's example, translated: a He-uniform hidden layer with a zero bias, and an
// output layer drawn from $\mathcal{N}(0, 0.1^2)$, also with a zero bias.

// %% tags=slide-hide-code
class MLP extends nn.Module {
  linear1: nn.Linear;
  linearOut: nn.Linear;
  constructor(numFeatures: number, numHidden: number, numClasses: number) {
    super();
    this.linear1 = new nn.Linear(numFeatures, numHidden); // 1st hidden layer
    init.kaimingUniform_(this.linear1.weight, { mode: "fanIn", nonlinearity: "relu" });
    init.zeros_(this.linear1.bias!);
    this.linearOut = new nn.Linear(numHidden, numClasses); // output layer
    init.normal_(this.linearOut.weight, 0, 0.1);
    init.zeros_(this.linearOut.bias!);
  }
  forward(x: Tensor): Tensor {
    return this.linearOut.call(this.linear1.call(x).relu());
  }
}
const reinit = new MLP(784, 128, 10);
show(table(reinit.namedParameters().map(([name, p]) => ({
  parameter: name, shape: `[${p.shape.join(", ")}]`, std: p.std(undefined, { unbiased: false }).item(), "max |value|": p.abs().max().item(),
})), { digits: 4 }));
// The same for every Linear of any model, with apply (children first, like PyTorch's model.apply):
const anyModel = new nn.Sequential(new nn.Linear(784, 64), new nn.ReLU(), new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 10));
anyModel.apply((m) => {
  if (m instanceof nn.Linear) {
    init.kaimingNormal_(m.weight, { nonlinearity: "relu" });
    if (m.bias) init.zeros_(m.bias);
  }
});
console.log("first layer std after apply:", anyModel.at(0).parameters()[0].std().item().toFixed(4), "(He: √(2/784) =", Math.sqrt(2 / 784).toFixed(4) + ")");

// %% [markdown] slide
// ## 6. Does it matter for training? A real run
//
// One architecture — 8 hidden ReLU layers → 10 classes — initialized four ways (all biases 0 except for the
// default), then trained identically: plain SGD, batches of 50, 5 epochs on 1000 digit images. To afford a grid of
// rates and five seeds, the network is small: the images are shrunk to 14 × 14 pixels (each the mean of a 2 × 2
// block, 196 inputs) and the hidden layers are 32 units wide. A fair test gives each initialization its own learning rate: each is run at 0.01, 0.1 and 1 with 3 seeds (a seed
// fixes the initial weights and the batch order), the rate with the lowest mean final training loss is kept, and that
// rate is run on 2 more seeds, so the table rests on 5. Before training we also record the standard deviation of the
// last hidden layer's output on 256 images (`diagnostics.activationStats`, kernel-lib/src/diagnostics/activations.ts).

// %% tags=slide-hide-code
const initNames = ["small", "default", "he", "large"] as const;
type InitHow = (typeof initNames)[number];
/** 28 × 28 images → 14 × 14: each new pixel is the mean of a 2 × 2 block. */
const shrink = (x: Tensor) => x.reshape([x.shape[0], 14, 2, 14, 2]).mean(4).mean(2).reshape([x.shape[0], 196]);
const train14 = { x: shrink(trainSet.x), y: trainSet.y };
const test14 = { x: shrink(testSet.x), y: testSet.y };
/** 196 → 8 × (Linear → ReLU) of width 32 → 10, initialized `how`. */
function deepRelu(how: InitHow, seed: number): nn.Sequential {
  const g = new Generator(seed);
  const layers: nn.Module[] = [new nn.Linear(196, 32, { generator: g }), new nn.ReLU()];
  for (let i = 1; i < 8; i++) layers.push(new nn.Linear(32, 32, { generator: g }), new nn.ReLU());
  layers.push(new nn.Linear(32, 10, { generator: g }));
  const model = new nn.Sequential(...layers);
  if (how !== "default") {
    model.apply((m) => {
      if (!(m instanceof nn.Linear)) return;
      if (how === "small") init.normal_(m.weight, 0, 0.01, { generator: g });
      if (how === "large") init.normal_(m.weight, 0, 1, { generator: g });
      if (how === "he") init.kaimingNormal_(m.weight, { nonlinearity: "relu", generator: g });
      init.zeros_(m.bias!);
    });
  }
  return model;
}
type InitRun = { loss: number; accuracy: number; curve: number[] }; // loss NaN: the run diverged
/** One 5-epoch run of plain SGD. */
function trainInit(how: InitHow, lr: number, seed: number): InitRun {
  const model = deepRelu(how, seed);
  const history = fit(model, train14, { optimizer: new optim.SGD(model.parameters(), { lr }), loss: F.crossEntropy, epochs: 5, batchSize: 50, seed, progress: "none" });
  if (history.diverged) return { loss: NaN, accuracy: NaN, curve: [] };
  return { loss: history.last.loss, accuracy: evaluate(model, test14, { metrics: ["accuracy"] }).accuracy, curve: history.get("loss") };
}
const initGrid = [0.01, 0.1, 1];
/** Mean final training loss over seeds, a diverged seed counting as 10 (worse than guessing). */
const scoreOf = (runs: InitRun[]) => meanSd(runs.map((r) => (Number.isFinite(r.loss) ? r.loss : 10))).mean;
const initResults = new Map<InitHow, { lr: number; atEdge: boolean; runs: InitRun[]; gridScores: number[]; gridText: string[] }>();
/** Tunes one initialization on the grid (3 seeds), then adds 2 seeds at its best rate. */
function tuneInit(how: InitHow): void {
  const perRate = initGrid.map((lr) => [0, 1, 2].map((seed) => trainInit(how, lr, seed)));
  const gridScores = perRate.map(scoreOf);
  const k = gridScores.indexOf(Math.min(...gridScores));
  const runs = [...perRate[k], ...[3, 4].map((seed) => trainInit(how, initGrid[k], seed))];
  // Per rate: the mean final loss of the seeds that did not diverge, and how many did.
  const gridText = perRate.map((rs) => {
    const ok = rs.filter((r) => Number.isFinite(r.loss));
    if (ok.length === 0) return "div.";
    return `${meanSd(ok.map((r) => r.loss)).mean.toFixed(2)}${ok.length < rs.length ? ` (${rs.length - ok.length} div.)` : ""}`;
  });
  initResults.set(how, { lr: initGrid[k], atEdge: k === 0 || k === initGrid.length - 1, runs, gridScores, gridText });
}
tuneInit("small");
tuneInit("default");

// %% tags=slide-hide-code
tuneInit("he");
tuneInit("large");
const runCurves: { epoch: number; init: string; value: number; sd: number }[] = [];
const chance = Math.log(10);
const runRows = initNames.map((how) => {
  const { lr, atEdge, runs, gridScores, gridText } = initResults.get(how)!;
  const finite = runs.filter((r) => Number.isFinite(r.loss));
  const stats = diagnostics.activationStats(deepRelu(how, 0), train14.x.slice(0, 0, 256));
  const lastHidden = stats.filter((s) => s.type === "ReLU").pop()!;
  for (let e = 0; e < 5 && finite.length > 0; e++) {
    const { mean, sd } = meanSd(finite.map((r) => r.curve[e]));
    runCurves.push({ epoch: e + 1, init: how, value: mean, sd });
  }
  const allDiverged = gridScores.every((s) => s >= 10);
  return {
    init: how, "std of last hidden layer at start": lastHidden.std,
    "loss at 0.01 / 0.1 / 1": gridText.join(" / "),
    "best rate": allDiverged ? "—" : `${lr}${atEdge ? " (edge)" : ""}`,
    "train loss": finite.length === 0 ? "diverged" : formatMeanSd(finite.map((r) => r.loss)),
    "test accuracy": finite.length === 0 ? "—" : formatMeanSd(finite.map((r) => r.accuracy)),
    allDiverged, trains: finite.length > 0 && meanSd(finite.map((r) => r.loss)).mean < chance - 0.2,
  };
});
show(table(runRows.map(({ allDiverged, trains, ...shown }) => shown), { digits: 3, caption: "mean final training loss per rate over 3 seeds (div.: seeds that diverged, left out of the mean); train loss and test accuracy at the best rate, mean ± sd over 5 seeds" }));
show(charts.line(runCurves, { x: "epoch", y: "value", color: "init", yError: "sd", yTitle: "training loss", title: "Training loss, each initialization at its best rate (mean ± sd, 5 seeds; diverged runs not drawn)" }));
const rowOf = (how: InitHow) => runRows.find((r) => r.init === how)!;
quote({
  trainers: runRows.filter((r) => r.trains).map((r) => r.init).join(", ") || "none",
  heRate: String(initResults.get("he")!.lr), heAcc: rowOf("he")["test accuracy"], heLoss: rowOf("he")["train loss"],
  smallStd: rowOf("small")["std of last hidden layer at start"], largeStd: rowOf("large")["std of last hidden layer at start"],
  defaultLoss: rowOf("default")["train loss"], defaultRate: String(initResults.get("default")!.lr),
  largeFirstLoss: F.crossEntropy(deepRelu("large", 0).call(train14.x.slice(0, 0, 50)), train14.y.slice(0, 0, 50)).item().toExponential(1),
  largeOutcome: rowOf("large").allDiverged ? "diverges at every rate of the grid" : `trains to ${rowOf("large")["train loss"]}`,
}, 2);

// %% [markdown] fragment
// The initializations whose loss ends clearly below $\ln 10$ (by more than 0.2) at their best rate: {{trainers}}. He initialization, at its best
// rate {{heRate}}, ends at a training loss of {{heLoss}} and a test accuracy of {{heAcc}} after 5 epochs. With small
// weights the last hidden layer's output has a standard deviation of {{smallStd}}: the logits are all equal, the loss
// sits at $\ln 10 \approx 2.303$ (uniform guessing), and the gradients are far too small to move it at any rate of the
// grid. The default initialization keeps some signal (its random biases add a floor), but every layer still shrinks
// what flows through the weights by about $\sqrt 6 \approx 2.4$, and lesson 1 measured what that does to the first
// layers' gradients: even at its best rate ({{defaultRate}}) its loss ends at {{defaultLoss}} — slow convergence at
// best. Large weights start with activations of standard deviation {{largeStd}} and a first-batch loss of
// {{largeFirstLoss}}; the update it produces overflows, the loss becomes `NaN`, and `fit` stops and reports `diverged`:
// the large initialization {{largeOutcome}}.

// %% [markdown] notes
// A good moment to ask: what would make the default initialization train too? Not a larger learning rate alone (the
// grid went up to 1); more epochs, batch normalization (lesson 4) or residual connections (lesson 5) — which is why the
// default rarely hurts in practice for shallow networks, and why normalization made careful
// initialization less critical.

// %% [markdown] slide
// ## Summary
//
// - Equal initial weights keep the units of a layer identical forever; random values break the symmetry.
// - The scale matters: too small and the signal vanishes geometrically with depth, too large and it
//   explodes — in both directions, forward and backward.
// - Variance preservation: $\mathrm{Var}((Wx)_i \mid x) = \mathrm{Var}(W)\lVert x\rVert^2$, so $\mathrm{Var}(W) = 1/\text{fan\_in}$ keeps the forward
//   scale; ReLU halves the mean square, hence He's $2/\text{fan\_in}$; gradients ask for fan_out, hence Glorot's $1/\text{fan\_avg}$.
// - Glorot for none/tanh/logistic/softmax, He for ReLU and variants, LeCun for SELU; uniform versions use
//   the bound $\sqrt 3\,\sigma$.
// - `nn.Linear`'s default is $U(\pm 1/\sqrt{\text{fan\_in}})$ for the weight **and** the bias; re-initialize with `init.*_` for deep
//   ReLU networks.

// %% [markdown] slide
// ## Exercises
//
// Open `exercises/02-initialization.ts`, replace each `notImplemented(…)` with your code, and grade
// yourself from a terminal in the course folder:
//
// ```
// npm run check -- 02
// ```
//
// 1. **`fans(shape)`** — fan_in and fan_out of a `[out, in]` or `[out, in, k…]` weight.
// 2. **`initStd(scheme, fanIn, fanOut)`** — the normal standard deviation of Xavier, He and LeCun.
// 3. **`uniformBound(scheme, fanIn, fanOut)`** — the bound $a$ of the uniform version.
// 4. **`initialize_(weight, scheme, distribution, generator)`** — an in-place initializer that draws exactly
//    the numbers of kernel-lib's `init.*_` functions for the same seed.
// 5. **`stackActivationStats(X, weights, activation)`** — the per-layer mean, std and dead units of section 2,
//    on plain arrays.

// %%
// tslab compiles only files inside notebooks/, so the exercise file is loaded through tsx, the
// TypeScript loader the course's tools use. `npm run check -- 02` grades the same file.
require("tsx/cjs/api").register();
const ex = require("../exercises/02-initialization") as {
  initStd(scheme: "xavier" | "he" | "lecun", fanIn: number, fanOut: number): number;
};
try {
  console.log('initStd("he", 256, 256) =', ex.initStd("he", 256, 256), "(expected 0.0884)");
} catch (e) {
  console.log((e as Error).message);
}

// %% [markdown] skip
// ### Check your exercises in the notebook
//
// Save `exercises/02-initialization.ts` and run the next cell: it grades the file with the same tests and points as
// `npm run check -- 02` (it runs that command), and shows each test with expected vs got and a hint. Run it
// again after every change. (`check` comes from `notebooks/check.ts`, next to the lessons.)

// %% skip
import { check } from "./check";
await check("02");
