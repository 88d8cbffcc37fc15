// %% [markdown] slide
// # Lesson 1 — Why deep networks are hard to train
//
// Until now the recipe has been simple: pick a model, run stochastic gradient descent, done.
// With deep networks that recipe breaks in two places, and this lesson shows both with numbers
// measured on real networks.
//
// **What you will learn**
//
// - what "training well" means: a low *population* loss, not just a low training loss;
// - the textbook story of underfitting and overfitting (polynomial fits of growing degree), the
//   bias–variance trade-off, and why that story is only a toy picture for deep networks;
// - how to count the parameters of a network, and why more data is the best cure for overfitting;
// - why backpropagation multiplies one factor per layer, and how that product **vanishes** or
//   **explodes** with depth (sigmoid's $\sigma' \le 0.25$, ReLU's derivative of 1, dying ReLUs, NaN losses);
// - how to *measure* per-layer gradient norms in a deep sigmoid network and a deep ReLU network.

// %% skip
import {
  Generator, manualSeed, tensor, randn, zeros, noGrad, nn, init, F, optim, data, fit, evaluate,
  diagnostics, charts, show, table, quote, meanSd, formatMeanSd,
} from "kernel-lib";
manualSeed(0);
// The bundled MNIST subset (kernel-lib/src/data/mnist.ts): 4000 training and 1000 test images of
// 28×28 pixels in [0, 1], flattened to 784 numbers. Sections 4, 6 and 12 use it.
const digits = data.loadDigits({ train: 4000, test: 1000, seed: 0 });
const testSet = { x: digits.xTest, y: digits.yTest };
const firstN = (n: number) => ({ x: digits.xTrain.slice(0, 0, n), y: digits.yTrain.slice(0, 0, n) });

// %% [markdown] slide
// ## 1. The recipe so far, and its two obstacles
//
// Given training pairs $(x_i, y_i)$, $i = 1, \dots, n$, we choose a model $f_\theta$ and let SGD minimize the
// **training loss** (the empirical risk)
//
// $$\hat L(\theta) = \frac{1}{n} \sum_{i=1}^{n} \ell\big(f_\theta(x_i), y_i\big).$$
//
// But the training set is only a sample. What we really want is a low **population loss**
//
// $$L(\theta) = \mathbb{E}_{(x, y) \sim \mathcal{D}}\big[\ell(f_\theta(x), y)\big],$$
//
// the expected loss on fresh data from the same distribution $\mathcal{D}$: the model must **generalize**.
// We estimate $L$ with a held-out test set. Two things stand in the way:
//
// | obstacle | what goes wrong | this course |
// |---|---|---|
// | **optimization** | $\hat L$ itself will not go down: gradients of the first layers are tiny (*vanishing*) or huge (*exploding*); the loss landscape has saddle points and local minima | lessons 2–7 |
// | **generalization** | $\hat L$ goes down but $L$ does not: with millions of parameters the model can memorize the training set | lessons 8–9 |

// %% [markdown] notes
// Keep the two losses apart all lesson long: the first half is about the gap between the training
// and the population loss (generalization), the second half about getting the training loss down at
// all (optimization).

// %% [markdown] slide
// ## 2. Underfitting and overfitting: the textbook story
//
// Regression with least squares: fit a polynomial of degree $d$ (that is, $d + 1$ parameters
// $w_0, \dots, w_d$) to 20 noisy samples of the cubic $f(x) = x - 2x^3$ on $[-1, 1]$ with noise
// standard deviation 0.2, and measure the mean squared error on 20 training points and on 500 fresh test points.
//
// - $d$ too small: the family cannot express $f$, both errors stay high — **underfitting**;
// - $d$ too large: the polynomial bends to chase the noise of the 20 points — training error falls,
//   test error rises — **overfitting**.
//
// `data.makePolynomialRegression` (kernel-lib/src/data/polynomial.ts) draws the samples. The fit
// minimizes $\lVert Xw - y \rVert^2$ with the design matrix $X_{ik} = x_i^k$ ($k = 0, \dots, d$); the helper below
// solves it with a QR factorization (Gram–Schmidt, run twice for accuracy): $X = QR$, then $Rw = Q^\top y$
// by back-substitution. Exercise 1.4 asks you to solve it yourself with the normal equations
// $X^\top X w = X^\top y$.

// %%
const coefficients = [0, 1, 0, -2]; // f(x) = x − 2x³, lowest power first
const polyTrain = data.makePolynomialRegression({ n: 20, coefficients, noise: 0.2, generator: new Generator(0) });
const polyTest = data.makePolynomialRegression({ n: 500, coefficients, noise: 0.2, generator: new Generator(2) });
const xTrain1d = Array.from(polyTrain.x.data), yTrain1d = Array.from(polyTrain.y.data);
const xTest1d = Array.from(polyTest.x.data), yTest1d = Array.from(polyTest.y.data);

