// %% [markdown] slide
// # Lesson 4 — Batch normalization
//
// Good initialization and a good activation give a network a healthy start; batch normalization
// (Ioffe & Szegedy, 2015) keeps it healthy while the weights change. In this lesson you will:
//
// - see why we standardize inputs, and why that alone only helps the first layer;
// - write down the four equations of batch norm, then its **backward pass**, and check it against autograd;
// - understand the **running statistics** used in evaluation mode (and the two momentum conventions);
// - place it correctly: `Linear(bias: false) → BatchNorm1d → ReLU → Dropout`;
// - reproduce the 15-layer experiment of the tutorial *Learn AI Series (#40): Training Neural Networks – Practical Challenges* (scipio), then **train** deep networks with and without it, at higher learning rates;
// - see its weak spot, small batches, and its relatives **LayerNorm, GroupNorm, InstanceNorm**;
// - **fold** it into the previous layer for inference, and avoid the classic `train()`/`eval()` bug.

// %% skip
import {
  tensor, randn, manualSeed, Generator, nn, F, init, optim, data, fit, evaluate, diagnostics,
  charts, show, table, noGrad, gradcheck, quote, meanSd, formatMeanSd, withinNoise, Monitor, type Tensor, type Callback,
} from "kernel-lib";

manualSeed(4);
const digits = data.loadDigits({ train: 2000, test: 500, seed: 0 });
const train = { x: digits.xTrain, y: digits.yTrain };
const test = { x: digits.xTest, y: digits.yTest };

/**
 * 784 → depth × width → 10 with ReLU and He-initialized weights. With `bn`, each hidden block is
 * Linear(bias: false) → BatchNorm1d → ReLU; without, Linear → ReLU.
 */
function deepMlp(bn: boolean, seed: number, depth = 6, width = 64): nn.Sequential {
  const g = new Generator(seed);
  const layers: nn.Module[] = [];
  let fanIn = 784;
  for (let i = 0; i < depth; i++) {
    const linear = new nn.Linear(fanIn, width, { generator: g, bias: !bn });
    init.kaimingNormal_(linear.weight, { generator: g });
    if (linear.bias) init.zeros_(linear.bias);
    layers.push(linear);
    if (bn) layers.push(new nn.BatchNorm1d(width));
    layers.push(new nn.ReLU());
    fanIn = width;
  }
  layers.push(new nn.Linear(fanIn, 10, { generator: g }));
  return new nn.Sequential(...layers);
}

/** Mean and (biased) standard deviation of all entries of a tensor. */
function meanStd(t: Tensor): { mean: number; std: number } {
  return { mean: t.mean().item(), std: t.std(undefined, { unbiased: false }).item() };
}
console.log(`digits: ${digits.xTrain.shape[0]} training and ${digits.xTest.shape[0]} test images`);

// %% [markdown] slide
// ## 1. Why we normalize inputs
//
// For a linear model with squared error, the curvature of the loss along weight $w_j$ is
// $2\,\overline{x_j^2}$: a feature measured in large units makes the loss steep along its weight,
// one in small units makes it flat. Gradient descent must use a learning rate small enough for the
// steepest direction, so it crawls along the flattest one; the number of steps grows with the ratio
// of the two curvatures. Standardizing every feature, $x_j \leftarrow (x_j - \text{mean}_j)/\text{std}_j$,
// makes the curvatures equal and the loss contours round.
//
// Two features, one with standard deviation 1 and one with 50, the same targets; gradient descent
// with step $1/\lambda_{\max}$ (the ideal step for the steepest direction; twice that no longer converges), counting
// steps until the weights are within 0.1 % of the least-squares solution, on the raw and on the standardized features:

// %% tags=slide-hide-code
/** Steps of full-batch gradient descent on MSE, lr = 1/(largest curvature), until ‖w − w*‖ ≤ 1e-3·‖w*‖. */
function stepsToConverge(x1: number[], x2: number[], y: number[]): { curvature1: number; curvature2: number; steps: number } {
  const n = y.length;
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0) / n;
  const [a11, a12, a22, b1, b2] = [dot(x1, x1), dot(x1, x2), dot(x2, x2), dot(x1, y), dot(x2, y)];
  const det = a11 * a22 - a12 * a12; // least squares: solve the 2×2 normal equations
  const target = [(a22 * b1 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det];
  const lr = 1 / (2 * Math.max(a11, a22));
  let w = [0, 0];
  let steps = 0;
  while (Math.hypot(w[0] - target[0], w[1] - target[1]) > 1e-3 * Math.hypot(target[0], target[1]) && steps < 1e6) {
    const g1 = 2 * (a11 * w[0] + a12 * w[1] - b1); // ∂/∂w of mean((w·x − y)²)
    const g2 = 2 * (a12 * w[0] + a22 * w[1] - b2);
    w = [w[0] - lr * g1, w[1] - lr * g2];
    steps++;
  }
  return { curvature1: 2 * a11, curvature2: 2 * a22, steps };
}
const gIn = new Generator(1);
const raw1 = Array.from({ length: 500 }, () => gIn.normal());
const raw2 = Array.from({ length: 500 }, () => 50 * gIn.normal());
const yIn = raw1.map((v, i) => 2 * v + 0.05 * raw2[i] + 0.1 * gIn.normal());
const standardize = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
  return v.map((a) => (a - m) / s);
};
const [rawRun, standardRun] = [stepsToConverge(raw1, raw2, yIn), stepsToConverge(standardize(raw1), standardize(raw2), yIn)];
show(table([{ features: "raw (std 1 and 50)", ...rawRun }, { features: "standardized", ...standardRun }], { digits: 2 }));
quote({ rawSteps: rawRun.steps, standardSteps: standardRun.steps });

// %% [markdown] fragment
// {{rawSteps}} steps against {{standardSteps}}. But standardizing the inputs only conditions the **first**
// layer: layer 2 receives the outputs of layer 1, which nobody standardizes, and whose distribution
// moves every time layer 1's weights change. The idea of batch norm is to standardize inside the network too.

// %% [markdown] slide
// ## 2. Internal covariate shift, measured
//
// Ioffe and Szegedy called the drift of a layer's input distribution during training **internal
// covariate shift**: each layer keeps re-adapting to inputs whose mean and scale move under it
// (scipio's example: a layer that started with mean 0, variance 1 receives inputs with mean
// 3.7 and variance 0.01 a few hundred steps later). Let us watch it. A 6-layer ReLU network
// (784 → 6 × 64 → 10, He initialization, no normalization) trains for 3 epochs; every 4 steps a callback
// records, on 256 fixed training images, the mean and standard deviation of three units of the
// 4th layer's pre-activation $z = W x + b$.

