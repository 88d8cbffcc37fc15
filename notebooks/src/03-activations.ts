// %% [markdown] slide
// # Lesson 3 — Activation functions
//
// The nonlinearity between two linear layers decides how the gradient flows back through a deep
// network. In this lesson you will:
//
// - see **saturation**: why sigmoid and tanh pass almost no gradient once their inputs leave the middle;
// - measure **dying ReLUs** while a network trains with a too-large learning rate, and show that a dead unit gets exactly zero gradient;
// - meet the fixes: **LeakyReLU, PReLU, RReLU, ELU**, and the smooth modern ones **GELU, SiLU/Swish, Softplus**;
// - check the promise of **SELU**: a 50-layer network that keeps mean 0 and standard deviation 1 on its own;
// - compare eight activations on the same training task, and end with a table of **which one to use when**.

// %% skip
import {
  tensor, linspace, randn, manualSeed, Generator, nn, F, init, optim, data, fit, evaluate, Monitor, diagnostics,
  charts, show, table, meanSd, formatMeanSd, withinNoise, quote, type Tensor,
} from "kernel-lib";

manualSeed(3);
const digits = data.loadDigits({ train: 2000, test: 500, seed: 0 });
const train = { x: digits.xTrain, y: digits.yTrain };
const test = { x: digits.xTest, y: digits.yTest };

type InitName = "xavier" | "he" | "lecun";

/** A 784 → hidden… → 10 MLP with `act` after every hidden Linear; weights drawn by `scheme`, biases 0. */
function mlp(hidden: number[], act: () => nn.Module, scheme: InitName, seed: number): nn.Sequential {
  const g = new Generator(seed);
  const layers: nn.Module[] = [];
  let fanIn = 784;
  for (const width of hidden) {
    const linear = new nn.Linear(fanIn, width, { generator: g });
    if (scheme === "xavier") init.xavierNormal_(linear.weight, { generator: g });
    else if (scheme === "he") init.kaimingNormal_(linear.weight, { generator: g });
    else init.lecunNormal_(linear.weight, { generator: g });
    init.zeros_(linear.bias!);
    layers.push(linear, act());
    fanIn = width;
  }
  layers.push(new nn.Linear(fanIn, 10, { generator: g }));
  return new nn.Sequential(...layers);
}

/** f(x) and f′(x) at the given points, f′ by autograd (the gradient of Σ f(xᵢ) is f′(xᵢ)). */
function valueAndSlope(f: (x: Tensor) => Tensor, points: number[]): { y: number[]; dy: number[] } {
  const x = tensor(points, { dtype: "float64", requiresGrad: true });
  const y = f(x);
  y.sum().backward();
  return { y: y.toFlatArray(), dy: x.grad!.toFlatArray() };
}
console.log(`digits: ${digits.xTrain.shape[0]} training and ${digits.xTest.shape[0]} test images of ${digits.xTrain.shape[1]} pixels`);

// %% [markdown] slide
// ## 1. Saturation: sigmoid and tanh
//
// The two classic activations squash their input into a bounded range:
//
// $$\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr) \le \tfrac14,$$
// $$\tanh(z) = 2\sigma(2z) - 1, \qquad \tanh'(z) = 1 - \tanh^2(z) \le 1 .$$
//
// Both are flat in their tails: once $|z|$ is a few units, the output is stuck near a bound and the
// derivative is nearly 0. Such a unit is **saturated**: whatever gradient arrives from above is
// multiplied by almost nothing on its way down. This is Figure 11-1 of Aurélien Géron's *Hands-On Machine Learning with Scikit-Learn, Keras, and TensorFlow* (chapter 11, "Training Deep Neural Networks"), drawn by
// `charts.activationFunctions` (which takes the derivatives from kernel-lib's own autograd).

// %%
show(charts.activationFunctions(
  [{ name: "sigmoid", f: (x) => F.sigmoid(x) }, { name: "tanh", f: (x) => F.tanh(x) }],
  { range: [-6, 6], title: "Sigmoid and tanh saturate: flat tails, derivatives near 0" },
));

// %% [markdown] fragment
// How little is left in the tails, in numbers:

// %%
const zs = [0, 1, 2, 4, 6, 10];
const sig = valueAndSlope(F.sigmoid, zs);
const th = valueAndSlope(F.tanh, zs);
show(table(zs.map((z, i) => ({ z, "σ(z)": sig.y[i], "σ′(z)": sig.dy[i], "tanh(z)": th.y[i], "tanh′(z)": th.dy[i] })), { digits: 6 }));
quote({ sigmoidSlope6: sig.dy[zs.indexOf(6)].toFixed(4), sigmoidSlope10: sig.dy[zs.indexOf(10)].toExponential(1) });