/** Least-squares polynomial coefficients (lowest power first), by QR. */
function polyfit(x: number[], y: number[], degree: number): number[] {
  const m = x.length, n = degree + 1;
  const q = Array.from({ length: n }, (_, k) => x.map((xi) => xi ** k)); // columns of X
  const r = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const dot = (a: number[], b: number[]) => a.reduce((s, ai, i) => s + ai * b[i], 0);
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const rij = dot(q[i], q[j]);
        r[i][j] += rij;
        for (let k = 0; k < m; k++) q[j][k] -= rij * q[i][k];
      }
    }
    r[j][j] = Math.sqrt(dot(q[j], q[j]));
    q[j] = q[j].map((v) => v / r[j][j]);
  }
  const w = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = dot(q[i], y);
    for (let j = i + 1; j < n; j++) s -= r[i][j] * w[j];
    w[i] = s / r[i][i];
  }
  return w;
}
const polyval = (w: number[], x: number) => w.reduceRight((acc, wk) => acc * x + wk, 0);
const mse = (w: number[], xs: number[], ys: number[]) => xs.reduce((s, xi, i) => s + (polyval(w, xi) - ys[i]) ** 2, 0) / xs.length;

// %% subslide
const degreeRows = Array.from({ length: 16 }, (_, degree) => {
  const w = polyfit(xTrain1d, yTrain1d, degree);
  return { degree, parameters: degree + 1, trainMSE: mse(w, xTrain1d, yTrain1d), testMSE: mse(w, xTest1d, yTest1d) };
});
show(table(degreeRows, { digits: 4, caption: "least-squares polynomial fits: 20 training points, 500 test points" }));
show(charts.line(
  degreeRows.flatMap((r) => [
    { degree: r.degree, set: "train", MSE: r.trainMSE },
    { degree: r.degree, set: "test", MSE: r.testMSE },
  ]),
  { x: "degree", y: "MSE", color: "set", logY: true, title: "Training error falls forever; test error falls, then climbs (with bumps)" },
));
const testOf = (from: number, to: number) => degreeRows.slice(from, to + 1).map((r) => r.testMSE);
const rangeText = (v: number[]) => `${Math.min(...v).toFixed(4)}–${Math.max(...v).toFixed(4)}`;
const bestTest = Math.min(...degreeRows.map((r) => r.testMSE));
// A lucky degree: one whose test error is below both neighbours', past the best region.
const luckyDegree = degreeRows.find((r, d) => d >= 8 && d < 15 && r.testMSE < degreeRows[d - 1].testMSE && r.testMSE < degreeRows[d + 1].testMSE)!.degree;
quote({ underfitTest: rangeText(testOf(0, 2)), rightTest: rangeText(testOf(3, 6)), overfitFactor: Math.floor(Math.min(...testOf(13, 15)) / bestTest), luckyDegree });

// %% [markdown] fragment
// Read the table: degrees 0–2 underfit (test errors {{underfitTest}}, far above the noise variance 0.04);
// degrees 3–6 are right (test errors {{rightTest}}, close to the 0.04 that no model can beat); from degree
// 13 on, the training error keeps shrinking while the test error is at least {{overfitFactor}} times the best.

// %% subslide tags=slide-hide-code
// The fits themselves: degree 1 is too stiff, degree 15 wiggles through the noise.
const xGrid = Array.from({ length: 201 }, (_, i) => -1 + i / 100);
const fitRows = [1, 3, 15].flatMap((degree) => {
  const w = polyfit(xTrain1d, yTrain1d, degree);
  return xGrid.map((x) => ({ x, y: Math.max(-2, Math.min(2, polyval(w, x))), curve: `degree ${degree}` }));
});
const trueRows = xGrid.map((x) => ({ x, y: polyTrain.trueFunction(x), curve: "true f" }));
show({
  title: "Polynomial fits of degree 1, 3 and 15 to the same 20 points",
  width: 420, height: 280,
  layer: [
    {
      data: { values: [...trueRows, ...fitRows] },
      mark: { type: "line", clip: true },
      encoding: {
        x: { field: "x", type: "quantitative" },
        y: { field: "y", type: "quantitative", scale: { domain: [-2, 2] } },
        color: { field: "curve", type: "nominal", title: null },
      },
    },
    {
      data: { values: xTrain1d.map((x, i) => ({ x, y: yTrain1d[i] })) },
      mark: { type: "point", filled: true, color: "black" },
      encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
    },
  ],
});