// %% tags=slide-hide-code
const probe = digits.xTrain.slice(0, 0, 256);
const driftRows: { step: number; unit: string; mean: number; std: number }[] = [];
/** A fit callback: the statistics of units 0–2 of module `at` (a Linear) on the probe, every `every` steps. */
function driftRecorder(at: number, every: number): Callback {
  return {
    onBatchEnd(ctx) {
      if (ctx.globalStep % every !== 0) return;
      const model = ctx.model as nn.Sequential;
      const z = noGrad(() => {
        let h = probe;
        for (let i = 0; i <= at; i++) h = model.at(i).call(h);
        return h;
      });
      const mean = z.mean(0);
      const std = z.std(0, { unbiased: false });
      for (const u of [0, 1, 2]) driftRows.push({ step: ctx.globalStep, unit: `unit ${u}`, mean: mean.data[u], std: std.data[u] });
    },
  };
}
const plainModel = deepMlp(false, 0);
fit(plainModel, train, {
  optimizer: new optim.SGD(plainModel.parameters(), { lr: 0.02, momentum: 0.9 }), loss: F.crossEntropy, epochs: 3,
  batchSize: 64, validation: test, metrics: ["accuracy"], seed: 0, progress: "live", callbacks: [driftRecorder(6, 4)],
});
show(charts.line(driftRows, { x: "step", y: "mean", color: "unit", title: "Mean of three pre-activations of layer 4 during training" }));
show(table(driftRows.filter((r) => [4, 24, 48, 96].includes(r.step)), { digits: 3, caption: "the same units at a few steps" }));

// %% [markdown] fragment
// The same unit sees a differently centered and differently scaled input from one moment to the
// next, with nothing in the network holding it in place. (The network learns anyway; the question
// is how fast, and at which learning rates.)
//
// **The modern view.** Whether batch norm works *because* it removes this shift is debated.
// Santurkar et al. (2018) injected noise after batch norm to create shift on purpose and the networks
// still trained well; they argue that the benefit comes from a **smoother loss landscape** (gradients
// that change more slowly), which tolerates larger learning rates. Either way, the recipe is the same.

// %% [markdown] slide
// ## 3. The algorithm
//
// For a mini-batch of $m_B$ inputs $\mathbf x^{(i)}$ of one layer, per feature (Equation 11-3 of Aurélien Géron's *Hands-On Machine Learning with Scikit-Learn, Keras, and TensorFlow* (chapter 11, "Training Deep Neural Networks")):
//
// $$\mu_B = \frac{1}{m_B}\sum_{i=1}^{m_B} \mathbf x^{(i)} \qquad
// \sigma_B^2 = \frac{1}{m_B}\sum_{i=1}^{m_B} \bigl(\mathbf x^{(i)} - \mu_B\bigr)^2$$
// $$\hat{\mathbf x}^{(i)} = \frac{\mathbf x^{(i)} - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}} \qquad
// \mathbf z^{(i)} = \gamma \otimes \hat{\mathbf x}^{(i)} + \beta$$
//
// - $\sigma_B^2$ is the **biased** variance (divide by $m_B$, not $m_B - 1$);
// - $\epsilon$ (`eps`, default $10^{-5}$; Keras uses $10^{-3}$) keeps the division finite when a feature is constant;
// - $\gamma$ (`weight`, starts at 1) and $\beta$ (`bias`, starts at 0) are **learned**, one per feature,
//   $\otimes$ is elementwise. They let the network undo the normalization where that is better
//   ($\gamma = \sqrt{\sigma_B^2 + \epsilon}$, $\beta = \mu_B$ gives back the input), so nothing is lost in expressiveness.
//
// In kernel-lib: `F.batchNorm` (kernel-lib/src/functional/batch-norm.ts) and `nn.BatchNorm1d`
// (kernel-lib/src/nn/normalization.ts). Scipio's demo: a batch of 32 × 64 values with mean 3 and standard deviation 5.

// %%
const z = randn([32, 64], { generator: new Generator(42) }).mul(5).add(3);
const zBn = F.batchNorm(z, null, null, null, null, { training: true }); // no running stats, γ = 1, β = 0
const mu = z.mean(0, { keepdims: true });
const sigma2 = z.var(0, { unbiased: false, keepdims: true });
const byHand = z.sub(mu).div(sigma2.add(1e-5).sqrt());
const before = meanStd(z), after = meanStd(zBn);
console.log(`before BN: mean = ${before.mean.toFixed(2)}, std = ${before.std.toFixed(2)}`);
console.log(`after BN:  mean = ${after.mean.toFixed(4)}, std = ${after.std.toFixed(4)}`);
console.log(`F.batchNorm vs the four equations by hand: max |difference| = ${byHand.sub(zBn).abs().max().item().toExponential(1)}`);

// %% [markdown] fragment
// As in scipio's tutorial (mean ≈ 3, std ≈ 5 before; 0.0000 and 1.0000 after; the random numbers differ,
// so the first line does too). The standard deviation after is a hair below 1 because of $\epsilon$:
// $\sqrt{\sigma^2/(\sigma^2 + \epsilon)} \approx 1 - \epsilon/(2\sigma^2)$.

// %% [markdown] slide
// ## 4. The backward pass
//
// Batch norm has an unusual computation graph: **every output depends on the whole batch**,
// through $\mu_B$ and $\sigma_B^2$. Take one feature, write $s = (\sigma_B^2 + \epsilon)^{-1/2}$,
// $m = m_B$, and let $g_i = \partial L / \partial z_i$ arrive from above. Then
//
// $$\frac{\partial L}{\partial \beta} = \sum_i g_i, \qquad \frac{\partial L}{\partial \gamma} = \sum_i g_i\,\hat x_i, \qquad
// \frac{\partial L}{\partial \hat x_i} = \gamma\, g_i .$$
//
// Each $x_i$ reaches the loss along three paths: through $\hat x_i$ directly, through $\sigma_B^2$ and through $\mu_B$:
//
// $$\frac{\partial L}{\partial \sigma_B^2} = -\frac{s^3}{2}\sum_j \frac{\partial L}{\partial \hat x_j}(x_j - \mu_B), \qquad
// \frac{\partial L}{\partial \mu_B} = -s \sum_j \frac{\partial L}{\partial \hat x_j}
// \quad\bigl(\text{the } \sigma_B^2 \text{ term vanishes since } \textstyle\sum_j (x_j - \mu_B) = 0\bigr),$$
// $$\frac{\partial L}{\partial x_i} = s\,\frac{\partial L}{\partial \hat x_i} + \frac{\partial L}{\partial \sigma_B^2}\,\frac{2(x_i - \mu_B)}{m} + \frac{1}{m}\frac{\partial L}{\partial \mu_B}
// = \frac{s}{m}\Bigl(m\,\frac{\partial L}{\partial \hat x_i} - \sum_j \frac{\partial L}{\partial \hat x_j} - \hat x_i \sum_j \frac{\partial L}{\partial \hat x_j}\,\hat x_j\Bigr).$$
//
// The last form is cheap: two sums per feature. Note that $\sum_i \partial L/\partial x_i = 0$: shifting a whole feature changes nothing.

// %% [markdown] notes
// Draw the graph on the board: x → (μ, σ²) → x̂ → z, with x feeding μ, σ² and x̂. The three arrows
// leaving x are the three terms. Students who did CS231n's assignment will recognize the "two sums" form.

