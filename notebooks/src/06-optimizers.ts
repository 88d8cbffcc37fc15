// %% [markdown] slide
// # Lesson 6 — Optimizers
//
// Plain gradient descent takes a step against the gradient, of a size fixed by the learning rate. On the long, narrow
// valleys that deep-network losses are full of, that is slow: the step is too big across the valley and too small
// along it. Every optimizer in this lesson is an answer to that problem.
//
// **What you will learn**
//
// 1. why SGD oscillates on ill-conditioned problems, and how **momentum** and **Nesterov's** look-ahead fix it;
// 2. how **adaptive** methods (AdaGrad, RMSProp, Adadelta, Adam) give every parameter its own step size;
// 3. the full **Adam** algorithm, and why it needs **bias correction**; AdamW, NAdam, Adamax and AMSGrad;
// 4. how the optimizers compare on two classic test functions and on real training runs on MNIST digits.

// %% skip
import { Generator, Tensor, manualSeed, tensor, nn, F, optim, data, fit, show, table, charts } from "kernel-lib";
void manualSeed(0);

// %% [markdown] slide
// ## 1. Gradient descent on an ill-conditioned problem
//
// Gradient descent repeats $w \leftarrow w - \eta\,\nabla L(w)$ with learning rate $\eta$ (`lr`). Take the quadratic
// $L(w) = \tfrac12 w^\top A w$ whose matrix $A$ has eigenvalues $\lambda_{\min} = 0.2$ and $\lambda_{\max} = 4$, its axes
// turned by 30°. Along each eigenvector the error is multiplied by $(1 - \eta\lambda)$ at every step, so
//
// - the step must satisfy $\eta < 2/\lambda_{\max} = 0.5$, or the steep direction diverges;
// - with such an $\eta$ the flat direction shrinks by at best $1 - 2\lambda_{\min}/\lambda_{\max}$ per step.
//
// The ratio $\kappa = \lambda_{\max}/\lambda_{\min} = 20$ is the **condition number**. With the best learning rate,
// $\eta = 2/(\lambda_{\min}+\lambda_{\max})$, the error shrinks by $(\kappa-1)/(\kappa+1) = 0.905$ per step: about 70 steps per
// factor 1000. Deep-network losses have condition numbers in the thousands and more.

// %% tags=slide-hide-code
/** A 2-D function with its gradient and a starting point, to watch optimizers move. */
interface Problem { f: (x: number, y: number) => number; grad: (x: number, y: number) => [number, number]; start: [number, number] }

const lambdaMin = 0.2, lambdaMax = 4, turn = Math.PI / 6;
const [c, s] = [Math.cos(turn), Math.sin(turn)];
const A = [
  [lambdaMin * c * c + lambdaMax * s * s, (lambdaMin - lambdaMax) * c * s],
  [(lambdaMin - lambdaMax) * c * s, lambdaMin * s * s + lambdaMax * c * c],
];
const quadratic: Problem = {
  f: (x, y) => 0.5 * (A[0][0] * x * x + 2 * A[0][1] * x * y + A[1][1] * y * y),
  grad: (x, y) => [A[0][0] * x + A[0][1] * y, A[1][0] * x + A[1][1] * y],
  start: [-4, 3],
};

type Stepper = { step(): void };
/** Runs `steps` optimizer steps from problem.start with the exact gradient (w.grad = ∇f(w)); returns every point visited. */
function descend(problem: Problem, makeOptimizer: (params: Tensor[]) => Stepper, steps: number): [number, number][] {
  const w = tensor(problem.start, { dtype: "float64", requiresGrad: true });
  const optimizer = makeOptimizer([w]);
  const points: [number, number][] = [[...problem.start]];
  for (let t = 0; t < steps; t++) {
    const [x, y] = w.toFlatArray();
    w.grad = tensor(problem.grad(x, y), { dtype: "float64" });
    optimizer.step();
    const [x1, y1] = w.toFlatArray();
    points.push([x1, y1]);
    if (!Number.isFinite(problem.f(x1, y1))) break;
  }
  return points;
}
const fAt = (problem: Problem, points: [number, number][]) => problem.f(...points[points.length - 1]);
const firstBelow = (problem: Problem, points: [number, number][], level: number) => {
  const k = points.findIndex(([x, y]) => problem.f(x, y) < level);
  return k < 0 ? "—" : k;
};

const sgdPaths = [0.1, 0.45, 0.52].map((lr) => ({ name: `SGD, lr ${lr}`, points: descend(quadratic, (p) => new optim.SGD(p, { lr }), 60) }));
show(table(sgdPaths.map((path) => ({ run: path.name, "L after 60 steps": fAt(quadratic, path.points), "first step with L < 1e-3": firstBelow(quadratic, path.points, 1e-3) })), { digits: 3 }));
show(charts.lossSurfaceTrajectories({ f: quadratic.f, paths: sgdPaths.slice(0, 2), xRange: [-5, 5], yRange: [-4, 4], optimum: [0, 0], title: "Gradient descent on an ill-conditioned quadratic (κ = 20)" }));