// %% [markdown] slide
// ## 3. Bias and variance
//
// One training set gives a bumpy test-error curve (degree {{luckyDegree}} above is better than its neighbours by luck). Its
// *expected* value, over many training sets, is the smooth U-shape of the textbook. Why does it fall and then rise?
// Imagine drawing many training sets of 20 points and fitting each.
// At a test input $x$, the expected squared error of the fitted $\hat f$ splits into three parts:
//
// $$\mathbb{E}\big[(\hat f(x) - y)^2\big] = \underbrace{\big(\mathbb{E}[\hat f(x)] - f(x)\big)^2}_{\text{bias}^2}
//   + \underbrace{\mathrm{Var}\big[\hat f(x)\big]}_{\text{variance}} + \underbrace{\sigma^2}_{\text{noise}}.$$
//
// A stiff model is wrong in the same way on every training set (high bias); a flexible one is right
// on average but different on every training set (high variance). Let us measure both with 200
// training sets.

// %%
const xEval = Array.from({ length: 101 }, (_, i) => -1 + i / 50);
const fTrue = polyTrain.trueFunction;
const biasVarianceRows = [1, 2, 3, 5, 7, 9].map((degree) => {
  const predictions = Array.from({ length: 200 }, (_, s) => {
    const set = data.makePolynomialRegression({ n: 20, coefficients: coefficients, noise: 0.2, generator: new Generator(100 + s) });
    const w = polyfit(Array.from(set.x.data), Array.from(set.y.data), degree);
    return xEval.map((x) => polyval(w, x));
  });
  let bias2 = 0, variance = 0;
  xEval.forEach((x, j) => {
    const column = predictions.map((p) => p[j]);
    const meanPrediction = column.reduce((a, b) => a + b, 0) / column.length;
    bias2 += (meanPrediction - fTrue(x)) ** 2 / xEval.length;
    variance += column.reduce((a, v) => a + (v - meanPrediction) ** 2, 0) / column.length / xEval.length;
  });
  return { degree, bias2, variance, noise: 0.04, expectedTestMSE: bias2 + variance + 0.04 };
});
show(table(biasVarianceRows, { digits: 4, caption: "bias² and variance over 200 training sets of 20 points" }));
quote({ stiffBias: rangeText(biasVarianceRows.slice(0, 2).map((r) => r.bias2)), cubicExpected: biasVarianceRows[2].expectedTestMSE }, 2);

// %% [markdown] fragment
// Degrees 1 and 2 cannot bend like a cubic: a bias² of {{stiffBias}}. At degree 3
// (the true family) the bias² is essentially 0 and the variance is small: the best expected test
// error, {{cubicExpected}}. From there on, extra degrees only add variance — slowly at first, then explosively:
// a training set that happens to have no point near an edge lets a degree-9 polynomial shoot off there,
// and the average over 200 sets feels every such accident. (With that much variance the estimated
// bias² is inflated too: a mean of wild predictions over 200 sets is itself noisy.) This is the
// **bias–variance trade-off**, and the textbook rule: choose the *capacity* of the model to match the
// amount of data.

// %% [markdown] slide
// ## 4. Is the toy picture relevant for deep networks?
//
// Only partly. In the polynomial story, more parameters than data points is a disaster. Deep networks
// live exactly there, in the **over-parameterized regime**: ImageNet has about 1,000,000 training images,
// and deep ResNets have up to about 60,000,000 parameters — yet they generalize well.
//
// Classical theory does not explain this yet: generic **upper bounds on the generalization error**
// grow with the number of parameters when we pick *any* minimizer of the training loss. We do not know
// whether those bounds are tight, and we do not pick any minimizer: we use SGD together with the
// training techniques of this course, which favour some solutions over others (lesson 8 calls this
// *implicit regularization*). Some researchers even question whether "overfitting" is the right word
// for what deep networks do.
//
// A small experiment of our own: a 784 → 128 → 128 → 10 MLP trained on only 500 digit images.

