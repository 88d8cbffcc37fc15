// %% [markdown] slide
// # Lesson 5 — Residual connections and gradient clipping
//
// Backpropagation multiplies one Jacobian per layer. In a deep network that product can shrink the
// gradient to nothing or blow it up to infinity. This lesson looks at two fixes, one for each problem:
//
// - **Residual (skip) connections** add an identity path to every block, so the product cannot
//   vanish even when the layers themselves pass almost no gradient;
// - **Gradient clipping** puts a ceiling on the size of an update, so one exploding gradient
//   cannot throw the weights somewhere the loss is `NaN`.
//
// **What you will learn**
//
// 1. why the singular values of the layer Jacobians decide whether gradients vanish or explode;
// 2. how $x_{\ell+1} = x_\ell + F(x_\ell; W)$ changes the backward pass, measured on a 20-layer network;
// 3. how a recurrent network's gradient explodes, and how clipping by norm or by value stops it;
// 4. what clipping does to the *direction* of the update, and when to use which kind.

// %% skip
import {
  Generator, Tensor, manualSeed, tensor, randn, nn, F, init, optim, data, fit, diagnostics,
  clipGradNorm_, clipGradValue_, show, table, charts, noGrad, quote, meanSd, formatMeanSd,
} from "kernel-lib";
void manualSeed(0);

// %% [markdown] slide
// ## 1. The chain rule multiplies Jacobians
//
// Write the network as a chain $x_{\ell+1} = f_\ell(x_\ell; W_\ell)$ with loss $\mathcal{L}$. The gradient
// reaching the weights of an early layer is the gradient at the top carried down through every layer above:
//
// $$\partial_{W_{\ell-1}}\mathcal{L} = \Big((\partial_{x_L}\mathcal{L}) \prod_{k=L-1}^{\ell} \partial_{x_k} x_{k+1}\Big)\, \partial_{W_{\ell-1}} x_\ell$$
//
// (the factors are written left to right from $k = L-1$ down to $k = \ell$, as in lesson 1: the gradient travels from the
// output back to layer $\ell$, and matrix products do not commute).
//
// (The row vector $\partial_{x_L}\mathcal{L}$ is multiplied on the right by the Jacobian of the top layer first, then by
// the next one down.) Each factor $J_k = \partial_{x_k} x_{k+1}$ stretches some directions and squeezes others; how much
// is measured by its **singular values** $\sigma$: for square Jacobians, $\lVert g\,J_{L-1}\cdots J_\ell\rVert$ lies between
// $\lVert g\rVert\prod_k \sigma_{\min}(J_k)$ and $\lVert g\rVert\prod_k \sigma_{\max}(J_k)$. So
//
// - if the Jacobians' singular values are mostly **below 1**, the gradient **vanishes** geometrically with depth
//   ($0.9^{50} \approx 0.005$);
// - if they are mostly **above 1**, it **explodes** ($1.1^{50} \approx 117$).

// %% [markdown] subslide
// ### Multiplying random Jacobians
//
// Let us multiply 50 random $32\times32$ Jacobians and follow the norm of a gradient vector $g \leftarrow g\,J_k$:
//
// | series | Jacobian of one layer |
// |---|---|
// | plain, gain 0.9 / 1.1 | $J = W$, entries $\mathcal N(0, \text{gain}^2/32)$, so $\mathbb E\lVert gW\rVert^2 = \text{gain}^2\lVert g\rVert^2$ |
// | sigmoid | $x_{k+1} = \sigma(z)$, $z = Wx_k$: $J = \operatorname{diag}(\sigma'(z))\,W$ with $z \sim \mathcal N(0,1)$ |
// | sigmoid + skip | $x_{k+1} = x_k + \sigma(Wx_k)$: $J = I + \operatorname{diag}(\sigma'(z))\,W$ |

// %% tags=slide-hide-code
const n = 32;
const depth = 50;
const gen = new Generator(0);

/** An n×n matrix with entries N(0, gain²/n). */
function randomMatrix(gain: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: n }, () => (gen.normal() * gain) / Math.sqrt(n)));
}
/** One step of the chain rule: the row vector g times the Jacobian J, (gJ)_j = Σ_i g_i J_ij. */
function vecMat(g: number[], J: number[][]): number[] {
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[j] += g[i] * J[i][j];
  return out;
}
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const sigmoidPrime = (z: number) => { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); };

/** diag(σ'(z))·W, plus the identity when the layer has a skip connection. */
function sigmoidLayerJacobian(skip: boolean): number[][] {
  const W = randomMatrix(1);
  const d = Array.from({ length: n }, () => sigmoidPrime(gen.normal()));
  return W.map((row, i) => row.map((w, j) => d[i] * w + (skip && i === j ? 1 : 0)));
}

