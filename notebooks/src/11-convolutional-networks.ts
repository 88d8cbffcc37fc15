// %% [markdown] slide
// # Lesson 11 — Convolutional and residual networks
//
// Every network so far was a multilayer perceptron: it sees an image as 784 unrelated numbers. A convolutional
// network knows two things about images before it sees any: nearby pixels belong together, and a stroke means
// the same wherever it sits. This lesson builds such networks from the layers the earlier lessons taught, and
// tests on the digits what each idea buys.
//
// **What you will learn**
//
// 1. convolution as a linear layer with local, **shared** weights, and what that saves in parameters;
// 2. the arithmetic of output sizes and receptive fields (stride, padding, dilation);
// 3. batch norm on feature maps, and its relatives LayerNorm, InstanceNorm and GroupNorm as choices of axes;
// 4. residual networks against the same depth without skips: gradients at the start, losses during training;
// 5. shifted images as augmentation, for a conv net and for an MLP;
// 6. transfer learning from a pretrained convolutional body: frozen, fine-tuned, or from scratch.

// %% skip
import {
  Generator, manualSeed, nn, F, optim, data, models, evaluate, noGrad, tensor, zeros, ones, charts, show, table,
  meanSd, formatMeanSd, withinNoise, quote, type Tensor,
} from "kernel-lib";

manualSeed(11);

/** The digits as images [N, 1, 28, 28]: 500 to train on, 200 to tune on, 500 to test on. */
const digits = data.loadDigits({ train: 700, test: 500, seed: 111, flatten: false });
const train = { x: digits.xTrain.slice(0, 0, 500), y: digits.yTrain.slice(0, 0, 500) };
const val = { x: digits.xTrain.slice(0, 500, 700), y: digits.yTrain.slice(0, 500, 700) };
const test = { x: digits.xTest, y: digits.yTest };
type Split = { x: Tensor; y: Tensor };

/** Options of one training run: Adam at `lr`, shuffled mini-batches drawn with `seed`, optionally shifted images. */
interface RunOptions { lr: number; epochs: number; batchSize: number; seed: number; shift?: number }
/**
 * Trains `model` on `split` with Adam and returns the loss of every step. With `shift`, each batch is moved by
 * a fresh random whole-pixel shift of up to `shift` pixels per image (data.augment.randomShift).
 */
function trainSteps(model: nn.Module, split: Split, o: RunOptions, optimizer?: optim.Optimizer): number[] {
  const opt = optimizer ?? new optim.Adam(model.parameters(), { lr: o.lr });
  const g = new Generator(o.seed);
  const losses: number[] = [];
  const n = split.x.shape[0];
  model.train();
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = Array.from(g.permutation(n));
    for (let i = 0; i < n; i += o.batchSize) {
      const idx = order.slice(i, i + o.batchSize);
      const xb = split.x.indexSelect(0, idx);
      const input = o.shift ? data.augment.randomShift(xb, { maxShift: o.shift, generator: g }) : xb;
      opt.zeroGrad();
      const loss = F.crossEntropy(model.call(input), split.y.indexSelect(0, idx));
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
  }
  return losses;
}
/** The first `end` layers of a Sequential applied to x (a feature map from inside the network). */
function upTo(net: nn.Sequential, end: number, x: Tensor): Tensor {
  let h = x;
  for (let i = 0; i < end; i++) h = net.at(i).call(h);
  return h;
}
const accuracyOn = (model: nn.Module, split: Split) => evaluate(model, split, { metrics: ["accuracy"] }).accuracy;
/**
 * The index of the largest value (the first, on ties), and whether the largest value is reached only at an end of the
 * grid (then the grid should be widened: the best setting may lie beyond it).
 */
function bestOf(scores: number[]): { k: number; atEdge: boolean } {
  const best = Math.max(...scores);
  const k = scores.indexOf(best);
  return { k, atEdge: !scores.slice(1, -1).includes(best) };
}

// %% [markdown] slide
// ## 1. Convolution: a linear layer with local, shared weights
//
// A 2-D convolution slides a small kernel over the image. Output channel $o$ at position $(i, j)$ is
//
// $$y_{o,i,j} = b_o + \sum_{c}\sum_{u=0}^{k-1}\sum_{v=0}^{k-1} w_{o,c,u,v}\; x_{c,\; s i + d u - p,\; s j + d v - p}$$
//
// with stride $s$, padding $p$ (zeros outside the image) and dilation $d$ (every framework computes this
// cross-correlation and calls it convolution). It is still a linear map from input pixels to output values, like
// `nn.Linear`, with two restrictions that encode what we know about images (LeCun et al., 1998, *Gradient-based
// learning applied to document recognition*, which trained LeNet-5 on these digits):
//
// - **local**: each output depends on a $k \times k$ patch, not on all 784 pixels;
// - **shared**: the same $k \times k$ weights are used at every position.
//
// The code: `F.conv2d` (`kernel-lib/src/functional/conv.ts`) and the layer `nn.Conv2d` (`kernel-lib/src/nn/conv.ts`),
// with PyTorch's arguments.

// %% [markdown] subslide
// ### The convolution as a matrix
//
// Feed a 3×3 convolution every one-pixel image of a 6×6 grid, one at a time, and collect the outputs: the columns
// of the matrix that the convolution multiplies by. Each row is one output pixel; the nonzero entries in a row are
// the nine kernel weights, and the same nine numbers reappear in every row, shifted.

// %% tags=slide-hide-code
const side = 6;
const kernel3 = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]); // weights 1..9 so each can be recognized
const unitImages = zeros([side * side, 1, side, side]);
for (let k = 0; k < side * side; k++) unitImages.data[k * side * side + k] = 1;
const columns = F.conv2d(unitImages, kernel3, null, { padding: 1 }); // [36, 1, 6, 6]: output for each unit input
const asMatrix = Array.from({ length: side * side }, (_, row) => Array.from({ length: side * side }, (_, col) => columns.data[col * side * side + row]));
show(charts.heatmap(asMatrix, { title: "A 3×3 convolution on a 6×6 image as a 36×36 matrix", xTitle: "input pixel", yTitle: "output pixel", showValues: false }));
const nonzeroPerRow = asMatrix.map((r) => r.filter((v) => v !== 0).length);
quote({ denseEntries: (side * side) ** 2, maxNonzero: Math.max(...nonzeroPerRow), distinctWeights: new Set(asMatrix.flat().filter((v) => v !== 0)).size });

// %% [markdown] fragment
// The matrix has {{denseEntries}} entries, at most {{maxNonzero}} nonzero per row, and only {{distinctWeights}} different
// values in all: a dense layer would learn every entry separately. Rows near the border have fewer nonzeros
// because the padding zeros stand in for pixels outside the image.

// %% [markdown] subslide
// ### Parameters: convolution against the MLP
//
// Count what each layer learns (computed from the layers themselves with `numParameters()`):

// %%
const paramRows = [
  { layer: "nn.Linear(784, 128) (lessons 1–10's first layer)", module: new nn.Linear(784, 128) },
  { layer: "nn.Linear(784, 8·784): 8 full-size maps, dense", module: new nn.Linear(784, 8 * 784) },
  { layer: "nn.Conv2d(1, 8, 3, padding 1): the same 8 maps", module: new nn.Conv2d(1, 8, 3, { padding: 1 }) },
  { layer: "nn.Conv2d(8, 16, 3, padding 1)", module: new nn.Conv2d(8, 16, 3, { padding: 1 }) },
].map((r) => ({ layer: r.layer, parameters: r.module.numParameters() }));
show(table(paramRows));