// %% fragment
const bigModel = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 128), new nn.ReLU(), new nn.Linear(128, 10));
const small = firstN(500);
fit(bigModel, small, {
  optimizer: new optim.SGD(bigModel.parameters(), { lr: 0.1, momentum: 0.9 }),
  loss: F.crossEntropy, epochs: 15, batchSize: 50, seed: 0, progress: "auto",
});
const bigTrain = evaluate(bigModel, small, { loss: F.crossEntropy, metrics: ["accuracy"] });
const bigTest = evaluate(bigModel, testSet, { loss: F.crossEntropy, metrics: ["accuracy"] });
show(table([{
  parameters: bigModel.numParameters(), trainingImages: 500,
  trainAccuracy: bigTrain.accuracy, testAccuracy: bigTest.accuracy, trainLoss: bigTrain.loss, testLoss: bigTest.loss,
}], { digits: 4 }));
quote({ paramsPerImage: Math.floor(bigModel.numParameters() / 500), bigTrainAcc: `${(100 * bigTrain.accuracy).toFixed(1)} %`, bigTestAcc: `${(100 * bigTest.accuracy).toFixed(1)} %` });

// %% [markdown] fragment
// {{paramsPerImage}} parameters per training image, a training set learned almost perfectly ({{bigTrainAcc}}), and
// still {{bigTestAcc}} right on 1000 images it has never seen — far better than the 10% of guessing. The gap between train and test is real
// (overfitting in the everyday sense), but nothing like the polynomial catastrophe.

// %% [markdown] slide
// ## 5. Counting parameters
//
// An MLP with 50 input features, two hidden layers of 100 units and 10 classes — $50 \to 100 \to 100 \to 10$.
// A `Linear(nIn, nOut)` layer holds a weight matrix $W^{(\ell)}$ of $n_\text{out} \times n_\text{in}$ entries and a
// bias $b^{(\ell)}$ of $n_\text{out}$ entries:
//
// $$(50 \cdot 100 + 100) + (100 \cdot 100 + 100) + (100 \cdot 10 + 10) = 5{,}100 + 10{,}100 + 1{,}010 = 16{,}210.$$

// %%
const mlp50 = new nn.Sequential(new nn.Linear(50, 100), new nn.ReLU(), new nn.Linear(100, 100), new nn.ReLU(), new nn.Linear(100, 10));
show(table(mlp50.namedParameters().map(([name, p]) => ({ parameter: name, shape: `[${p.shape.join(", ")}]`, entries: p.size }))));
console.log(`model.numParameters() = ${mlp50.numParameters()}`);

// %% [markdown] fragment
// **Capacity** — how rich a family of functions a model can fit — is roughly *the number of
// parameters × how efficiently they are used*: a deep network uses its parameters differently from a
// polynomial, which is one reason the parameter count alone does not predict overfitting. Still, many
// parameters need much data, which is why deep learning shines on large datasets.

// %% [markdown] slide
// ## 6. More data: the best cure for overfitting
//
// Often the most effective way to reduce overfitting is simply to collect more data (when that is too
// expensive, lesson 8 *augments* the data we have). Softmax regression (a single `Linear(784, 10)`)
// on growing subsets of the digits, with the **test set kept constant** at 1000 images and about the same
// number of SGD steps for every size: $\lceil 6000/n \rceil$ epochs of batches of 100, so every size gets at least
// 60 steps (the table shows how many).

// %%
const sizeRows = [100, 250, 500, 1000, 2000, 4000].map((n) => {
  const model = new nn.Linear(784, 10);
  const subset = firstN(n);
  const epochs = Math.ceil((60 * 100) / n);
  fit(model, subset, {
    optimizer: new optim.SGD(model.parameters(), { lr: 0.5 }),
    loss: F.crossEntropy, epochs, batchSize: 100, seed: 0, progress: "none",
  });
  const train = evaluate(model, subset, { metrics: ["accuracy"] }).accuracy;
  const test = evaluate(model, testSet, { metrics: ["accuracy"] }).accuracy;
  return { trainingImages: n, "SGD steps": epochs * Math.ceil(n / 100), trainAccuracy: train, testAccuracy: test, gap: train - test };
});
show(table(sizeRows, { digits: 3, caption: "softmax regression, test set of 1000 images" }));
show(charts.line(
  sizeRows.flatMap((r) => [
    { trainingImages: r.trainingImages, set: "train", accuracy: r.trainAccuracy },
    { trainingImages: r.trainingImages, set: "test", accuracy: r.testAccuracy },
  ]),
  { x: "trainingImages", y: "accuracy", color: "set", logX: true, title: "More data closes the train–test gap" },
));

// %% [markdown] notes
// The same model, the same optimizer, the same test set: only the amount of training data changes.
// The training accuracy falls (memorizing is harder), the test accuracy rises, and the gap shrinks.