// %%
/** The closed form above, with tensor ops, for x [m, C] (training mode): returns dL/dx, dL/dγ, dL/dβ. */
function batchNormBackward(x: Tensor, gamma: Tensor, g: Tensor, eps = 1e-5) {
  const m = x.shape[0];
  const s = x.var(0, { unbiased: false, keepdims: true }).add(eps).sqrt().pow(-1);
  const xHat = x.sub(x.mean(0, { keepdims: true })).mul(s);
  const dxHat = g.mul(gamma);
  const dx = dxHat.mul(m).sub(dxHat.sum(0, { keepdims: true })).sub(xHat.mul(dxHat.mul(xHat).sum(0, { keepdims: true }))).mul(s.div(m));
  return { dx, dgamma: g.mul(xHat).sum(0), dbeta: g.sum(0) };
}
const gB = new Generator(5);
const xB = randn([8, 3], { dtype: "float64", generator: gB, requiresGrad: true });
const gammaB = tensor([1.5, -0.7, 2], { dtype: "float64", requiresGrad: true });
const betaB = tensor([0.1, 0.2, 0.3], { dtype: "float64", requiresGrad: true });
const upstream = randn([8, 3], { dtype: "float64", generator: gB });
F.batchNorm(xB, null, null, gammaB, betaB, { training: true }).mul(upstream).sum().backward();
const ours = noGrad(() => batchNormBackward(xB.detach(), gammaB.detach(), upstream));
const relErr = (a: Tensor, b: Tensor) => a.sub(b).abs().max().item() / Math.max(a.abs().max().item(), b.abs().max().item());
show(table([
  { gradient: "dL/dx", "relative error vs autograd": relErr(ours.dx, xB.grad!) },
  { gradient: "dL/dγ", "relative error vs autograd": relErr(ours.dgamma, gammaB.grad!) },
  { gradient: "dL/dβ", "relative error vs autograd": relErr(ours.dbeta, betaB.grad!) },
], { digits: 2 }));
const bnGradcheck = gradcheck((x, w, b) => F.batchNorm(x, null, null, w, b, { training: true }), [xB, gammaB, betaB]);
console.log(`gradcheck of F.batchNorm against finite differences: ok = ${bnGradcheck.ok}, max relative error = ${bnGradcheck.maxRelativeError.toExponential(1)}`);
console.log(`Σᵢ dL/dxᵢ per feature: ${ours.dx.sum(0).toFlatArray().map((v) => v.toExponential(0)).join(", ")}`);

// %% [markdown] fragment
// Our formula, kernel-lib's autograd (which differentiates through the mean and variance
// primitives) and finite differences agree to machine precision. You will write the same backward on
// plain arrays in exercise 4.2.

// %% [markdown] slide
// ## 5. Evaluation mode and running statistics
//
// At test time there may be a single sample, and a prediction must not depend on which other
// samples share its batch. So a BN layer keeps **running** estimates of the mean and variance,
// updated after every training batch as an exponential moving average, and uses them in `eval()` mode:
//
// $$\text{running} \leftarrow (1 - \text{momentum})\cdot\text{running} + \text{momentum}\cdot\text{batch statistic} \qquad\text{(PyTorch, kernel-lib: momentum = 0.1)}$$
//
// Keras and Sourav Karmakar's lecture notes *Additional Techniques for Training Neural Networks* write the same average the other way round,
// $\text{moving} \leftarrow \text{momentum}\cdot\text{moving} + (1 - \text{momentum})\cdot\text{batch}$ with
// momentum 0.9 to 0.99: Keras' momentum is $1 -$ PyTorch's. Two details: the running **variance**
// receives the **unbiased** batch variance ($\times\, m_B/(m_B - 1)$) while the forward pass uses the
// biased one; and the buffers start at mean 0, variance 1.

// %% tags=slide-hide-code
const bnLayer = new nn.BatchNorm1d(3);
const trueMean = [2, -1, 0.5], trueStd = [3, 0.5, 1];
const gR = new Generator(9);
const runningRows: { step: number; feature: string; "running mean": number }[] = [];
let firstBatch: Tensor | null = null;
bnLayer.train();
for (let step = 1; step <= 60; step++) {
  const batch = randn([32, 3], { generator: gR }).mul(tensor([trueStd])).add(tensor([trueMean]));
  if (step === 1) firstBatch = batch;
  bnLayer.call(batch);
  trueMean.forEach((_, c) => runningRows.push({ step, feature: `feature ${c} (true mean ${trueMean[c]})`, "running mean": bnLayer.runningMean!.data[c] }));
}
show(charts.line(runningRows, { x: "step", y: "running mean", color: "feature", title: "Running means converge like 1 − 0.9^step" }));
const mean1 = firstBatch!.mean(0).toFlatArray();
const var1 = firstBatch!.var(0, { unbiased: true }).toFlatArray();
console.log(`after step 1, by hand: running mean = 0.1·μ_B = [${mean1.map((v) => (0.1 * v).toFixed(4)).join(", ")}]`);
console.log(`                       running var  = 0.9 + 0.1·(unbiased σ²_B) = [${var1.map((v) => (0.9 + 0.1 * v).toFixed(4)).join(", ")}]`);
console.log(`after 60 steps: running mean = [${bnLayer.runningMean!.toFlatArray().map((v) => v.toFixed(3)).join(", ")}], running var = [${bnLayer.runningVar!.toFlatArray().map((v) => v.toFixed(3)).join(", ")}] (true variances 9, 0.25, 1)`);
bnLayer.eval();
console.log(`eval mode, one sample [2, -1, 0.5] → [${bnLayer.call(tensor([[2, -1, 0.5]])).toFlatArray().map((v) => v.toFixed(3)).join(", ")}]`);
bnLayer.train();
try {
  bnLayer.call(tensor([[2, -1, 0.5]]));
} catch (e) {
  console.log(`train mode, one sample → ${(e as Error).message}`);
}

// %% [markdown] fragment
// (The first two lines can be compared with the first points of the chart: they are the buffers after step 1.)
// After 60 batches the estimates sit near the truth, and in evaluation mode a single sample is
// normalized with them: the mean input maps to about 0. In training mode a batch of one sample has no
// variance to normalize with, and kernel-lib refuses it, as PyTorch does.

// %% [markdown] slide
// ## 6. Where to put it
//
// The pattern of Karmakar's notes, for a hidden block of an MLP:
//
// **`Linear(bias: false) → BatchNorm1d → ReLU → Dropout`**
//
// - BN goes after the linear map and **before the activation** (the original paper's choice; putting
//   it after the activation also works and is sometimes preferred, but before is the common recipe).
// - The Linear layer needs **no bias**: BN subtracts the batch mean, which removes any constant added
//   before it, and $\beta$ plays the bias's role.
// - Only **hidden** layers: inputs are standardized in preprocessing (e.g. `data.StandardScaler`), and the
//   **output layer is never normalized**, whether it produces regression values or class scores.