// %% [markdown] -
// With $\eta = 0.1$ the path is smooth but crawls along the flat direction ($1 - 0.1\cdot0.2 = 0.98$ per step). With
// $\eta = 0.45$ every step overshoots the steep direction ($1 - 0.45\cdot4 = -0.8$) and the path **zig-zags** across the valley;
// it is still the faster of the two, because along the floor it shrinks the error by $1 - 0.45\cdot0.2 = 0.91$ per step. Going
// faster is impossible: at $\eta = 0.52$ the steep direction diverges ($|1 - 0.52\cdot 4| > 1$). The steep direction sets the
// largest learning rate, the flat one the number of steps: the condition number is gradient descent's speed limit.

// %% [markdown] slide
// ## 2. Momentum
//
// Momentum keeps a **velocity** $v$, a running sum of past gradients, and moves by it:
//
// $$v_t = \alpha\, v_{t-1} + \eta\, \nabla L(w_t), \qquad w_{t+1} = w_t - v_t .$$
//
// The momentum $\alpha$ (`momentum`) acts like **friction**: $\alpha = 0$ is plain gradient descent, and values between
// 0.9 and 0.999 are the usual ones (0.9 is the common default). Gradient components that flip sign from step to step
// (the zig-zag across a valley) cancel in the sum; components that keep their sign add up, to a step up to
// $1/(1-\alpha)$ times longer (10× for $\alpha = 0.9$). So momentum **dampens oscillations** and **accelerates** along
// consistent directions. With the best $\alpha$ on a quadratic, the error shrinks by $(\sqrt\kappa - 1)/(\sqrt\kappa + 1)$ per
// step (Polyak's heavy ball): 0.63 for $\kappa = 20$ instead of 0.905.
//
// PyTorch (and kernel-lib's `optim.SGD`, in `kernel-lib/src/optim/sgd.ts`) store $b = v/\eta$ instead:
// $b_t = \mu\, b_{t-1} + g_t$, $\;w_{t+1} = w_t - \eta\, b_t$ with $\mu = \alpha$. For a constant learning rate the two are the
// same algorithm; let us check it on the quadratic.

// %%
const [lrDemo, alpha] = [0.1, 0.9];
let wHand = [...quadratic.start], vHand = [0, 0]; // the form of Karmakar's lecture notes, by hand
const wEngine = tensor(quadratic.start, { dtype: "float64", requiresGrad: true });
const sgdMomentum = new optim.SGD([wEngine], { lr: lrDemo, momentum: alpha }); // PyTorch's form
let largestGap = 0;
for (let t = 0; t < 60; t++) {
  const g = quadratic.grad(wHand[0], wHand[1]);
  vHand = vHand.map((v, i) => alpha * v + lrDemo * g[i]);
  wHand = wHand.map((w, i) => w - vHand[i]);
  wEngine.grad = tensor(quadratic.grad(wEngine.data[0], wEngine.data[1]), { dtype: "float64" });
  sgdMomentum.step();
  largestGap = Math.max(largestGap, ...wHand.map((w, i) => Math.abs(w - wEngine.data[i])));
}
console.log(`60 steps: largest |w(lecture form) − w(optim.SGD)| = ${largestGap.toExponential(1)}`);

// %% [markdown] subslide
// ### Rolling through local minima and off saddle points
//
// A heavy ball keeps rolling where a careful walker stops. Two experiments with the same learning rate 0.01:
//
// - a double well $L(x) = x^4 - 3x^2 + x$ started at $x = 2$: a shallow local minimum near $x \approx 1.13$ ($L \approx -1.07$)
//   and the global one near $x \approx -1.30$ ($L \approx -3.51$);
// - a saddle $L(x, y) = x^2 - \tfrac12 y^2 + \tfrac14 y^4$ started at $(1, 10^{-3})$, almost exactly on the ridge; the minima are at
//   $(0, \pm1)$. We count the steps until $|y| > 0.5$.

// %% tags=slide-hide-code
const escapes: Record<string, unknown>[] = [];
for (const [name, momentum] of [["gradient descent", 0], ["momentum 0.9", 0.9]] as const) {
  const x = tensor([2], { dtype: "float64", requiresGrad: true });
  const opt1 = new optim.SGD([x], { lr: 0.01, momentum });
  for (let t = 0; t < 300; t++) {
    x.grad = tensor([4 * x.data[0] ** 3 - 6 * x.data[0] + 1], { dtype: "float64" });
    opt1.step();
  }
  const xy = tensor([1, 1e-3], { dtype: "float64", requiresGrad: true });
  const opt2 = new optim.SGD([xy], { lr: 0.01, momentum });
  let escapedAt = -1;
  for (let t = 1; t <= 2000 && escapedAt < 0; t++) {
    const [px, py] = xy.toFlatArray();
    xy.grad = tensor([2 * px, -py + py ** 3], { dtype: "float64" });
    opt2.step();
    if (Math.abs(xy.data[1]) > 0.5) escapedAt = t;
  }
  const xEnd = x.data[0];
  escapes.push({ optimizer: name, "double well: x after 300 steps": xEnd, "L(x)": xEnd ** 4 - 3 * xEnd ** 2 + xEnd, "saddle: steps until |y| > 0.5": escapedAt });
}
show(table(escapes, { digits: 3 }));