const jacobians: Record<string, () => number[][]> = {
  "plain, gain 0.9": () => randomMatrix(0.9),
  "plain, gain 1.1": () => randomMatrix(1.1),
  "sigmoid": () => sigmoidLayerJacobian(false),
  "sigmoid + skip": () => sigmoidLayerJacobian(true),
};
const g0 = Array.from({ length: n }, () => gen.normal());
const jacobianRows: { layers: number; norm: number; Jacobian: string }[] = [];
for (const [name, make] of Object.entries(jacobians)) {
  let g = g0;
  jacobianRows.push({ layers: 0, norm: 1, Jacobian: name });
  for (let k = 1; k <= depth; k++) {
    g = vecMat(g, make());
    jacobianRows.push({ layers: k, norm: norm(g) / norm(g0), Jacobian: name });
  }
}
show(table(Object.keys(jacobians).map((name) => {
  const row: Record<string, unknown> = { Jacobian: name };
  for (const k of [10, 20, 30, 40, 50]) row[`after ${k}`] = jacobianRows.find((r) => r.Jacobian === name && r.layers === k)!.norm;
  return row;
}), { digits: 3, caption: "‖g after k layers‖ / ‖g at the top‖" }));
const normAfter50 = (name: string) => jacobianRows.find((r) => r.Jacobian === name && r.layers === depth)!.norm;
quote({ gain11At50: normAfter50("plain, gain 1.1"), gain09At50: normAfter50("plain, gain 0.9").toExponential(1), sigmoidAt50: normAfter50("sigmoid").toExponential(0), skipAt50: normAfter50("sigmoid + skip") }, 2);

// %% fragment
show(charts.line(jacobianRows, { x: "layers", y: "norm", color: "Jacobian", logY: true, title: "Gradient norm carried down through random Jacobians", yTitle: "‖g‖ relative to the top" }));

// %% [markdown] -
// - Gain 1.1 grows to {{gain11At50}} after 50 layers (compare $1.1^{50} \approx 117$). Gain 0.9 ends at {{gain09At50}}, below
//   $0.9^{50} \approx 0.005$: random matrices stretch some directions and squeeze others, and on average the logarithm of
//   the norm drifts down slightly faster than the gain alone predicts. (It is one draw of 50 random matrices.)
// - A sigmoid layer ("sigmoid") multiplies by $\sigma'(z) \le 0.25$ on top of $W$: after 50 layers {{sigmoidAt50}} of the gradient is left.
// - The **same sigmoid layers with a skip** ("sigmoid + skip") keep the gradient at order 1: the identity in $I + \operatorname{diag}(\sigma')W$
//   holds every singular value near 1.

// %% [markdown] notes
// Point at the last line of the chart first: the skip version is flat while the plain sigmoid is falling off the chart.
// The slight growth of the skip curve ({{skipAt50}}× over 50 layers) is the price of adding a small random matrix to I at every
// layer; real ResNets control it with normalization or by starting each block's last layer near zero.

// %% [markdown] slide
// ## 2. Residual connections
//
// A residual block does not learn the full map from $x_\ell$ to $x_{\ell+1}$; it learns a **correction** added to its input:
//
// $$x_{\ell+1} = x_\ell + F(x_\ell; W).$$
//
// Its Jacobian is $\partial_{x_\ell} x_{\ell+1} = I_d + \partial_{x_\ell} F$, so one step of the backward pass reads
//
// $$\partial_{x_\ell}\mathcal{L} = (\partial_{x_{\ell+1}}\mathcal{L})\,\big(I_d + \partial_{x_\ell}F\big) = \partial_{x_{\ell+1}}\mathcal{L} + (\partial_{x_{\ell+1}}\mathcal{L})\,\partial_{x_\ell}F .$$
//
// The first term passes the gradient down **unchanged**. Even if the activations of $F$ sit in flat regions
// ($\partial F \approx 0$, e.g. saturated sigmoids or inactive ReLUs), the gradient still flows. Over many blocks,
// $\prod_k (I + \partial F_k) = I + \sum_k \partial F_k + \dots$: there is always a path that skips every layer.

// %% [markdown] subslide
// ### ResNet and ImageNet
//
// He, Zhang, Ren and Sun (*Deep Residual Learning for Image Recognition*, 2015) built convolutional networks of
// blocks "weight layer → ReLU → weight layer, plus the input, then ReLU" (their Figure 2), up to 152 layers deep.
// Without the skips, their deeper plain networks had *higher training error* than shallower ones: an optimization
// failure, not overfitting. With them, ResNets won the ImageNet 2015 classification challenge (3.57 % top-5 error)
// and more or less "solved" the benchmark. ImageNet has about 1,000,000 training images; deep ResNets have up to
// about 60,000,000 parameters.
//
// In kernel-lib a residual block is `new nn.Residual(inner)`, computing `skip(x) + inner(x)`; pass
// `{ projection: new nn.Linear(dIn, dOut) }` when `inner` changes the width. Read it in
// `kernel-lib/src/nn/residual.ts`: the whole layer is one `add`, and autograd does the rest.