// %%
const gP = new Generator(3);
const withBias = new nn.Linear(20, 8, { generator: gP });
const withoutBias = new nn.Linear(20, 8, { bias: false });
noGrad(() => withoutBias.weight.copy_(withBias.weight));
const xP = randn([16, 20], { generator: gP });
const normWith = F.batchNorm(withBias.call(xP), null, null, null, null, { training: true });
const normWithout = F.batchNorm(withoutBias.call(xP), null, null, null, null, { training: true });
console.log(`BN(Wx + b) vs BN(Wx): max |difference| = ${normWith.sub(normWithout).abs().max().item().toExponential(1)}: the bias is wasted`);
const block = new nn.Sequential(new nn.Linear(784, 64, { bias: false }), new nn.BatchNorm1d(64), new nn.ReLU(), new nn.Dropout(0.3));
console.log(block.toString());
console.log(`parameters: ${block.numParameters()} (Linear 784·64 = ${784 * 64}, BatchNorm γ and β 2·64 = 128); buffers (not trained): ${block.namedBuffers().map(([name]) => name).join(", ")}`);

// %% [markdown] slide
// ## 7. Fifteen layers with and without batch norm
//
// Scipio's experiment: a batch of 64 inputs with 128 features, 15 layers of
// $z = xW$ with He-scaled weights $W \sim \mathcal N(0, 2/128)$, ReLU after each, with and without BN
// (γ = 1, β = 0) between the product and the ReLU; mean and standard deviation of every layer's output.
// Both runs here use the same input and the same 15 weight matrices, so only BN differs. With BN, the
// output of every layer is the ReLU of standardized values, whose mean and standard deviation we know in
// advance: $1/\sqrt{2\pi} \approx 0.399$ and $\sqrt{1/2 - 1/(2\pi)} \approx 0.584$.

// %%
function fifteenLayers(useBn: boolean): { mean: number; std: number }[] {
  const g = new Generator(42);
  let x = randn([64, 128], { generator: g });
  const stats: { mean: number; std: number }[] = [];
  for (let layer = 0; layer < 15; layer++) {
    const W = randn([128, 128], { generator: g }).mul(Math.sqrt(2 / 128));
    let zl = x.matmul(W);
    if (useBn) zl = F.batchNorm(zl, null, null, null, null, { training: true });
    x = F.relu(zl);
    stats.push(meanStd(x));
  }
  return stats;
}
const noBn = fifteenLayers(false), withBn = fifteenLayers(true);
show(table(noBn.map((s, i) => ({ layer: i, "no BN mean": s.mean, "no BN std": s.std, "BN mean": withBn[i].mean, "BN std": withBn[i].std }))));
show(charts.line(
  [...noBn.map((s, i) => ({ layer: i, std: s.std, run: "no BN" })), ...withBn.map((s, i) => ({ layer: i, std: s.std, run: "BN" }))],
  { x: "layer", y: "std", color: "run", title: "Standard deviation of each layer's output (15 layers, He weights)" },
));

// %% [markdown] fragment
// With BN every row is pinned at the predicted 0.399 and 0.584. Without it, He initialization keeps
// the scale right only on average: each layer multiplies the signal by a random factor near 1, so the
// statistics wander, and nothing pulls them back. Over many layers, or once training changes the
// weights, that random walk is what lets activations collapse or blow up.

// %% [markdown] slide
// ## 8. Training with and without batch norm
//
// The 6-layer network of section 2 (He initialization, SGD with momentum 0.9, batches of 64), trained for 3 epochs
// on the first 1000 training images, three ways: **plain**, with **BN** in every hidden block, and plain with every
// gradient **clipped** to norm 1 (lesson 5's other cure for a blow-up). A fair comparison gives each contender its
// own learning rate, so each is run at 0.01, 0.03, 0.1 and 0.3, with 3 seeds per rate (a seed fixes the initial
// weights and the batch order), and scored by its validation accuracy.

// %% tags=slide-hide-code
const gridTrain = { x: digits.xTrain.slice(0, 0, 1000), y: digits.yTrain.slice(0, 0, 1000) };
const lrGrid = [0.01, 0.03, 0.1, 0.3];
type Contender = { name: string; bn: boolean; clip?: number };
type GridPoint = { lr: number; acc: number[]; diverged: number; firstModel: nn.Sequential };
const contenders: Contender[] = [{ name: "plain", bn: false }, { name: "BN", bn: true }, { name: "clipped to norm 1", bn: false, clip: 1 }];
const grids = new Map<string, GridPoint[]>();
/** One 3-epoch run: the trained model and its validation accuracy (NaN when the loss diverged and `fit` stopped). */
function trainOnce(c: Contender, lr: number, seed: number): { model: nn.Sequential; acc: number } {
  const model = deepMlp(c.bn, seed);
  const history = fit(model, gridTrain, {
    optimizer: new optim.SGD(model.parameters(), { lr, momentum: 0.9 }), loss: F.crossEntropy, epochs: 3,
    batchSize: 64, seed, progress: "none", clipGradNorm: c.clip,
  });
  return { model, acc: history.diverged ? NaN : evaluate(model, test, { metrics: ["accuracy"] }).accuracy };
}
/** Runs one contender at every rate of the grid, 3 seeds each. */
function runGrid(c: Contender): void {
  grids.set(c.name, lrGrid.map((lr) => {
    const runs = [0, 1, 2].map((seed) => trainOnce(c, lr, seed));
    const acc = runs.map((r) => r.acc).filter(Number.isFinite);
    return { lr, acc, diverged: runs.length - acc.length, firstModel: runs[0].model };
  }));
}
runGrid(contenders[0]);

// %%
runGrid(contenders[1]);

// %%
runGrid(contenders[2]);

// %%
const cellText = (p: GridPoint) => (p.diverged === 3 ? "diverged (3 of 3)" : `${formatMeanSd(p.acc)}${p.diverged > 0 ? ` (${p.diverged} of 3 diverged)` : ""}`);
show(table(lrGrid.map((lr, k) => ({ "learning rate": lr, ...Object.fromEntries(contenders.map((c) => [c.name, cellText(grids.get(c.name)![k])])) })),
  { caption: "validation accuracy after 3 epochs, mean ± sd over 3 seeds" }));