// %% [markdown] slide
// ## 7. The optimization obstacle: a product of per-layer factors
//
// Write the network as $x_{k+1} = g_k(x_k; W_k)$ for $k = 0, \dots, L - 1$ with loss $\mathcal{L}(x_L)$. The chain rule
// gives the gradient for the weights that produce $x_\ell$:
//
// $$\partial_{W_{\ell-1}} \mathcal{L} = (\partial_{x_\ell} \mathcal{L})\, \partial_{W_{\ell-1}} x_\ell
//   = \Big( (\partial_{x_L} \mathcal{L}) \prod_{k=L-1}^{\ell} \partial_{x_k} x_{k+1} \Big)\, \partial_{W_{\ell-1}} x_\ell ,$$
//
// the factors written left to right from $k = L-1$ down to $k = \ell$ (the gradient travels from the output back to
// layer $\ell$, and matrix products do not commute).
//
// The early layers get the output's gradient multiplied by **one Jacobian per layer above them**. If
// those Jacobians have small singular values the product shrinks exponentially with depth
// (**vanishing gradients**); if they are large it grows exponentially (**exploding gradients**).
//
// Scalar intuition: $0.9^{50} \approx 0.005$ and $1.1^{50} \approx 117$.

// %% subslide
// A deep *linear* chain x_{k+1} = W_k x_k whose 50 matrices are s × (a random orthogonal matrix):
// every singular value is exactly s, so the gradient reaching x_0 is s^50 times the output's.
const chainRows = [0.9, 1.0, 1.1].map((s) => {
  const g = new Generator(7);
  const x0 = randn([1, 32], { dtype: "float64", generator: g, requiresGrad: true });
  let x = x0;
  for (let k = 0; k < 50; k++) {
    const W = init.orthogonal_(zeros([32, 32], { dtype: "float64" }), { gain: s, generator: g });
    x = x.matmul(W.T);
  }
  const v = randn([1, 32], { dtype: "float64", generator: g }); // dL/dx_50 for L = <v, x_50>
  x.mul(v).sum().backward();
  return { s, "measured ‖∂L/∂x0‖ / ‖∂L/∂x50‖": x0.grad!.norm().item() / v.norm().item(), "s^50": s ** 50 };
});
show(table(chainRows, { digits: 4 }));

// %% [markdown] slide
// ## 8. Vanishing gradients with the sigmoid
//
// The logistic sigmoid $\sigma(z) = 1 / (1 + e^{-z})$ has the derivative
//
// $$\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} = \sigma(z)\,\big(1 - \sigma(z)\big) \le \sigma'(0) = 0.25 .$$
//
// Each sigmoid layer multiplies the backward signal by $\sigma'(z) \le 1/4$ (times the weights). Even in
// the best case $z = 0$, ten layers leave $0.25^{10} \approx 10^{-6}$ of the gradient. In the tails
// ($|z| > 5$) the sigmoid is flat — *saturated* — and $\sigma'$ is almost 0.

// %% fragment
show(charts.activationFunctions(
  [{ name: "sigmoid", f: (z) => z.sigmoid() }, { name: "tanh", f: (z) => z.tanh() }, { name: "relu", f: (z) => z.relu() }],
  { range: [-6, 6] },
));
show(table([
  { factor: "0.25^10 (ten sigmoids at z = 0)", value: 0.25 ** 10 },
  { factor: "0.25^50", value: 0.25 ** 50 },
  { factor: "1 / 0.25^50 (how much weaker)", value: 1 / 0.25 ** 50 },
  { factor: "0.9^50", value: 0.9 ** 50 },
  { factor: "1.1^50", value: 1.1 ** 50 },
], { digits: 4 }));

// %% [markdown] subslide
// ### The product through 10 sigmoid layers, with random pre-activations
//
// In a real network the pre-activations are not all 0, so each factor is *below* 0.25. Draw
// $z \sim \mathcal{N}(0, 1)$ at every layer and multiply the derivatives:

// %%
const sigmoidPrime = (z: number) => { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); };
const gZ = new Generator(42);
let gradient = 1;
const sigmoidRows = Array.from({ length: 10 }, (_, layer) => {
  const z = gZ.normal();
  gradient *= sigmoidPrime(z);
  return { layer, z, "σ'(z)": sigmoidPrime(z), "gradient so far": gradient };
});
show(table(sigmoidRows, { digits: 4 }));

// What to expect on average: the typical factor is the geometric mean exp(E[log σ'(z)]) for z ~ N(0, 1),
// computed here by numerical integration.
let meanLog = 0;
for (let i = 0; i < 20000; i++) {
  const z = -10 + (i + 0.5) * (20 / 20000);
  meanLog += Math.log(sigmoidPrime(z)) * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * (20 / 20000);
}
console.log(`typical factor per layer: ${Math.exp(meanLog).toFixed(4)}; after 10 layers: ${Math.exp(10 * meanLog).toExponential(2)}`);
quote({ sigmoidProduct: gradient.toExponential(1), typicalProduct: Math.exp(10 * meanLog).toExponential(1), timesSmaller: Math.round(0.25 ** 10 / Math.exp(10 * meanLog)) });