/** The small conv net of sections 3 and 5: two conv–ReLU–pool stages and a linear classifier on 16 maps of 7×7. */
function smallConvNet(norm: (channels: number) => nn.Module = () => new nn.Identity()): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }), norm(8), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1 }), norm(16), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(16 * 7 * 7, 10),
  );
}
const mlp = () => new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
const convParams = smallConvNet().numParameters();
const mlpParams = mlp().numParameters();
console.log(`small conv net: ${convParams} parameters; MLP 784 → 128 → 10: ${mlpParams}`);
quote({ denseMaps: paramRows[1].parameters, convMaps: paramRows[2].parameters, convParams, mlpParams, mlpOverConv: (mlpParams / convParams).toFixed(1) });

// %% [markdown] fragment
// Eight full-size feature maps cost {{denseMaps}} parameters as a dense layer and {{convMaps}} as a convolution. The
// small conv net used below ({{convParams}} parameters, most of them in its final linear layer) is {{mlpOverConv}}×
// smaller than a one-hidden-layer MLP ({{mlpParams}}).

// %% [markdown] subslide
// ### Shared weights make it translation-equivariant
//
// Because every position uses the same kernel, shifting the input shifts the output: $\text{conv}(\text{shift}(x)) =
// \text{shift}(\text{conv}(x))$, up to what falls off the border. Below, a vertical-edge kernel on a digit and on the same
// digit moved 3 pixels right; then the same test for a random dense layer 784 → 784.

// %% tags=slide-side-by-side,slide-hide-code
const edge = tensor([[[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]]]); // Sobel: responds to left-to-right brightness changes
const one = test.x.slice(0, 0, 1);
const moved = data.augment.translate(one, 3, 0);
const edgeOf = (x: Tensor) => F.conv2d(x, edge, null, { padding: 1 });
/** A [1, 1, 28, 28] tensor as rows for a heatmap. */
const rowsOf = (x: Tensor) => Array.from({ length: 28 }, (_, r) => Array.from(x.data.slice(r * 28, r * 28 + 28)));
show(charts.heatmap(rowsOf(edgeOf(one)), { title: "edges of the digit", scheme: "redblue", showValues: false }));
show(charts.heatmap(rowsOf(edgeOf(moved)), { title: "edges of the digit moved 3 px right", scheme: "redblue", showValues: false }));

// %%
const maxDiff = (a: Tensor, b: Tensor) => Math.max(...Array.from(a.data, (v, i) => Math.abs(v - b.data[i])));
const convGap = maxDiff(edgeOf(moved), data.augment.translate(edgeOf(one), 3, 0));
const dense = new nn.Linear(784, 784, { bias: false });
const denseOf = (x: Tensor) => dense.call(x.reshape([1, 784])).reshape([1, 1, 28, 28]);
const denseGap = noGrad(() => maxDiff(denseOf(moved), data.augment.translate(denseOf(one), 3, 0)));
const denseScale = noGrad(() => Math.max(...Array.from(denseOf(one).data, Math.abs)));
console.log(`conv: max |conv(shift x) − shift(conv x)| = ${convGap}`);
console.log(`dense: max |dense(shift x) − shift(dense x)| = ${denseGap.toFixed(3)} (its outputs reach ${denseScale.toFixed(3)})`);
quote({ convGap, denseGap: denseGap.toFixed(2), denseScale: denseScale.toFixed(2) });

// %% [markdown] fragment
// For the convolution the difference is {{convGap}}: the digit's blank margin means nothing is lost at the border. For the
// dense layer it is {{denseGap}}, as large as its outputs ({{denseScale}}): a dense layer that learned a stroke at one place
// knows nothing about the same stroke three pixels away. Pooling then makes the features *invariant* to small shifts
// as well: a 2×2 max pool gives the same output when the maximum moves within its window.

// %% [markdown] slide
// ## 2. Output sizes and receptive fields
//
// Along each axis, a convolution or pooling window of size $k$ with stride $s$, padding $p$ and dilation $d$ spans
// $d(k-1)+1$ pixels, and fits this many times into an input of size $n$:
//
// $$n_\text{out} = \left\lfloor \frac{n + 2p - d(k-1) - 1}{s} \right\rfloor + 1 .$$
//
// `padding: "same"` (stride 1 only) picks $p$ so that $n_\text{out} = n$: $2p = d(k-1)$. The table computes the
// formula and checks it against the shape `nn.Conv2d` actually returns on a 28×28 input.

// %%
/** The output size from the formula above. */
const outSize = (n: number, k: number, s = 1, p = 0, d = 1) => Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
const geometry = [
  { k: 3, s: 1, p: 0, d: 1 }, { k: 3, s: 1, p: 1, d: 1 }, { k: 5, s: 1, p: 2, d: 1 }, { k: 3, s: 2, p: 1, d: 1 },
  { k: 4, s: 2, p: 0, d: 1 }, { k: 3, s: 1, p: 2, d: 2 }, { k: 3, s: 3, p: 0, d: 2 }, { k: 7, s: 2, p: 3, d: 1 },
];
const geometryRows = geometry.map(({ k, s, p, d }) => {
  const layer = new nn.Conv2d(1, 1, k, { stride: s, padding: p, dilation: d });
  const actual = noGrad(() => layer.call(zeros([1, 1, 28, 28])).shape[2]);
  return { kernel: k, stride: s, padding: p, dilation: d, span: d * (k - 1) + 1, formula: outSize(28, k, s, p, d), "nn.Conv2d": actual, agree: outSize(28, k, s, p, d) === actual };
});
const same = noGrad(() => new nn.Conv2d(1, 1, 5, { padding: "same", dilation: 2 }).call(zeros([1, 1, 28, 28])).shape[2]);
show(table(geometryRows, { caption: "28×28 input" }));
console.log(`padding "same", kernel 5, dilation 2: output ${same} (p = d(k−1)/2 = ${(2 * 4) / 2})`);
quote({ geometryAgree: `${geometryRows.filter((r) => r.agree).length} of ${geometryRows.length}` });

// %% [markdown] fragment
// The formula and the layer agree on {{geometryAgree}} rows. Stride 2 halves the size (14), a dilated 3×3 kernel spans 5 pixels
// with 9 weights, and a window that does not fit at the end is dropped (the floor).

// %% [markdown] subslide
// ### Receptive field: how much of the image one unit sees
//
// Stacking layers widens what each output depends on. Write $j_\ell$ for the distance in input pixels between two
// neighbouring units of layer $\ell$ (the *jump*) and $r_\ell$ for a unit's receptive field; starting from $j_0 = r_0 = 1$,
//
// $$r_\ell = r_{\ell-1} + d_\ell (k_\ell - 1)\, j_{\ell-1}, \qquad j_\ell = s_\ell\, j_{\ell-1}.$$
//
// Strides multiply the jump, so every layer after a stride-2 step adds twice as much. The tables follow the small conv
// net of this lesson and the residual network of section 4.

