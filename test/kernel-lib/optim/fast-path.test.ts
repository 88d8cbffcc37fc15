/**
 * Adam's and SGD's fast path (WebAssembly SIMD, float32) against the loops in
 * optim/adam.ts and optim/sgd.ts, through the public optimizers: the same
 * training run with the WebAssembly kernels and with the reference kernels
 * (which turn the fast path off) must agree to float32 rounding.
 */
import { describe, expect, it } from "vitest";
import { Generator, type Tensor, backend, optim, randn, tensor } from "kernel-lib";
import { randomF32 } from "../../helpers/backend-oracle";

const fast = backend.optimizerKernels();

/** 20 steps on fixed random gradients with the given kernels; the parameters' and state's final values. */
function run(kernels: backend.Kernels, n: number, make: (w: Tensor[]) => optim.Optimizer) {
  const previous = backend.setKernels(kernels);
  try {
    const w = tensor(randomF32(n, n)).requiresGrad_();
    const opt = make([w]);
    for (let t = 1; t <= 20; t++) {
      w.grad = tensor(randomF32(n, 1000 * t + n));
      opt.step();
    }
    const state = opt.state.get(w) as Record<string, unknown>;
    const buffers = Object.fromEntries(Object.entries(state).filter(([, v]) => ArrayBuffer.isView(v)).map(([k, v]) => [k, [...(v as Float32Array)]]));
    return { p: [...w.data], buffers };
  } finally {
    backend.setKernels(previous);
  }
}

function expectWithin(got: number[], want: number[], tolerance: (w: number) => number, what: string): void {
  expect(got.length).toBe(want.length);
  got.forEach((x, i) => expect(Math.abs(x - want[i]), `${what}[${i}]: ${x} against ${want[i]}`).toBeLessThanOrEqual(tolerance(want[i])));
}

describe.skipIf(fast === null)("the optimizers' WebAssembly fast path equals their loops (float32)", () => {
  const adamCases: [string, Partial<optim.AdamOptions>][] = [
    ["Adam", {}],
    ["Adam with L2 weight decay", { weightDecay: 0.01 }],
    ["AdamW (decoupled decay)", { weightDecay: 0.01, decoupledWeightDecay: true }],
    ["AMSGrad", { amsgrad: true }],
  ];
  for (const [name, options] of adamCases) {
    it.each([1, 3, 17, 129, 4099])(`${name}, %i values, 20 steps`, (n) => {
      const make = (w: Tensor[]) => new optim.Adam(w, options);
      const got = run(backend.kernels(), n, make);
      const want = run(backend.cpuKernels, n, make);
      // 20 steps of at most 1e-3 each: p moves by ~1e-2, so float32 rounding of p (≤ 6e-8 near 1, twice
      // per step in AdamW's loop: the shrink, then the step) dominates: 20 · 2 · 6e-8 ≈ 2.4e-6 at worst.
      expectWithin(got.p, want.p, () => 2e-6, "p");
      expectWithin(got.buffers.expAvg, want.buffers.expAvg, (w) => 1e-6 * Math.max(1, Math.abs(w)), "m");
      expectWithin(got.buffers.expAvgSq, want.buffers.expAvgSq, (w) => 1e-6 * Math.max(1e-3, Math.abs(w)), "v");
    });
  }

  const sgdCases: [string, Partial<optim.SGDOptions>][] = [
    ["plain", {}],
    ["with weight decay", { weightDecay: 0.01 }],
    ["momentum 0.9, dampening 0.1, weight decay", { momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }],
    ["Nesterov", { momentum: 0.9, nesterov: true }],
  ];
  for (const [name, options] of sgdCases) {
    it.each([1, 3, 17, 129, 4099])(`SGD ${name}, %i values, 20 steps`, (n) => {
      const make = (w: Tensor[]) => new optim.SGD(w, { lr: 0.01, ...options });
      const got = run(backend.kernels(), n, make);
      const want = run(backend.cpuKernels, n, make);
      // Each step moves p by at most ~0.1 (lr 0.01, |b| ≤ 10): float32 rounding of p and b dominates.
      const tol = (w: number) => 2e-6 * Math.max(1, Math.abs(w));
      expectWithin(got.p, want.p, tol, "p");
      if (options.momentum) expectWithin(got.buffers.momentumBuffer, want.buffers.momentumBuffer, tol, "buf");
    });
  }

  it("float64 parameters take the loop: the same values with either kernels", () => {
    const make = (w: Tensor[]) => new optim.Adam(w, { lr: 0.01 });
    const train = (kernels: backend.Kernels) => {
      const previous = backend.setKernels(kernels);
      try {
        const w = randn([33], { generator: new Generator(5), dtype: "float64" }).requiresGrad_();
        const opt = make([w]);
        for (let t = 0; t < 5; t++) {
          opt.zeroGrad();
          w.square().sum().backward();
          opt.step();
        }
        return [...w.data];
      } finally {
        backend.setKernels(previous);
      }
    };
    expect(train(backend.kernels())).toEqual(train(backend.cpuKernels));
  });
});

describe.skipIf(fast === null)("optimizer state in WebAssembly memory", () => {
  it("a state store keeps float32 state in shared memory, float64 state in plain arrays", () => {
    const store = fast!.createStateStore();
    const a = store.zeros(new Float32Array(1), 5);
    const b = store.zeros(new Float32Array(1), 3);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 20); // no overlap
    expect(store.zeros(new Float64Array(1), 2)).toBeInstanceOf(Float64Array);
  });

  it.each([5, 129])("Adam (AMSGrad) and SGD with state in a store give exactly what state copied in and out gives (%i values)", (n) => {
    const store = fast!.createStateStore();
    const stepBoth = (zeros: (n: number) => Float32Array) => {
      const p = randomF32(n, 1);
      const [m, v, vMax, buf] = [zeros(n), zeros(n), zeros(n), zeros(n)];
      const q = randomF32(n, 2);
      for (let t = 1; t <= 10; t++) {
        const grad = randomF32(n, 100 + t);
        expect(fast!.adam(p, grad, m, v, vMax, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, t })).toBe(true);
        expect(fast!.sgd(q, grad, buf, { lr: 0.01, weightDecay: 0, momentum: 0.9, dampening: 0, nesterov: true, first: t === 1 })).toBe(true);
      }
      return [p, m, v, vMax, q, buf].map((a) => [...a]);
    };
    const inStore = stepBoth((k) => store.zeros(new Float32Array(1), k) as Float32Array);
    const copied = stepBoth((k) => new Float32Array(k));
    expect(inStore).toEqual(copied);
  });

  it("the fast path declines anything but float32, leaving the arrays untouched", () => {
    const p = new Float64Array([1, 2]);
    expect(fast!.sgd(p, new Float64Array([1, 1]), null, { lr: 0.1, weightDecay: 0, momentum: 0, dampening: 0, nesterov: false, first: false })).toBe(false);
    expect([...p]).toEqual([1, 2]);
  });
});