// %% [markdown] subslide
// ### Smoother loss surfaces
//
// Li, Xu, Taylor, Studer and Goldstein (*Visualizing the Loss Landscape of Neural Nets*, 2018) plotted the loss
// around a trained network along two random directions. To make plots of different networks comparable, they
// rescale each filter of the random direction to the norm of the corresponding filter of the weights
// (**filter normalization**), so that the picture does not depend on the arbitrary scale of the weights.
//
// For ResNet-56 **without** skip connections the surface is chaotic: sharp ridges and many local dips around the
// minimum. **With** skips, the same architecture sits in a wide, smooth, almost convex bowl. The deeper the
// no-skip network, the more chaotic its landscape; the skips keep it smooth. A smooth landscape is one where the
// local gradient points to the minimum, which is what gradient descent needs.

// %% [markdown] slide
// ## Measuring it: a 20-layer MLP with and without skips
//
// Two networks on the MNIST subset, **with identical weights** (same seed, same layers created in the same order):
//
// - *plain*: `Linear(784, 32)`, then 20 × [`ReLU`, `Linear(32, 32)`], then `ReLU`, `Linear(32, 10)`;
// - *residual*: the same, with each `[ReLU, Linear]` pair wrapped in `nn.Residual` (the "pre-activation" block
//   of He et al., 2016: $x + W\,\mathrm{relu}(x) + b$).
//
// Both use the default initialization of `nn.Linear`, $U(-1/\sqrt{\text{fan}_\text{in}}, 1/\sqrt{\text{fan}_\text{in}})$,
// which is too small for ReLU (lesson 2): a good test of what the skips alone can do.

// %%
const digits = data.loadDigits({ train: 1000, test: 500, seed: 0 });
const blocks = 20;
const width = 32;

function deepMLP(residual: boolean, seed = 1): nn.Sequential {
  manualSeed(seed); // the same initial weights for both networks
  const layers: nn.Module[] = [new nn.Linear(784, width)];
  for (let i = 0; i < blocks; i++) {
    const block = new nn.Sequential(new nn.ReLU(), new nn.Linear(width, width));
    layers.push(residual ? new nn.Residual(block) : block);
  }
  layers.push(new nn.ReLU(), new nn.Linear(width, 10));
  return new nn.Sequential(...layers);
}
const plainNet = deepMLP(false);
const residualNet = deepMLP(true);
const residualParams = residualNet.parameters();
const sameWeights = plainNet.parameters().every((p, i) => p.data.every((v, j) => v === residualParams[i].data[j]));
console.log(`parameters: ${plainNet.numParameters()} each; identical initial weights: ${sameWeights}`);

// %% [markdown] subslide
// ### Per-layer gradient norms at initialization
//
// One forward and backward pass on 256 training images; `diagnostics.layerGradientNorms` (in
// `kernel-lib/src/diagnostics/gradients.ts`) gives $\lVert\nabla\rVert$ of each linear layer's weights and bias together, in
// forward order (layer 1 is next to the input, layer 22 is the output layer).

// %%
const xProbe = digits.xTrain.slice(0, 0, 256);
const yProbe = digits.yTrain.slice(0, 0, 256);
const normRows: { layer: string; norm: number; series: string }[] = [];
for (const [series, model] of [["plain", plainNet], ["residual", residualNet]] as const) {
  model.zeroGrad();
  F.crossEntropy(model.call(xProbe), yProbe).backward();
  diagnostics.layerGradientNorms(model).forEach((r, i) => normRows.push({ layer: String(i + 1), norm: r.norm, series }));
}
show(table(["plain", "residual"].map((series) => {
  const rows = normRows.filter((r) => r.series === series);
  const first = rows[0].norm, last = rows[rows.length - 1].norm;
  return { model: series, "‖∇‖ layer 1 (input)": first, "‖∇‖ layer 22 (output)": last, "layer 1 / layer 22": first / last };
}), { digits: 3 }));
show(charts.gradientNorms(normRows, { title: "Gradient norm per layer at initialization" }));
/** How much the network's 10 outputs differ from image to image: the std over the batch, averaged over the outputs. */
const outputSpread = (model: nn.Module) => noGrad(() => model.call(xProbe).std(0).mean().item());
const layerRatio = (series: string) => { const rows = normRows.filter((r) => r.series === series); return rows[0].norm / rows[rows.length - 1].norm; };
quote({ plainGradRatio: layerRatio("plain"), plainSpread: outputSpread(plainNet), residualSpread: outputSpread(residualNet) }, 2);

// %% [markdown] -
// In the plain network the gradient shrinks by a roughly constant factor per layer: layer 1's is {{plainGradRatio}}
// times the output layer's. With plain SGD, the first layers would need a learning rate that many times larger to
// move. With the skips every layer gets a gradient of the same order. Same weights, one `add` per block.
//
// The *forward* signal tells the same story from the other side: the plain network's outputs hardly depend on the
// image (their std across the batch is {{plainSpread}}, against {{residualSpread}} for the residual network). Whatever
// reaches the output layer has lost most of what distinguishes one digit from another.

// %% [markdown] subslide
// ### Training both
//
// Adam (lesson 6) with its default learning rate $10^{-3}$, mini-batches of 32, 5 epochs, from 3 seeds (a seed fixes
// the initial weights, the same for both networks, and the data order).