// %%
type Stage = { name: string; k: number; s: number; d?: number };
function receptiveFields(stages: Stage[]): { layer: string; kernel: number; stride: number; jump: number; "receptive field": number }[] {
  let jump = 1, field = 1;
  return stages.map((st) => {
    field += (st.d ?? 1) * (st.k - 1) * jump;
    jump *= st.s;
    return { layer: st.name, kernel: st.k, stride: st.s, jump, "receptive field": field };
  });
}
const smallStages: Stage[] = [{ name: "conv 3×3", k: 3, s: 1 }, { name: "max pool 2", k: 2, s: 2 }, { name: "conv 3×3", k: 3, s: 1 }, { name: "max pool 2", k: 2, s: 2 }];
const smallRf = receptiveFields(smallStages);
show(table(smallRf, { caption: "small conv net" }));
const resnetStages: Stage[] = [
  { name: "stem conv 3×3, stride 2", k: 3, s: 2 }, { name: "max pool 2", k: 2, s: 2 },
  ...Array.from({ length: 6 }, (_, b) => ({ name: `block ${b + 1} (two 3×3 convs)`, k: 5, s: 1 })), // two 3×3 convs widen like one 5×5
];
const resnetRf = receptiveFields(resnetStages);
show(table(resnetRf, { caption: "the residual network of section 4" }));

// %% [markdown] fragment
// A check on a real network: make every weight 1, use average pooling (so no unit is switched off), and ask which
// input pixels the gradient of one output unit reaches. Its width must be the receptive field of the table.

// %%
const probeNet = new nn.Sequential(new nn.Conv2d(1, 1, 3, { padding: 1, bias: false }), new nn.AvgPool2d(2), new nn.Conv2d(1, 1, 3, { padding: 1, bias: false }), new nn.AvgPool2d(2));
noGrad(() => { for (const p of probeNet.parameters()) p.data.fill(1); });
const probeInput = ones([1, 1, 28, 28], { requiresGrad: true });
probeNet.call(probeInput).select(3, 3).select(2, 3).sum().backward(); // the unit at row 3, column 3 of the 7×7 output
const reached = Array.from({ length: 28 }, (_, c) => probeInput.grad!.data.slice(c * 28, c * 28 + 28).some((v) => v !== 0)).filter(Boolean).length;
console.log(`rows of the input the unit depends on: ${reached}; the table says ${smallRf[smallRf.length - 1]["receptive field"]}`);
quote({ rfMeasured: reached, rfSmall: smallRf[smallRf.length - 1]["receptive field"], rfResnet: resnetRf[resnetRf.length - 1]["receptive field"] });

// %% [markdown] fragment
// The gradient reaches {{rfMeasured}} rows, as the table predicts ({{rfSmall}}). A unit at the end of the small net sees a
// patch of {{rfSmall}}×{{rfSmall}} pixels, part of a stroke rather than a digit; the classifier on top of it combines the 7×7 grid of such units. Each unit at the end of the
// residual network's blocks has a receptive field of {{rfResnet}} pixels, wider than the 28-pixel image, so global average
// pooling at the end loses no reach.

// %% [markdown] slide
// ## 3. Normalizing feature maps
//
// Lesson 4's batch norm normalized each feature over the batch. On a feature map $[N, C, H, W]$ a channel is one feature
// computed at $H \cdot W$ positions, so `nn.BatchNorm2d` averages each channel over the batch **and** every position
// (Ioffe & Szegedy, 2015): $C$ means and variances, each from $N \cdot H \cdot W$ values. Below: the first convolution of a
// fresh conv net on 64 real digits, its per-channel statistics by hand, and what `BatchNorm2d` makes of them
// (`kernel-lib/src/nn/normalization-2d.ts`).

// %%
const conv1 = new nn.Conv2d(1, 8, 3, { padding: 1 });
const batch64 = train.x.slice(0, 0, 64);
const maps = noGrad(() => conv1.call(batch64)); // [64, 8, 28, 28]
const bn = new nn.BatchNorm2d(8);
const normalized = noGrad(() => bn.call(maps));
const mu = maps.mean([0, 2, 3]), variance = maps.var([0, 2, 3], { unbiased: false });
const outMu = normalized.mean([0, 2, 3]), outVar = normalized.var([0, 2, 3], { unbiased: false });
show(table(Array.from({ length: 8 }, (_, c) => ({
  channel: c, "conv bias": conv1.bias!.data[c], "mean over (N,H,W)": mu.data[c], "variance": variance.data[c],
  "after BN: mean": outMu.data[c], "after BN: variance": outVar.data[c], "running mean (momentum 0.1)": bn.runningMean!.data[c],
})), { digits: 4, caption: `feature maps ${maps.shape.join(" × ")}: one statistic per channel from ${64 * 28 * 28} values` }));

// %% [markdown] fragment
// Each channel has its own mean and spread (most of an image is blank background, where a channel outputs just its
// bias, so the means sit near the biases); after batch norm every channel has mean 0 and variance 1, and the running mean moved a tenth of the way
// towards the batch's mean, as in lesson 4.

// %% [markdown] subslide
// ### BatchNorm, LayerNorm, InstanceNorm, GroupNorm: which axes?
//
// The four normalizations compute the same thing, $\hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon}$ followed by a per-channel
// scale and shift; they differ only in **which values share a $\mu$ and $\sigma$**:
//
// | layer | averages over | statistics for $[N, C, H, W]$ | depends on the batch? |
// |---|---|---|---|
// | `BatchNorm2d` (Ioffe & Szegedy, 2015) | $N, H, W$ | $C$ | yes |
// | `LayerNorm([C, H, W])` (Ba et al., 2016) | $C, H, W$ | $N$ | no |
// | `InstanceNorm2d` (Ulyanov et al., 2016) | $H, W$ | $N \cdot C$ | no |
// | `GroupNorm(G, C)` (Wu & He, 2018) | $C/G$ channels, $H, W$ | $N \cdot G$ | no |
//
// Below, with $H \cdot W$ folded into each cell: 6 images × 6 channels, each cell a (sample, channel) pair, the number in it
// the statistic it is normalized with. GroupNorm with one group is LayerNorm; with $G = C$ it is InstanceNorm. In practice
// batch norm is the default in conv nets, LayerNorm in transformers (no batch axis worth averaging over), InstanceNorm in
// style transfer (each image's contrast is removed), GroupNorm when batches are small.

// %% tags=slide-side-by-side,slide-hide-code
const cube: [string, (n: number, c: number) => number][] = [
  ["BatchNorm: per channel", (_n, c) => c],
  ["LayerNorm: per sample", (n) => n],
  ["InstanceNorm: per (sample, channel)", (n, c) => 6 * n + c],
  ["GroupNorm, 3 groups of 2", (n, c) => 3 * n + Math.floor(c / 2)],
];
for (const [title, statistic] of cube) {
  const matrix = Array.from({ length: 6 }, (_, n) => Array.from({ length: 6 }, (_, c) => statistic(n, c)));
  show(charts.heatmap(matrix, { title, xTitle: "channel C", yTitle: "sample N", scheme: "tableau20", valueFormat: "d", xLabels: ["0", "1", "2", "3", "4", "5"] }));
}