/** A contender's best rate: the highest mean accuracy among the rates where no seed diverged. */
const best = new Map(contenders.map((c) => {
  const points = grids.get(c.name)!;
  const ok = points.filter((p) => p.diverged === 0);
  const top = ok.reduce((a, b) => (meanSd(b.acc).mean > meanSd(a.acc).mean ? b : a));
  const k = points.indexOf(top);
  // Two more seeds at the chosen rate, so that the comparison below rests on 5.
  const more = [3, 4].map((seed) => trainOnce(c, top.lr, seed).acc);
  return [c.name, { ...top, acc: [...top.acc, ...more.filter(Number.isFinite)], diverged: more.filter((a) => !Number.isFinite(a)).length, atEdge: k === 0 || k === points.length - 1 }];
}));
show(table(contenders.map((c) => {
  const b = best.get(c.name)!;
  return { contender: c.name, "best rate": b.lr, "at grid edge?": b.atEdge ? "yes" : "no", "val accuracy": `${formatMeanSd(b.acc)}${b.diverged > 0 ? ` (${b.diverged} diverged)` : ""}` };
}), { caption: "each contender at its own best rate, mean ± sd over 5 seeds (the 3 above and 2 more)" }));
show(charts.line(
  contenders.flatMap((c) => grids.get(c.name)!.filter((p) => p.diverged === 0).map((p) => ({ "learning rate": p.lr, "val accuracy": meanSd(p.acc).mean, sd: meanSd(p.acc).sd, run: c.name }))),
  { x: "learning rate", y: "val accuracy", color: "run", logX: true, yError: "sd", title: "Validation accuracy against the learning rate (mean ± sd, 3 seeds; diverged rates left out)" },
));
const [bPlain, bBn, bClip] = contenders.map((c) => best.get(c.name)!);
/** "within the noise of" or "above"/"below", for a's accuracies against b's. */
const versus = (a: number[], b: number[]) => (withinNoise(a, b) ? "within the noise of" : meanSd(a).mean > meanSd(b).mean ? "above" : "below");
const divergedRates = (name: string) => grids.get(name)!.filter((p) => p.diverged > 0).map((p) => p.lr);
const trainsAt = (name: string) => grids.get(name)!.filter((p) => p.diverged === 0 && meanSd(p.acc).mean > 0.5).map((p) => p.lr);
const atEdge = contenders.filter((c) => best.get(c.name)!.atEdge).map((c) => c.name);
quote({
  edgeNote: atEdge.length === 0 ? "Each contender's best rate is inside the grid." : `The best rate of ${atEdge.join(" and ")} is at the edge of the grid, so it may do better still outside it.`,
  plainBestLr: String(bPlain.lr), bnBestLr: String(bBn.lr), clipBestLr: String(bClip.lr),
  plainBestAcc: formatMeanSd(bPlain.acc), bnBestAcc: formatMeanSd(bBn.acc), clipBestAcc: formatMeanSd(bClip.acc),
  bnVsPlain: versus(bBn.acc, bPlain.acc), clipVsPlain: versus(bClip.acc, bPlain.acc), clipVsBn: versus(bClip.acc, bBn.acc),
  plainDiverges: divergedRates("plain").join(" and ") || "no rate of the grid",
  plainTrainsAt: trainsAt("plain").join(", ") || "none", bnTrainsAt: trainsAt("BN").join(", ") || "none", clipTrainsAt: trainsAt("clipped to norm 1").join(", ") || "none",
});

// %% [markdown] fragment
// {{edgeNote}} Over 5 seeds at its best rate ({{bnBestLr}}) the BN network reaches a validation
// accuracy of {{bnBestAcc}}; the plain network at its own best rate ({{plainBestLr}}) reaches {{plainBestAcc}}: BN is
// {{bnVsPlain}} plain (the difference of the means against twice its standard error). Note the plain network's spread:
// after 48 steps some seeds are far along and others are not. Runs of the plain network diverge (NaN loss, `fit` stops) at
// {{plainDiverges}}; the rates at which each contender gets above 50 % are {{plainTrainsAt}} (plain), {{bnTrainsAt}} (BN) and
// {{clipTrainsAt}} (clipped). A wider range of usable rates, and a better result at the best one: that is the practical
// promise of Géron's chapter, here on one small network: more stable training and **larger learning rates**.
//
// Clipping is {{clipVsPlain}} plain at their best rates ({{clipBestAcc}} at {{clipBestLr}}) and {{clipVsBn}} BN: it caps
// the size of a step, so the plain network survives larger rates, but it does not hand every layer inputs at a fixed
// scale as batch norm does. (The best rate of each contender was picked on the same validation images it is scored on,
// which flatters every contender alike.)

// %% [markdown] slide
// ## 9. The weak spot: small batches
//
// $\mu_B$ and $\sigma_B^2$ are estimates from $m_B$ samples, so their noise grows as the batch shrinks
// (the standard error of $\mu_B$ is $\sigma/\sqrt{m_B}$). Below, one feature with mean 3 and standard
// deviation 2, and a sample $x_0 = 5$ (one standard deviation above the mean, so its ideal normalized
// value is 1.0), normalized inside 400 random batches of each size:

// %%
const gS = new Generator(11);
show(table([2, 4, 8, 16, 32, 64, 128, 256].map((m) => {
  const means: number[] = [], vars: number[] = [], normalized: number[] = [];
  for (let trial = 0; trial < 400; trial++) {
    const batch = [5, ...Array.from({ length: m - 1 }, () => 3 + 2 * gS.normal())];
    const mu = batch.reduce((a, b) => a + b, 0) / m;
    const v = batch.reduce((a, b) => a + (b - mu) ** 2, 0) / m;
    means.push(mu);
    vars.push(v);
    normalized.push((5 - mu) / Math.sqrt(v + 1e-5));
  }
  const sd = (v: number[]) => {
    const a = v.reduce((s, x) => s + x, 0) / v.length;
    return Math.sqrt(v.reduce((s, x) => s + (x - a) ** 2, 0) / v.length);
  };
  return { "batch size": m, "std of μ_B": sd(means), "mean of σ²_B": vars.reduce((a, b) => a + b, 0) / 400, "x̂₀: mean": normalized.reduce((a, b) => a + b, 0) / 400, "x̂₀: std": sd(normalized) };
}), { digits: 3, caption: "feature ~ N(3, 2²) (true variance 4); x₀ = 5 should normalize to 1.0" }));

// %% [markdown] fragment
// With 2 samples the normalized value is always $\pm 1$, whatever $x_0$ is: the batch has destroyed
// the information. With 8 the same sample comes out anywhere in a wide range depending on its
// neighbours; only from a few dozen samples on is the estimate steady, and the biased $\sigma_B^2$
// underestimates the variance by the factor $(m_B - 1)/m_B$. This noise is also a mild **regularizer**
// (each sample is perturbed by its batch-mates, a little like dropout), but with tiny batches it
// dominates, and the training-time behaviour drifts away from the evaluation-time one (running statistics).
//
// A different question, often confused with this one: does the batch size change where an ordinary run ends up?
// Karmakar's MNIST experiment (his lecture notes), 100 epochs each, is about SGD's noise and learning-rate decay, not about batch
// norm:
//
// | batch size | train accuracy | validation accuracy | test accuracy | time |
// |---|---|---|---|---|
// | 1024 | 98.45 % | 97.67 % | 97.08 % | 4.38 min |
// | 64 | 98.50 % | 97.65 % | 97.18 % | 5.59 min |
//
// Nearly identical results: the difference is the noise of each step (more oscillation with small
// batches) and the time, not the final accuracy. It says nothing about BN's weak spot, which is the *tiny*
// batches of the table above (2 to 16 samples). When batches must be that small (large images, long
// sequences), use a normalization that does not look across the batch.