// %%
const trainRows: { epoch: number; model: string; "train loss": number; sd: number }[] = [];
const trainRuns = (["plain", "residual"] as const).map((name) => {
  const runs = [1, 2, 3].map((seed) => {
    const model = seed === 1 ? (name === "plain" ? plainNet : residualNet) : deepMLP(name === "residual", seed);
    return fit(model, { x: digits.xTrain, y: digits.yTrain }, {
      optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }),
      loss: F.crossEntropy, epochs: 5, batchSize: 32, seed,
      validation: { x: digits.xTest, y: digits.yTest }, metrics: ["accuracy"], progress: "none",
    });
  });
  for (let e = 0; e < 5; e++) {
    const { mean, sd } = meanSd(runs.map((h) => h.epochs[e].loss));
    trainRows.push({ epoch: e + 1, model: name, "train loss": mean, sd });
  }
  return { name, loss: runs.map((h) => h.last.loss), valLoss: runs.map((h) => h.last.valLoss), acc: runs.map((h) => h.last.valAccuracy) };
});
show(table(trainRuns.map((r) => ({ model: r.name, "train loss": formatMeanSd(r.loss), "val loss": formatMeanSd(r.valLoss), "val accuracy": formatMeanSd(r.acc) })),
  { caption: "after 5 epochs, mean ± sd over 3 seeds" }));
show(charts.line(trainRows, { x: "epoch", y: "train loss", color: "model", yError: "sd", title: "20 blocks deep: training loss per epoch (mean ± sd, 3 seeds)" }));
quote({ plainTrainLoss: formatMeanSd(trainRuns[0].loss), residualTrainLoss: formatMeanSd(trainRuns[1].loss), residualAcc: formatMeanSd(trainRuns[1].acc) });

// %% [markdown] -
// At this rate the plain network never leaves the plateau at $\ln 10 \approx 2.303$ (it ends at {{plainTrainLoss}}), the loss
// of guessing uniformly among 10 classes.
// Small gradients alone do not explain it: Adam divides each gradient by its own running size, so it would move the
// first layers at the same pace as the last. What fails is the forward pass: an input signal that has faded to almost
// nothing after 20 blocks carries little to learn from, and each layer's update is drowned by the others'. The
// residual network, with the same weights and the same optimizer, trains normally: a training loss of
// {{residualTrainLoss}} and a validation accuracy of {{residualAcc}}.
//
// He et al. (2016) make the point sharper: their plain 34-layer network, which trained *worse* than the 18-layer one
// (higher training error, so not overfitting), used batch normalization, and they checked that its forward signals
// and backward gradients kept healthy sizes. This **degradation** is an optimization difficulty, not vanishing
// gradients; residual connections remove it. (A better initialization helps plain networks too, as lesson 2 showed at 8 layers; skip
// connections keep working at depths where initialization alone no longer does, and together with normalization
// they are why networks of hundreds of layers train at all.)

// %% [markdown] notes
// If asked why the residual net starts with a larger gradient at layer 1 than at the top: the residual stream adds up
// the outputs of all blocks, so its scale grows slowly with depth, and the gradient of the first layer collects
// contributions along every path. Nothing vanishes; that is the point.

// %% [markdown] subslide
// ### Zero-initializing the last layer of each block
//
// Our blocks above used a weak initialization, so each one added little to the stream. With a *proper* He
// initialization inside a two-layer block, $x + W_2\,\mathrm{relu}(W_1 x)$, each block adds more variance than the stream
// already has ($W_1$ doubles it, the ReLU halves it, $W_2$'s gain doubles it again): the variance of the residual stream
// **grows by a constant factor per block** (measured below: about {{varGrowth}}), and a deep stack starts with huge activations.
// Goyal et al. (*Accurate, Large Minibatch SGD*, 2017) set the last batch-norm scale $\gamma$ of each
// residual block to 0, and Zhang, Dauphin and Ma (*Fixup*, 2019) the last layer's weights: every block then starts as the
// **identity**, the network behaves like a shallow one at first, and each block grows its contribution only as training
// asks for it. Twenty blocks of width 32 with He-initialized layers, the last layer of each block either He-initialized
// or zero:

// %%
/** 784 → 32, then 20 residual blocks [Linear → ReLU → Linear], then ReLU → 10; He init; the last Linear of each block zeroed when `zeroLast`. */
function heResNet(zeroLast: boolean, seed: number): nn.Sequential {
  manualSeed(seed);
  const he = (layer: nn.Linear) => { init.kaimingNormal_(layer.weight, { nonlinearity: "relu" }); init.zeros_(layer.bias!); return layer; };
  const layers: nn.Module[] = [he(new nn.Linear(784, width))];
  for (let i = 0; i < blocks; i++) {
    const last = he(new nn.Linear(width, width));
    if (zeroLast) init.zeros_(last.weight);
    layers.push(new nn.Residual(new nn.Sequential(he(new nn.Linear(width, width)), new nn.ReLU(), last)));
  }
  layers.push(new nn.ReLU(), new nn.Linear(width, 10));
  return new nn.Sequential(...layers);
}
/** Std of the residual stream after blocks 1, 5, 10 and 20 on the probe batch. */
function streamStd(model: nn.Sequential): number[] {
  return noGrad(() => {
    let h = model.at(0).call(xProbe);
    const out: number[] = [];
    for (let i = 1; i <= blocks; i++) {
      h = model.at(i).call(h);
      if ([1, 5, 10, 20].includes(i)) out.push(h.std().item());
    }
    return out;
  });
}
const streamRows = [false, true].map((zeroLast) => {
  const [s1, s5, s10, s20] = streamStd(heResNet(zeroLast, 0));
  return { "last layer of each block": zeroLast ? "zero" : "He", "std after block 1": s1, "block 5": s5, "block 10": s10, "block 20": s20 };
});
show(table(streamRows, { digits: 3, caption: "the residual stream at initialization" }));

// Training: SGD with momentum 0.9, 2 epochs; each variant gets its best rate from a log grid (3 seeds), then 5 fresh seeds.
const zeroInitResults = [false, true].map((zeroLast) => {
  const runOnce = (lr: number, seed: number) => {
    const model = heResNet(zeroLast, seed);
    const history = fit(model, { x: digits.xTrain, y: digits.yTrain }, {
      optimizer: new optim.SGD(model.parameters(), { lr, momentum: 0.9 }), loss: F.crossEntropy, epochs: 2, batchSize: 32, seed, progress: "none",
    });
    const loss = history.last.loss;
    return Number.isFinite(loss) && !history.diverged ? loss : NaN; // NaN: the run diverged
  };
  const grid = [1e-6, 1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03];
  const trained = (losses: number[]) => losses.filter(Number.isFinite);
  // A rate where any seed diverged scores as if that seed ended at 10 (worse than guessing).
  const means = grid.map((lr) => meanSd([0, 1, 2].map((seed) => runOnce(lr, seed)).map((l) => (Number.isFinite(l) ? l : 10))).mean);
  const k = means.indexOf(Math.min(...means));
  const losses = [10, 11, 12, 13, 14].map((seed) => runOnce(grid[k], seed));
  return { zeroLast, lr: grid[k], atEdge: k === 0 || k === grid.length - 1, losses, diverged: losses.length - trained(losses).length, allDiverged: means.every((m) => m >= 10) };
});
// The zeroed last layers do not stay zero: one SGD step on the probe batch, then a second.
const stepped = heResNet(true, 0);
const stepper = new optim.SGD(stepped.parameters(), { lr: 0.01 });
const firstBlock = (stepped.at(1) as nn.Residual).inner as nn.Sequential;
const [w1, w2] = [(firstBlock.at(0) as nn.Linear).weight, (firstBlock.at(2) as nn.Linear).weight];
const gradNorms: number[][] = [];
for (let step = 0; step < 2; step++) {
  stepper.zeroGrad();
  F.crossEntropy(stepped.call(xProbe), yProbe).backward();
  gradNorms.push([w1.grad!.norm().item(), w2.grad!.norm().item()]);
  stepper.step();
}
show(table(gradNorms.map(([g1, g2], step) => ({ step: step + 1, "‖∇W₁‖ (first layer of block 1)": g1, "‖∇W₂‖ (its zeroed last layer)": g2 })), { digits: 3, caption: "zero-initialized blocks: gradients of block 1 at the first two steps" }));
const lossText = (r: (typeof zeroInitResults)[number]) =>
  r.allDiverged ? `diverged at every rate of the grid` : r.diverged === r.losses.length ? "diverged (5 of 5)" : `${formatMeanSd(r.losses.filter(Number.isFinite))}${r.diverged > 0 ? ` (${r.diverged} of 5 diverged)` : ""}`;
show(table(zeroInitResults.map((r) => ({
  "last layer of each block": r.zeroLast ? "zero" : "He", "tuned lr": r.allDiverged ? "—" : r.lr, "at grid edge?": r.allDiverged ? "—" : r.atEdge ? "yes" : "no", "train loss after 2 epochs": lossText(r),
})), { caption: "rates 1e-6 to 0.03; mean ± sd over 5 fresh seeds" }));
quote({
  varGrowth: (streamRows[0]["block 20"] / streamRows[0]["block 10"]) ** (2 / 10),
  heStream20: streamRows[0]["block 20"], zeroStream20: streamRows[1]["block 20"], zeroLr: zeroInitResults[1].lr,
  heOutcome: zeroInitResults[0].allDiverged ? "diverges at every rate of the grid, down to 10⁻⁶" : `trains best at ${zeroInitResults[0].lr} and reaches a training loss of ${lossText(zeroInitResults[0])}`,
  zeroLoss: lossText(zeroInitResults[1]),
  w1Step1: gradNorms[0][0], w2Step1: gradNorms[0][1].toPrecision(2), w1Step2: gradNorms[1][0].toPrecision(2),
}, 3);