// %% [markdown] fragment
// The sigmoid's slope is at most $0.25$ (at $z = 0$), so even in the best case ten sigmoid layers
// scale a gradient by $0.25^{10} \approx 10^{-6}$ (lesson 1). At $z = 6$ it has dropped to {{sigmoidSlope6}},
// at $z = 10$ to {{sigmoidSlope10}}. Tanh is better in two ways: its slope at 0 is 1, and its output
// is centered on 0, whereas the sigmoid's outputs are all positive (mean around $0.5$), which shifts
// every next layer's input. Glorot and Bengio (2010) traced the difficulty of training deep sigmoid
// networks to this combination of saturation, non-centered outputs and poorly scaled initial weights.

// %% [markdown] notes
// Ask the class: where on this curve do the pre-activations of a freshly initialized network live?
// With too-large weights they are spread over ±10 and most units sit in the flat tails from step one;
// that is why initialization (lesson 2) and the activation function are two sides of one problem.

// %% [markdown] slide
// ## 2. ReLU and dying units
//
// $$\mathrm{relu}(z) = \max(0, z), \qquad \mathrm{relu}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}$$
//
// ReLU made deep networks practical: it costs one comparison, it never saturates for positive inputs
// (an active unit passes the gradient through unchanged), and it pairs with He initialization
// (lesson 2). Its weakness is the other half: for $z \le 0$ both the output and the derivative are 0.
//
// **Dying ReLU.** If an update pushes a unit's weights and bias so far that $w \cdot x + b < 0$ for
// *every* training input, the unit outputs 0 everywhere, its gradient is 0 everywhere, and gradient
// descent can no longer move it: it is dead. (It can only come back if the layers below change
// what it receives.) The usual culprit is a learning rate that is too large.

// %% [markdown] subslide
// ### Measuring it during training
//
// Same network twice (784 → 64 → 64 → 64 → 10, ReLU, He initialization, plain SGD, batches of 64,
// 3 epochs), once with a sensible learning rate of 0.05 and once with a far too large 1.0. A
// `Monitor` callback (kernel-lib/src/train/monitor.ts) runs a fixed probe of 500 training images
// through the network after every epoch and records, per layer, the fraction of units that are
// $\le 0$ for all 500 of them: `diagnostics.activationStats` (kernel-lib/src/diagnostics/activations.ts).

// %%
const probe = digits.xTrain.slice(0, 0, 500);
const probeLabels = digits.yTrain.slice(0, 0, 500);
const deadRows: Record<string, number>[] = [];
const dyingRuns = new Map<number, nn.Sequential>();
for (const lr of [0.05, 1]) {
  const model = mlp([64, 64, 64], () => new nn.ReLU(), "he", 2);
  const monitor = new Monitor({ probe });
  const history = fit(model, train, {
    optimizer: new optim.SGD(model.parameters(), { lr }), loss: F.crossEntropy, epochs: 3, batchSize: 64,
    validation: test, metrics: ["accuracy"], callbacks: [monitor], seed: 0, progress: "auto",
  });
  monitor.records.forEach((record, k) => {
    const dead = record.activations.filter((a) => a.type === "ReLU").map((a) => a.deadFraction);
    deadRows.push({ lr, epoch: k + 1, "dead in layer 1": dead[0], "dead in layer 2": dead[1], "dead in layer 3": dead[2], "val accuracy": history.epochs[k].valAccuracy });
  });
  dyingRuns.set(lr, model);
}
show(table(deadRows, { digits: 3, caption: "fraction of dead ReLU units per hidden layer, after each epoch" }));

// %%
show(charts.line(
  deadRows.flatMap((r) => [1, 2, 3].map((layer) => ({ epoch: r.epoch, "dead fraction": r[`dead in layer ${layer}`], run: `lr ${r.lr}, layer ${layer}` }))),
  { x: "epoch", y: "dead fraction", color: "run", xType: "ordinal", title: "Dead ReLU units per layer: lr 0.05 vs lr 1" },
));

// %% [markdown] fragment
// With the sensible rate a few units of the upper layers are silent on the probe, which is normal
// (a unit may specialize in inputs that are rare): with He initialization and a reasonable learning
// rate, dying units rarely harm the network as a whole. With the rate of 1.0, large parts of every layer
// die within three epochs and the accuracy collapses towards chance (10 %): the giant first steps
// threw many weight vectors into the region where they never fire again.

// %% [markdown] subslide
// ### A dead unit gets exactly zero gradient
//
// Take the network trained at lr 1.0, backpropagate the loss of the 500 probe images once, and
// count, per hidden layer, the units whose incoming weights (a row of the Linear's `weight`)
// receive a gradient that is exactly 0. Then load **the same weights** into a twin network whose
// activations are `LeakyReLU(0.01)` and count again.