// %% [markdown] -
// Gradient descent settles in the first dip it meets; momentum carries the ball over the bump into the deeper well. Near
// the saddle the gradient in the escaping direction is tiny (it is $-y + y^3 \approx -y$, and $y$ starts at $10^{-3}$):
// gradient descent needs about 640 steps to leave, momentum about 100, because that small gradient accumulates in the velocity. (Momentum is no guarantee: a
// ball can also roll out of a good minimum. In high dimensions, saddle points are far more common than bad local minima,
// which is why escaping them quickly matters.)

// %% [markdown] slide
// ## 3. Nesterov's accelerated gradient
//
// Momentum will move the weights by about $\alpha v_{t-1}$ anyway. Nesterov's idea: compute the gradient **there**, at the
// look-ahead point, rather than where we stand (Figure 11-6 of Aurélien Géron's *Hands-On Machine Learning with Scikit-Learn, Keras, and TensorFlow* (chapter 11, "Training Deep Neural Networks") draws the two vectors):
//
// | | velocity | update |
// |---|---|---|
// | momentum | $v_t = \alpha\, v_{t-1} + \eta\,\nabla L(w_t)$ | $w_{t+1} = w_t - v_t$ |
// | Nesterov (NAG) | $v_t = \alpha\, v_{t-1} + \eta\,\nabla L(w_t - \alpha v_{t-1})$ | $w_{t+1} = w_t - v_t$ |
//
// If the velocity is about to carry us past the minimum, the look-ahead gradient already points back, so NAG brakes
// earlier and overshoots less.
//
// **PyTorch's formulation** (`nesterov: true`) avoids evaluating the gradient anywhere but at the parameters: it stores the
// look-ahead point $p_t = w_t - \alpha v_{t-1}$ *as* the parameter. Substituting gives
// $p_{t+1} = p_t - \eta\, g_t - \alpha v_t$ with $g_t = \nabla L(p_t)$, and with $v = \eta b$:
//
// $$b_t = \mu\, b_{t-1} + g_t, \qquad p_{t+1} = p_t - \eta\,(g_t + \mu\, b_t).$$

// %% [markdown] notes
// The derivation in one breath: write p = w − αv for the point where the gradient is taken; then p moves by
// −ηg − αv_t, and rewriting v = ηb gives PyTorch's two lines. So PyTorch's Nesterov never evaluates the gradient
// "somewhere else": its parameter *is* the look-ahead point. The cell below checks it to rounding error.

// %%
let wNag = [...quadratic.start], vNag = [0, 0]; // Karmakar's form: gradient at the look-ahead point
const pEngine = tensor(quadratic.start, { dtype: "float64", requiresGrad: true });
const nesterov = new optim.SGD([pEngine], { lr: lrDemo, momentum: alpha, nesterov: true });
let nagGap = 0;
for (let t = 0; t < 60; t++) {
  const lookAhead = wNag.map((w, i) => w - alpha * vNag[i]);
  const g = quadratic.grad(lookAhead[0], lookAhead[1]);
  vNag = vNag.map((v, i) => alpha * v + lrDemo * g[i]);
  wNag = wNag.map((w, i) => w - vNag[i]);
  pEngine.grad = tensor(quadratic.grad(pEngine.data[0], pEngine.data[1]), { dtype: "float64" });
  nesterov.step();
  // optim.SGD's parameter is the look-ahead point w − α·v of Karmakar's form
  nagGap = Math.max(nagGap, ...wNag.map((w, i) => Math.abs(w - alpha * vNag[i] - pEngine.data[i])));
}
console.log(`60 steps: largest |(w − α·v)(lecture form) − p(optim.SGD, nesterov)| = ${nagGap.toExponential(1)}`);
console.log(`L after 60 steps: momentum ${quadratic.f(wHand[0], wHand[1]).toExponential(2)}, Nesterov ${quadratic.f(pEngine.data[0], pEngine.data[1]).toExponential(2)}`);

// %% [markdown] slide
// ## 4. Adaptive learning rates
//
// Momentum uses one learning rate for every parameter. Adaptive methods give each parameter its own, following two
// rules of thumb: **decrease** a parameter's step when its gradient keeps **changing direction** (it is oscillating), and
// **increase** it when the gradient **stays the same** (it is on a steady slope). In practice they divide each gradient
// coordinate by a running measure of its size, so a steep coordinate takes small steps and a flat one large steps:
// what the ill-conditioned quadratic needed (fully so when its valleys are aligned with the coordinate axes, partly
// otherwise). All operations below are per coordinate.
//
// | method | state update | step | good for |
// |---|---|---|---|
// | **AdaGrad** (`optim.Adagrad`) | $s_t = s_{t-1} + g_t^2$ | $w \mathrel{-}= \eta\, g_t/(\sqrt{s_t} + \epsilon)$ | sparse problems (NLP, recommender systems), where rare features deserve big steps; but $s$ only grows, so the steps shrink like $1/\sqrt t$ and it **stops too early** on deep nets |
// | **RMSProp** (`optim.RMSprop`) | $s_t = \rho\, s_{t-1} + (1-\rho)\, g_t^2$ | $w \mathrel{-}= \eta\, g_t/(\sqrt{s_t} + \epsilon)$ | an average that forgets, so steps do not die out; a standard choice for RNNs. PyTorch calls $\rho$ `alpha` (default 0.99), Keras `rho` (0.9) |
// | **Adadelta** (`optim.Adadelta`) | $s_t$ as RMSProp; $\Delta_t = \frac{\sqrt{u_{t-1}+\epsilon}}{\sqrt{s_t+\epsilon}}\, g_t$; $u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2$ | $w \mathrel{-}= \Delta_t$ | **no learning rate to choose**: the step is measured in the units of past updates (`lr` = 1 is only a multiplier) |
// | **Adam** (`optim.Adam`) | momentum $m$ *and* RMSProp's $v$, both bias-corrected | $w \mathrel{-}= \eta\, \hat m_t/(\sqrt{\hat v_t} + \epsilon)$ | the default for most deep learning (next section) |
//
// Below, each optimizer is fed a **constant** gradient and an **alternating** gradient ($+1, -1, +1, \dots$), and we print
// its step size divided by `lr`. (The sources live in `kernel-lib/src/optim/`, one file per optimizer.)

