import { F, Generator, backend, nn, noGrad, optim, tensor, tidy, type Tensor } from "kernel-lib";
import type { BenchConfig } from "./config";
import type { Row } from "./harness";
import { timeMedian } from "./harness";
import { tf, useTfjsBackend } from "./tfjs-setup";
import type { CaseContext } from "./cases";

/**
 * The convolutional cases:
 *   cnn-step  one Adam step of Conv2d(1,32,3,p1,no bias) → BatchNorm2d → ReLU → MaxPool2d(2)
 *             → Conv2d(32,64,3,p1,no bias) → BatchNorm2d → ReLU → MaxPool2d(2) → Flatten
 *             → Linear(3136,10), cross-entropy, batch 64×1×28×28, float32;
 *   conv      one 3×3 convolution (that network's second: [64,32,14,14] → [64,64,14,14],
 *             padding 1, no bias) forward and backward (input and weight gradients).
 * Every implementation starts from the same weights and batch (drawn below).
 *
 * NOTE (measured on the 2-core Xeon, otherwise idle, four runs of `npm run
 * bench -- --case cnn-step --torch`, stop 23): ours 29.3–30.8 ms per cnn
 * step inside tidy() (2 threads; 45–46 on one) against PyTorch 1.13's
 * 19.4–23.1 (2 threads; 28–30 on one): 0.63–0.79× its speed in the same run.
 * The same step without tidy() ("ours-no-tidy") takes 55–58 ms: every kernel
 * then copies its operands into WebAssembly memory and its result out into a
 * fresh typed array (163 MB per step, 12 ms, timed around the copies), and
 * the garbage collector runs a mark-compact per step for those ~64 MB of
 * arrays. Inside tidy() the copies and the collector take under 3 % of the
 * main thread's CPU time; the WebAssembly kernels take nearly all the rest
 * (profile-step.ts --cnn under --cpu-prof). The convolution alone: 80 GFLOPS
 * against torch's 356–364. PyTorch runs oneDNN's AVX-512 convolutions (16
 * floats per instruction); WebAssembly SIMD has 128-bit vectors (4 floats),
 * and our products already run near that peak.
 */

export const CNN = { batch: 64, side: 28, c1: 32, c2: 64, classes: 10 } as const;
/** The conv case's shapes: the cnn-step's second convolution. */
export const CONV = { batch: 64, inChannels: 32, side: 14, outChannels: 64, kernel: 3 } as const;

export interface CnnWeights {
  /** PyTorch layouts: conv weights [C_out, C_in, 3, 3], linear [10, 3136] (inputs in (c, h, w) order). */
  conv1: Float32Array;
  conv2: Float32Array;
  linearWeight: Float32Array;
  linearBias: Float32Array;
  x: Float32Array;
  labels: Int32Array;
}

function uniform(n: number, bound: number, g: Generator): Float32Array {
  return Float32Array.from({ length: n }, () => (2 * g.uniform() - 1) * bound);
}

/** PyTorch's default init bounds (1/√fanIn), inputs N(0, 1)-ish uniform, labels uniform over the classes. */
export function cnnWeights(config: BenchConfig): CnnWeights {
  const g = new Generator(config.seed + 11);
  const flat = CNN.c2 * (CNN.side / 4) ** 2;
  return {
    conv1: uniform(CNN.c1 * 9, 1 / 3, g),
    conv2: uniform(CNN.c2 * CNN.c1 * 9, 1 / Math.sqrt(CNN.c1 * 9), g),
    linearWeight: uniform(CNN.classes * flat, 1 / Math.sqrt(flat), g),
    linearBias: uniform(CNN.classes, 1 / Math.sqrt(flat), g),
    x: uniform(CNN.batch * CNN.side * CNN.side, Math.sqrt(3), g),
    labels: Int32Array.from({ length: CNN.batch }, () => Math.floor(g.uniform() * CNN.classes)),
  };
}