// %% tags=slide-hide-code
/** Per hidden Linear (positions 0, 2, 4 of the Sequential): how many rows of weight.grad are all zeros. */
function zeroGradientUnits(model: nn.Sequential): number[] {
  model.zeroGrad();
  F.crossEntropy(model.call(probe), probeLabels).backward();
  return [0, 2, 4].map((i) => {
    const w = (model.at(i) as nn.Linear).weight;
    const [units, fanIn] = w.shape;
    let zero = 0;
    for (let u = 0; u < units; u++) {
      let total = 0;
      for (let k = 0; k < fanIn; k++) total += Math.abs(w.grad!.data[u * fanIn + k]);
      if (total === 0) zero++;
    }
    return zero;
  });
}
const damaged = dyingRuns.get(1)!;
damaged.eval();
const deadCounts = diagnostics.activationStats(damaged, probe).filter((s) => s.type === "ReLU").map((s) => Math.round(s.deadFraction * 64));
const leakyTwin = mlp([64, 64, 64], () => new nn.LeakyReLU(0.01), "he", 2);
leakyTwin.loadStateDict(damaged.stateDict());
leakyTwin.eval();
const zeroRelu = zeroGradientUnits(damaged);
const zeroLeaky = zeroGradientUnits(leakyTwin);
show(table([1, 2, 3].map((layer, i) => ({
  layer, "dead units (of 64)": deadCounts[i], "zero-gradient units, ReLU": zeroRelu[i], "zero-gradient units, LeakyReLU twin": zeroLeaky[i],
}))));

// %% [markdown] fragment
// Every dead unit is a zero-gradient unit, and gradient descent cannot move a weight whose gradient
// is 0 (momentum only coasts on for a few steps). With the leaky twin the very same weights all receive a gradient (1 % of the
// signal on the negative side), so they can still find their way back. That is the whole idea of
// the ReLU variants on the next slide.

// %% [markdown] slide
// ## 3. Keeping the negative side alive: LeakyReLU, PReLU, RReLU
//
// All three replace the flat negative half by a line of small slope $\alpha$:
// $f(z) = z$ for $z > 0$ and $f(z) = \alpha z$ otherwise, so $f'(z) = \alpha \neq 0$ there.
//
// | variant | the slope $\alpha$ | kernel-lib |
// |---|---|---|
// | **LeakyReLU** | a fixed hyperparameter, default 0.01 (Xu et al., 2015 found a large leak, 0.2, often did better) | `nn.LeakyReLU(0.01)` |
// | **PReLU** (He et al., 2015) | **learned** by backprop like any weight: one shared, or one per channel; starts at 0.25 | `nn.PReLU(numParameters)` |
// | **RReLU** | **random** in training, $\alpha \sim U(\tfrac18, \tfrac13)$ per element (a regularizer); fixed at the mean $\tfrac{11}{48} \approx 0.229$ in evaluation | `nn.RReLU(1/8, 1/3)` |
//
// PReLU tends to help on large data sets and can overfit small ones (the slope is one more parameter
// per channel). The code is in kernel-lib/src/functional/activations.ts (`leakyRelu`, `prelu`, `rrelu`)
// and the modules in kernel-lib/src/nn/activation.ts. Géron's Figure 11-2 is the leaky ReLU below (drawn with a
// visible slope of 0.1).

// %%
show(charts.activationFunctions([
  { name: "relu", f: (x) => F.relu(x) },
  { name: "leakyRelu (α = 0.1)", f: (x) => F.leakyRelu(x, 0.1) },
  { name: "rrelu, eval (α = 11/48)", f: (x) => F.rrelu(x) },
  { name: "prelu (α = 0.25, its start)", f: (x) => F.prelu(x, tensor([0.25], { dtype: "float64" })) },
], { range: [-4, 3], title: "The ReLU family: only the negative side differs" }));

// %% [markdown] fragment
// RReLU behaves differently in the two modes, which is why `model.train()` and `model.eval()` matter:

// %%
const rrelu = new nn.RReLU(1 / 8, 1 / 3, { generator: new Generator(7) });
const xNeg = tensor([-4, -2, -1, 1, 2]);
rrelu.train();
const pass1 = rrelu.call(xNeg).toFlatArray();
const pass2 = rrelu.call(xNeg).toFlatArray();
rrelu.eval();
const evalPass = rrelu.call(xNeg).toFlatArray();
const fmt = (v: number[]) => v.map((a) => a.toFixed(3).padStart(7)).join(" ");
console.log(`input            ${fmt(xNeg.toFlatArray())}`);
console.log(`train, pass 1    ${fmt(pass1)}`);
console.log(`train, pass 2    ${fmt(pass2)}`);
console.log(`eval             ${fmt(evalPass)}   (slope (1/8 + 1/3)/2 = ${(11 / 48).toFixed(4)})`);