// %% tags=slide-hide-code
/** |Δw| / lr at steps 1..steps, for a scalar parameter fed the gradients gradAt(t). */
function stepSizes(makeOptimizer: (params: Tensor[]) => Stepper, lrUsed: number, gradAt: (t: number) => number, steps: number): number[] {
  const w = tensor([0], { dtype: "float64", requiresGrad: true });
  const optimizer = makeOptimizer([w]);
  const sizes: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const before = w.data[0];
    w.grad = tensor([gradAt(t)], { dtype: "float64" });
    optimizer.step();
    sizes.push(Math.abs(w.data[0] - before) / lrUsed);
  }
  return sizes;
}
const adaptive: [string, (params: Tensor[]) => Stepper][] = [
  ["Adagrad", (p) => new optim.Adagrad(p, { lr: 0.01 })],
  ["RMSprop", (p) => new optim.RMSprop(p, { lr: 0.01 })],
  ["Adam", (p) => new optim.Adam(p, { lr: 0.01 })],
];
const at = [1, 2, 10, 100, 1000];
show(table(adaptive.flatMap(([name, make]) => {
  const constant = stepSizes(make, 0.01, () => 1, 1000);
  const alternating = stepSizes(make, 0.01, (t) => (t % 2 === 1 ? 1 : -1), 1000);
  return [["constant", constant], ["alternating", alternating]].map(([kind, sizes]) => {
    const row: Record<string, unknown> = { optimizer: name, gradient: kind };
    for (const t of at) row[`t = ${t}`] = (sizes as number[])[t - 1];
    return row;
  });
}), { digits: 3, caption: "step size / lr" }));

// %% [markdown] -
// - **AdaGrad**'s step falls like $1/\sqrt t$ whatever happens: 0.03 of `lr` after 1000 steps.
// - **RMSProp** forgets, so its step settles at `lr` for a constant gradient. Its first steps are *larger* than `lr`
//   (10× at $t = 1$ with $\rho = 0.99$): $s$ starts at 0, and nothing corrects for that. Adam's bias correction does.
// - **Adam** moves by exactly `lr` per step on a steady slope, and by a small fraction of it when the gradient keeps flipping
//   sign, because the momentum average of $+1, -1, \dots$ is close to 0: the two rules of thumb, built in.

// %% [markdown] slide
// ## 5. Adam
//
// Adam (Kingma & Ba, 2015) = momentum + RMSProp + bias correction. As PyTorch documents it (with $\eta$ = `lr`,
// $\beta_1, \beta_2$ = `betas`, $\epsilon$ = `eps`, $\lambda$ = `weightDecay`), starting from $m_0 = v_0 = 0$:
//
// $$\begin{aligned}
// g_t &= \nabla L(\theta_{t-1}) \;\; \big(+\, \lambda\,\theta_{t-1} \text{ if } \lambda \ne 0\big) \\
// m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t & \text{(first moment: momentum)}\\
// v_t &= \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 & \text{(second moment: RMSProp)}\\
// \hat m_t &= m_t / (1-\beta_1^t), \qquad \hat v_t = v_t / (1-\beta_2^t) & \text{(bias correction)}\\
// \theta_t &= \theta_{t-1} - \eta\, \hat m_t / \big(\sqrt{\hat v_t} + \epsilon\big)
// \end{aligned}$$
//
// With `amsgrad: true`, $\hat v_t$ uses $v^{\max}_t = \max(v^{\max}_{t-1}, v_t)$ instead of $v_t$, so the denominator never
// shrinks (AMSGrad, Reddi et al., 2018). PyTorch's `maximize` option simply negates $g_t$. **Defaults**: $\eta = 0.001$,
// $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$, in PyTorch and in kernel-lib (`kernel-lib/src/optim/adam.ts`, where
// $m$ is `expAvg` and $v$ is `expAvgSq`); Keras uses the same except $\epsilon = 10^{-7}$.

// %% [markdown] notes
// Adam's update is roughly lr · sign(g) when the gradient is steady and much smaller when it flips: a good mental model
// for why the default lr = 0.001 transfers across problems (it is a step length in parameter units, not a multiplier
// of the gradient).