// %% [markdown] fragment
// The tutorial *Learn AI Series (#40): Training Neural Networks – Practical Challenges* (scipio), where this demonstration comes from, speaks of "about one millionth" after 10 layers — that is the
// best case $0.25^{10}$; with random pre-activations the typical product is about {{timesSmaller}} times smaller again (here
// {{sigmoidProduct}}, and {{typicalProduct}} on average). The first layer learns millions of times more slowly than the last.

// %% [markdown] slide
// ## 9. ReLU: a derivative of exactly 1 (for active units)
//
// $\mathrm{ReLU}(z) = \max(0, z)$ has $\mathrm{ReLU}'(z) = 1$ for $z > 0$ and $0$ for $z < 0$. For an active unit the
// gradient passes through unchanged: no shrinking at every layer. That single property is a big part
// of why deep networks became trainable.
//
// **The caveat: dying ReLUs.** A unit whose pre-activation is negative for *every* input outputs 0,
// receives a gradient of exactly 0 and never changes again. Here unit 0's bias was pushed to −50:

// %%
const reluLayer = new nn.Linear(20, 6, { generator: new Generator(3) });
noGrad(() => { reluLayer.bias!.data[0] = -50; });
const Xrelu = randn([256, 20], { generator: new Generator(4) });
reluLayer.call(Xrelu).relu().sum().backward();
show(table(Array.from({ length: 6 }, (_, unit) => {
  const row = reluLayer.weight.grad!.data.slice(unit * 20, unit * 20 + 20);
  return { unit, bias: reluLayer.bias!.data[unit], "‖∂L/∂w_unit‖": Math.hypot(...row) };
}), { digits: 4 }));

// %% [markdown] fragment
// In practice a few dead units rarely ruin a network, especially with a good initialization (lesson 2);
// lesson 3 measures dying units during training and shows the leaky variants that avoid them.

// %% [markdown] slide
// ## 10. Exploding gradients: from huge numbers to NaN
//
// The opposite failure: factors larger than 1. A 30-layer ReLU network whose weights are drawn from
// $\mathcal{N}(0, 1)$ (far too large for 64 inputs per unit, as lesson 2 explains) multiplies the signal by about
// $\sqrt{64/2} \approx 5.7$ per layer. A few SGD steps:

// %%
const explodingLayers: nn.Module[] = [new nn.Linear(784, 64), new nn.ReLU()];
for (let i = 0; i < 28; i++) explodingLayers.push(new nn.Linear(64, 64), new nn.ReLU());
explodingLayers.push(new nn.Linear(64, 10));
const exploding = new nn.Sequential(...explodingLayers);
const gExplode = new Generator(5);
for (const p of exploding.parameters()) init.normal_(p, 0, 1, { generator: gExplode });
const explodeOptimizer = new optim.SGD(exploding.parameters(), { lr: 0.01 });
const batch = firstN(64);
const explodeRows: Record<string, number>[] = [];
for (let step = 0; step < 3; step++) {
  explodeOptimizer.zeroGrad();
  const loss = F.crossEntropy(exploding.call(batch.x), batch.y);
  loss.backward();
  const norms = diagnostics.layerGradientNorms(exploding);
  explodeRows.push({ step, loss: loss.item(), "‖grad‖ first layer": norms[0].norm, "‖grad‖ last layer": norms[norms.length - 1].norm });
  explodeOptimizer.step();
}
show(table(explodeRows, { digits: 3 }));
console.log("first non-finite value:", diagnostics.findNonFinite(exploding));

// %% [markdown] fragment
// The loss is astronomically large at once, one step throws the weights to enormous values, and the
// next forward pass overflows to `Infinity` and `NaN`: the run is dead. `fit` stops such a run and sets
// `history.diverged`; lesson 5 shows gradient clipping, a safety net against explosions.

// %% [markdown] slide
// ## 11. A bit of history
//
// Vanishing and exploding gradients were one of the main reasons deep networks were **largely
// abandoned before 2010**. That year, Glorot and Bengio analysed why: a poor weight initialization
// combined with a *saturating* activation such as the logistic sigmoid (whose mean output is 0.5, not 0)
// makes the variance of the signals change from layer to layer, pushes the top layers into
// saturation, and leaves almost no gradient for the lower layers.
//
// Their fixes are the next lessons: a careful **initialization** (lesson 2), **non-saturating
// activations** (lesson 3), **normalization** (lesson 4), **residual connections and clipping** (lesson 5).