// %% [markdown] slide
// ## 4. Smooth activations: ELU, SELU, GELU, SiLU, Softplus
//
// | name | $f(z)$ | $f'(z)$ for $z < 0$ | remarks |
// |---|---|---|---|
// | **ELU** (Clevert et al., 2016) | $z$ if $z > 0$, else $\alpha(e^{z} - 1)$ | $\alpha e^{z} = f(z) + \alpha$ | saturates at $-\alpha$ on the left; with $\alpha = 1$ smooth at 0 |
// | **SELU** (Klambauer et al., 2017) | $\lambda \cdot \mathrm{elu}_{\alpha}(z)$, $\lambda \approx 1.0507$, $\alpha \approx 1.6733$ | $\lambda \alpha e^{z}$ | constants chosen for self-normalization (section 5) |
// | **GELU** (Hendrycks & Gimpel, 2016) | $z\,\Phi(z) \approx \tfrac12 z\bigl(1 + \tanh(\sqrt{2/\pi}(z + 0.044715 z^3))\bigr)$ | smooth, can be negative | used in BERT and GPT; not monotonic |
// | **SiLU / Swish** (Ramachandran et al., 2017) | $z\,\sigma(z)$ | $\sigma(z)(1 + z(1 - \sigma(z)))$ | found by automated search; EfficientNet, many LLM blocks |
// | **Softplus** | $\ln(1 + e^{z})$ | $\sigma(z)$ | a smooth ReLU, always positive |
//
// ELU answers two of ReLU's problems at once: the gradient is non-zero everywhere, and negative
// outputs pull the mean activation towards 0 (like tanh), which speeds up learning. Its price is an
// exponential per unit. Below: Géron's Figure 11-3 (ELU) together with the others.

// %%
show(charts.activationFunctions([
  { name: "relu", f: (x) => F.relu(x) },
  { name: "elu", f: (x) => F.elu(x) },
  { name: "selu", f: (x) => F.selu(x) },
  { name: "gelu", f: (x) => F.gelu(x) },
  { name: "silu", f: (x) => F.silu(x) },
  { name: "softplus", f: (x) => F.softplus(x) },
], { range: [-4, 3], title: "Smooth activations and their derivatives" }));

// %% [markdown] subslide
// ### Their numbers: center, spread, slopes, minimum
//
// Feed each function a standard normal input $z \sim \mathcal N(0, 1)$ (what a well-initialized
// layer produces) and compute the mean and standard deviation of $f(z)$ exactly enough by numerical
// integration on a fine grid, plus the slope at $z = \pm 3$ and the smallest value $f$ takes.

// %% tags=slide-hide-code
const gridStep = 0.005;
const grid = linspace(-10, 10, 4001, { dtype: "float64" });
const density = grid.mul(grid).mul(-0.5).exp().mul(gridStep / Math.sqrt(2 * Math.PI));
const named: charts.NamedFunction[] = [
  { name: "sigmoid", f: (x) => F.sigmoid(x) },
  { name: "tanh", f: (x) => F.tanh(x) },
  { name: "relu", f: (x) => F.relu(x) },
  { name: "leakyRelu (0.01)", f: (x) => F.leakyRelu(x, 0.01) },
  { name: "elu", f: (x) => F.elu(x) },
  { name: "selu", f: (x) => F.selu(x) },
  { name: "gelu", f: (x) => F.gelu(x) },
  { name: "silu", f: (x) => F.silu(x) },
  { name: "softplus", f: (x) => F.softplus(x) },
];
const round3 = (v: number) => Math.round(v * 1000) / 1000 + 0; // + 0 turns −0 into 0
const activationNumbers = named.map(({ name, f }) => {
  const y = f(grid);
  const mean = y.mul(density).sum().item();
  const std = Math.sqrt(y.mul(y).mul(density).sum().item() - mean * mean);
  const values = y.toFlatArray();
  const at = values.indexOf(Math.min(...values));
  const dips = at > 0 && at < values.length - 1; // a minimum inside the interval: f is not monotonic
  const slopes = valueAndSlope(f, [-3, 3]).dy;
  return {
    activation: name, "E[f(z)]": round3(mean), "std f(z)": round3(std), "f′(−3)": round3(slopes[0]), "f′(3)": round3(slopes[1]),
    "lowest value": dips ? round3(values[at]) : null, "at z": dips ? round3(grid.data[at]) : null,
  };
});
show(table(activationNumbers, { digits: 3, caption: "z ~ N(0, 1); lowest value shown where f dips and comes back up" }));
const numbersOf = (name: string) => activationNumbers.find((r) => r.activation === name)!;
quote({
  eluMean: numbersOf("elu")["E[f(z)]"].toFixed(2), geluMin: numbersOf("gelu")["lowest value"]!.toFixed(2), geluAt: numbersOf("gelu")["at z"]!.toFixed(2),
  siluMin: numbersOf("silu")["lowest value"]!.toFixed(2), siluAt: numbersOf("silu")["at z"]!.toFixed(2),
});

// %% [markdown] fragment
// Read the columns. ReLU's outputs average $1/\sqrt{2\pi} \approx 0.399$, ELU's {{eluMean}} (its negative
// outputs pull the mean towards 0), and SELU's exactly 0 with standard deviation exactly 1: the
// property of the next section. At $z = 3$ only sigmoid and tanh have a tiny slope (saturation). At
// $z = -3$ ReLU's slope is 0 and leaky ReLU's 0.01, ELU's and SELU's small but positive; GELU's and
// SiLU's are even slightly negative, because these two dip below zero (to ${{geluMin}}$ at
// $z \approx {{geluAt}}$ and ${{siluMin}}$ at $z \approx {{siluAt}}$) before returning to 0: they are not monotonic.