// %% [markdown] subslide
// ### The same on real feature maps
//
// Each layer applied to the 64 × 8 × 28 × 28 maps above; then, for every group of values that should now have mean 0 and
// variance 1, the worst deviation — and, for contrast, the same check over BatchNorm's groups (per channel).

// %%
/** The largest |mean| and |variance − 1| over the groups that share a statistic: `x` reshaped to [groups..., values] by `view`. */
function worst(x: Tensor, view: number[], axes: number[]): { mean: number; variance: number } {
  const v = x.reshape(view);
  const m = Array.from(v.mean(axes).data, Math.abs), s = Array.from(v.var(axes, { unbiased: false }).data, (q) => Math.abs(q - 1));
  return { mean: Math.max(...m), variance: Math.max(...s) };
}
const [N, C, H, W] = maps.shape;
const norms: [string, nn.Module, number[], number[]][] = [
  ["BatchNorm2d(8)", new nn.BatchNorm2d(8), [N, C, H * W], [0, 2]],
  ["LayerNorm([8, 28, 28])", new nn.LayerNorm([C, H, W]), [N, C * H * W], [1]],
  ["InstanceNorm2d(8)", new nn.InstanceNorm2d(8), [N, C, H * W], [2]],
  ["GroupNorm(4, 8)", new nn.GroupNorm(4, 8), [N, 4, (C / 4) * H * W], [2]],
];
const cubeRows = noGrad(() => norms.map(([name, layer, view, axes]) => {
  const y = layer.call(maps);
  const own = worst(y, view, axes);
  const perChannel = worst(y, [N, C, H * W], [0, 2]);
  return { layer: name, statistics: view.slice(0, view.length - 1).reduce((a, b, i) => (axes.includes(i) ? a : a * b), 1), "own groups: max |mean|": own.mean, "max |var − 1|": own.variance, "per channel: max |mean|": perChannel.mean };
}));
show(table(cubeRows, { digits: 4 }));

// %% [markdown] fragment
// Each layer leaves exactly its own groups at mean 0 and variance 1 (up to rounding); only batch norm does so per channel
// across the batch. The others never look at other images, which is why they behave the same at batch size 1, in
// training and in evaluation, and need no running statistics.

// %% [markdown] subslide
// ### Small batches
//
// Batch norm's statistics are estimates from the batch, and a small batch makes them noisy. How noisy, on real maps:
// the output of a fresh small conv net's second convolution (16 channels of 14×14, where a normalization layer would sit),
// for 500 digits, with the batch mean of channel 0 recomputed on 300 random batches of each size. The error is given in
// units of the channel's standard deviation, the scale batch norm divides by.

// %%
const probeBody = smallConvNet();
const deepMaps = noGrad(() => upTo(probeBody, 5, train.x)); // [500, 16, 14, 14]: the second convolution's output
const positions = 14 * 14;
const channel0 = (i: number) => Array.from(deepMaps.data.subarray(i * 16 * positions, i * 16 * positions + positions)); // image i, channel 0
const perImage = Array.from({ length: 500 }, (_, i) => channel0(i).reduce((a, v) => a + v, 0) / positions);
const channelSd = meanSd(Array.from({ length: 500 }, (_, i) => channel0(i)).flat()).sd;
const gNoise = new Generator(3);
const noiseRows = [1, 2, 4, 8, 32, 128].map((b) => {
  const means = Array.from({ length: 300 }, () => meanSd(Array.from({ length: b }, () => perImage[gNoise.randint(0, 500)])).mean);
  return { "batch size": b, "values per statistic": b * positions, "sd of the batch mean (in channel sd)": meanSd(means).sd / channelSd, "if the values were independent": 1 / Math.sqrt(b * positions) };
});
show(table(noiseRows, { digits: 3, caption: "channel 0 of the second convolution" }));
quote({ noiseAt2: (100 * noiseRows[1]["sd of the batch mean (in channel sd)"]).toFixed(0), noiseAt32: (100 * noiseRows[4]["sd of the batch mean (in channel sd)"]).toFixed(0), independentAt2: (100 * noiseRows[1]["if the values were independent"]).toFixed(1), valuesAt2: noiseRows[1]["values per statistic"],
  correlationVerdict: noiseRows[1]["sd of the batch mean (in channel sd)"] > 1.2 * noiseRows[1]["if the values were independent"]
    ? "Averaging over the positions helps less than their count suggests: the positions of one image are correlated, so the effective sample is closer to the number of images than to the number of values."
    : "Averaging over the positions helps as much as their count suggests, or more: on these maps two images already give a steady estimate of each channel's mean.",
});

// %% [markdown] fragment
// At batch size 2 the mean batch norm subtracts moves by about {{noiseAt2}} % of the channel's standard deviation from one
// batch to the next, against {{noiseAt32}} % at 32; {{independentAt2}} % is what {{valuesAt2}} independent values would give.
// {{correlationVerdict}} Wu and He (2018) measured on ImageNet that batch norm's error grows quickly below 8 images per batch
// while GroupNorm's stays flat. Does that show on the digits? The small conv net with `BatchNorm2d` or `GroupNorm(4, ·)` after each
// convolution, trained with **2 images per batch** for one epoch of the first 200 training digits (100 steps) (Adam at $3\cdot10^{-3}$ for both,
// not tuned), 3 seeds, measured on the 500 test digits in evaluation mode.

// %%
const train200 = { x: train.x.slice(0, 0, 200), y: train.y.slice(0, 0, 200) };
const normArms: [string, (c: number) => nn.Module][] = [
  ["BatchNorm2d", (c) => new nn.BatchNorm2d(c)],
  ["GroupNorm(4)", (c) => new nn.GroupNorm(4, c)],
];
const smallBatch = normArms.map(([name, norm]) => ({
  name,
  test: [0, 1, 2].map((seed) => {
    manualSeed(seed);
    const model = smallConvNet(norm);
    trainSteps(model, train200, { lr: 3e-3, epochs: 1, batchSize: 2, seed });
    return accuracyOn(model, test);
  }),
}));
show(table(smallBatch.map((r) => ({ normalization: r.name, "test accuracy (3 seeds)": formatMeanSd(r.test), seeds: r.test.map((a) => a.toFixed(3)).join(" ") }))));
const [bnSmall, gnSmall] = smallBatch.map((r) => r.test);
quote({
  bnSmall: formatMeanSd(bnSmall), gnSmall: formatMeanSd(gnSmall),
  smallBatchVerdict: withinNoise(bnSmall, gnSmall)
    ? "within the noise of 3 seeds: on these small maps and this short run, batch norm at batch size 2 does not fail"
    : `a real difference in favour of ${meanSd(gnSmall).mean > meanSd(bnSmall).mean ? "GroupNorm" : "batch norm"}`,
});

// %% [markdown] fragment
// Batch norm {{bnSmall}}, GroupNorm {{gnSmall}}: {{smallBatchVerdict}}. The table above said as much in advance: with a few
// percent of a standard deviation of noise in its mean, batch norm at batch size 2 normalizes almost as a large batch
// would. Wu and He's gap appeared in deep ImageNet networks, whose later layers have few positions per channel. The
// lesson to take is the mechanism: GroupNorm's result cannot depend on the batch size, batch norm's can, so with batches of a
// few images (detection, segmentation, large 3-D inputs) GroupNorm is the safe choice.

