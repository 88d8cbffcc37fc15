/**
 * tidy() and keep() at their edges (the main behaviour: tidy.test.ts).
 *
 * Same bits: a training step run inside tidy() — tensors in the kernels'
 * WebAssembly memory, kernels reading and writing them in place — gives
 * exactly the numbers of the same step without it: every optimizer, layers
 * with running statistics and generators, conv with groups/stride/dilation,
 * float64, threads split over the shared memory.
 *
 * Never stale: a tensor computed inside and not returned throws a [tidy]
 * error on any use afterwards (an op, backward, printing), and tensors the
 * engine keeps (a module's buffers, a leaf's .grad, views of returned
 * tensors) stay valid. The scope always closes, whatever fn does; memory
 * does not grow over many calls. Random programs (fast-check) of nested
 * blocks, keep(), views, in-place writes and throws compute the same values
 * with every block in tidy() as without.
 */
import { afterEach, describe, expect, it } from "vitest";
import { inspect } from "node:util";
import fc from "fast-check";
import {
  F, Generator, Tensor, backend, clipGradNorm_, gradcheck, keep, nn, optim, randn, tensor, tidy,
} from "kernel-lib";
import { data } from "kernel-lib";
import { setAdaptiveThreads, setNumThreads, setThreadMinWork, getNumThreads, wasmRuntime } from "../../../kernel-lib/src/backend/wasm";
import type { WasmInstance } from "../../../kernel-lib/src/backend/wasm/runtime";
import { Arena } from "../../../kernel-lib/src/backend/wasm/arena";
import { setScopeArena } from "../../../kernel-lib/src/backend/scoped-storage";

// KERNEL_LIB_BACKEND=js: no arena (tidy() only calls fn), so these tests do not apply.
const rt = process.env.KERNEL_LIB_BACKEND === "js" ? null : wasmRuntime();
/** Whether `t`'s values live in the kernels' shared memory (the arena tidy() allocates from). */
const inArena = (t: Tensor): boolean => rt !== null && rt.shared.owns(t.data);
const bits = (t: Tensor): number[] => Array.from(t.data);
const sharedBytes = (): number => rt?.shared.memory.buffer.byteLength ?? 0;
const TIDY_ERROR = /\[tidy\].*computed inside tidy\(\)/;