// %% [markdown] slide
// ## 5. SELU and self-normalizing networks
//
// Klambauer et al. (2017) chose SELU's two constants so that if a layer's inputs have mean 0 and
// variance 1, its outputs do too, and this fixed point **attracts**: small deviations shrink from
// layer to layer. The network normalizes itself, with no batch normalization, provided that
//
// 1. the inputs are **standardized** (mean 0, standard deviation 1 per feature);
// 2. the weights start with **LeCun normal** initialization, $\sigma^2 = 1/\text{fan}_\text{in}$ (`init.lecunNormal_`);
// 3. the architecture is a **plain sequential stack** of dense layers (skip connections, recurrent
//    layers and the like break the guarantee);
// 4. regularization keeps the statistics: **AlphaDropout**, not ordinary dropout.
//
// The test: 50 layers of 100 units on a standardized batch of 256 inputs, forward only, recording
// the mean and standard deviation of every layer's output. For comparison, the same stack with
// ReLU (LeCun and He initialization), tanh, and ELU.

// %% tags=slide-hide-code
const X50 = randn([256, 100], { generator: new Generator(50) });

/** 50 × (Linear(100, 100) → act [→ extra]) with the given initialization and zero biases. */
function deepStack(act: () => nn.Module, scheme: InitName, extra?: () => nn.Module): nn.Sequential {
  const g = new Generator(1);
  const layers: nn.Module[] = [];
  for (let i = 0; i < 50; i++) {
    const linear = new nn.Linear(100, 100, { generator: g });
    if (scheme === "lecun") init.lecunNormal_(linear.weight, { generator: g });
    else init.kaimingNormal_(linear.weight, { generator: g });
    init.zeros_(linear.bias!);
    layers.push(linear, act());
    if (extra) layers.push(extra());
  }
  return new nn.Sequential(...layers);
}

/** mean and std of the output of each of the 50 blocks (the activation's output, or `extra`'s when present). */
function blockStats(model: nn.Sequential, tracked: string): diagnostics.ActivationStats[] {
  return diagnostics.activationStats(model, X50, { include: (_, m) => m.constructor.name === tracked });
}

const stackRuns: { name: string; stats: diagnostics.ActivationStats[] }[] = [
  { name: "SELU, LeCun", stats: blockStats(deepStack(() => new nn.SELU(), "lecun").eval(), "SELU") },
  { name: "ReLU, LeCun", stats: blockStats(deepStack(() => new nn.ReLU(), "lecun").eval(), "ReLU") },
  { name: "ReLU, He", stats: blockStats(deepStack(() => new nn.ReLU(), "he").eval(), "ReLU") },
  { name: "tanh, LeCun", stats: blockStats(deepStack(() => new nn.Tanh(), "lecun").eval(), "Tanh") },
  { name: "ELU, He", stats: blockStats(deepStack(() => new nn.ELU(), "he").eval(), "ELU") },
];
quote({ reluLecunStd50: stackRuns[1].stats[49].std.toExponential(0), tanhStd50: stackRuns[3].stats[49].std, eluStd50: stackRuns[4].stats[49].std, reluHeMean50: stackRuns[2].stats[49].mean }, 2);
show(table(stackRuns.map(({ name, stats }) => ({
  network: name,
  "mean @1": stats[0].mean, "std @1": stats[0].std,
  "std @10": stats[9].std, "std @25": stats[24].std,
  "mean @50": stats[49].mean, "std @50": stats[49].std,
})), { digits: 3, caption: "mean and std of the activations after layers 1, 10, 25 and 50" }));

// %%
show(charts.line(
  stackRuns.flatMap(({ name, stats }) => stats.map((s, i) => ({ layer: i + 1, std: s.std, network: name }))),
  { x: "layer", y: "std", color: "network", logY: true, title: "Standard deviation of the activations through 50 layers" },
));

// %% [markdown] fragment
// Only SELU holds mean ≈ 0 and std ≈ 1 all the way down. ReLU with LeCun weights halves the variance
// at every layer (std shrinks by $\sqrt 2$ per layer: {{reluLecunStd50}} after 50); He initialization
// repairs the scale of ReLU but not its positive mean ({{reluHeMean50}} at layer 50); tanh slowly shrinks (std
// {{tanhStd50}} at layer 50); ELU with He weights slowly grows (std {{eluStd50}}).
//
// Holding (0, 1) from a start at (0, 1) shows a fixed point, not that it **attracts**. The test of attraction
// is to start away from it: the same SELU stack fed inputs with standard deviation 2, and 0.5.

// %%
const seluStack = deepStack(() => new nn.SELU(), "lecun").eval();
const offStart = [0.5, 1, 2].map((scale) => {
  const stats = diagnostics.activationStats(seluStack, X50.mul(scale), { include: (_, m) => m.constructor.name === "SELU" });
  return { "input std": scale, "std @1": stats[0].std, "std @3": stats[2].std, "std @10": stats[9].std, "std @50": stats[49].std, "mean @50": stats[49].mean };
});
show(table(offStart, { digits: 3, caption: "SELU + LeCun stack started away from std 1" }));
quote({ seluFrom2At10: offStart[2]["std @10"], seluFromHalfAt10: offStart[0]["std @10"], seluFrom2At1: offStart[2]["std @1"] });