// %% [markdown] slide
// ## 10. LayerNorm, GroupNorm, InstanceNorm
//
// All normalization layers compute $y = \frac{x - \mu(x)}{\sigma(x)} \odot \gamma + \beta$; they differ only
// in **which axes** $\mu$ and $\sigma$ are taken over. For an input of shape $[N, C, L]$ (samples,
// channels, positions):
//
// | layer | statistics over | one $(\mu, \sigma)$ per | uses other samples? | typical use |
// |---|---|---|---|---|
// | **BatchNorm** | $N$ and $L$ | channel | **yes** | CNNs, MLPs with decent batches |
// | **LayerNorm** | $C$ and $L$ | sample | no | RNNs; transformers (see below) |
// | **InstanceNorm** | $L$ | sample and channel | no | style transfer |
// | **GroupNorm** | $L$ and the channels of a group | sample and group | no | small batches; channels that group naturally |
//
// In a transformer the tensor is $[N, L, C]$ (samples, tokens, features) and LayerNorm normalizes over the
// features $C$ **of each token** alone: one $(\mu, \sigma)$ per sample *and token*, never across tokens
// (`F.layerNorm(x, [C])`, PyTorch's `nn.LayerNorm(C)`).
//
// GroupNorm with one group is LayerNorm, with $C$ groups InstanceNorm. Since the last three never
// mix samples, they behave the same in training and evaluation and do not care about the batch
// size. Checked on a random $[4, 6, 5]$ tensor: the mean over the claimed axes of each output, and
// whether sample 0's output changes when only sample 1 changes.

// %%
const gN = new Generator(13);
const xN = randn([4, 6, 5], { generator: gN }).mul(3).add(1);
const xN2 = xN.clone();
xN2.data.fill(7, 30, 60); // change sample 1 only (entries 30..59)
const norms: [string, (x: Tensor) => Tensor, number[]][] = [
  ["BatchNorm", (x) => F.batchNorm(x, null, null, null, null, { training: true }), [0, 2]],
  ["LayerNorm", (x) => F.layerNorm(x, [6, 5]), [1, 2]],
  ["InstanceNorm", (x) => F.instanceNorm(x), [2]],
  ["GroupNorm, 2 groups", (x) => F.groupNorm(x, 2), [2]],
];
show(table(norms.map(([name, f, axes]) => {
  const y = f(xN);
  const perGroup = name.startsWith("GroupNorm") ? y.reshape([4, 2, 15]).mean(2) : y.mean(axes);
  return {
    layer: name, "axes averaged": name.startsWith("GroupNorm") ? "1 (3 channels) and 2" : axes.join(" and "),
    "number of (μ, σ)": perGroup.size, "max |mean of output|": perGroup.abs().max().item(),
    "sample 0 changes with sample 1?": f(xN2).select(0, 0).sub(y.select(0, 0)).abs().max().item() > 1e-6 ? "yes" : "no",
  };
}), { digits: 2 }));

// %% [markdown] notes
// Hédi Hadiji's slides *Deep Learning Class 5: Training Neural Networks* (CentraleSupélec) sum up: batch norm is most common in CNNs, layer norm in transformers, group norm when
// channels can be grouped meaningfully (and when batches are small, e.g. detection and segmentation).

// %% [markdown] slide
// ## 11. Costs, and folding BN away for inference
//
// Batch norm adds work to every training step (two reductions and a handful of elementwise operations
// per layer, forward and backward), but usually repays it with fewer epochs. At inference time it costs
// nothing at all: in `eval()` mode it is a fixed affine map per feature,
// $\mathrm{BN}(z) = s \odot (z - \mu_{\text{run}}) + \beta$ with $s = \gamma / \sqrt{\sigma^2_{\text{run}} + \epsilon}$,
// so it can be **folded** into the Linear layer before it:
//
// $$W' = \operatorname{diag}(s)\,W, \qquad b' = s \odot (b - \mu_{\text{run}}) + \beta .$$
//
// Below, the BN network of section 8 (seed 0, trained at BN's best rate, {{bnBestLr}}) is folded into a plain
// Linear → ReLU network, and the two are compared on the 500 test images.

// %%
const trained = bBn.firstModel;
trained.eval();
const foldedLayers: nn.Module[] = [];
for (let i = 0; i < trained.length; i++) {
  const m = trained.at(i);
  if (m instanceof nn.Linear && i + 1 < trained.length && trained.at(i + 1) instanceof nn.BatchNorm1d) {
    const bn = trained.at(i + 1) as nn.BatchNorm1d;
    const s = bn.weight!.div(bn.runningVar!.add(bn.eps).sqrt()); // γ / √(σ²_run + ε), one per output
    const fused = new nn.Linear(m.inFeatures, m.outFeatures);
    noGrad(() => {
      fused.weight.copy_(m.weight.mul(s.reshape([-1, 1])));
      fused.bias!.copy_(bn.bias!.sub(bn.runningMean!.mul(s))); // the Linear had no bias
    });
    foldedLayers.push(fused);
    i++; // the BatchNorm1d is absorbed
  } else {
    foldedLayers.push(m);
  }
}
const folded = new nn.Sequential(...foldedLayers).eval();
const outBn = noGrad(() => trained.call(digits.xTest));
const outFolded = noGrad(() => folded.call(digits.xTest));
console.log(`modules: ${trained.length} with BN → ${folded.length} folded; max |difference of logits| = ${outBn.sub(outFolded).abs().max().item().toExponential(1)}`);
console.log(`test accuracy: ${diagnostics.accuracy(outBn, digits.yTest).toFixed(3)} with BN, ${diagnostics.accuracy(outFolded, digits.yTest).toFixed(3)} folded`);

// %% [markdown] slide
// ## 12. The classic bug: forgetting `model.eval()` (or `model.train()`)
//
// In training mode BN normalizes with the statistics of the current batch **and updates its running
// averages**; in evaluation mode it uses the stored averages. Evaluate in training mode and (1) each
// prediction depends on the rest of its batch, and (2) the test data silently overwrites the running
// statistics. (The opposite mistake, training in eval mode, normalizes with frozen statistics and never
// updates them.) `fit`, `evaluate` and `predict` switch modes for you; a hand-written loop must call
// `model.train()` before the training batches and `model.eval()` before evaluating, exactly like the
// PyTorch loops of Karmakar's notes. Below, the BN network of section 8 evaluated correctly, then in training mode on
// batches of 50 test images: once in their usual mixed order, once sorted by class.

