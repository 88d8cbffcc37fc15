import { describe, expect, it } from "vitest";
import { type DType, type Tensor, matmul, optim, tensor } from "kernel-lib";

/*
 * 20 steps of every optimizer on a tiny 2→3→1 tanh network with fixed weights
 * and data, against a re-implementation in this file that uses plain JS
 * numbers: its own forward/backward pass by hand and each update rule written
 * the way PyTorch's code writes it (e.g. Adam's step as lr/bc1 · m / (√v/√bc2 + eps)).
 */

const X = [[0.5, -1.0], [1.5, 0.3], [-0.7, 0.8], [0.2, 2.0]];
const Y = [0.3, -0.4, 0.9, 0.1];
// Parameters in the order W1 (2×3, row-major), b1 (3), W2 (3×1), b2 (1).
const INIT = [
  [0.4, -0.3, 0.7, -0.5, 0.2, 0.6],
  [0.1, -0.2, 0.05],
  [0.8, -0.6, 0.3],
  [-0.1],
];

// ---- the library side: the network built from primitives ------------------------------------

function libraryRun(make: (params: Tensor[]) => optim.Optimizer, steps: number, dtype: DType): number[] {
  const [w1, b1, w2, b2] = INIT.map((values, i) =>
    tensor(values, { dtype, requiresGrad: true, shape: [[2, 3], [3], [3, 1], [1]][i] }),
  );
  const x = tensor(X, { dtype });
  const y = tensor(Y, { dtype, shape: [4, 1] });
  const opt = make([w1, b1, w2, b2]);
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const yHat = matmul(matmul(x, w1).add(b1).tanh(), w2).add(b2);
    yHat.sub(y).square().mean().backward();
    opt.step();
  }
  return [w1, b1, w2, b2].flatMap((p) => p.toFlatArray());
}

// ---- the reference side: plain numbers ----------------------------------------------------

/** The loss mean((ŷ − y)²) differentiated by hand; θ = [W1 (6), b1 (3), W2 (3), b2 (1)]. */
function referenceGradient(theta: number[]): number[] {
  const W1 = (k: number, j: number): number => theta[k * 3 + j];
  const grad = new Array<number>(theta.length).fill(0);
  const N = X.length;
  for (let n = 0; n < N; n++) {
    const h = [0, 1, 2].map((j) => Math.tanh(X[n][0] * W1(0, j) + X[n][1] * W1(1, j) + theta[6 + j]));
    const yHat = h[0] * theta[9] + h[1] * theta[10] + h[2] * theta[11] + theta[12];
    const dY = (2 * (yHat - Y[n])) / N;
    for (let j = 0; j < 3; j++) {
      grad[9 + j] += dY * h[j];
      const dZ = dY * theta[9 + j] * (1 - h[j] * h[j]);
      grad[6 + j] += dZ;
      grad[j] += dZ * X[n][0];
      grad[3 + j] += dZ * X[n][1];
    }
    grad[12] += dY;
  }
  return grad;
}

/** An update rule on the whole parameter vector (all rules are elementwise, with one step count). */
type Rule = (theta: number[], grad: number[], t: number) => void;

function referenceRun(makeRule: () => Rule, steps: number): number[] {
  const theta = INIT.flat();
  const rule = makeRule();
  for (let t = 1; t <= steps; t++) rule(theta, referenceGradient(theta), t);
  return theta;
}

const zeros = (): number[] => new Array<number>(13).fill(0);

function sgdRule(lr: number, momentum = 0, dampening = 0, wd = 0, nesterov = false): () => Rule {
  return () => {
    const buf = zeros();
    return (theta, grad, t) => theta.forEach((p, i) => {
      let d = grad[i] + wd * p;
      if (momentum !== 0) {
        buf[i] = t === 1 ? d : momentum * buf[i] + (1 - dampening) * d;
        d = nesterov ? d + momentum * buf[i] : buf[i];
      }
      theta[i] = p - lr * d;
    });
  };
}