// %% [markdown] fragment
// Started at std 2, the activations are at {{seluFrom2At1}} after one layer and {{seluFrom2At10}} after ten; started
// at 0.5, they are at {{seluFromHalfAt10}} after ten. Deviations shrink layer by layer, as Klambauer et al. prove
// for the SELU map with LeCun weights: the fixed point attracts. (With a different weight variance the statistics
// drift away from (0, 1): lesson 2 measures it for `calculateGain("selu")`, and warns against that gain for this reason.)

// %% [markdown] notes
// In practice SELU networks are rare today; the idea survives in careful initialization plus normalization
// layers.

// %% [markdown] subslide
// ### Dropout breaks it, AlphaDropout keeps it
//
// Ordinary (inverted) dropout sets units to 0 and scales the others by $1/(1-p)$: this keeps the
// mean of a ReLU layer but changes the variance, and 0 is not a neutral value for SELU (whose
// negative saturation is $-\lambda\alpha \approx -1.76$). `nn.AlphaDropout` (kernel-lib/src/functional/dropout.ts)
// sets dropped units to $-\lambda\alpha$ and then applies an affine map that restores mean 0 and
// variance 1. Same SELU stack, a dropout layer with $p = 0.1$ after every activation, **training mode**:

// %%
const withDropout = [
  { name: "SELU + AlphaDropout(0.1)", model: deepStack(() => new nn.SELU(), "lecun", () => new nn.AlphaDropout(0.1, { generator: new Generator(11) })), tracked: "AlphaDropout" },
  { name: "SELU + Dropout(0.1)", model: deepStack(() => new nn.SELU(), "lecun", () => new nn.Dropout(0.1, { generator: new Generator(11) })), tracked: "Dropout" },
];
show(table(withDropout.map(({ name, model, tracked }) => {
  const stats = blockStats(model.train(), tracked);
  return { network: name, "mean @10": stats[9].mean, "std @10": stats[9].std, "mean @50": stats[49].mean, "std @50": stats[49].std };
}), { digits: 3 }));

// %% [markdown] fragment
// With AlphaDropout the statistics stay at (0, 1); ordinary dropout drifts to a different fixed
// point with a larger spread, which the network would then see differently in evaluation mode
// (where dropout is off). For SELU networks, use `nn.AlphaDropout`.

// %% [markdown] slide
// ## 6. The same task, eight activations
//
// A deeper network this time, 784 → 5 × 32 → 10, trained for 2 epochs (32 steps) on the 2,000
// digits with SGD (momentum 0.9, batches of 128), each activation with its matching initialization
// (lesson 2): Xavier for sigmoid and tanh, LeCun for SELU, He for the rest. A fair race gives every
// activation its own learning rate: each is tuned on 0.003, 0.01, 0.03, 0.1 and 0.3 (mean validation loss over
// 3 seeds, checked to be inside the grid), then rerun on 5 fresh seeds; a seed fixes the initial weights and
// the batch order. A small callback records the loss of every training batch of the first fresh seed.

// %% tags=slide-hide-code
const candidates: [string, () => nn.Module, InitName][] = [
  ["sigmoid", () => new nn.Sigmoid(), "xavier"],
  ["tanh", () => new nn.Tanh(), "xavier"],
  ["relu", () => new nn.ReLU(), "he"],
  ["prelu", () => new nn.PReLU(), "he"],
  ["elu", () => new nn.ELU(), "he"],
  ["gelu", () => new nn.GELU(), "he"],
  ["silu", () => new nn.SiLU(), "he"],
  ["selu", () => new nn.SELU(), "lecun"],
];
const stepLosses: { step: number; "batch loss": number; activation: string }[] = [];
let preluModel: nn.Sequential | null = null;
/** One 2-epoch run, scored on the validation digits at the end; with `record`, keeps the loss of every batch. */
function race(name: string, act: () => nn.Module, scheme: InitName, lr: number, seed: number, record = false) {
  const model = mlp([32, 32, 32, 32, 32], act, scheme, seed);
  const history = fit(model, train, {
    optimizer: new optim.SGD(model.parameters(), { lr, momentum: 0.9 }), loss: F.crossEntropy,
    epochs: 2, batchSize: 128, seed, progress: "none",
    callbacks: record ? [{ onBatchEnd: (ctx, logs) => void stepLosses.push({ step: ctx.globalStep, "batch loss": logs.loss, activation: name }) }] : [],
  });
  const scores = evaluate(model, test, { loss: F.crossEntropy, metrics: ["accuracy"] });
  return { model, epoch1: history.epochs[0].loss, valLoss: scores.loss, valAccuracy: scores.accuracy };
}
const raceGrid = [0.003, 0.01, 0.03, 0.1, 0.3];
const finite = (x: number) => (Number.isFinite(x) ? x : 10);
/** Each activation's best rate on the grid (lowest mean validation loss over 3 seeds), filled two activations per cell. */
const tunedRates: { lr: number; atEdge: boolean }[] = [];
function tuneActivations(from: number, to: number): void {
  for (const [name, act, scheme] of candidates.slice(from, to)) {
    const means = raceGrid.map((lr) => meanSd([0, 1, 2].map((seed) => finite(race(name, act, scheme, lr, seed).valLoss))).mean);
    const k = means.indexOf(Math.min(...means));
    tunedRates.push({ lr: raceGrid[k], atEdge: k === 0 || k === raceGrid.length - 1 });
  }
}
tuneActivations(0, 2);