// %% tags=slide-hide-code
const byClass = Array.from(digits.yTest.data).map((label, i) => [label, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
const xSorted = digits.xTest.indexSelect(0, byClass);
const ySorted = digits.yTest.indexSelect(0, byClass);
/** Accuracy over the sorted test set in batches of 50, in the model's current mode. */
function sortedAccuracy(model: nn.Sequential): number {
  let correct = 0;
  noGrad(() => {
    for (let start = 0; start < 500; start += 50) {
      correct += 50 * diagnostics.accuracy(model.call(xSorted.slice(0, start, start + 50)), ySorted.slice(0, start, start + 50));
    }
  });
  return correct / 500;
}
const copy = deepMlp(true, 0);
copy.loadStateDict(trained.stateDict());
const firstBn = copy.at(1) as nn.BatchNorm1d;
const meanBefore = firstBn.runningMean!.clone();
const rightWay = sortedAccuracy(copy.eval());
let mixed = 0;
noGrad(() => {
  copy.train();
  for (let start = 0; start < 500; start += 50) mixed += 50 * diagnostics.accuracy(copy.call(digits.xTest.slice(0, start, start + 50)), digits.yTest.slice(0, start, start + 50));
});
copy.loadStateDict(trained.stateDict()); // undo what that pass did to the running statistics
const buggy = sortedAccuracy(copy.train());
const drift = firstBn.runningMean!.sub(meanBefore).abs().max().item() / meanBefore.abs().max().item();
show(table([
  { evaluation: "model.eval() (correct)", "test accuracy": rightWay },
  { evaluation: "forgot model.eval(): training mode, mixed batches of 50", "test accuracy": mixed / 500 },
  { evaluation: "forgot model.eval(): training mode, one-class batches of 50", "test accuracy": buggy },
], { digits: 3 }));
console.log(`the buggy pass moved the running means of the first BN layer by up to ${(100 * drift).toFixed(0)} % of their largest value`);
quote({ evalRight: rightWay, evalMixed: mixed / 500, evalSorted: buggy });

// %% [markdown] fragment
// With mixed batches the batch statistics happen to be close to the running ones: the accuracy is {{evalMixed}}
// against {{evalRight}} done right, and the mistake goes unnoticed; with one-class batches each batch is normalized by
// its own statistics, which erases exactly what distinguishes its digits from the others, and accuracy collapses to {{evalSorted}}. Either way the pass
// rewrote the running statistics with test data: evaluating changed the model, and the next result
// depends on what was evaluated before.

// %% [markdown] slide
// ## 13. Batch norm meets dropout and weight decay
//
// Two interactions that surprise people who combine the recipe's ingredients.
//
// **Dropout before batch norm shifts the variance** (Li, Chen, Hu and Yang, *Understanding the Disharmony between
// Dropout and Batch Normalization by Variance Shift*, 2019). In training, inverted dropout keeps each unit's mean but
// *raises* its variance (a unit is 0 or $a/(1-p)$); batch norm's running variance learns that inflated value. In
// evaluation dropout is off, the variance is smaller, and batch norm divides by the wrong number. The block below is
// Linear → ReLU → Dropout($p$) → Linear → BatchNorm; it is run 200 times in training mode on random standardized
// batches (so that the running statistics settle), then once in evaluation mode. A consistent layer would give outputs
// of standard deviation 1 in evaluation mode.

// %%
const shiftRows = [0, 0.1, 0.3, 0.5].map((p) => {
  const gV = new Generator(31);
  const block = new nn.Sequential(
    new nn.Linear(64, 64, { generator: gV }), new nn.ReLU(), new nn.Dropout(p, { generator: gV }), new nn.Linear(64, 64, { generator: gV }), new nn.BatchNorm1d(64),
  );
  const bn = block.at(4) as nn.BatchNorm1d;
  noGrad(() => {
    block.train();
    for (let i = 0; i < 200; i++) block.call(randn([128, 64], { generator: gV }));
  });
  const xEval = randn([1024, 64], { generator: gV });
  const evalOut = noGrad(() => block.eval().call(xEval));
  const bnInput = noGrad(() => new nn.Sequential(block.at(0), block.at(1), block.at(3)).call(xEval)); // dropout off, as in eval
  const trueVar = bnInput.std(0).pow(2).mean().item();
  const runningVar = bn.runningVar!.mean().item();
  return { "dropout p": p, "running variance (learned in training)": runningVar, "actual variance in evaluation": trueVar, "ratio": runningVar / trueVar, "std of BN output in evaluation": evalOut.std(0).mean().item() };
});
show(table(shiftRows, { digits: 3, caption: "Linear → ReLU → Dropout(p) → Linear → BatchNorm, evaluated after 200 training batches" }));
quote({ shiftRatio5: shiftRows[3].ratio, shiftStd5: shiftRows[3]["std of BN output in evaluation"], shiftStd0: shiftRows[0]["std of BN output in evaluation"] }, 2);

// %% [markdown] fragment
// With $p = 0.5$ the running variance is {{shiftRatio5}} times the variance batch norm actually meets in evaluation,
// so its outputs have standard deviation {{shiftStd5}} instead of {{shiftStd0}} without dropout: every layer after it
// sees smaller inputs than in training. Li et al.'s remedies: put dropout only **after the last batch-norm layer**
// (just before the classifier), or use a small $p$; the recipe's block (Linear → BN → ReLU → Dropout) feeds dropout
// into the *next* block's BN, so keep $p$ modest there, or drop dropout in networks that have BN.

// %% [markdown] subslide
// ### Batch norm makes weight decay a learning-rate knob
//
// A linear layer followed by batch norm is **scale-invariant**: multiplying its weight $W$ by $\alpha > 0$ multiplies the
// pre-activations by $\alpha$, which BN divides away. So $L(\alpha W) = L(W)$, and differentiating,
// $\nabla L(\alpha W) = \nabla L(W)/\alpha$: the gradient shrinks as the weight grows, and a step of SGD changes the
// *direction* of $W$ by about $\eta\,\lVert\nabla L\rVert/\lVert W\rVert \propto \eta/\lVert W\rVert^2$. Weight decay cannot
// regularize such a layer (its function does not depend on $\lVert W\rVert$); what it does is keep $\lVert W\rVert$ small, which
// keeps the **effective learning rate** $\eta/\lVert W\rVert^2$ high (van Laarhoven, 2017; Zhang, Wang, Xu and Grosse, *Three
// Mechanisms of Weight Decay Regularization*, 2019). First the invariance, then two runs of a BN network with SGD, with and
// without weight decay, watching $\lVert W_1\rVert$ and the relative update $\lVert\Delta W_1\rVert/\lVert W_1\rVert$ at the end of
// each epoch (`Monitor`).

// %%
manualSeed(40);
const scaleNet = new nn.Sequential(new nn.Linear(784, 64, { bias: false }), new nn.BatchNorm1d(64), new nn.ReLU(), new nn.Linear(64, 10));
const xb40 = train.x.slice(0, 0, 256), yb40 = train.y.slice(0, 0, 256);
/** Loss and ‖∇W₁‖ of scaleNet on one batch, with W₁ multiplied by `alpha`. */
function lossAndGrad(alpha: number): { loss: number; grad: number } {
  const w1 = scaleNet.at(0) as nn.Linear;
  const saved = w1.weight.data.slice();
  noGrad(() => w1.weight.data.set(saved.map((v) => v * alpha)));
  scaleNet.zeroGrad();
  const loss = F.crossEntropy(scaleNet.call(xb40), yb40);
  loss.backward();
  const grad = w1.weight.grad!.norm().item();
  noGrad(() => w1.weight.data.set(saved));
  return { loss: loss.item(), grad };
}
const [at1, at10] = [lossAndGrad(1), lossAndGrad(10)];
console.log(`W₁ × 1: loss ${at1.loss.toFixed(6)}, ‖∇W₁‖ ${at1.grad.toExponential(3)};  W₁ × 10: loss ${at10.loss.toFixed(6)}, ‖∇W₁‖ ${at10.grad.toExponential(3)} (ratio ${(at1.grad / at10.grad).toFixed(2)})`);

const decayRuns = [0, 5e-3].map((weightDecay) => {
  manualSeed(41);
  const model = new nn.Sequential(new nn.Linear(784, 64, { bias: false }), new nn.BatchNorm1d(64), new nn.ReLU(), new nn.Linear(64, 10));
  const monitor = new Monitor();
  fit(model, train, {
    optimizer: new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, weightDecay }), loss: F.crossEntropy, epochs: 5,
    batchSize: 64, seed: 0, progress: "none", callbacks: [monitor],
  });
  return { weightDecay, model, monitor };
});
const normOfW1 = (m: nn.Sequential) => (m.at(0) as nn.Linear).weight.norm().item();
show(table(decayRuns.map(({ weightDecay, model, monitor }) => ({
  "weight decay": weightDecay,
  "‖W₁‖ at the end": normOfW1(model),
  "‖ΔW₁‖/‖W₁‖, epoch 1": monitor.records[0].updateRatios.find((r) => r.name === "0.weight")!.norm,
  "‖ΔW₁‖/‖W₁‖, last epoch": monitor.records[monitor.records.length - 1].updateRatios.find((r) => r.name === "0.weight")!.norm,
})), { digits: 3, caption: "BN network, SGD lr 0.1 momentum 0.9, 5 epochs, one seed" }));
const ratioEnd = (k: number) => decayRuns[k].monitor.records[decayRuns[k].monitor.records.length - 1].updateRatios.find((r) => r.name === "0.weight")!.norm;
quote({
  invLoss1: at1.loss.toFixed(6), invLoss10: at10.loss.toFixed(6), invGradRatio: at1.grad / at10.grad,
  normNoDecay: normOfW1(decayRuns[0].model), normDecay: normOfW1(decayRuns[1].model), ratioNoDecay: ratioEnd(0), ratioDecay: ratioEnd(1),
}, 2);