// %% [markdown] fragment
// At initialization the He-initialized blocks have blown the stream up to a standard deviation of {{heStream20}} after
// 20 blocks; with the last layers at zero it stays at {{zeroStream20}}, the input layer's own output. In training
// (SGD with momentum 0.9, 2 epochs, each variant's rate tuned over 3 seeds), the He-initialized stack {{heOutcome}};
// the zero-initialized one trains best at {{zeroLr}} and reaches a training loss of {{zeroLoss}}. The zeroed layers do not stay
// zero (the table of block 1's gradients): their gradient is the upstream gradient times the block's hidden activations, which are not zero, so
// they move at the first step (‖∇W₂‖ = {{w2Step1}}); the block's first layer gets no gradient at that step
// (‖∇W₁‖ = {{w1Step1}}: it flows back through $W_2 = 0$) and follows one step later (‖∇W₁‖ = {{w1Step2}}).

// %% [markdown] slide
// ## 3. Exploding gradients
//
// Vanishing is one failure of the Jacobian product; **exploding** is the other. It is typical of recurrent networks,
// where the *same* matrix is applied at every time step. Unrolled over $T$ steps, a linear recurrent network
//
// $$h_t = W h_{t-1} + U x_t, \qquad \hat y = V h_T \qquad \text{(biases omitted)}$$
//
// is a $T$-layer network whose layers all share $W$, and $\partial h_T / \partial h_1 = W^{T-1}$: if $W$ has an eigenvalue
// even slightly above 1 in size, the signal and its gradient grow like that eigenvalue to the power $T$.
//
// Our test: sequences of $T = 16$ numbers $x_t \sim \mathcal N(0,1)$, target $y = \frac{1}{\sqrt T}\sum_t x_t$. The
// recurrent matrix starts **orthogonal** (all eigenvalues of size exactly 1, the perfect memory for this task),
// and we train with SGD, learning rate 0.01, momentum 0.9.

// %%
const T = 16;
const hidden = 16;

/** h_t = W h_{t−1} + U x_t, unrolled over the columns of x ([N, T]); returns V h_T ([N, 1]). */
class LinearRNN extends nn.Module {
  inputLayer = new nn.Linear(1, hidden);
  recurrent = new nn.Linear(hidden, hidden, { bias: false });
  readout = new nn.Linear(hidden, 1);

  forward(x: Tensor): Tensor {
    let h = this.inputLayer.call(x.slice(1, 0, 1));
    for (let t = 1; t < x.shape[1]; t++) h = this.recurrent.call(h).add(this.inputLayer.call(x.slice(1, t, t + 1)));
    return this.readout.call(h);
  }
}
function freshRNN(): LinearRNN {
  manualSeed(3);
  const model = new LinearRNN();
  init.orthogonal_(model.recurrent.weight);
  return model;
}
const sequences = randn([128, T], { generator: new Generator(1) });
const sums = sequences.sum(1, { keepdims: true }).div(Math.sqrt(T));
console.log(`sequences ${sequences.shape}, targets ${sums.shape}; parameters: ${freshRNN().numParameters()}`);

// %% [markdown] slide
// ## 4. Gradient clipping
//
// Clipping rewrites the gradient between `backward()` and `step()`. With all gradients stacked in one vector $g$:
//
// - **by global norm** (`clipGradNorm_(params, maxNorm)`): $\;g \leftarrow g \cdot \min\!\Big(1, \dfrac{\text{maxNorm}}{\lVert g\rVert_2 + 10^{-6}}\Big)$.
//   Only the length changes; the direction is kept.
// - **by value** (`clipGradValue_(params, clipValue)`): $\;g_i \leftarrow \min(\text{clipValue}, \max(-\text{clipValue}, g_i))$
//   for every entry. Cheap, but the large entries are cut and the small ones are not, so the direction changes.
//
// `clipGradNorm_` returns $\lVert g\rVert$ **before** clipping (as `torch.nn.utils.clip_grad_norm_` does): log it, its spikes are
// the alarm bell of exploding gradients. Both live in `kernel-lib/src/regularization/clip.ts`.
//
// Below: the same network trained three times for 120 steps: without clipping, clipping every entry to $[-0.1, 0.1]$, and
// clipping the global norm to 5 (a threshold above the norms seen late in training, so that it only cuts the spikes).
// At every step we also record the cosine between the clipped and the raw gradient.

// %% tags=slide-hide-code
type ClipMode = "no clipping" | "by value (0.1)" | "by norm (5)";
type StepLog = { step: number; loss: number; gradNorm: number; cosine: number; clipped: boolean; run: ClipMode };

const gradientVector = (model: nn.Module) => model.parameters().flatMap((p) => Array.from(p.grad!.data));
const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0) / (norm(a) * norm(b));