// %%
tuneActivations(2, 4);

// %%
tuneActivations(4, 6);

// %%
tuneActivations(6, 8);

// %%
const raced = candidates.map(([name, act, scheme], c) => {
  const { lr, atEdge } = tunedRates[c];
  const runs = [10, 11, 12, 13, 14].map((seed, i) => race(name, act, scheme, lr, seed, i === 0));
  if (name === "prelu") preluModel = runs[0].model;
  return {
    name, scheme, lr, atEdge,
    epoch1: runs.map((r) => finite(r.epoch1)), val: runs.map((r) => finite(r.valLoss)), acc: runs.map((r) => r.valAccuracy),
  };
});
show(table(raced.map((r) => ({
  activation: r.name, init: r.scheme, "tuned lr": r.lr, "at grid edge?": r.atEdge ? "yes" : "no",
  "train loss, epoch 1": formatMeanSd(r.epoch1), "val loss": formatMeanSd(r.val), "val accuracy": formatMeanSd(r.acc),
})), { caption: "2 epochs (32 steps) at each activation's tuned rate; mean ± sd over 5 fresh seeds" }));
show(charts.bar(raced.map((r) => ({ activation: r.name, "val loss": meanSd(r.val).mean, sd: meanSd(r.val).sd })), { x: "activation", y: "val loss", yError: "sd", title: "Validation loss after 32 steps (mean ± sd, 5 seeds)" }));
show(charts.line(stepLosses, { x: "step", y: "batch loss", color: "activation", title: "Loss of every training batch (first fresh seed)" }));
const learnedSlopes = (preluModel as nn.Sequential | null)!.namedParameters()
  .filter(([, p]) => p.size === 1) // the PReLU weights: one shared slope per layer
  .map(([, p], k) => `layer ${k + 1}: ${p.item().toFixed(3)}`);
console.log(`PReLU slopes after training (all started at 0.250): ${learnedSlopes.join(", ")}`);
const byVal = [...raced].sort((p, q) => meanSd(p.val).mean - meanSd(q.val).mean);
const reluRow = raced.find((r) => r.name === "relu")!;
quote({
  sigmoidVal: formatMeanSd(raced[0].val),
  stuckSeeds: raced.slice(1).filter((r) => r.val.some((v) => v > 2.2)).map((r) => `${r.name} (${r.val.filter((v) => v > 2.2).length} of 5)`).join(", ") || "none", bestActivation: byVal[0].name, bestActivationVal: formatMeanSd(byVal[0].val),
  activationTies: byVal.filter((r) => withinNoise(r.val, byVal[0].val)).map((r) => r.name).join(", "),
  eluVsRelu: versusRelu("elu"), seluVsRelu: versusRelu("selu"),
  eluNote: versusRelu("elu") === "within the noise of" ? "section 6 could not tell it from ReLU" : `section 6: ${versusRelu("elu")} ReLU over 32 steps`,
  tiedWithRelu: raced.filter((r) => r !== reluRow && withinNoise(r.val, reluRow.val)).map((r) => r.name).join(", ") || "none",
});
/** "within the noise of", "better than" or "worse than" ReLU, by validation loss over the 5 fresh seeds. */
function versusRelu(name: string): string {
  const row = raced.find((r) => r.name === name)!;
  if (withinNoise(row.val, reluRow.val)) return "within the noise of";
  return meanSd(row.val).mean < meanSd(reluRow.val).mean ? "better than" : "worse than";
}

// %% [markdown] fragment
// Through five sigmoid layers the gradient is too weak: even at its best rate the validation loss stays at
// {{sigmoidVal}}, near $\ln 10 \approx 2.30$ (chance), after 32 steps. The others learn on average; seeds that still
// ended above a validation loss of 2.2: {{stuckSeeds}}. The lowest mean
// validation loss is {{bestActivation}}'s ({{bestActivationVal}}); within the noise of it (difference under two
// standard errors): {{activationTies}}. ELU is {{eluVsRelu}} ReLU here, SELU {{seluVsRelu}} ReLU; within the noise
// of ReLU: {{tiedWithRelu}}. This measures the *start* of training (32 steps) of one small network, each activation at
// its own rate, over five seeds; the recommendations below rest on the literature and on the properties shown above
// as much as on this race.
// PReLU's slopes (last line) moved away from their starting value: the network chose how much of the
// negative side to keep, layer by layer.