function adagradRule(lr: number, lrDecay = 0, wd = 0, init = 0, eps = 1e-10): () => Rule {
  return () => {
    const sum = zeros().map(() => init);
    return (theta, grad, t) => theta.forEach((p, i) => {
      const d = grad[i] + wd * p;
      sum[i] += d * d;
      theta[i] = p - (lr / (1 + (t - 1) * lrDecay)) * (d / (Math.sqrt(sum[i]) + eps));
    });
  };
}

function rmspropRule(lr: number, alpha = 0.99, eps = 1e-8, wd = 0, momentum = 0, centered = false): () => Rule {
  return () => {
    const sq = zeros(), gAvg = zeros(), buf = zeros();
    return (theta, grad) => theta.forEach((p, i) => {
      const d = grad[i] + wd * p;
      sq[i] = alpha * sq[i] + (1 - alpha) * d * d;
      let avg = Math.sqrt(sq[i]) + eps;
      if (centered) {
        gAvg[i] = alpha * gAvg[i] + (1 - alpha) * d;
        avg = Math.sqrt(sq[i] - gAvg[i] * gAvg[i]) + eps;
      }
      if (momentum > 0) {
        buf[i] = momentum * buf[i] + d / avg;
        theta[i] = p - lr * buf[i];
      } else {
        theta[i] = p - lr * (d / avg);
      }
    });
  };
}

function adadeltaRule(lr = 1, rho = 0.9, eps = 1e-6, wd = 0): () => Rule {
  return () => {
    const sq = zeros(), acc = zeros();
    return (theta, grad) => theta.forEach((p, i) => {
      const d = grad[i] + wd * p;
      sq[i] = rho * sq[i] + (1 - rho) * d * d;
      const delta = (Math.sqrt(acc[i] + eps) / Math.sqrt(sq[i] + eps)) * d;
      acc[i] = rho * acc[i] + (1 - rho) * delta * delta;
      theta[i] = p - lr * delta;
    });
  };
}

function adamRule(lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0, amsgrad = false, decoupled = false): () => Rule {
  return () => {
    const m = zeros(), v = zeros(), vMax = zeros();
    return (theta, grad, t) => theta.forEach((p0, i) => {
      let p = p0;
      let d = grad[i];
      if (decoupled) p *= 1 - lr * wd;
      else d += wd * p;
      m[i] += (d - m[i]) * (1 - b1); // PyTorch's lerp form
      v[i] = v[i] * b2 + (1 - b2) * d * d;
      const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t;
      vMax[i] = Math.max(vMax[i], v[i]);
      const denom = Math.sqrt(amsgrad ? vMax[i] : v[i]) / Math.sqrt(bc2) + eps;
      theta[i] = p - (lr / bc1) * (m[i] / denom);
    });
  };
}

function adamaxRule(lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0): () => Rule {
  return () => {
    const m = zeros(), u = zeros();
    return (theta, grad, t) => theta.forEach((p, i) => {
      const d = grad[i] + wd * p;
      m[i] += (d - m[i]) * (1 - b1);
      u[i] = Math.max(u[i] * b2, Math.abs(d) + eps);
      theta[i] = p - (lr / (1 - b1 ** t)) * (m[i] / u[i]);
    });
  };
}

function nadamRule(lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0, psi = 4e-3, decoupled = false): () => Rule {
  return () => {
    const m = zeros(), v = zeros();
    let muProduct = 1;
    return (theta, grad, t) => {
      const mu = b1 * (1 - 0.5 * 0.96 ** (t * psi));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
      muProduct *= mu;
      theta.forEach((p0, i) => {
        let p = p0;
        let d = grad[i];
        if (decoupled) p *= 1 - lr * wd;
        else d += wd * p;
        m[i] += (d - m[i]) * (1 - b1);
        v[i] = v[i] * b2 + (1 - b2) * d * d;
        const denom = Math.sqrt(v[i] / (1 - b2 ** t)) + eps;
        p += (-lr * (1 - mu)) / (1 - muProduct) * (d / denom);
        p += (-lr * muNext) / (1 - muProduct * muNext) * (m[i] / denom);
        theta[i] = p;
      });
    };
  };
}