/** The network in kernel-lib, as a student writes it. */
export function buildOurCnn(w: CnnWeights): nn.Sequential {
  // The constructors' own init is overwritten below; a private generator leaves the global one alone.
  const generator = new Generator(0);
  const conv1 = new nn.Conv2d(1, CNN.c1, 3, { padding: 1, bias: false, generator });
  const conv2 = new nn.Conv2d(CNN.c1, CNN.c2, 3, { padding: 1, bias: false, generator });
  const linear = new nn.Linear(CNN.c2 * (CNN.side / 4) ** 2, CNN.classes, { generator });
  noGrad(() => {
    conv1.weight.data.set(w.conv1);
    conv2.weight.data.set(w.conv2);
    linear.weight.data.set(w.linearWeight);
    linear.bias!.data.set(w.linearBias);
  });
  return new nn.Sequential(
    conv1, new nn.BatchNorm2d(CNN.c1), new nn.ReLU(), new nn.MaxPool2d(2),
    conv2, new nn.BatchNorm2d(CNN.c2), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), linear,
  );
}

/**
 * zeroGrad, forward, cross-entropy, backward, Adam step; returns the loss.
 * The step runs inside tidy() (kernel-lib/src/memory/tidy.ts) unless
 * `scoped` is false: its tensors then live in WebAssembly memory, where the
 * kernels compute, instead of each in a typed array of its own.
 */
export function ourCnnTrainer(w: CnnWeights, lr: number, scoped = true): () => number {
  const model = buildOurCnn(w).train();
  const optimizer = new optim.Adam(model.parameters(), { lr, betas: [0.9, 0.999], eps: 1e-8 });
  const x = tensor(w.x, { shape: [CNN.batch, 1, CNN.side, CNN.side] });
  const y = tensor(w.labels, { dtype: "int32" });
  const step = (): number => {
    optimizer.zeroGrad();
    const loss = F.crossEntropy(model.call(x), y);
    loss.backward();
    optimizer.step();
    return loss.item();
  };
  return scoped ? () => tidy(step) : step;
}

/**
 * A 3×3 "same" convolution with its gradients spelled out: tfjs-backend-wasm
 * 4.22 has no Conv2DBackpropFilter kernel, so tf.conv2d's own gradient fails
 * there. The filter gradient is itself a convolution, of the padded input
 * with the output gradient, the batch axis taken as channels:
 *   dW[ki, kj, ci, co] = Σ_{n,h,w} xPad[n, h + ki, w + kj, ci] · dy[n, h, w, co]
 * i.e. conv2d(xPadᵀ [ci, H+2, W+2, n], dyᵀ [H, W, n, co], valid) → [ci, 3, 3, co].
 * The input gradient is tfjs's conv2dTranspose. All of it runs on tfjs's kernels.
 */
const conv3x3 = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
      const dx = tf.conv2dTranspose(dy as tf.Tensor4D, ws, xs.shape, 1, "same");
      const xPad = tf.transpose(tf.pad(xs, [[0, 0], [1, 1], [1, 1], [0, 0]]), [3, 1, 2, 0]) as tf.Tensor4D;
      const dw = tf.transpose(tf.conv2d(xPad, tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D, 1, "valid"), [1, 2, 0, 3]);
      return [dx, dw];
    },
  };
}) as Parameters<typeof tf.customGrad<tf.Tensor4D>>[0]);

/** [C_out, C_in, kH, kW] → tfjs's filter layout [kH, kW, C_in, C_out]. */
function toHwio(w: Float32Array, cOut: number, cIn: number, k: number): tf.Tensor4D {
  return tf.tidy(() => tf.transpose(tf.tensor4d(w, [cOut, cIn, k, k]), [2, 3, 1, 0]) as tf.Tensor4D);
}

/**
 * The same network in tfjs-core ops, channels last (NHWC, tfjs's layout): batch
 * norm over axes [0, 1, 2] with the running statistics updated as in
 * torch; the linear kernel's rows are permuted from (c, h, w) to (h, w, c)
 * so that it computes the same function.
 */