// %% [markdown] subslide
// ### Why bias correction?
//
// Unrolling the average, $m_t = (1-\beta_1)\sum_{i=1}^{t} \beta_1^{\,t-i} g_i$. If the gradients have a constant mean $\mathbb E[g]$,
//
// $$\mathbb E[m_t] = \mathbb E[g]\,(1-\beta_1)\sum_{i=1}^{t}\beta_1^{\,t-i} = \mathbb E[g]\,(1-\beta_1^t),$$
//
// so $m_t$ is biased towards 0 (it started there) by exactly the factor $1-\beta_1^t$, and $\hat m_t = m_t/(1-\beta_1^t)$ removes
// it. The same holds for $v_t$ with $\beta_2$; since $\beta_2 = 0.999$ is so close to 1, $v_t$ stays biased for thousands of steps,
// and an uncorrected small denominator would make the first steps far too large. A constant gradient $g = 0.5$:

// %%
const [beta1, beta2, g] = [0.9, 0.999, 0.5];
let m = 0, v = 0;
const biasRows: Record<string, number>[] = [];
for (let t = 1; t <= 5000; t++) {
  m = beta1 * m + (1 - beta1) * g;
  v = beta2 * v + (1 - beta2) * g * g;
  if ([1, 2, 5, 10, 100, 1000, 5000].includes(t)) {
    const mHat = m / (1 - beta1 ** t), vHat = v / (1 - beta2 ** t);
    biasRows.push({ t, m_t: m, "m̂_t": mHat, v_t: v, "v̂_t": vHat, "step/lr, uncorrected": m / (Math.sqrt(v) + 1e-8), "step/lr, corrected": mHat / (Math.sqrt(vHat) + 1e-8) });
  }
}
show(table(biasRows, { digits: 5 }));
// Bias correction also makes Adam's first step about lr, whatever the scale of the gradient:
const firstSteps = [1e-3, 1, 1e3].map((scale) => stepSizes((p) => new optim.Adam(p, { lr: 0.01 }), 0.01, () => scale, 1)[0]);
console.log(`first Adam step / lr for gradients 0.001, 1, 1000: ${firstSteps.map((x) => x.toFixed(6)).join(", ")}`);

// %% [markdown] -
// Without correction the first step would be $0.05/\sqrt{0.00025} \approx 3.16$ times `lr`, growing to 6.5 times around step 10
// (the second moment lags behind the first) and still 1.3 times `lr` after 1000 steps; with it, the step is `lr` from the start. Adam's step size is set by `lr`, not by the size of the gradient, which is
// why the default `lr = 0.001` works across so many problems.

// %% [markdown] subslide
// ### The Adam family
//
// - **AdamW** (Loshchilov & Hutter, 2019; `optim.AdamW`): *decoupled* weight decay. Adam's L2 term $\lambda\theta$ enters $g_t$
//   and is then divided by $\sqrt{\hat v_t}$, so parameters with large gradients are barely regularized and parameters with
//   tiny ones are shrunk at full speed. AdamW shrinks the weights directly, $\theta \leftarrow (1-\eta\lambda)\,\theta$, outside
//   the adaptive step. The standard for large models such as transformers.
// - **NAdam** (Dozat, 2016; `optim.NAdam`): Adam with Nesterov's look-ahead on the momentum term; may converge faster on complex models.
// - **Adamax** (Kingma & Ba, 2015; `optim.Adamax`): replaces $\sqrt{v_t}$ by an exponentially weighted **infinity norm**
//   $u_t = \max(\beta_2 u_{t-1}, |g_t|)$, robust to rare huge gradients.
// - **AMSGrad** (`amsgrad: true`): the max of past $v_t$, which repairs a convergence flaw of Adam on some problems.
//
// AdamW versus "Adam + L2", on two weights starting at 1: $w_1$ has no gradient from the data, $w_2$ gets noisy gradients of
// size about 1 (the same noise for both optimizers). `lr` = 0.01, 300 steps.

// %%
const decay: Record<string, unknown>[] = [];
for (const weightDecay of [0.001, 0.01, 0.1]) {
  const row: Record<string, unknown> = { weightDecay, "(1 − lr·λ)^300": (1 - 0.01 * weightDecay) ** 300 };
  for (const [name, decoupledWeightDecay] of [["Adam + L2", false], ["AdamW", true]] as const) {
    const noise = new Generator(0);
    const w = tensor([1, 1], { dtype: "float64", requiresGrad: true });
    const adam = new optim.Adam([w], { lr: 0.01, weightDecay, decoupledWeightDecay });
    for (let t = 0; t < 300; t++) {
      w.grad = tensor([0, noise.normal()], { dtype: "float64" });
      adam.step();
    }
    row[`${name}: w₁`] = w.data[0];
    row[`${name}: w₂`] = w.data[1];
  }
  decay.push(row);
}
show(table(decay, { digits: 3 }));

// %% [markdown] -
// With Adam + L2, $w_1$ is driven to 0 whatever $\lambda$ is: its only gradient is $\lambda w_1$, and Adam normalizes that to a
// step of size `lr`, so $\lambda = 0.001$ regularizes as hard as $\lambda = 0.1$. AdamW shrinks $w_1$ by exactly
// $(1-\eta\lambda)^{300}$, as the formula says. For $w_2$ the two agree, but only by accident: its gradients have size about 1,
// so dividing the L2 term by $\sqrt{\hat v} \approx 1$ changes nothing. In a real network gradient sizes differ by orders of
// magnitude between parameters, and only AdamW gives all of them the decay you asked for. (Lesson 8 comes back to weight decay.)