// ---- the comparisons ------------------------------------------------------------------

const cases: [string, (params: Tensor[]) => optim.Optimizer, () => Rule][] = [
  ["SGD", (ps) => new optim.SGD(ps, { lr: 0.1 }), sgdRule(0.1)],
  ["SGD momentum, dampening, weightDecay", (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }), sgdRule(0.05, 0.9, 0.1, 0.01)],
  ["SGD nesterov", (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.8, nesterov: true }), sgdRule(0.05, 0.8, 0, 0, true)],
  ["Adagrad", (ps) => new optim.Adagrad(ps, { lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1 }), adagradRule(0.1, 0.01, 0.01, 0.1)],
  ["RMSprop", (ps) => new optim.RMSprop(ps), rmspropRule(0.01)],
  ["RMSprop centered, momentum, weightDecay", (ps) => new optim.RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.9, weightDecay: 0.01 }), rmspropRule(0.01, 0.99, 1e-8, 0.01, 0.9, true)],
  ["Adadelta", (ps) => new optim.Adadelta(ps, { weightDecay: 0.01 }), adadeltaRule(1, 0.9, 1e-6, 0.01)],
  ["Adam", (ps) => new optim.Adam(ps, { lr: 0.05 }), adamRule(0.05)],
  ["Adam amsgrad, L2", (ps) => new optim.Adam(ps, { lr: 0.05, betas: [0.8, 0.99], amsgrad: true, weightDecay: 0.05 }), adamRule(0.05, 0.8, 0.99, 1e-8, 0.05, true)],
  ["AdamW", (ps) => new optim.AdamW(ps, { lr: 0.05, weightDecay: 0.1 }), adamRule(0.05, 0.9, 0.999, 1e-8, 0.1, false, true)],
  ["Adamax", (ps) => new optim.Adamax(ps, { lr: 0.05, weightDecay: 0.01 }), adamaxRule(0.05, 0.9, 0.999, 1e-8, 0.01)],
  ["NAdam", (ps) => new optim.NAdam(ps, { lr: 0.05, weightDecay: 0.01 }), nadamRule(0.05, 0.9, 0.999, 1e-8, 0.01)],
  ["NAdam decoupled", (ps) => new optim.NAdam(ps, { lr: 0.05, weightDecay: 0.1, decoupledWeightDecay: true }), nadamRule(0.05, 0.9, 0.999, 1e-8, 0.1, 4e-3, true)],
];

function maxRelativeError(a: number[], b: number[]): number {
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(1, Math.abs(b[i]))));
}

describe("20 steps on a 2→3→1 tanh network match a plain-number re-implementation", () => {
  it.each(cases)("%s, float64 parameters (≤ 1e-10)", (_name, make, rule) => {
    const ours = libraryRun(make, 20, "float64");
    const reference = referenceRun(rule, 20);
    expect(maxRelativeError(ours, reference)).toBeLessThan(1e-10);
    // The parameters moved: the comparison is not between two unchanged copies of INIT.
    expect(maxRelativeError(reference, INIT.flat())).toBeGreaterThan(1e-3);
  });

  it.each(cases)("%s, float32 parameters (≤ 1e-4)", (_name, make, rule) => {
    const ours = libraryRun(make, 20, "float32");
    expect(maxRelativeError(ours, referenceRun(rule, 20))).toBeLessThan(1e-4);
  });

  it("the loss goes down with Adam", () => {
    const loss = (theta: number[]): number =>
      X.reduce((s, x, n) => {
        const h = [0, 1, 2].map((j) => Math.tanh(x[0] * theta[j] + x[1] * theta[3 + j] + theta[6 + j]));
        const yHat = h[0] * theta[9] + h[1] * theta[10] + h[2] * theta[11] + theta[12];
        return s + (yHat - Y[n]) ** 2 / X.length;
      }, 0);
    const after = libraryRun((ps) => new optim.Adam(ps, { lr: 0.05 }), 20, "float64");
    expect(loss(after)).toBeLessThan(0.5 * loss(INIT.flat()));
  });
});