// %% [markdown] slide
// ## 12. Measured: gradient norms per layer in a deep network
//
// Enough toy products. Three real networks with 10 hidden layers of 64 units on a batch of 256 digit
// images, one forward and backward pass, and the gradient norm $\lVert \partial \mathcal{L} / \partial (W_\ell, b_\ell) \rVert$ of
// each of the 11 `Linear` layers (`diagnostics.layerGradientNorms`, kernel-lib/src/diagnostics/gradients.ts):
//
// - **sigmoid**, with the default initialization of `nn.Linear`;
// - **ReLU**, with the same default initialization (PyTorch's, see lesson 2);
// - **ReLU + He init** — the fix of lesson 2, previewed.

// %% tags=slide-hide-code
function deepNet(activation: "sigmoid" | "relu", heInit: boolean, seed: number): nn.Sequential {
  const g = new Generator(seed);
  const act = () => (activation === "sigmoid" ? new nn.Sigmoid() : new nn.ReLU());
  const layers: nn.Module[] = [new nn.Linear(784, 64, { generator: g }), act()];
  for (let i = 0; i < 9; i++) layers.push(new nn.Linear(64, 64, { generator: g }), act());
  layers.push(new nn.Linear(64, 10, { generator: g }));
  const model = new nn.Sequential(...layers);
  if (heInit) {
    for (const m of model.modules()) {
      if (m instanceof nn.Linear) {
        init.kaimingNormal_(m.weight, { nonlinearity: "relu", generator: g });
        init.zeros_(m.bias!);
      }
    }
  }
  return model;
}
const variants = [
  { series: "sigmoid", make: (seed = 11) => deepNet("sigmoid", false, seed) },
  { series: "ReLU", make: (seed = 11) => deepNet("relu", false, seed) },
  { series: "ReLU + He init", make: (seed = 11) => deepNet("relu", true, seed) },
];
const probe = firstN(256);
const normRows = variants.flatMap(({ series, make }) => {
  const model = make();
  F.crossEntropy(model.call(probe.x), probe.y).backward();
  return diagnostics.layerGradientNorms(model).map((r, i) => ({ layer: `${i + 1}`, norm: r.norm, series }));
});
show(charts.gradientNorms(normRows, { title: "‖gradient‖ per Linear layer (1 = input side), log scale" }));
show(table(variants.map(({ series }) => {
  const rows = normRows.filter((r) => r.series === series);
  return { network: series, "layer 1": rows[0].norm, "layer 11": rows[10].norm, "ratio first / last": rows[0].norm / rows[10].norm };
}), { digits: 3 }));
const ratioOf = (series: string) => { const rows = normRows.filter((r) => r.series === series); return rows[0].norm / rows[10].norm; };
quote({ sigmoidRatio: ratioOf("sigmoid").toExponential(0), reluRatio: ratioOf("ReLU").toExponential(0), heRatio: ratioOf("ReLU + He init").toFixed(1) });

// %% [markdown] fragment
// With sigmoids, the gradient reaching the first layer is {{sigmoidRatio}} times the output layer's:
// the vanishing gradient, measured. ReLU with the default initialization still loses a
// factor at every layer ({{reluRatio}} from last to first; its weights are too small for ReLU, lesson 2 explains why),
// while ReLU with He initialization keeps the gradient at the same scale from the output to the input (ratio {{heRatio}}).

// %% [markdown] subslide
// ### …and what that does to training
//
// The same three networks trained with plain SGD (learning rate 0.1, batches of 50) on 600 images for
// 4 epochs, each from 3 seeds (a seed fixes the initial weights and the batch order). A loss stuck at $\ln 10 \approx 2.303$ means the network still guesses uniformly among the 10 classes.

// %%
const train600 = firstN(600);
const curveRows: { epoch: number; network: string; loss: number; sd: number }[] = [];
const trainingRuns = variants.map(({ series, make }) => {
  const runs = [11, 12, 13].map((seed) => {
    const model = make(seed);
    const history = fit(model, train600, {
      optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }),
      loss: F.crossEntropy, epochs: 4, batchSize: 50, seed, progress: "none",
    });
    return { curve: history.get("loss"), loss: history.last.loss, accuracy: evaluate(model, testSet, { metrics: ["accuracy"] }).accuracy };
  });
  for (let e = 0; e < 4; e++) curveRows.push({ epoch: e + 1, network: series, ...((m) => ({ loss: m.mean, sd: m.sd }))(meanSd(runs.map((r) => r.curve[e]))) });
  return { network: series, loss: runs.map((r) => r.loss), accuracy: runs.map((r) => r.accuracy) };
});
show(table(trainingRuns.map((r) => ({ network: r.network, "final train loss": formatMeanSd(r.loss), "test accuracy": formatMeanSd(r.accuracy) })),
  { caption: "after 4 epochs (48 steps), mean ± sd over 3 seeds" }));