// %% [markdown] slide
// ## 6. Trajectories side by side
//
// Each optimizer on the quadratic from section 1, **with its best learning rate** from the grid 0.01, 0.03, 0.1, 0.3, 1
// (lowest $L$ after 60 steps). Momentum methods use $\mu = 0.9$; the rest use their defaults.

// %% tags=slide-side-by-side,slide-hide-code
type Contender = [string, (params: Tensor[], lr: number) => Stepper];
const contenders: Contender[] = [
  ["SGD", (p, lr) => new optim.SGD(p, { lr })],
  ["momentum", (p, lr) => new optim.SGD(p, { lr, momentum: 0.9 })],
  ["Nesterov", (p, lr) => new optim.SGD(p, { lr, momentum: 0.9, nesterov: true })],
  ["Adagrad", (p, lr) => new optim.Adagrad(p, { lr })],
  ["RMSprop", (p, lr) => new optim.RMSprop(p, { lr })],
  ["Adam", (p, lr) => new optim.Adam(p, { lr })],
];
/** For each optimizer, the run with the learning rate from `grid` that ends lowest. */
function race(problem: Problem, grid: number[], steps: number, level: number) {
  return contenders.map(([name, make]) => {
    let best = { lr: NaN, points: [problem.start] as [number, number][], final: Infinity };
    for (const lrTried of grid) {
      const points = descend(problem, (p) => make(p, lrTried), steps);
      const final = fAt(problem, points);
      if (points.length === steps + 1 && final < best.final) best = { lr: lrTried, points, final };
    }
    return { name, ...best, reached: firstBelow(problem, best.points, level) };
  });
}
const quadraticRace = race(quadratic, [0.01, 0.03, 0.1, 0.3, 1], 60, 1e-3);
show(table(quadraticRace.map((r) => ({ optimizer: r.name, "best lr": r.lr, "L after 60 steps": r.final, "first step with L < 1e-3": r.reached })), { digits: 3 }));
// Long runs are thinned to about 100 points per path so the charts stay small (the first and last points are kept).
const thin = (points: [number, number][]) => points.filter((_, i) => i % Math.max(1, Math.ceil(points.length / 100)) === 0 || i === points.length - 1);
const pathsOf = (results: ReturnType<typeof race>, from: number) => results.slice(from, from + 3).map((r) => ({ name: `${r.name} (lr ${r.lr})`, points: thin(r.points) }));
show(charts.lossSurfaceTrajectories({ f: quadratic.f, paths: pathsOf(quadraticRace, 0), xRange: [-5, 5], yRange: [-4, 4], optimum: [0, 0], title: "Quadratic, 60 steps: SGD and momentum" }));
show(charts.lossSurfaceTrajectories({ f: quadratic.f, paths: pathsOf(quadraticRace, 3), xRange: [-5, 5], yRange: [-4, 4], optimum: [0, 0], title: "Quadratic, 60 steps: adaptive methods" }));

// %% [markdown] -
// - **Momentum** with $\mu = 0.9$ is *under-damped* on this small, noise-free problem: the ball overshoots and circles the
//   minimum (Polyak's best $\mu$ for $\kappa = 20$ is $\big((\sqrt\kappa-1)/(\sqrt\kappa+1)\big)^2 \approx 0.40$). **Nesterov**'s look-ahead
//   brakes in time and wins among the first three.
// - **RMSProp** and **Adam** divide by the size of each coordinate's gradient, which partly undoes the bad conditioning. RMSProp's
//   first steps are 10× too long (no bias correction: see its jump at the start); Adam's steps stay about `lr` long, so with a
//   fixed `lr` it hovers around the minimum instead of settling.

// %% [markdown] subslide
// ### Rosenbrock's function
//
// $L(x, y) = (1-x)^2 + 100\,(y - x^2)^2$: a curved, flat-bottomed banana-shaped valley with its minimum at $(1, 1)$, a classic
// torture test. 1000 steps from $(-1.5, 2)$, learning rates from $10^{-4}$ to 0.1 (larger ones make the adaptive methods
// jump far out of the valley before they come back, which makes for a confusing picture).

// %% tags=slide-side-by-side
const rosenbrock: Problem = {
  f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  start: [-1.5, 2],
};
const rosenbrockRace = race(rosenbrock, [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1], 1000, 1e-3);
show(table(rosenbrockRace.map((r) => ({ optimizer: r.name, "best lr": r.lr, "L after 1000 steps": r.final, "first step with L < 1e-3": r.reached })), { digits: 3 }));
show(charts.lossSurfaceTrajectories({ f: rosenbrock.f, paths: pathsOf(rosenbrockRace, 0), xRange: [-2, 2], yRange: [-1, 3], optimum: [1, 1], title: "Rosenbrock, 1000 steps: SGD and momentum" }));
show(charts.lossSurfaceTrajectories({ f: rosenbrock.f, paths: pathsOf(rosenbrockRace, 3), xRange: [-2, 2], yRange: [-1, 3], optimum: [1, 1], title: "Rosenbrock, 1000 steps: adaptive methods" }));