// %% [markdown] slide
// ## 4. Residual networks
//
// He et al. (2016, *Deep Residual Learning for Image Recognition*) found that deeper *plain* conv nets, even with batch norm,
// reached a **higher training error** than shallower ones, and that adding identity skips fixed it. Their basic block
// (`nn.ResidualBlock`, `kernel-lib/src/nn/residual-block.ts`):
//
// ```
// x ─┬─ conv 3×3 → BN → ReLU → conv 3×3 → BN ─(+)─ ReLU → y
//    └──────────── identity (or 1×1 conv + BN when the shape changes) ─┘
// ```
//
// The experiment: a stem (3×3 conv with stride 2, BN, ReLU, 2×2 max pool: 8 maps of 7×7), then **6 blocks** (12 conv
// layers) of 8 channels, global average pooling and a linear classifier — once with the skips and once with the same
// layers without them (`{ skip: false }`). First, the gradient norm of each block's weights at initialization.

// %%
/** Stem, `blocks` basic blocks of 8 channels (with or without skips), global average pooling and a classifier. */
function resnet(skip: boolean, blocks = 6): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { stride: 2, padding: 1, bias: false }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
    ...Array.from({ length: blocks }, () => new nn.ResidualBlock(8, 8, { skip })),
    new nn.AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.Linear(8, 10),
  );
}
/** ‖gradient‖ of each block's conv weights on one batch of 64, for a fresh network. */
function blockGradNorms(skip: boolean, seed: number): number[] {
  manualSeed(seed);
  const model = resnet(skip);
  F.crossEntropy(model.call(train.x.slice(0, 0, 64)), train.y.slice(0, 0, 64)).backward();
  return model.children().slice(4, 10).map((block) => Math.sqrt(block.parameters().filter((p) => p.ndim === 4)
    .reduce((s, p) => s + Array.from(p.grad!.data).reduce((a, v) => a + v * v, 0), 0)));
}
const gradRows = [true, false].flatMap((skip) => {
  const perSeed = [0, 1, 2].map((seed) => blockGradNorms(skip, seed));
  return perSeed[0].map((_, b) => ({ layer: `block ${b + 1}`, norm: meanSd(perSeed.map((s) => s[b])).mean, series: skip ? "with skips" : "without skips" }));
});

// %% subslide tags=slide-hide-code
show(charts.gradientNorms(gradRows, { title: "‖gradient‖ per block at initialization (mean of 3 seeds)" }));
const ratio = (series: string) => { const r = gradRows.filter((g) => g.series === series); return r[0].norm / r[r.length - 1].norm; };
quote({ firstOverLastSkip: ratio("with skips").toFixed(1), firstOverLastPlain: ratio("without skips").toFixed(1) });

// %% [markdown] fragment
// Block 1's gradient is {{firstOverLastSkip}}× block 6's with skips and {{firstOverLastPlain}}× without: with batch norm in every
// block, neither network starts with vanishing gradients — as He et al. checked for their plain networks. Their point was
// that the plain network is nevertheless *harder to optimize*. So train both: 500 digits, 2 epochs of batches of 32
// (32 steps), Adam at $10^{-2}$ for both (not tuned), 3 seeds.

// %% subslide
const resRuns = [true, false].map((skip) => {
  const runs = [0, 1, 2].map((seed) => {
    manualSeed(seed);
    const model = resnet(skip);
    const losses = trainSteps(model, train, { lr: 1e-2, epochs: 2, batchSize: 32, seed });
    return { losses, test: accuracyOn(model, test) };
  });
  return { name: skip ? "with skips" : "without skips", runs };
});

// %% subslide
const curveRows = resRuns.flatMap((r) => r.runs[0].losses.map((_, step) => {
  const at = meanSd(r.runs.map((run) => run.losses[step]));
  return { step: step + 1, loss: at.mean, sd: at.sd, network: r.name };
}));
show(charts.line(curveRows, { x: "step", y: "loss", color: "network", yError: "sd", title: "Training loss per step, 6 blocks (mean ± sd over 3 seeds)", yTitle: "training loss (batch)" }));
const lastLoss = (losses: number[]) => meanSd(losses.slice(-8)).mean; // the last half epoch: one batch's loss is noisy
const resTable = resRuns.map((r) => ({ network: r.name, "training loss, last 8 steps": formatMeanSd(r.runs.map((run) => lastLoss(run.losses))), "test accuracy": formatMeanSd(r.runs.map((run) => run.test)) }));
show(table(resTable));
const [skipLoss, plainLoss] = resRuns.map((r) => r.runs.map((run) => lastLoss(run.losses)));
const [skipTest, plainTest] = resRuns.map((r) => r.runs.map((run) => run.test));
quote({
  skipLoss: formatMeanSd(skipLoss), plainLoss: formatMeanSd(plainLoss),
  resLossVerdict: withinNoise(skipLoss, plainLoss) ? "within the noise of 3 seeds" : meanSd(skipLoss).mean < meanSd(plainLoss).mean ? "lower with skips, by more than the noise" : "lower without skips, by more than the noise",
  resTestVerdict: withinNoise(skipTest, plainTest) ? "within the noise" : meanSd(skipTest).mean > meanSd(plainTest).mean ? "higher with skips, beyond the noise" : "higher without skips, beyond the noise",
});

// %% [markdown] fragment
// The training loss at the end is {{skipLoss}} with skips against {{plainLoss}} without: {{resLossVerdict}}; the test accuracy
// is {{resTestVerdict}}. Same layers and parameters, and neither starts with vanishing gradients; what the skips change is
// the path optimization can take — each block only has to learn a correction to the identity, and at the start every
// block passes its input through. Li et al. (2018, *Visualizing the Loss Landscape of Neural Nets*) drew what this means for
// ResNet-56: a chaotic loss surface without the skips, a smooth bowl with them. Two epochs on 500 digits are far from convergence for either network: compare the test
// accuracies with the small conv net's in section 5.

// %% [markdown] slide
// ## 5. Augmentation: shifted digits
//
// Lesson 8 moved digits by a few pixels to make new training images. A conv net's shared weights already treat a stroke
// the same at every position; an MLP must learn each position separately. Which one gains from shifted copies? The
// small conv net and an MLP (784 → 128 → 10), both trained on the first 300 training digits for 5 epochs with batches of 25, with and
// without a random shift of up to 2 pixels per image and step (`data.augment.randomShift`). Each model's learning
// rate is tuned on a log grid by accuracy on 200 validation digits (one seed, without shifts); then each arm runs on 3
// seeds, measured on the 500 test digits as they are, and on the same test digits shifted at random by up to 2 pixels.

// %%
type Maker = () => nn.Module;
const train300 = { x: train.x.slice(0, 0, 300), y: train.y.slice(0, 0, 300) };
const lrGrids: Record<string, number[]> = { "conv net": [3e-3, 1e-2, 3e-2], MLP: [1e-3, 3e-3, 1e-2] };
const augEpochs = 5;
/** One run: a fresh model from `seed`, trained with or without shifts. */
function augRun(make: Maker, lr: number, seed: number, shift: number): nn.Module {
  manualSeed(seed);
  const model = make();
  trainSteps(model, train300, { lr, epochs: augEpochs, batchSize: 25, seed, shift });
  return model;
}
const contenders: [string, Maker][] = [["conv net", () => smallConvNet()], ["MLP", mlp]];
const tuned = contenders.map(([name, make]) => {
  const scores = lrGrids[name].map((lr) => accuracyOn(augRun(make, lr, 100, 0), val));
  const { k, atEdge } = bestOf(scores);
  return { name, make, lr: lrGrids[name][k], atEdge, scores };
});
show(table(tuned.map((t) => ({ model: t.name, grid: lrGrids[t.name].join(", "), "validation accuracy": t.scores.map((v) => v.toFixed(3)).join(", "), chosen: t.lr, "best only at an edge": t.atEdge })), { caption: "one seed, no shifts" }));