show(charts.line(curveRows, { x: "epoch", y: "loss", color: "network", yError: "sd", title: "Training loss of three 11-layer networks (mean ± sd, 3 seeds)" }));
const [sigRun, reluRun, heRun] = trainingRuns;
quote({ sigmoidLoss: formatMeanSd(sigRun.loss), reluLoss: formatMeanSd(reluRun.loss), heLoss: formatMeanSd(heRun.loss), heAccuracy: formatMeanSd(heRun.accuracy) });

// %% [markdown] fragment
// At this learning rate the sigmoid network ({{sigmoidLoss}}) and the default-initialized ReLU network
// ({{reluLoss}}) do not leave $\ln 10$: their first layers receive almost no gradient, so they keep the random
// features they started with. The He-initialized ReLU network, identical in size, is already on its way after only
// 48 SGD steps: a loss of {{heLoss}} and a test accuracy of {{heAccuracy}}, against 0.1 for guessing. Lessons 2–5 are about making every deep network behave like the third one.

// %% [markdown] slide
// ## Summary
//
// - The goal is a low **population** loss; the training loss is only what we can compute.
// - The textbook story: too little capacity underfits (high bias), too much overfits (high variance);
//   the expected test error is U-shaped in the degree. Deep networks break the story: they are heavily
//   over-parameterized and still generalize — we do not fully know why.
// - Count parameters layer by layer: $n_\text{in} n_\text{out} + n_\text{out}$ per `Linear` (the 50→100→100→10 MLP has 16,210).
//   More data is the most reliable cure for overfitting.
// - Backpropagation multiplies **one Jacobian per layer**: singular values below 1 make gradients
//   vanish, above 1 explode — $0.9^{50} \approx 0.005$, $1.1^{50} \approx 117$.
// - The sigmoid's derivative is at most 0.25 ($0.25^{10} \approx 10^{-6}$); ReLU's is 1 for active units, but
//   units can die. Exploding gradients end in `NaN`.
// - Measured on real networks: the first layer of a deep sigmoid network gets orders of magnitude
//   less gradient than the last, and the network barely trains.

// %% [markdown] slide
// ## Exercises
//
// Open `exercises/01-why-deep-is-hard.ts`, replace each `notImplemented(…)` with your code, and grade
// yourself from a terminal in the course folder:
//
// ```
// npm run check -- 01
// ```
//
// 1. **`sigmoidDerivative(z)`** — $\sigma'(z) = \sigma(z)(1 - \sigma(z))$.
// 2. **`gradientThroughSigmoids(zs)`** — the product of $\sigma'(z)$ over the layers' pre-activations.
// 3. **`countParameters(layerSizes)`** — weights and biases of a fully connected network (16,210 for `[50, 100, 100, 10]`).
// 4. **`fitPolynomial(x, y, degree)`** — least squares through the normal equations $X^\top X w = X^\top y$,
//    solved by Gaussian elimination with partial pivoting.
// 5. **`errorsByDegree(train, test, degrees)`** — the train and test MSE table of section 2.
// 6. **`sigmoidStackGradientNorms(x, weights)`** — backpropagation by hand through a stack of sigmoid
//    layers: the per-layer gradient norms of section 12, on plain arrays.

// %%
// tslab compiles only files inside notebooks/, so the exercise file is loaded through tsx, the
// TypeScript loader the course's tools use. `npm run check -- 01` grades the same file.
require("tsx/cjs/api").register();
const ex = require("../exercises/01-why-deep-is-hard") as {
  fitPolynomial(x: readonly number[], y: readonly number[], degree: number): number[];
};
try {
  console.log("fitPolynomial([0, 1, 2], [1, 3, 5], 1) =", ex.fitPolynomial([0, 1, 2], [1, 3, 5], 1), "(expected [1, 2])");
} catch (e) {
  console.log((e as Error).message);
}

// %% [markdown] skip
// ### Check your exercises in the notebook
//
// Save `exercises/01-why-deep-is-hard.ts` and run the next cell: it grades the file with the same tests and points as
// `npm run check -- 01` (it runs that command), and shows each test with expected vs got and a hint. Run it
// again after every change. (`check` comes from `notebooks/check.ts`, next to the lessons.)

// %% skip
import { check } from "./check";
await check("01");