describe.runIf(rt !== null)("tidy() with the WebAssembly arena", () => {
  it("puts results computed inside in the arena, and nothing outside", () => {
    const x = randn([64, 64], { generator: new Generator(1) });
    const inside = tidy(() => {
      const y = x.mul(2);
      expect(inArena(y)).toBe(true);
      return y;
    });
    expect(inArena(inside)).toBe(false);
    expect(inArena(x.mul(2))).toBe(false);
  });

  describe("the scope always closes", () => {
    it("when fn returns a tensor released by an inner tidy (the error is thrown, the scope closed)", () => {
      const x = randn([64, 64], { generator: new Generator(2) });
      let leaked: Tensor | null = null;
      expect(() => tidy(() => {
        tidy(() => {
          leaked = x.mul(2);
          return null;
        });
        return leaked;
      })).toThrow(TIDY_ERROR);
      // Outside every tidy() again: results are ordinary arrays.
      expect(inArena(x.mul(3))).toBe(false);
    });

    it("when fn throws, also from a nested scope", () => {
      const x = randn([64, 64], { generator: new Generator(3) });
      let inner: Tensor | null = null;
      expect(() => tidy(() => {
        const a = x.mul(2);
        tidy(() => {
          inner = a.add(1);
          throw new Error("boom");
        });
      })).toThrow("boom");
      expect(() => inner!.sum()).toThrow(TIDY_ERROR);
      expect(inArena(x.mul(3))).toBe(false);
    });

    it("when fn returns a Promise (refused with an error that says why)", () => {
      const x = randn([64, 64], { generator: new Generator(4) });
      expect(() => tidy(() => Promise.resolve(x.mul(2)))).toThrow(/\[tidy\].*Promise.*synchronous/);
      expect(inArena(x.mul(3))).toBe(false);
    });

    it("when fn returns a value whose getter throws", () => {
      const x = randn([64, 64], { generator: new Generator(5) });
      const value = { get bad(): Tensor { throw new Error("getter"); } };
      expect(() => tidy(() => {
        x.mul(2);
        return value;
      })).toThrow("getter");
      expect(inArena(x.mul(3))).toBe(false);
    });
  });

  describe("views share storage with their base (reshape, detach), as without tidy", () => {
    it("a returned tensor and its returned view stay one storage", () => {
      const x = randn([64, 64], { generator: new Generator(6) });
      const [a, flat, d] = tidy(() => {
        const a = x.mul(2);
        return [a, a.reshape([4096]), a.detach()];
      });
      a.data[0] = 123;
      expect(flat.data[0]).toBe(123);
      expect(d.data[0]).toBe(123);
    });

    it("a view made inside stays valid and aliased when only its base is returned", () => {
      const x = randn([64, 64], { generator: new Generator(7) });
      let view: Tensor | null = null;
      const a = tidy(() => {
        const a = x.mul(2);
        view = a.view([4096]);
        return a;
      });
      a.data[1] = 7;
      expect(view!.data[1]).toBe(7);
    });

    it("keep() inside moves the views too: an in-place update after keep() is seen through them", () => {
      const x = randn([64, 64], { generator: new Generator(8) });
      const run = (scoped: boolean): number[] => {
        const body = (): number[] => {
          const a = x.mul(2);
          const v = a.reshape([4096]);
          keep(a);
          a.copy_(a.add(1));
          return bits(v.mul(1));
        };
        return scoped ? tidy(body) : body();
      };
      expect(run(true)).toEqual(run(false));
    });

    it("an inner tidy returning an outer tensor keeps the outer tensor's views in step", () => {
      const x = randn([64, 64], { generator: new Generator(9) });
      const run = (scoped: boolean): number[] => {
        const body = (): number[] => {
          const a = x.mul(2);
          const v = a.detach();
          (scoped ? tidy : (f: () => Tensor) => f())(() => a);
          a.fill_(3);
          return bits(v.add(0));
        };
        return scoped ? tidy(body) : body();
      };
      expect(run(true)).toEqual(run(false));
    });
  });

  describe("what the engine keeps is ordinary storage", () => {
    it("a float32 leaf's .grad from a float64 computation (converted, not cloned) survives the scope", () => {
      const run = (scoped: boolean): number[] => {
        const w = randn([64, 64], { generator: new Generator(10), requiresGrad: true });
        const x64 = randn([64, 64], { generator: new Generator(11), dtype: "float64" });
        const step = (): null => {
          w.mul(x64).sum().backward();
          return null;
        };
        for (let i = 0; i < 2; i++) (scoped ? tidy(step) : step());
        expect(w.grad!.dtype).toBe("float32");
        return bits(w.grad!);
      };
      expect(run(true)).toEqual(run(false));
    });

    it("a Parameter made inside from a computed tensor shares its storage with it, as without tidy", () => {
      const x = randn([64, 64], { generator: new Generator(16) });
      const run = (scoped: boolean) => {
        const body = () => {
          const t = x.mul(2);
          const p = new nn.Parameter(t);
          t.fill_(3);
          return { p, t: t.add(0) };
        };
        const { p, t } = scoped ? tidy(body) : body();
        return { p: bits(p), t: bits(t), ordinary: !inArena(p) };
      };
      expect(run(true)).toEqual(run(false));
    });

    it("module.double() inside tidy keeps the converted buffers (batch norm's running statistics)", () => {
      const bn = new nn.BatchNorm1d(64);
      tidy(() => bn.double());
      const x = randn([8, 64], { generator: new Generator(12), dtype: "float64" });
      expect(() => bn.call(x)).not.toThrow();
      expect(bn.buffers().map((b) => b.dtype)).toEqual(["float64", "float64", "int32"]);
    });
  });

  describe("a released tensor says what to do wherever it is used", () => {
    const released = (): Tensor => {
      let r: Tensor | null = null;
      tidy(() => {
        r = randn([64, 64], { generator: new Generator(13) }).mul(2);
        return null;
      });
      return r!;
    };

    it("in ops, item(), toString(), copy_ and keep()", () => {
      const r = released();
      expect(() => r.add(1)).toThrow(TIDY_ERROR);
      expect(() => r.sum().item()).toThrow(TIDY_ERROR);
      expect(() => String(r)).toThrow(TIDY_ERROR);
      expect(() => tensor([[1]]).copy_(r)).toThrow(TIDY_ERROR);
      expect(() => keep(r)).toThrow(TIDY_ERROR);
      expect(() => tidy(() => r)).toThrow(TIDY_ERROR);
    });

    it("when inspected (console.log, a notebook's display): no empty array shown as its values", () => {
      const shown = inspect(released());
      expect(shown).toMatch(/tidy\(\)/);
      expect(shown).not.toMatch(/Float32Array\(0\)/);
    });

    it("in backward() on a loss returned from tidy (its graph was freed): the error says to call backward inside", () => {
      const w = randn([64, 64], { generator: new Generator(14), requiresGrad: true });
      const x = randn([64, 64], { generator: new Generator(15) });
      const loss = tidy(() => x.matmul(w).relu().sum());
      expect(loss.item()).toBeTypeOf("number");
      expect(() => loss.backward()).toThrow(/\[tidy\].*backward/);
    });
  });

  describe("a training step gives the same bits inside tidy() as without", () => {
    /** A small CNN with every layer kind that keeps state or draws random numbers, big enough for the WebAssembly kernels. */
    const makeNet = (dtype: "float32" | "float64" = "float32"): nn.Sequential => {
      const g = new Generator(21);
      return new nn.Sequential(
        new nn.Conv2d(2, 8, 3, { padding: 1, generator: g, dtype }),
        new nn.BatchNorm2d(8, { dtype }),
        new nn.ReLU(),
        new nn.Conv2d(8, 8, 3, { groups: 2, dilation: 2, padding: 2, generator: g, dtype }),
        new nn.GroupNorm(2, 8, { dtype }),
        new nn.Dropout2d(0.25, { generator: new Generator(22) }),
        new nn.MaxPool2d(2),
        new nn.ResidualBlock(8, 8, { stride: 2, generator: g, dtype }),
        new nn.AvgPool2d(2),
        new nn.Flatten(),
        new nn.Linear(8 * 2 * 2, 96, { generator: g, dtype }),
        new nn.LayerNorm(96, { dtype }),
        new nn.BatchNorm1d(96, { dtype }),
        new nn.Dropout(0.3, { generator: new Generator(23) }),
        new nn.ReLU(),
        new nn.Linear(96, 5, { generator: g, dtype }),
      );
    };
    const batch = (dtype: "float32" | "float64" = "float32") => ({
      x: randn([16, 2, 16, 16], { generator: new Generator(24), dtype }),
      y: tensor(Array.from({ length: 16 }, (_, i) => (i * 7) % 5), { dtype: "int32" }),
    });

    type MakeOptimizer = (params: nn.Parameter[]) => optim.Optimizer;
    /** Trains `steps` steps; returns every loss, parameter, gradient, buffer and the optimizer's state, as numbers. */
    const train = (scoped: boolean, makeOptimizer: MakeOptimizer, options: { steps?: number; dtype?: "float32" | "float64"; clip?: boolean } = {}) => {
      const net = makeNet(options.dtype);
      const opt = makeOptimizer(net.parameters());
      const scheduler = new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.5 });
      const { x, y } = batch(options.dtype);
      const losses: number[] = [];
      for (let s = 0; s < (options.steps ?? 4); s++) {
        const step = (): Tensor => {
          opt.zeroGrad();
          const loss = F.crossEntropy(net.call(x), y);
          loss.backward();
          if (options.clip) clipGradNorm_(net.parameters(), 0.5);
          opt.step();
          return loss;
        };
        losses.push((scoped ? tidy(step) : step()).item());
        scheduler.step();
      }
      const stateDict = opt.stateDict();
      return {
        losses,
        params: net.parameters().map(bits),
        grads: net.parameters().map((p) => (p.grad ? bits(p.grad) : null)),
        buffers: net.buffers().map(bits),
        state: JSON.stringify(stateDict, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)),
      };
    };

    const optimizers: [string, MakeOptimizer][] = [
      ["SGD", (p) => new optim.SGD(p, { lr: 0.05 })],
      ["SGD momentum", (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, weightDecay: 1e-3 })],
      ["SGD Nesterov", (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true })],
      ["Adam", (p) => new optim.Adam(p, { lr: 0.01 })],
      ["AdamW", (p) => new optim.AdamW(p, { lr: 0.01 })],
      ["AMSGrad", (p) => new optim.Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 1e-3 })],
      ["RMSprop", (p) => new optim.RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true })],
      ["Adagrad", (p) => new optim.Adagrad(p, { lr: 0.05 })],
      ["Adadelta", (p) => new optim.Adadelta(p, { lr: 1 })],
      ["Adamax", (p) => new optim.Adamax(p, { lr: 0.01 })],
      ["NAdam", (p) => new optim.NAdam(p, { lr: 0.01 })],
      ["RAdam", (p) => new optim.RAdam(p, { lr: 0.01 })],
      ["Rprop", (p) => new optim.Rprop(p, { lr: 0.01 })],
    ];
    for (const [name, make] of optimizers) {
      it(`${name}, four steps with a step schedule`, () => {
        expect(train(true, make)).toEqual(train(false, make));
      });
    }

    it("in float64", () => {
      const make: MakeOptimizer = (p) => new optim.Adam(p, { lr: 0.01 });
      expect(train(true, make, { dtype: "float64", steps: 2 })).toEqual(train(false, make, { dtype: "float64", steps: 2 }));
    });

    it("with clipGradNorm_ between backward and step", () => {
      const make: MakeOptimizer = (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 });
      expect(train(true, make, { clip: true, steps: 3 })).toEqual(train(false, make, { clip: true, steps: 3 }));
    });

    describe("with the products and convolutions split over two threads (operands in the shared memory)", () => {
      let restore: () => void = () => {};
      afterEach(() => restore());
      it("Adam, SGD momentum", () => {
        const threads = getNumThreads();
        setNumThreads(2);
        const adaptive = setAdaptiveThreads(false);
        const minWork = setThreadMinWork(0);
        restore = () => {
          setNumThreads(threads);
          setAdaptiveThreads(adaptive);
          setThreadMinWork(minWork);
        };
        for (const [, make] of [optimizers[1], optimizers[3]]) expect(train(true, make, { steps: 3 })).toEqual(train(false, make, { steps: 3 }));
      });
    });

    it("with the reference kernels switched in and out inside the step", () => {
      const make: MakeOptimizer = (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 });
      const run = (scoped: boolean) => {
        const net = makeNet();
        const opt = make(net.parameters());
        const { x, y } = batch();
        const step = (): Tensor => {
          opt.zeroGrad();
          const h = net.call(x);
          const previous = backend.setKernels(backend.cpuKernels);
          const loss = F.crossEntropy(h, y);
          loss.backward();
          backend.setKernels(previous);
          opt.step();
          return loss;
        };
        const losses = [0, 1].map(() => (scoped ? tidy(step) : step()).item());
        return { losses, params: net.parameters().map(bits) };
      };
      expect(run(true)).toEqual(run(false));
    });
  });

  describe("backward() never reads values a tidy() freed (it throws instead of computing wrong gradients)", () => {
    /** Runs backward on `loss()` after an unrelated tidy() has overwritten the freed memory. */
    const backwardAfterReuse = (loss: () => Tensor): void => {
      const l = loss();
      tidy(() => randn([1 << 16], { generator: new Generator(30) }).mul(5));
      l.backward();
    };

    it("fused linear: its backward rule reads the input tensor, not the array seen forward", () => {
      const fc = new nn.Linear(64, 32, { generator: new Generator(31) });
      const x = randn([16, 64], { generator: new Generator(32) });
      expect(() => backwardAfterReuse(() => tidy(() => fc.call(x.mul(2))).sum())).toThrow(TIDY_ERROR);
    });

    it("fused linear with a weight computed inside (in float64: converted too)", () => {
      const w = randn([32, 64], { generator: new Generator(33), requiresGrad: true });
      const x = randn([16, 64], { generator: new Generator(34), dtype: "float64" });
      const b = randn([32], { generator: new Generator(35), dtype: "float64" });
      expect(() => backwardAfterReuse(() => tidy(() => F.linear(x, w.mul(2).to("float64"), b)).sum())).toThrow(TIDY_ERROR);
    });

    it("convolution", () => {
      const conv = new nn.Conv2d(3, 4, 3, { generator: new Generator(36) });
      const x = randn([4, 3, 10, 10], { generator: new Generator(37) });
      expect(() => backwardAfterReuse(() => tidy(() => conv.call(x.mul(2))).sum())).toThrow(TIDY_ERROR);
    });

    it("cross-entropy computed in an inner tidy, backward in the outer one", () => {
      const fc = new nn.Linear(64, 10, { generator: new Generator(38) });
      const x = randn([16, 64], { generator: new Generator(39) });
      const y = tensor(Array.from({ length: 16 }, (_, i) => i % 10), { dtype: "int32" });
      expect(() => tidy(() => {
        const logits = fc.call(x);
        backwardAfterReuse(() => tidy(() => F.crossEntropy(logits, y)));
        return null;
      })).toThrow(TIDY_ERROR);
    });

    it("cross-entropy with class weights computed inside, logits from outside", () => {
      const fc = new nn.Linear(64, 10, { generator: new Generator(40) });
      const x = randn([16, 64], { generator: new Generator(41) });
      const y = tensor(Array.from({ length: 16 }, (_, i) => i % 10), { dtype: "int32" });
      const classWeights = randn([10], { generator: new Generator(42) }).abs();
      const logits = fc.call(x);
      expect(() => backwardAfterReuse(() => tidy(() => F.crossEntropy(logits, y, { weight: classWeights.add(1) })))).toThrow(TIDY_ERROR);
    });
  });

  describe("what fn returns", () => {
    it("a tensor's array (in the memory tidy() frees) is refused, with the fix", () => {
      const x = randn([64, 64], { generator: new Generator(50) });
      expect(() => tidy(() => x.mul(2).data)).toThrow(/\[tidy\].*array.*\.slice\(\)/);
      expect(() => tidy(() => ({ values: [x.mul(2).data] }))).toThrow(/\[tidy\].*array/);
      // An enclosing scope's array outlives the inner tidy(): returning it from there is fine.
      tidy(() => {
        const outer = x.mul(2);
        expect(tidy(() => outer.data)).toBe(outer.data);
      });
      expect(tidy(() => x.mul(2).data.slice())).toEqual(x.mul(2).data);
      expect(tidy(() => x.mul(2).toFlatArray())).toEqual(Array.from(x.mul(2).data));
      expect(inArena(x.mul(3))).toBe(false);
    });

    it("Maps, nested arrays and objects of tensors come back whole; int32 and float64 tensors too", () => {
      const x = randn([64, 64], { generator: new Generator(51) });
      const body = () => {
        const h = x.mul(2);
        return { m: new Map([["h", h]]), nested: [[h.argmax(1)], { d: h.to("float64").sum(0) }] };
      };
      const got = tidy(body);
      const want = body();
      expect(bits(got.m.get("h")!)).toEqual(bits(want.m.get("h")!));
      const [[arg], { d }] = got.nested as [[Tensor], { d: Tensor }];
      const [[argWant], { d: dWant }] = want.nested as [[Tensor], { d: Tensor }];
      expect(arg.dtype).toBe("int32");
      expect(bits(arg)).toEqual(bits(argWant));
      expect(d.dtype).toBe("float64");
      expect(bits(d)).toEqual(bits(dWant));
    });

    it("tensors inside other objects (a dataset) are not looked for: using them says so and names keep()", () => {
      const x = randn([64, 64], { generator: new Generator(54) });
      const ds = tidy(() => new data.TensorDataset(x.mul(2), x.argmax(1)));
      expect(() => ds.get(0)[0].sum()).toThrow(/not in other objects.*keep\(\)/);
      const kept = tidy(() => new data.TensorDataset(keep(x.mul(2)), keep(x.argmax(1))));
      expect(bits(kept.get(1)[0])).toEqual(bits(x.mul(2).select(0, 1)));
    });

    it("tensors as a Map's keys and in a Set come back too", () => {
      const x = randn([64, 64], { generator: new Generator(53) });
      const { map, set } = tidy(() => ({ map: new Map([[x.mul(2), "doubled"]]), set: new Set([x.mul(3)]) }));
      tidy(() => x.mul(9));
      expect(bits([...map.keys()][0])).toEqual(bits(x.mul(2)));
      expect(bits([...set][0])).toEqual(bits(x.mul(3)));
    });

    it("a released tensor keeps its dtype (only its values are gone)", () => {
      const x = randn([64, 64], { generator: new Generator(52) });
      const kept: Tensor[] = [];
      tidy(() => {
        kept.push(x.to("float64").mul(2), x.argmax(1), x.mul(2));
        return null;
      });
      expect(kept.map((t) => t.dtype)).toEqual(["float64", "int32", "float32"]);
    });
  });

  describe("training patterns", () => {
    const mlp = (): nn.Sequential => {
      const g = new Generator(60);
      return new nn.Sequential(new nn.Linear(64, 96, { generator: g }), new nn.BatchNorm1d(96), new nn.ReLU(), new nn.Linear(96, 10, { generator: g }));
    };
    const x = randn([48, 64], { generator: new Generator(61) });
    const y = tensor(Array.from({ length: 48 }, (_, i) => (i * 3) % 10), { dtype: "int32" });

    it("nested: an epoch in an outer tidy, each step in an inner one returning its loss to it", () => {
      const run = (scoped: boolean) => {
        const net = mlp();
        const opt = new optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
        const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 16, shuffle: true, generator: new Generator(62) });
        const wrap = <T>(f: () => T): T => (scoped ? tidy(f) : f());
        const epoch = () => {
          const losses: Tensor[] = [];
          for (const [xb, yb] of loader) {
            losses.push(wrap(() => {
              opt.zeroGrad();
              const loss = F.crossEntropy(net.call(xb), yb);
              loss.backward();
              opt.step();
              return loss;
            }));
          }
          return losses.reduce((a, b) => a.add(b));
        };
        const totals = [0, 1].map(() => wrap(epoch).item());
        return { totals, params: net.parameters().map(bits), buffers: net.buffers().map(bits) };
      };
      expect(run(true)).toEqual(run(false));
    });

    it("backward inside, step outside; backward twice (gradients add up); retainGrad on a returned activation", () => {
      const run = (scoped: boolean) => {
        const net = mlp();
        const opt = new optim.Adam(net.parameters(), { lr: 0.01 });
        const wrap = <T>(f: () => T): T => (scoped ? tidy(f) : f());
        const hidden = wrap(() => {
          const h = net.call(x);
          h.retainGrad();
          const loss = F.crossEntropy(h, y);
          loss.backward();
          loss.backward();
          return h;
        });
        opt.step();
        return { hiddenGrad: bits(hidden.grad!), hidden: bits(hidden), params: net.parameters().map(bits) };
      };
      expect(run(true)).toEqual(run(false));
    });

    it("a model, its optimizer and a scheduler created inside tidy, trained after it; stateDict and loadStateDict inside", () => {
      const run = (scoped: boolean) => {
        const wrap = <T>(f: () => T): T => (scoped ? tidy(f) : f());
        const { net, opt, sched, saved } = wrap(() => {
          const net = mlp();
          net.call(x); // running statistics move once inside
          const opt = new optim.AdamW(net.parameters(), { lr: 0.01 });
          const sched = new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 4 });
          return { net, opt, sched, saved: net.stateDict() };
        });
        const losses: number[] = [];
        for (let s = 0; s < 3; s++) {
          opt.zeroGrad();
          const loss = F.crossEntropy(net.call(x), y);
          loss.backward();
          opt.step();
          sched.step();
          losses.push(loss.item());
        }
        wrap(() => net.loadStateDict(saved));
        return { losses, params: net.parameters().map(bits), buffers: net.buffers().map(bits), saved: Object.values(saved).map(bits) };
      };
      expect(run(true)).toEqual(run(false));
    });

    it("a forward hook that stores activations: read after tidy() they throw, never show stale values", () => {
      const net = mlp();
      const stored: Tensor[] = [];
      net.registerForwardHook((_m, _inputs, out) => void stored.push(out));
      tidy(() => net.call(x));
      expect(stored).toHaveLength(1);
      // The returned output is the hook's tensor itself: kept, so it is readable.
      expect(inArena(stored[0])).toBe(false);
      const activations: Tensor[] = [];
      const h = (net as unknown as { modules(): nn.Module[] }).modules()[3].registerForwardHook((_m, _i, out) => void activations.push(out as Tensor));
      tidy(() => net.call(x).sum());
      h.remove();
      tidy(() => x.mul(9)); // reuses the memory
      expect(() => activations[0].sum()).toThrow(TIDY_ERROR);
    });

    it("gradcheck inside tidy", () => {
      const w = randn([6, 5], { generator: new Generator(63), dtype: "float64", requiresGrad: true });
      const a = randn([4, 6], { generator: new Generator(64), dtype: "float64" });
      const result = tidy(() => gradcheck((w) => a.matmul(w).tanh().sum(), [w]));
      expect(result.ok).toBe(true);
    });

    it("memory stays the same over many steps", () => {
      const net = mlp();
      const opt = new optim.Adam(net.parameters(), { lr: 0.01 });
      const step = () => tidy(() => {
        opt.zeroGrad();
        const loss = F.crossEntropy(net.call(x), y);
        loss.backward();
        opt.step();
        return loss;
      });
      for (let i = 0; i < 3; i++) step();
      const bytes = sharedBytes();
      const top = rt!.shared.scratchBase;
      for (let i = 0; i < 50; i++) step();
      expect(sharedBytes()).toBe(bytes);
      expect(rt!.shared.scratchBase).toBe(top);
    });
  });

  it("a kernel call that cannot fit in the memory the arena fills says so (not WebAssembly's RangeError)", () => {
    // The arena shares the kernels' 1 GiB memory: when tidy() fills it, the next call's scratch does not fit.
    expect(() => rt!.shared.reserve(2 ** 30)).toThrow(/\[kernels\] the WebAssembly memory is full.*limit is 1024 MiB.*tidy\(\)/);
    expect(() => rt!.local.reserve(2 ** 30)).toThrow(/\[kernels\] the WebAssembly memory is full/);
  });

  describe("each op, forward and backward, gives the same bits inside tidy()", () => {
    // Inputs computed inside (so they live in the arena too), large enough for the WebAssembly elementwise kernels.
    const a0 = randn([8, 4, 16, 16], { generator: new Generator(70) });
    const b0 = randn([8, 4, 16, 16], { generator: new Generator(71) });
    const w0 = randn([6, 2, 3, 3], { generator: new Generator(72) });
    const m0 = randn([256, 96], { generator: new Generator(73) });
    const labels = tensor(Array.from({ length: 8 }, (_, i) => i % 4), { dtype: "int32" });
    const ops: [string, (a: Tensor, b: Tensor, w: Tensor, m: Tensor) => Tensor][] = [
      ["elementwise", (a, b) => a.mul(b).add(a.exp().sub(b)).div(b.abs().add(1)).relu().sigmoid().tanh().pow(2)],
      ["broadcast and reductions", (a, b) => a.add(b.mean([0, 2], { keepdims: true })).var(1).std(0).logsumexp(0).max()],
      ["views and index ops", (a, b) => a.permute(1, 0, 3, 2).reshape([4, -1]).transpose().slice(0, 1, 1000, 3).narrow(1, 1, 2).expand([3, 333, 2]).mul(b.flatten().narrow(0, 0, 2))],
      ["matmul", (_a, _b, _w, m) => m.matmul(m.transpose()).matmul(m).relu()],
      // Batched with odd sizes: each product's operands start at unaligned addresses inside the arena arrays.
      ["batched matmul, float32 and float64", (_a, _b, _w, m) => {
        const x = m.narrow(1, 0, 93).reshape([4, 64, 93]).narrow(1, 1, 17);
        const y = m.narrow(1, 0, 93).reshape([4, 93, 64]).narrow(2, 3, 33);
        return x.matmul(y).add(x.double().matmul(y.double()).float());
      }],
      ["conv, groups, stride, dilation; pooling", (a, _b, w) => F.adaptiveAvgPool2d(F.maxPool2d(F.conv2d(a, w, null, { groups: 2, stride: 2, dilation: 2, padding: 2 }), 2), 2).add(F.avgPool2d(a, 2).sum())],
      ["norms", (a) => F.layerNorm(F.groupNorm(F.instanceNorm(a), 2), [16])],
      ["batch norm, training", (a) => F.batchNorm(a, null, null, null, null, { training: true })],
      ["softmax and losses", (a, b, _w, m) => F.softmax(a, 1).add(F.logSoftmax(b, 3)).sum()
        .add(F.crossEntropy(a.reshape([8, -1]).narrow(1, 0, 4), labels, { labelSmoothing: 0.1 }))
        .add(F.mseLoss(a, b)).add(F.huberLoss(a, b)).add(F.binaryCrossEntropyWithLogits(a, b.sigmoid()))
        .add(F.nllLoss(F.logSoftmax(m.narrow(0, 0, 8).narrow(1, 0, 4)), labels))],
      ["dropout (own generator)", (a) => F.dropout(a, 0.3, { training: true, generator: new Generator(74) }).add(F.dropout2d(a, 0.5, { training: true, generator: new Generator(75) }))],
    ];
    const splitOverTwoThreads = <T>(f: () => T): T => {
      const threads = getNumThreads();
      setNumThreads(2);
      const adaptive = setAdaptiveThreads(false);
      const minWork = setThreadMinWork(0);
      try {
        return f();
      } finally {
        setNumThreads(threads);
        setAdaptiveThreads(adaptive);
        setThreadMinWork(minWork);
      }
    };
    for (const [name, op] of ops) {
      for (const split of [false, true]) {
        it(`${name}${split ? ", split over two threads" : ""}`, () => {
          const run = (scoped: boolean) => (split ? splitOverTwoThreads : <T>(f: () => T) => f())(() => {
            const leaves = [a0, b0, w0, m0].map((t) => t.detach().requiresGrad_());
            const body = () => {
              const [a, b, w, m] = leaves.map((t) => t.mul(1)); // computed inside: in the arena
              const out = op(a, b, w, m);
              out.sum().backward();
              return out;
            };
            const out = scoped ? tidy(body) : body();
            return { out: bits(out), grads: leaves.map((t) => (t.grad ? bits(t.grad) : null)) };
          });
          expect(run(true)).toEqual(run(false));
        });
      }
    }
  });

  it("an empty tensor made just before an inner tidy() is not freed by it (it has no address of its own)", () => {
    const x = randn([64, 64], { generator: new Generator(80) });
    const run = (scoped: boolean) => {
      const wrap = <T>(f: () => T): T => (scoped ? tidy(f) : f());
      return wrap(() => {
        const none = x.mul(2).narrow(0, 0, 0);
        wrap(() => x.add(1));
        return none.sum().item();
      });
    };
    expect(run(true)).toBe(run(false));
  });

  it("in-place writes (copy_, fill_, zero_) on arena tensors, and into ordinary tensors from arena ones", () => {
    const x = randn([64, 64], { generator: new Generator(81) });
    const run = (scoped: boolean) => {
      const target = randn([64, 64], { generator: new Generator(82) });
      const body = () => {
        const a = x.mul(2);
        const b = a.reshape([4096]);
        target.copy_(a.exp());
        a.copy_(x.sigmoid());
        const c = x.add(1).zero_();
        const d = x.add(1).fill_(0.5);
        return [b.add(c.flatten()).mul(d.flatten()), a];
      };
      const [sum, a] = scoped ? tidy(body) : body();
      return { sum: bits(sum), a: bits(a), target: bits(target) };
    };
    expect(run(true)).toEqual(run(false));
  });

  describe("random programs: nested tidy() blocks, keep(), views and in-place writes", () => {
    /**
     * One instruction; operands index the tensors the block can see (its own and its
     * enclosing blocks'). "open" starts an inner block, "close" ends it and hands its
     * last `n` tensors to the enclosing block, as tidy()'s return value; "throw" abandons it.
     */
    type Instr =
      | { kind: "unary" | "binary" | "matmul" | "view" | "detach" | "copy" | "fill" | "keep"; a: number; b: number }
      | { kind: "open" }
      | { kind: "throw" }
      | { kind: "close"; n: number };
    const instr: fc.Arbitrary<Instr> = fc.oneof(
      { weight: 8, arbitrary: fc.record({ kind: fc.constantFrom("unary", "binary", "matmul", "view", "detach", "copy", "fill", "keep" as const), a: fc.nat(15), b: fc.nat(15) }) },
      { weight: 1, arbitrary: fc.constantFrom<Instr>({ kind: "open" }, { kind: "open" }, { kind: "throw" }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("close" as const), n: fc.integer({ min: 1, max: 3 }) }) },
    );

    /** Runs the program with every block in tidy() (scoped) or not; returns the values of the tensors the outermost block ends with. */
    const execute = (program: readonly Instr[], scoped: boolean): number[][] => {
      const bases = [0, 1, 2].map((seed) => randn([64, 64], { generator: new Generator(90 + seed) }));
      let next = 0;
      const abandoned = new Error("block abandoned");
      const block = (visible: Tensor[], depth: number): Tensor[] => {
        const pool = [...visible];
        const made: Tensor[] = [];
        const add = (t: Tensor): void => void (pool.push(t), made.push(t));
        while (next < program.length) {
          const ins = program[next++];
          if (ins.kind === "open") {
            const inner = (): Tensor[] => block(pool, depth + 1);
            try {
              for (const t of scoped ? tidy(inner) : inner()) add(t);
            } catch (e) {
              if (e !== abandoned) throw e;
            }
            continue;
          }
          if (ins.kind === "throw") {
            if (depth > 0) throw abandoned; // the block's tensors are lost, its scope must close
            continue;
          }
          if (ins.kind === "close") {
            if (depth === 0) continue;
            return made.slice(-ins.n);
          }
          // Mostly the latest tensors, so that views, keep() and in-place writes meet.
          const pick = (i: number): Tensor => pool[pool.length - 1 - (i % Math.min(pool.length, 4))];
          const a = pick(ins.a);
          const b = pick(ins.b);
          switch (ins.kind) {
            case "unary": add([a.tanh(), a.relu(), a.sigmoid()][ins.b % 3]); break;
            case "binary": add([a.add(b), a.mul(b), a.sub(b)][(ins.a + ins.b) % 3]); break;
            case "matmul": add(a.matmul(b).tanh()); break;
            case "view": add(a.reshape([4096]).reshape([64, 64])); break;
            case "detach": add(a.detach()); break;
            case "copy": if (!bases.includes(a)) a.copy_(b.mul(0.5)); break;
            case "fill": if (!bases.includes(a)) a.fill_(ins.b % 7); break;
            case "keep": keep(a); break;
          }
        }
        return made;
      };
      const top = (): Tensor[] => block(bases, 0);
      return (scoped ? tidy(top) : top()).map(bits);
    };

    it("give the same values inside tidy() as without, and never read a freed tensor", () => {
      fc.assert(fc.property(fc.array(instr, { minLength: 6, maxLength: 30, size: "max" }), (program) => {
        expect(execute(program, true)).toEqual(execute(program, false));
        expect(inArena(randn([64, 64]).mul(2))).toBe(false);
      }), { numRuns: 150, seed: 7 });
    });
  });

  it("when the arena cannot grow, results get ordinary arrays: same bits, nothing freed that should not be", () => {
    // The shared instance as the arena sees it, except that its memory cannot grow past `limit` (1 GiB in real life).
    const real = rt!.shared;
    const limit = real.scratchBase + (1 << 16);
    const capped: WasmInstance = {
      memory: real.memory,
      exports: real.exports,
      f32: () => real.f32(),
      f64: () => real.f64(),
      reserve: (bytes) => real.reserve(bytes),
      get scratchBase() { return real.scratchBase; },
      set scratchBase(at: number) { real.scratchBase = at; },
      ensure(end) {
        if (end > limit) throw new RangeError("full");
        real.ensure(end);
      },
      owns: (array) => real.owns(array),
    };
    const x = randn([64, 64], { generator: new Generator(83) });
    const body = () => {
      const small = x.narrow(0, 0, 8).mul(2); // 2 KiB: fits
      const big = x.mul(3).add(small.sum()); // 16 KiB each: the arena is full after a few
      const more = [1, 2, 3, 4, 5].map((k) => big.mul(k).tanh());
      return { small: inArena(small), spilled: more.some((t) => !inArena(t)), values: more.map(bits), sum: bits(small.sum()) };
    };
    setScopeArena(new Arena(capped));
    let got: ReturnType<typeof body>;
    try {
      got = tidy(body);
    } finally {
      setScopeArena(new Arena(real));
    }
    const want = body();
    expect(got.small).toBe(true);
    expect(got.spilled).toBe(true);
    expect(got.values).toEqual(want.values);
    expect(got.sum).toEqual(want.sum);
  });
});