// %% [markdown] fragment
// Multiplying $W_1$ by 10 leaves the loss unchanged up to batch norm's $\epsilon$ ({{invLoss1}} and {{invLoss10}}) and divides the gradient by
// {{invGradRatio}}. Without weight decay, $\lVert W_1\rVert$ ends at {{normNoDecay}} and the last epoch's relative update is
// {{ratioNoDecay}}; with weight decay $5\cdot10^{-3}$ the norm ends at {{normDecay}} and the relative update at
// {{ratioDecay}}. Same learning rate, different effective rate: in a BN network, changing the weight decay changes how
// fast the scale-invariant layers keep moving, so the two must be tuned together.

// %% [markdown] slide
// ## Summary
//
// - Standardized inputs condition only the first layer; **batch norm** standardizes the input of every hidden layer per mini-batch: $\hat x = (x - \mu_B)/\sqrt{\sigma_B^2 + \epsilon}$, then $z = \gamma \otimes \hat x + \beta$ with learned $\gamma, \beta$.
// - Historically motivated by **internal covariate shift**; today often explained by a **smoother loss landscape**. In practice: stable training, **larger learning rates**, less sensitivity to initialization, some regularization.
// - Its backward pass runs through $\mu_B$ and $\sigma_B^2$: $\partial L/\partial x_i = \frac{s}{m}(m\,\partial_{\hat x_i} - \sum_j \partial_{\hat x_j} - \hat x_i \sum_j \partial_{\hat x_j} \hat x_j)$.
// - Evaluation uses **running averages** (PyTorch momentum 0.1 = Keras momentum 0.9 convention flipped; unbiased variance); `model.train()` / `model.eval()` matter.
// - Recipe: `Linear(bias: false) → BatchNorm1d → ReLU → Dropout`, hidden layers only.
// - Small batches make its statistics noisy: use **LayerNorm** or **GroupNorm** there. After training, **fold** BN into the previous layer for free inference.

// %% [markdown] slide
// ## Exercises
//
// Open `exercises/04-batch-normalization.ts` and implement, on plain arrays (`x[i][c]`: sample i, feature c):
//
// 1. `batchNormForward(x, gamma, beta, eps)`: the four equations; return the output and a cache for the backward pass;
// 2. `batchNormBackward(dout, cache)`: $\partial L/\partial x$, $\partial L/\partial\gamma$, $\partial L/\partial\beta$, graded against kernel-lib's autograd of `F.batchNorm` and against finite differences;
// 3. `updateRunningStats(runningMean, runningVar, x, momentum)`: PyTorch's update, with the unbiased variance;
// 4. `foldBatchNorm(linear, bn)`: the folded weight and bias, graded against a real `Linear → BatchNorm1d` in eval mode;
// 5. `batchNormEval(x, bn)`: evaluation mode, with the running statistics (a batch of one works);
// 6. `layerNormForward(x, gamma, beta, eps)`: the statistics per sample instead of per feature, as `nn.LayerNorm`;
// 7. `gradientCheck(f, x, analytic, h)`: the central-difference check this lesson ran on `F.batchNorm`, written yourself.
//
// Check your work from a terminal in the repository folder:
//
// ```bash
// npm run check -- 04
// ```

// %%
// In a TypeScript file you would write `import * as ex from "../exercises/04-batch-normalization";`. The
// notebook kernel only compiles files inside notebooks/, so the exercise file is loaded through tsx instead.
const { require: requireTs } = require("tsx/cjs/api") as { require: (id: string, fromFile: string) => unknown };
const ex = requireTs("../exercises/04-batch-normalization", `${process.cwd()}/lesson.js`) as {
  batchNormForward(x: number[][], gamma: number[], beta: number[], eps?: number): { out: number[][] };
};
try {
  const { out } = ex.batchNormForward([[1, 10], [2, 20], [3, 60]], [1, 1], [0, 0]);
  console.log("batchNormForward output:", out.map((row) => row.map((v) => v.toFixed(3))));
} catch (e) {
  console.log((e as Error).message);
}

// %% [markdown] skip
// ### Check your exercises in the notebook
//
// Save `exercises/04-batch-normalization.ts` and run the next cell: it grades the file with the same tests and points as
// `npm run check -- 04` (it runs that command), and shows each test with expected vs got and a hint. Run it
// again after every change. (`check` comes from `notebooks/check.ts`, next to the lessons.)

// %% skip
import { check } from "./check";
await check("04");