// %%
const shiftedTest = { x: data.augment.randomShift(test.x, { maxShift: 2, generator: new Generator(7) }), y: test.y };
const augArms = tuned.flatMap((t) => [0, 2].map((shift) => {
  const models = [0, 1, 2].map((seed) => augRun(t.make, t.lr, seed, shift));
  return { model: t.name, shift, test: models.map((m) => accuracyOn(m, test)), shiftedTest: models.map((m) => accuracyOn(m, shiftedTest)) };
}));
show(table(augArms.map((a) => ({ model: a.model, training: a.shift ? "shifted ±2 px" : "as they are", "test accuracy": formatMeanSd(a.test), "shifted test accuracy": formatMeanSd(a.shiftedTest) })), { caption: "3 seeds each" }));

// %% subslide tags=slide-hide-code
show(charts.bar(augArms.map((a) => ({ arm: `${a.model}, ${a.shift ? "shifted" : "plain"} training`, "test accuracy": meanSd(a.test).mean, sd: meanSd(a.test).sd, "test set": "as they are" }))
  .concat(augArms.map((a) => ({ arm: `${a.model}, ${a.shift ? "shifted" : "plain"} training`, "test accuracy": meanSd(a.shiftedTest).mean, sd: meanSd(a.shiftedTest).sd, "test set": "shifted ±2 px" }))),
{ x: "arm", y: "test accuracy", color: "test set", yError: "sd", title: "Test accuracy (mean ± sd, 3 seeds)" }));

/** "+0.034 (beyond the noise)" or "+0.004 (within the noise)": what shifting the training images changed. */
function gain(name: string, on: "test" | "shiftedTest"): string {
  const [plain, shifted] = [0, 2].map((s) => augArms.find((a) => a.model === name && a.shift === s)![on]);
  const d = meanSd(shifted).mean - meanSd(plain).mean;
  return `${d >= 0 ? "+" : "−"}${Math.abs(d).toFixed(3)} (${withinNoise(plain, shifted) ? "within the noise" : "beyond the noise"})`;
}
/** How much a model trained on plain digits loses when the test digits are shifted. */
const drop = (name: string) => { const a = augArms.find((r) => r.model === name && r.shift === 0)!; return (meanSd(a.test).mean - meanSd(a.shiftedTest).mean).toFixed(3); };
quote({ convGain: gain("conv net", "test"), mlpGain: gain("MLP", "test"), convGainShifted: gain("conv net", "shiftedTest"), mlpGainShifted: gain("MLP", "shiftedTest"), convDrop: drop("conv net"), mlpDrop: drop("MLP"), tunedAtEdge: tuned.some((t) => t.atEdge) ? "at least one chosen rate is at the edge of the grid, so a wider grid might do better" : "both chosen rates lie inside the grid" });

// %% [markdown] fragment
// On the test digits as they are, shifting the training images changed the conv net's accuracy by {{convGain}} and the
// MLP's by {{mlpGain}}; on the shifted test digits, by {{convGainShifted}} and {{mlpGainShifted}}. (Tuning: {{tunedAtEdge}}.)
//
// - Trained on centred digits, both lose accuracy when the test digits move by up to 2 pixels: the conv net {{convDrop}},
//   the MLP {{mlpDrop}}. Convolution is *equivariant*, not invariant: the final linear layer still reads the 7×7 grid
//   position by position, and two 2×2 pools forgive only part of a shift.
// - Shifted training images buy shift tolerance for both. What they cost on centred digits is the difference between the
//   two models: the MLP has to learn every shifted version of every stroke with its own weights, out of the same 128 hidden
//   units and 300 images; the conv net's kernels already apply everywhere, so the shifted copies only teach its classifier.

// %% [markdown] slide
// ## 6. Transfer learning from a pretrained conv body
//
// Lesson 9 reused a small *dense* network trained on digits 0–4 for digits 5–9 and found no gain over training from scratch.
// Here the body is convolutional: `models.digitsConvBody({ pretrained: true })` returns two conv–BN–ReLU–pool stages
// (16 and 32 channels) whose weights ship with kernel-lib (`kernel-lib/weights/digits-conv-body.safetensors`, read by
// `kernel-lib/src/models/digits-conv-body.ts`), trained by a script with a fixed seed
// on digits 0–4 only. Its description says exactly what it saw, so our data can stay out of it:

// %%
const meta = models.digitsConvBodyMeta;
show(table([
  { "": "architecture", value: meta.architecture },
  { "": "pretrained on digits", value: meta.digits.join(", ") },
  { "": "images", value: `${meta.trainImages} train, ${meta.testImages} held out (loadDigits seed ${meta.recipe.data.seed})` },
  { "": "held-out accuracy on digits 0–4", value: meta.testAccuracy },
  { "": "parameters / features out", value: `${meta.numParameters} / ${meta.outFeatures}` },
  { "": "rebuild with", value: meta.command },
]));
const newDigits = [5, 6, 7, 8, 9];
const overlap = newDigits.filter((d) => meta.digits.includes(d));
const taskB = data.loadDigits({ digits: newDigits, train: 200, test: 300, seed: 12, flatten: false });
const labelled = { x: taskB.xTrain.slice(0, 0, 50), y: taskB.yTrain.slice(0, 0, 50) };
const valB = { x: taskB.xTrain.slice(0, 50, 200), y: taskB.yTrain.slice(0, 50, 200) };
const testB = { x: taskB.xTest, y: taskB.yTest };
console.log(`task B: digits ${newDigits.join(", ")} (classes shared with pretraining: ${overlap.length === 0 ? "none" : overlap.join(", ")}); ${labelled.x.shape[0]} labelled, ${valB.x.shape[0]} validation, ${testB.x.shape[0]} test images`);
quote({ pretrainAcc: meta.testAccuracy, labelledCount: labelled.x.shape[0] });

// %% [markdown] subslide
// ### Three arms and a control, each with its head trained to convergence
//
// Task B: digits 5–9 (none of them seen in pretraining, whose held-out accuracy on 0–4 was {{pretrainAcc}}), with only
// **{{labelledCount}} labelled images**. Three ways to get a classifier, and a control, each a body and a new head `nn.Linear(1568, 5)`:
//
// | arm | body | what trains |
// |---|---|---|
// | **frozen** | pretrained, in evaluation mode | the head alone, to convergence: full-batch Adam on the body's features until the training loss stops falling |
// | **fine-tuned** | pretrained | first the head as in "frozen", then everything for 6 epochs, the body at a 10× smaller rate (lesson 9's recipe), then the head again |
// | **from scratch** | random | everything, for 6 epochs, then the head's full-batch steps on top (so its head, too, ends converged) |
// | **frozen random body** (a control) | random, never trained | the head alone, to convergence, as in "frozen" |
//
// A frozen body's features can be computed once; training the head is then a logistic regression, cheap enough to run
// until it converges (lesson 9 was criticised for stopping frozen heads early). Each arm's learning rate is chosen on a log grid by
// accuracy on 150 validation digits (one seed), then each arm runs on 5 seeds; a seed fixes the new weights and the batch order.