export function tfjsCnnTrainer(w: CnnWeights, lr: number): { step(): number; dispose(): void } {
  const side = CNN.side / 4;
  const conv1 = tf.variable(toHwio(w.conv1, CNN.c1, 1, 3));
  const conv2 = tf.variable(toHwio(w.conv2, CNN.c2, CNN.c1, 3));
  const kernel = tf.variable(tf.tidy(() =>
    tf.reshape(tf.transpose(tf.tensor4d(w.linearWeight, [CNN.classes, CNN.c2, side, side]), [2, 3, 1, 0]), [side * side * CNN.c2, CNN.classes]) as tf.Tensor2D));
  const bias = tf.variable(tf.tensor1d(w.linearBias));
  const norms = [CNN.c1, CNN.c2].map((c) => ({
    gamma: tf.variable(tf.ones([c])), beta: tf.variable(tf.zeros([c])),
    mean: tf.variable(tf.zeros([c]), false), variance: tf.variable(tf.ones([c]), false),
  }));
  const x = tf.tensor4d(w.x, [CNN.batch, CNN.side, CNN.side, 1]);
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(w.labels, "int32"), CNN.classes), "float32") as tf.Tensor2D);
  const optimizer = tf.train.adam(lr, 0.9, 0.999, 1e-8);
  const block = (h: tf.Tensor4D, filter: tf.Variable, n: (typeof norms)[number]): tf.Tensor4D => {
    const z = conv3x3(h, filter) as tf.Tensor4D;
    const { mean, variance } = tf.moments(z, [0, 1, 2]);
    const m = z.size / z.shape[3];
    n.mean.assign(tf.add(tf.mul(n.mean, 0.9), tf.mul(mean, 0.1)));
    n.variance.assign(tf.add(tf.mul(n.variance, 0.9), tf.mul(variance, (0.1 * m) / (m - 1))));
    const normed = tf.batchNorm(z, mean, variance, n.beta, n.gamma, 1e-5);
    return tf.maxPool(tf.relu(normed) as tf.Tensor4D, 2, 2, "valid") as tf.Tensor4D;
  };
  const trainable = [conv1, norms[0].gamma, norms[0].beta, conv2, norms[1].gamma, norms[1].beta, kernel, bias];
  return {
    step: () => {
      const loss = optimizer.minimize(() => {
        const h = block(block(x, conv1, norms[0]), conv2, norms[1]);
        const logits = tf.add(tf.matMul(tf.reshape(h, [CNN.batch, -1]), kernel), bias);
        return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
      }, true, trainable)!;
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    },
    dispose: () => {
      optimizer.dispose();
      tf.dispose([...trainable, ...norms.flatMap((n) => [n.mean, n.variance]), x, oneHot]);
    },
  };
}

/** Multiply-adds ×2 of a convolution's forward pass; the backward's two products cost as much each. */
export function convFlops(): number {
  const { batch, inChannels, side, outChannels, kernel } = CONV;
  return 2 * batch * outChannels * side * side * inChannels * kernel * kernel;
}

/** Forward, then the input and weight gradients of the conv case. */
export function ourConv(config: BenchConfig): () => Tensor {
  const g = new Generator(config.seed + 12);
  const { batch, inChannels, side, outChannels, kernel } = CONV;
  const x = tensor(uniform(batch * inChannels * side * side, 1, g), { shape: [batch, inChannels, side, side] }).requiresGrad_();
  const w = tensor(uniform(outChannels * inChannels * kernel * kernel, 0.1, g), { shape: [outChannels, inChannels, kernel, kernel] }).requiresGrad_();
  const r = tensor(uniform(batch * outChannels * side * side, 1, g), { shape: [batch, outChannels, side, side] });
  return () => {
    x.grad = null;
    w.grad = null;
    F.conv2d(x, w, null, { padding: 1 }).backward(r);
    return w.grad!;
  };
}

/** The conv case on tfjs: forward and both gradients through tf.grads. */
export function tfjsConv(config: BenchConfig): { run(): void; dispose(): void } {
  const g = new Generator(config.seed + 12);
  const { batch, inChannels, side, outChannels, kernel } = CONV;
  const x = tf.tensor4d(uniform(batch * inChannels * side * side, 1, g), [batch, side, side, inChannels]);
  const w = tf.tensor4d(uniform(outChannels * inChannels * kernel * kernel, 0.1, g), [kernel, kernel, inChannels, outChannels]);
  const r = tf.tensor4d(uniform(batch * outChannels * side * side, 1, g), [batch, side, side, outChannels]);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => conv3x3(a, b));
  return {
    run: () => {
      const [dx, dw] = grads([x, w], r);
      dx.dataSync();
      dw.dataSync();
      tf.dispose([dx, dw]);
    },
    dispose: () => tf.dispose([x, w, r]),
  };
}