// %% [markdown] -
// - **SGD** needs a learning rate small enough for the steep walls of the valley ($10^{-3}$; more diverges) and then crawls along
//   its flat floor: after 1000 steps it is not even halfway.
// - **Momentum** and **Nesterov** build up speed along the floor and reach $L < 10^{-3}$ in about 670 and 560 steps; Nesterov
//   zig-zags less at the start and arrives first.
// - **Adam** gets there in about 640 steps and ends lowest. **RMSProp** hovers near $L \approx 0.05$: with a fixed learning rate its
//   steps never get shorter than about `lr` (a reason to decay the learning rate, lesson 7).
// - **AdaGrad**'s shrinking steps leave it at the bottom of the curve, far from the minimum: it stopped too early.
//
// Two-dimensional pictures are only a caricature of a loss with millions of parameters and noisy mini-batch gradients.
// Time for a real network.

// %% [markdown] slide
// ## 7. Which optimizer?
//
// Géron's summary (Table 11-2; more stars = better):
//
// | class | convergence speed | convergence quality |
// |---|---|---|
// | `SGD` | ★ | ★★★ |
// | `SGD(momentum=...)` | ★★ | ★★★ |
// | `SGD(momentum=..., nesterov=True)` | ★★ | ★★★ |
// | `Adagrad` | ★★★ | ★ (stops too early) |
// | `RMSprop` | ★★★ | ★★ or ★★★ |
// | `Adam` | ★★★ | ★★ or ★★★ |
// | `Nadam` | ★★★ | ★★ or ★★★ |
// | `AdaMax` | ★★★ | ★★ or ★★★ |
//
// **Our measurement**: the same MLP (784 → 32 → ReLU → 10, same initial weights, same data order) trained on 2000 MNIST digits for
// 5 epochs, batch size 32, validated on 500 others. Each optimizer gets its usual learning rate (the framework default where
// there is one; 0.1 for plain SGD, 0.01 with momentum, 0.001 for RMSprop as in Keras).

// %% tags=slide-hide-code
const digits = data.loadDigits({ train: 2000, test: 500, seed: 0 });
const mnistContenders: [string, string, (params: Tensor[]) => optim.Optimizer][] = [
  ["SGD", "0.1", (p) => new optim.SGD(p, { lr: 0.1 })],
  ["SGD + momentum 0.9", "0.01", (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9 })],
  ["SGD + Nesterov 0.9", "0.01", (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true })],
  ["Adagrad", "0.01", (p) => new optim.Adagrad(p, { lr: 0.01 })],
  ["RMSprop", "0.001", (p) => new optim.RMSprop(p, { lr: 0.001 })],
  ["Adam", "0.001", (p) => new optim.Adam(p, { lr: 0.001 })],
  ["NAdam", "0.002", (p) => new optim.NAdam(p, { lr: 0.002 })],
  ["Adamax", "0.002", (p) => new optim.Adamax(p, { lr: 0.002 })],
];
const curves: { epoch: number; optimizer: string; "train loss": number }[] = [];
const results = mnistContenders.map(([name, lrText, make]) => {
  manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(784, 32), new nn.ReLU(), new nn.Linear(32, 10));
  const history = fit(model, { x: digits.xTrain, y: digits.yTrain }, {
    optimizer: make(model.parameters()), loss: F.crossEntropy, epochs: 5, batchSize: 32, seed: 0,
    validation: { x: digits.xTest, y: digits.yTest }, metrics: ["accuracy"], progress: "auto",
  });
  history.epochs.forEach((e, i) => curves.push({ epoch: i + 1, optimizer: name, "train loss": e.loss }));
  const reached = history.epochs.findIndex((e) => e.valAccuracy >= 0.88);
  return {
    optimizer: name, lr: lrText, "train loss": history.last.loss, "val loss": history.last.valLoss,
    "train acc": history.last.accuracy, "val acc": history.last.valAccuracy, "epochs to 88 % val acc": reached < 0 ? "—" : reached + 1,
  };
});
show(table(results, { digits: 3, caption: "after 5 epochs" }));
show(charts.line(curves, { x: "epoch", y: "train loss", color: "optimizer", xType: "ordinal", logY: true, title: "Training loss per epoch (mean over the epoch's mini-batches)" }));

// %% [markdown] -
// With each optimizer's usual learning rate, the differences on this small problem are modest, and not all of them are those
// of Table 11-2: NAdam and RMSprop lower the training loss fastest, Adam and Adamax with their cautious default rates are the
// slowest, and plain SGD with a well-chosen learning rate of 0.1 is competitive. The validation accuracies all lie within
// about two points of each other. Two lessons: the learning rate matters at least as much as the optimizer's name (lesson 7's
// range test finds a good one quickly), and how fast an optimizer fits the training set says little about how well the result
// generalizes. Wilson et al. (2017) even found adaptive methods generalizing *worse* than well-tuned SGD with momentum on
// image and language tasks: simpler optimizers such as Nesterov momentum may generalize better.

// %% [markdown] notes
// The numbers depend on the seed and on the learning rates picked; invite students to change `epochs` or the learning
// rates and rerun. The qualitative picture (adaptive methods fast on training loss, validation close together) is robust.