// %%
const FEATURES = meta.outFeatures;
const transferEpochs = 6;
const HEAD_LR = 1e-2; // the rate of the head-only fits inside the fine-tuned and from-scratch arms (full-batch Adam on a convex problem)
/** Trains `head` on fixed features with full-batch Adam until the loss improves by less than 1e-4 over 50 steps (at most 2,000 steps). */
function trainHeadToConvergence(head: nn.Linear, features: Tensor, y: Tensor, lr: number): { steps: number; loss: number } {
  const opt = new optim.Adam(head.parameters(), { lr });
  const losses: number[] = [];
  for (let step = 0; step < 2000; step++) {
    opt.zeroGrad();
    const loss = F.crossEntropy(head.call(features), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
    if (step >= 50 && losses[step - 50] - losses[step] < 1e-4) break;
  }
  return { steps: losses.length, loss: losses[losses.length - 1] };
}
const featuresOf = (body: nn.Module, x: Tensor) => noGrad(() => body.eval().call(x));
// The frozen body never changes, so its features are computed once for every image the frozen arm needs.
const pretrained = models.digitsConvBody({ pretrained: true });
const frozenFeatures = { labelled: featuresOf(pretrained, labelled.x), val: featuresOf(pretrained, valB.x), test: featuresOf(pretrained, testB.x) };
type Arm = "frozen" | "fine-tuned" | "from scratch" | "frozen random body";
type Scored = { accuracy: (split: "val" | "test") => number; head: { steps: number; loss: number } };
/** One run of an arm at rate `lr`: how to score it on the validation or test digits, and how the head's last fit ended. */
function transferRun(arm: Arm, lr: number, seed: number): Scored {
  manualSeed(seed);
  const head = new nn.Linear(FEATURES, 5);
  if (arm === "frozen" || arm === "frozen random body") {
    const body = arm === "frozen" ? pretrained : models.digitsConvBody();
    const featuresFor = (split: "val" | "test") => (arm === "frozen" ? frozenFeatures[split] : featuresOf(body, split === "val" ? valB.x : testB.x));
    const fit = trainHeadToConvergence(head, arm === "frozen" ? frozenFeatures.labelled : featuresOf(body, labelled.x), labelled.y, lr);
    return { accuracy: (split) => accuracyOn(head, { x: featuresFor(split), y: split === "val" ? valB.y : testB.y }), head: fit };
  }
  const body = models.digitsConvBody({ pretrained: arm === "fine-tuned" });
  const model = new nn.Sequential(body, head);
  if (arm === "fine-tuned") {
    trainHeadToConvergence(head, frozenFeatures.labelled, labelled.y, HEAD_LR); // the head first, on the untouched body
    const opt = new optim.Adam([{ params: body.parameters(), lr: lr / 10 }, { params: head.parameters() }], { lr });
    trainSteps(model, labelled, { lr, epochs: transferEpochs, batchSize: 10, seed }, opt);
  } else {
    trainSteps(model, labelled, { lr, epochs: transferEpochs, batchSize: 10, seed });
  }
  const fit = trainHeadToConvergence(head, featuresOf(body, labelled.x), labelled.y, HEAD_LR); // and the head to convergence on the final body
  return { accuracy: (split) => accuracyOn(model, split === "val" ? valB : testB), head: fit };
}
const transferGrids: Record<Arm, number[]> = { frozen: [1e-3, 3e-3, 1e-2], "fine-tuned": [3e-4, 1e-3, 3e-3], "from scratch": [1e-3, 3e-3, 1e-2], "frozen random body": [3e-3, 1e-2, 3e-2] }; // at 1e-3 this head did not converge within the 2,000-step cap
const arms: Arm[] = ["frozen", "fine-tuned", "from scratch", "frozen random body"];
const transferTuned = arms.map((arm) => {
  const scores = transferGrids[arm].map((lr) => transferRun(arm, lr, 100).accuracy("val"));
  const { k, atEdge } = bestOf(scores);
  return { arm, lr: transferGrids[arm][k], atEdge, scores };
});
show(table(transferTuned.map((t) => ({ arm: t.arm, grid: transferGrids[t.arm].join(", "), "validation accuracy": t.scores.map((s) => s.toFixed(3)).join(", "), chosen: t.lr, "best only at an edge": t.atEdge }))));

// %%
const transferResults = transferTuned.map((t) => {
  const runs = [0, 1, 2, 3, 4].map((seed) => transferRun(t.arm, t.lr, seed));
  return { arm: t.arm, lr: t.lr, test: runs.map((r) => r.accuracy("test")), headSteps: runs.map((r) => r.head.steps), headLoss: runs.map((r) => r.head.loss) };
});
show(table(transferResults.map((r) => ({
  arm: r.arm, lr: r.lr, "test accuracy (5 seeds)": formatMeanSd(r.test),
  "head's last fit: steps": `${Math.min(...r.headSteps)}–${Math.max(...r.headSteps)}`, "head's final training loss": formatMeanSd(r.headLoss, 4),
}))));

// %% subslide tags=slide-hide-code
show(charts.bar(transferResults.map((r) => ({ arm: r.arm, "test accuracy": meanSd(r.test).mean, sd: meanSd(r.test).sd })), { x: "arm", y: "test accuracy", yError: "sd", title: `Digits 5–9 from ${labelled.x.shape[0]} labels (mean ± sd, 5 seeds)` }));
const byArm = Object.fromEntries(transferResults.map((r) => [r.arm, r.test])) as Record<Arm, number[]>;
const compare = (a: Arm, b: Arm) => withinNoise(byArm[a], byArm[b]) ? `${a} and ${b} are within the noise` : `${meanSd(byArm[a]).mean > meanSd(byArm[b]).mean ? a : b} beats ${meanSd(byArm[a]).mean > meanSd(byArm[b]).mean ? b : a} by more than the noise`;
quote({
  frozenAcc: formatMeanSd(byArm.frozen), tunedAcc: formatMeanSd(byArm["fine-tuned"]), scratchAcc: formatMeanSd(byArm["from scratch"]),
  frozenVsScratch: compare("frozen", "from scratch"), tunedVsScratch: compare("fine-tuned", "from scratch"), tunedVsFrozen: compare("fine-tuned", "frozen"),
  maxHeadLoss: Math.max(...transferResults.flatMap((r) => r.headLoss)).toFixed(4),
  capNote: transferResults.every((r) => r.headSteps.every((n) => n < 2000))
    ? "every one stopped because its loss had stopped falling, before the 2,000-step cap, so no arm lost for want of head training."
    : `some hit the 2,000-step cap before their loss stopped falling (${transferResults.filter((r) => r.headSteps.some((n) => n >= 2000)).map((r) => r.arm).join(", ")}).`,
  valSpread: Math.round(Math.max(...transferTuned.map((t) => Math.max(...t.scores) - Math.min(...t.scores))) * valB.x.shape[0]),
  valCount: valB.x.shape[0],
  transferEdges: transferTuned.filter((t) => t.atEdge).map((t) => t.arm).join(", ") || "none",
  randomAcc: formatMeanSd(byArm["frozen random body"]),
  randomVerdict: withinNoise(byArm.frozen, byArm["frozen random body"]) || meanSd(byArm["frozen random body"]).mean > meanSd(byArm.frozen).mean
    ? "no worse than the pretrained body, within the noise or above: on these digits what the frozen arm has comes from the architecture — convolutions, pooling and a converged linear classifier on 1,568 features — more than from pretraining"
    : `below the pretrained body by more than the noise: pretraining adds ${(meanSd(byArm.frozen).mean - meanSd(byArm["frozen random body"]).mean).toFixed(3)} to what the architecture alone gives`,
  transferSummary: transferResults.map((r) => `${r.arm} ${formatMeanSd(r.test)}`).join(", "),
  transferVerdict: !withinNoise(byArm.frozen, byArm["from scratch"]) && meanSd(byArm.frozen).mean > meanSd(byArm["from scratch"]).mean
    ? "Unlike lesson 9's dense body, this conv body's features — strokes and their combinations, learned on other digits — carry over to classes it never saw."
    : "Like lesson 9's dense body, this conv body did not beat training from scratch on these digits.",
});

// %% [markdown] fragment
// Test accuracy: frozen {{frozenAcc}}, fine-tuned {{tunedAcc}}, from scratch {{scratchAcc}}. So {{frozenVsScratch}};
// {{tunedVsScratch}}; {{tunedVsFrozen}}. The heads' last fits ended at a training loss of at most {{maxHeadLoss}};
// {{capNote}} (Arms whose best rate lay only at an edge of their grid: {{transferEdges}}. Within each grid the validation
// accuracy moved by at most {{valSpread}} of the {{valCount}} validation digits, one seed per rate.) {{transferVerdict}}
//
// The control separates the architecture from the pretraining: a body that was **never trained**, with a converged head, reaches {{randomAcc}} —
// {{randomVerdict}}. Random convolution filters followed by ReLU and pooling are known to give surprisingly good features
// (Saxe et al., 2011, *On random weights and unsupervised feature learning*), and five classes of centred digits are an easy
// task for a linear classifier on them. Yosinski et al. (2014, *How transferable are features in deep neural networks?*)
// measured transfer layer by layer on ImageNet, a task where random features fall far short: the first layers of a conv net
// learn general features (edges, blobs) that transfer, the last ones features specific to their classes. The lesson of
// this section is the method — a frozen arm with a converged head, fine-tuning, from scratch, **and a random-body control**,
// over several seeds — more than the size of any gain.

// %% [markdown] slide
// ## Summary
//
// - A **convolution** is a linear layer whose weights are local and shared across positions: a few dozen parameters
//   instead of millions for the same maps, and outputs that shift with the input.
// - **Sizes**: $n_\text{out} = \lfloor (n + 2p - d(k-1) - 1)/s \rfloor + 1$; **receptive fields** grow by $d(k-1)$ times
//   the jump, and strides multiply the jump.
// - **BatchNorm2d** normalizes each channel over $(N, H, W)$; LayerNorm, InstanceNorm and GroupNorm use other axes and no
//   batch, which matters when batches are tiny.
// - **Residual blocks** pass the input around two convolutions; the final training loss with and without skips:
//   {{skipLoss}} against {{plainLoss}} ({{resLossVerdict}}), though neither started with vanishing gradients.
// - **Shifted training images** changed accuracy on shifted test digits by {{convGainShifted}} for the conv net and by
//   {{mlpGainShifted}} for the MLP; on centred test digits by {{convGain}} for the conv net and by {{mlpGain}} for the MLP.
// - **Transfer learning** is a comparison to run, not a recipe to trust: a frozen pretrained body with its head trained to
//   convergence, fine-tuning, training from scratch and a random-body control, over several seeds. On 50 labels of new
//   digits here: {{transferSummary}}.

// %% [markdown] slide
// ## Exercises
//
// Open `exercises/11-convolutional-networks.ts`, replace each `notImplemented(…)` with your code, and grade it from a
// terminal in the repository folder:
//
// ```bash
// npm run check -- 11
// ```
//
// 1. **`convOutputSize(size, kernel, stride, padding, dilation)`** — the output length of section 2's formula, refusing a
//    window larger than the padded input.
// 2. **`conv2dForward(x, w, bias, stride, padding)`** — a convolution with stride and zero padding on plain nested arrays.
// 3. **`maxPool2dForward(x, kernel, stride)`** and **`maxPool2dBackward(dout, argmax, inputShape)`** — max pooling, with the
//    winning positions, and its backward pass that routes each gradient to its window's winner (summing on overlaps).
// 4. **`batchNorm2dStats(x)`** — BatchNorm2d's per-channel mean and biased variance over $(N, H, W)$.
// 5. **`convStackSummary(input, layers)`** — the shapes after each layer of a conv stack, and its parameter count.

// %% [markdown] fragment
// The cell below asks **your** `convStackSummary` about the small conv net of this lesson and compares it with the shapes
// kernel-lib's layers produce; until you implement it, it prints the "not implemented yet" message.

// %%
// In a TypeScript file you would write `import * as ex from "../exercises/11-convolutional-networks";`. The
// notebook kernel only compiles files inside notebooks/, so the exercise file is loaded through tsx.
type StackLayer = { kind: "conv"; outChannels: number; kernel: number; padding?: number } | { kind: "pool"; kernel: number };
const { require: requireTs } = require("tsx/cjs/api") as { require: (id: string, fromFile: string) => unknown };
const ex = requireTs("../exercises/11-convolutional-networks", `${process.cwd()}/lesson.js`) as {
  convStackSummary(input: readonly [number, number, number], layers: readonly StackLayer[]): { shapes: [number, number, number][]; parameters: number };
};
const stack: StackLayer[] = [{ kind: "conv", outChannels: 8, kernel: 3, padding: 1 }, { kind: "pool", kernel: 2 }, { kind: "conv", outChannels: 16, kernel: 3, padding: 1 }, { kind: "pool", kernel: 2 }];
const exampleNet = smallConvNet();
const kernelLibShapes = noGrad(() => [1, 4, 5, 8].map((end) => upTo(exampleNet, end, zeros([1, 1, 28, 28])).shape.slice(1).join("×")));
try {
  const summary = ex.convStackSummary([1, 28, 28], stack);
  console.log(`yours:      ${summary.shapes.map((s) => s.join("×")).join(" → ")}, ${summary.parameters} parameters`);
} catch (e) {
  console.log((e as Error).message);
}
console.log(`kernel-lib: ${kernelLibShapes.join(" → ")}, ${exampleNet.at(0).numParameters() + exampleNet.at(4).numParameters()} parameters in the convolutions`);

// %% [markdown] skip
// ### Check your exercises in the notebook
//
// Save `exercises/11-convolutional-networks.ts` and run the next cell: it grades the file with the same tests and points as
// `npm run check -- 11` (it runs that command), and shows each test with expected vs got and a hint. Run it
// again after every change. (`check` comes from `notebooks/check.ts`, next to the lessons.)

// %% skip
import { check } from "./check";
await check("11");