/** Runs a tfjs implementation on each backend; a backend that lacks a kernel gives a row with a note instead of a time. */
async function tfjsRows(ctx: CaseContext, name: string, make: () => { run(): void; dispose(): void }, gflops?: number): Promise<Row[]> {
  const rows: Row[] = [];
  // tfjs-cpu (plain JavaScript) takes seconds per cnn step; the comparison is with tfjs-wasm.
  for (const backend of ctx.backends.filter((b) => b === "wasm")) {
    ctx.log(`${name}: tfjs-${backend}`);
    await useTfjsBackend(backend);
    let impl: { run(): void; dispose(): void } | null = null;
    try {
      impl = make();
      impl.run();
      const ms = timeMedian(impl.run, ctx.reps);
      rows.push({ case: name, impl: `tfjs-${backend}`, ms, ...(gflops === undefined ? {} : { gflops: gflops / (ms * 1e6) }) });
    } catch (e) {
      const reason = e instanceof Error ? e.message.split("\n")[0] : String(e);
      rows.push({ case: name, impl: `tfjs-${backend}`, ms: NaN, note: `not measured: ${reason}` });
    } finally {
      impl?.dispose();
    }
  }
  return rows;
}

/**
 * Ours timed on all threads and on one, the faster reported with a note, as
 * torch-cnn.ts does for PyTorch: on a busy machine a helper thread may wait
 * for a core longer than it saves.
 */
function oursOnFasterThreads(name: string, make: () => () => unknown, ctx: CaseContext, gflops?: number, impl = "ours"): Row {
  const all = backend.getNumThreads();
  const times = new Map<number, number>();
  for (const threads of all > 1 ? [all, 1] : [1]) {
    ctx.log(`${name}: ${impl} (${threads} thread${threads > 1 ? "s" : ""})`);
    backend.setNumThreads(threads);
    try {
      times.set(threads, timeMedian(make(), ctx.reps));
    } finally {
      backend.setNumThreads(all);
    }
  }
  const [best, ms] = [...times].sort((a, b) => a[1] - b[1])[0];
  const other = [...times].find(([t]) => t !== best);
  const note = other ? `kernel-lib at ${best} thread${best > 1 ? "s" : ""} (faster; ${other[0]} thread${other[0] > 1 ? "s" : ""}: ${other[1].toFixed(1)} ms)` : undefined;
  return { case: name, impl, ms, ...(gflops === undefined ? {} : { gflops: gflops / (ms * 1e6) }), ...(note ? { note } : {}) };
}

export async function cnnStep(ctx: CaseContext): Promise<Row[]> {
  const w = cnnWeights(ctx.config);
  // "ours": the step inside tidy(); "ours-no-tidy": the same step with every tensor in a typed array of its own.
  const rows: Row[] = [
    oursOnFasterThreads("cnn-step", () => ourCnnTrainer(w, ctx.config.lr), ctx),
    oursOnFasterThreads("cnn-step", () => ourCnnTrainer(w, ctx.config.lr, false), ctx, undefined, "ours-no-tidy"),
  ];
  const tfjs = () => {
    const t = tfjsCnnTrainer(w, ctx.config.lr);
    return { run: () => void t.step(), dispose: t.dispose };
  };
  return [...rows, ...(await tfjsRows(ctx, "cnn-step", tfjs))];
}

export async function convCase(ctx: CaseContext): Promise<Row[]> {
  const flops = 3 * convFlops();
  const rows: Row[] = [oursOnFasterThreads("conv", () => ourConv(ctx.config), ctx, flops)];
  return [...rows, ...(await tfjsRows(ctx, "conv", () => tfjsConv(ctx.config), flops))];
}