function trainRNN(run: ClipMode, steps = 120): StepLog[] {
  const model = freshRNN();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const log: StepLog[] = [];
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    const loss = F.mseLoss(model.call(sequences), sums);
    if (!Number.isFinite(loss.item())) {
      log.push({ step, loss: loss.item(), gradNorm: NaN, cosine: NaN, clipped: false, run });
      break;
    }
    loss.backward();
    const raw = gradientVector(model);
    let gradNorm = norm(raw);
    if (run === "by norm (5)") gradNorm = clipGradNorm_(model.parameters(), 5); // returns the norm before clipping
    if (run === "by value (0.1)") clipGradValue_(model.parameters(), 0.1);
    const after = gradientVector(model);
    log.push({ step, loss: loss.item(), gradNorm, cosine: cosine(raw, after), clipped: after.some((v, i) => v !== raw[i]), run });
    optimizer.step();
  }
  return log;
}
const runs = (["no clipping", "by value (0.1)", "by norm (5)"] as const).map((run) => trainRNN(run));
show(table(runs.map((log) => {
  const finite = log.filter((r) => Number.isFinite(r.loss));
  const last = log[log.length - 1];
  return {
    run: last.run,
    "loss at steps 0–3": log.slice(0, 4).map((r) => r.loss.toPrecision(3)).join(", "),
    "loss at the end": last.loss.toPrecision(3),
    "largest ‖g‖": Math.max(...finite.map((r) => r.gradNorm)),
    "‖g‖ at the end": finite[finite.length - 1].gradNorm,
    "steps clipped": last.run === "no clipping" ? null : `${finite.filter((r) => r.clipped).length} of ${finite.length}`,
    "mean cos(clipped, raw)": last.run === "no clipping" ? null : finite.reduce((s, r) => s + r.cosine, 0) / finite.length,
  };
}), { digits: 3 }));

// %% fragment
const allSteps = runs.flat();
show(charts.line(allSteps, { x: "step", y: "loss", color: "run", logY: true, title: "Linear RNN, T = 16: training loss per step" }));
show(charts.line(allSteps, { x: "step", y: "gradNorm", color: "run", logY: true, title: "Gradient norm before clipping", yTitle: "‖g‖ (before clipping)" }));
const unclipped = runs[0];
const overflowStep = unclipped.findIndex((r) => !Number.isFinite(r.loss));
const [byValue, byNorm] = [runs[1], runs[2]];
const finiteOf = (log: StepLog[]) => log.filter((r) => Number.isFinite(r.loss));
const meanCosine = finiteOf(byValue).reduce((sum, r) => sum + r.cosine, 0) / finiteOf(byValue).length;
const normAtEnd = finiteOf(byNorm)[finiteOf(byNorm).length - 1].gradNorm;
quote({
  g0: unclipped[0].gradNorm, g1: unclipped[1].gradNorm, g2: unclipped[2].gradNorm, overflowStep: String(overflowStep),
  normAtEnd, normSpread: unclipped[0].gradNorm / normAtEnd, valueCosine: meanCosine,
  lossRatio: byValue[byValue.length - 1].loss / byNorm[byNorm.length - 1].loss,
}, 2);

// %% [markdown] -
// - **Without clipping** the first gradient has norm {{g0}}. The first step even lowers the loss, but it has pushed an
//   eigenvalue of $W$ above 1: the next gradients have norms {{g1}} and then {{g2}}, as the 16 multiplications by $W$
//   amplify every step, and at step {{overflowStep}} the loss overflows to `Infinity` (`fit` below reports such a run as
//   diverged, with a `NaN` loss). Training is dead, and nothing crashed.
// - **Clipping by norm** caps the first steps; once the network reaches the well-behaved region its gradient norm falls
//   below the threshold (to {{normAtEnd}} at the end, {{normSpread}} times smaller than at the start) and clipping stops
//   acting. That spread is the real argument for clipping: no single learning rate suits both a gradient of norm {{g0}}
//   and one of norm {{normAtEnd}}.
// - **Clipping by value** also prevents the explosion, but it acts at every step (some entry is always above 0.1) and keeps
//   turning the direction (mean cosine {{valueCosine}}); with the same learning rate it ends with a loss {{lossRatio}} times
//   higher.

// %% [markdown] subslide
// ### What clipping does to the direction
//
// Take a gradient with one large and one small entry, $g = (10, 0.5)$. Clipping by value at 1 gives $(1, 0.5)$: the small
// entry now has half the weight of the large one instead of a twentieth, and the update points about 24° away from the
// gradient. Clipping by norm at 1 gives $(0.9988, 0.0499)$: shorter, same direction.

// %%
const w = tensor([0, 0], { dtype: "float64", requiresGrad: true });
const rawGrad = [10, 0.5];
const clipped: Record<string, unknown>[] = [];
for (const how of ["by value, clipValue = 1", "by norm, maxNorm = 1"]) {
  w.grad = tensor(rawGrad, { dtype: "float64" });
  let before = norm(rawGrad);
  if (how.startsWith("by value")) clipGradValue_([w], 1);
  else before = clipGradNorm_([w], 1); // the norm before clipping
  const after = w.grad.toFlatArray();
  clipped.push({ clipping: how, "‖g‖ before": before, "g after": `(${after.map((v) => v.toFixed(4)).join(", ")})`, "‖g‖ after": norm(after), "cos(after, raw)": cosine(after, rawGrad), "angle (°)": (Math.acos(Math.min(1, cosine(after, rawGrad))) * 180) / Math.PI });
}
show(table(clipped, { digits: 4 }));