// %% [markdown] notes
// Good moment to stress experimental hygiene: same data, same seed, same init rule per family, same
// budget. Ask students what they would need to claim that one ReLU variant beats another (several
// seeds, confidence intervals, a learning-rate sweep per activation).

// %% [markdown] slide
// ## 7. Which activation when
//
// | situation | choice | why |
// |---|---|---|
// | hidden layers, by default | **ReLU** + He init | cheap, no saturation for $z > 0$; the common default |
// | many dead units, or high learning rates | **LeakyReLU** (α 0.01–0.2), **PReLU** on large data | a non-zero slope keeps every unit trainable |
// | want some regularization from the activation | **RReLU** | random negative slope while training |
// | deeper MLPs, faster convergence (Clevert et al., 2016) | **ELU** | mean closer to 0, gradient everywhere; costs an exponential ({{eluNote}}) |
// | deep plain MLP without batch norm | **SELU** + LeCun normal + standardized inputs (+ AlphaDropout) | self-normalizing, if the conditions hold |
// | transformers | **GELU** | the choice of BERT and GPT |
// | modern CNNs and LLM feed-forward blocks | **SiLU / Swish** (and gated forms) | smooth, non-monotonic, strong in practice |
// | a quantity that must be positive (a rate, a standard deviation) | **Softplus** | smooth and $> 0$ |
// | output layer | **sigmoid** (a probability), **softmax** (classes), **none** (regression) | chosen by what the output means, not for gradient flow |
// | gates inside LSTM/GRU cells | **sigmoid**, **tanh** | bounded on purpose |
//
// Not in hidden layers of deep networks: sigmoid (saturation and non-centered outputs). And whatever
// you choose, match the initialization to it (lesson 2).

// %% [markdown] slide
// ## Summary
//
// - Sigmoid and tanh **saturate**: their derivatives ($\le 0.25$ and $\le 1$) vanish in the tails, which starves lower layers of gradient.
// - **ReLU** does not saturate for positive inputs, but a unit that is negative on every input is **dead**: zero output, exactly zero gradient. Too-large learning rates kill many at once.
// - **LeakyReLU** (fixed slope), **PReLU** (learned slope), **RReLU** (random slope in training, mean slope in evaluation) keep a gradient on the negative side.
// - **ELU** adds smoothness and outputs closer to zero mean; **GELU** and **SiLU** are smooth, non-monotonic modern defaults; **Softplus** is a smooth, positive ReLU.
// - **SELU** + LeCun normal + standardized inputs + a plain stack keeps mean 0 and std 1 across 50 layers, and **AlphaDropout** preserves that.
// - In the engine: kernel-lib/src/functional/activations.ts (the math), kernel-lib/src/nn/activation.ts (the modules).

// %% [markdown] slide
// ## Exercises
//
// Open `exercises/03-activations.ts` and implement, on plain arrays of numbers:
//
// 1. `leakyRelu(x, negativeSlope)`: values **and** derivatives (`{ y, dydx }`), with the negative side's slope at 0;
// 2. `elu(x, alpha)`: without overflowing for large positive inputs;
// 3. `selu(x)`: reuse your ELU with SELU's constants; the grader checks that a standard normal input comes out with mean 0, variance 1;
// 4. `geluTanh(x)`: the tanh approximation and its derivative (product rule + chain rule);
// 5. `deadFraction(activations)`: the fraction of units that are ≤ 0 for every sample of a batch.
//
// Check your work from a terminal in the repository folder:
//
// ```bash
// npm run check -- 03
// ```
//
// It compares your functions with closed forms, finite differences and kernel-lib's own `F.*`
// with autograd, and prints your points with a hint for each failing case.

// %%
// In a TypeScript file you would write `import * as ex from "../exercises/03-activations";`. The notebook
// kernel only compiles files inside notebooks/, so the exercise file is loaded through tsx instead.
const { require: requireTs } = require("tsx/cjs/api") as { require: (id: string, fromFile: string) => unknown };
const ex = requireTs("../exercises/03-activations", `${process.cwd()}/lesson.js`) as {
  leakyRelu(x: readonly number[], negativeSlope?: number): { y: number[]; dydx: number[] };
};
try {
  const { y, dydx } = ex.leakyRelu([-2, -0.5, 0, 1.5], 0.1);
  console.log("leakyRelu values:     ", y);
  console.log("leakyRelu derivatives:", dydx);
} catch (e) {
  console.log((e as Error).message);
}

// %% [markdown] skip
// ### Check your exercises in the notebook
//
// Save `exercises/03-activations.ts` and run the next cell: it grades the file with the same tests and points as
// `npm run check -- 03` (it runs that command), and shows each test with expected vs got and a hint. Run it
// again after every change. (`check` comes from `notebooks/check.ts`, next to the lessons.)

// %% skip
import { check } from "./check";
await check("03");