// %% [markdown] subslide
// ### The one-liners
//
// | | PyTorch | Keras | kernel-lib |
// |---|---|---|---|
// | SGD | `torch.optim.SGD(model.parameters(), lr=0.01)` | `keras.optimizers.SGD(learning_rate=0.01)` | `new optim.SGD(model.parameters(), { lr: 0.01 })` |
// | momentum | `SGD(..., lr=0.01, momentum=0.99)` | `SGD(momentum=0.99)` | `new optim.SGD(params, { lr: 0.01, momentum: 0.99 })` |
// | Nesterov | `SGD(..., momentum=0.99, nesterov=True)` | `SGD(momentum=0.99, nesterov=True)` | `new optim.SGD(params, { lr: 0.01, momentum: 0.99, nesterov: true })` |
// | Adam | `torch.optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-8)` | `keras.optimizers.Adam()` | `new optim.Adam(params, { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8 })` |
// | AdamW | `torch.optim.AdamW(..., weight_decay=0.01)` | `keras.optimizers.AdamW(weight_decay=0.004)` | `new optim.AdamW(params, { weightDecay: 0.01 })` |
// | others | `Adagrad`, `RMSprop`, `Adadelta`, `NAdam`, `Adamax` | `Adagrad`, `RMSprop`, `Adadelta`, `Nadam`, `Adamax` | `optim.Adagrad`, `optim.RMSprop`, `optim.Adadelta`, `optim.NAdam`, `optim.Adamax` |
//
// Every kernel-lib optimizer has PyTorch's shape: `step()`, `zeroGrad()`, `paramGroups` (e.g. a smaller `lr` for some layers),
// per-parameter `state`, and `stateDict()` / `loadStateDict()` (`kernel-lib/src/optim/optimizer.ts`).

// %% [markdown] slide
// ## Summary
//
// - Plain SGD zig-zags across narrow valleys and crawls along them: its speed is limited by the condition number.
// - **Momentum** ($v_t = \alpha v_{t-1} + \eta\nabla L$, $\alpha \approx 0.9$) averages away the zig-zag, accelerates along steady
//   directions, and rolls through small dips and off saddles. **Nesterov** takes the gradient at the look-ahead point; PyTorch
//   stores that point as the parameter.
// - **Adaptive** methods scale each coordinate by its gradient history: AdaGrad (stops too early), RMSProp (forgets), Adadelta
//   (no learning rate), **Adam** (momentum + RMSProp + bias correction; `lr` 0.001, betas 0.9 and 0.999, eps 1e-8).
// - **AdamW** decouples weight decay; NAdam adds Nesterov; Adamax uses the infinity norm; AMSGrad a running max.
// - Measured: adaptive methods fit the training set fastest; validation results are close; well-tuned SGD with momentum
//   is still a strong, sometimes better-generalizing choice.

// %% [markdown] slide
// ## Exercises
//
// Open `exercises/06-optimizers.ts` and write one step of five optimizers on plain arrays (each returns new arrays and
// leaves its inputs untouched):
//
// 1. `momentumStep(w, g, v, { lr, momentum })`: $v \leftarrow \alpha v + \eta g$, $w \leftarrow w - v$.
// 2. `nesterovStep(w, v, gradAt, { lr, momentum })`: the same with the gradient taken at the look-ahead point $w - \alpha v$.
// 3. `rmspropStep(w, g, s, { lr, rho, eps })`: $s \leftarrow \rho s + (1-\rho) g^2$, $w \leftarrow w - \eta\, g/(\sqrt s + \epsilon)$.
// 4. `adamStep(w, g, m, v, t, { lr, beta1, beta2, eps })`: one Adam step with bias correction at step $t$ (1 for the first step).
// 5. `adamwStep(w, g, m, v, t, { …, weightDecay })`: AdamW, the decay decoupled from the gradient (not Adam + L2).
//
// The grader checks them against hand-computed values and against kernel-lib's `optim.SGD`, `optim.RMSprop`, `optim.Adam` and `optim.AdamW`
// over many steps. From a terminal at the root of the repository:
//
// ```
// npm run check -- 06
// ```

// %% fragment
// In a TypeScript file you would write `import * as ex from "../exercises/06-optimizers";`.
// The notebook kernel only compiles files inside notebooks/, so we load the exercise file through tsx.
const { require: requireTs } = require("tsx/cjs/api") as { require: (id: string, fromFile: string) => unknown };
const ex = requireTs("../exercises/06-optimizers", `${process.cwd()}/lesson.js`) as {
  momentumStep(w: number[], g: number[], v: number[], hp: { lr: number; momentum: number }): { w: number[]; v: number[] };
};
try {
  const next = ex.momentumStep([1, -2], [0.5, 0.5], [0, 0], { lr: 0.1, momentum: 0.9 });
  console.log(`momentumStep: w = ${JSON.stringify(next.w)}, v = ${JSON.stringify(next.v)} (expected w = [0.95,-2.05], v = [0.05,0.05])`);
} catch (e) {
  console.log((e as Error).message);
}

// %% [markdown] skip
// ### Check your exercises in the notebook
//
// Save `exercises/06-optimizers.ts` and run the next cell: it grades the file with the same tests and points as
// `npm run check -- 06` (it runs that command), and shows each test with expected vs got and a hint. Run it
// again after every change. (`check` comes from `notebooks/check.ts`, next to the lessons.)

// %% skip
import { check } from "./check";
await check("06");