// %% [markdown] subslide
// ### When to use which
//
// - **Recurrent networks** (and transformers): clip by **global norm**, usually with a threshold around 1 (values from
//   0.25 to 5 are common). This is where exploding gradients are the rule rather than the exception.
// - **Feed-forward networks**: batch normalization (lesson 4), a sound initialization and a reasonable learning rate are
//   usually enough; clipping is a cheap safety net, not a necessity.
// - **By value** is simpler but distorts the direction; use it when a few coordinates are known to spike.
// - Whatever you do, **log the norm before clipping**: a run whose norm is clipped at every step is telling you that the
//   learning rate (or the threshold) is off.
//
// | | clip by global norm | clip by value |
// |---|---|---|
// | PyTorch | `torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)` | `torch.nn.utils.clip_grad_value_(model.parameters(), 0.5)` |
// | Keras | `SGD(global_clipnorm=1.0)` (`clipnorm=` clips each weight separately) | `SGD(clipvalue=0.5)` |
// | kernel-lib | `clipGradNorm_(model.parameters(), 1.0)`, or `fit(..., { clipGradNorm: 1.0 })` | `clipGradValue_(model.parameters(), 0.5)` |

// %% fragment
for (const clipGradNorm of [undefined, 5]) {
  const model = freshRNN();
  const history = fit(model, { x: sequences, y: sums }, {
    optimizer: new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 }),
    loss: F.mseLoss, epochs: 15, batchSize: 32, seed: 0, clipGradNorm, progress: "auto",
  });
  console.log(`fit with clipGradNorm ${clipGradNorm ?? "off"}: ${history.epochs.length} epoch(s), diverged = ${history.diverged}, last loss ${history.last.loss.toPrecision(3)}`);
}

// %% [markdown] slide
// ## Summary
//
// - Backpropagation multiplies one Jacobian per layer; singular values below 1 make the gradient vanish, above 1 make it explode.
// - A residual block $x_{\ell+1} = x_\ell + F(x_\ell; W)$ has Jacobian $I + \partial F$: the identity path carries the gradient
//   down even through flat layers. Measured: a factor {{plainGradRatio}} from output to input in a plain 20-layer MLP, none with skips;
//   the plain net stays at chance, the residual one trains. Skips also make the loss landscape smoother (Li et al.).
// - Exploding gradients are typical of recurrent networks ($W^{T}$). Clipping by global norm caps the step length and keeps
//   its direction (cosine 1); clipping by value caps each entry and turns the direction (cosine < 1).
// - Clip between `backward()` and `step()`, and log the norm `clipGradNorm_` returns.

// %% [markdown] slide
// ## Exercises
//
// Open `exercises/05-residuals-and-clipping.ts` and replace each `notImplemented(...)` with your code:
//
// 1. `clipGradNorm(grads, maxNorm)`: clip a list of gradient arrays in place by their global norm; return the norm before clipping.
// 2. `clipGradValue(grads, clipValue)`: clamp every entry in place; return how many entries were changed.
// 3. `cosineSimilarity(a, b)`: the cosine between two lists of arrays, seen as one long vector each.
// 4. `residualForward(x, W, b)`: the pre-activation residual block $y = x + W\,\mathrm{relu}(x) + b$ on plain arrays.
// 5. `residualBackward(x, W, b, dy)`: its gradients $\partial x$, $\partial W$, $\partial b$ (checked against autograd and finite differences).
// 6. `backpropNorms(jacobians, g, residual)`: carry a gradient down through a list of Jacobians, with or without skips, and record its norm.
//
// Grade your work from a terminal at the root of the repository:
//
// ```
// npm run check -- 05
// ```

// %% fragment
// In a TypeScript file you would write `import * as ex from "../exercises/05-residuals-and-clipping";`.
// The notebook kernel only compiles files inside notebooks/, so we load the exercise file through tsx.
const { require: requireTs } = require("tsx/cjs/api") as { require: (id: string, fromFile: string) => unknown };
const ex = requireTs("../exercises/05-residuals-and-clipping", `${process.cwd()}/lesson.js`) as {
  clipGradNorm(grads: number[][], maxNorm: number): number;
};
try {
  const grads = [[3, 4], [12]];
  const before = ex.clipGradNorm(grads, 1);
  console.log(`clipGradNorm: norm before = ${before}, clipped gradients = ${JSON.stringify(grads)}`);
} catch (e) {
  console.log((e as Error).message);
}

// %% [markdown] skip
// ### Check your exercises in the notebook
//
// Save `exercises/05-residuals-and-clipping.ts` and run the next cell: it grades the file with the same tests and points as
// `npm run check -- 05` (it runs that command), and shows each test with expected vs got and a hint. Run it
// again after every change. (`check` comes from `notebooks/check.ts`, next to the lessons.)

// %% skip
import { check } from "./check";
await check("05");
