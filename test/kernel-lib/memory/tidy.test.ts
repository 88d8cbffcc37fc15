/**
 * tidy() and keep() (kernel-lib/src/memory/tidy.ts): a step computed inside
 * gives the same bits as outside; what is returned or kept survives as
 * ordinary storage; every other tensor computed inside throws a [tidy] error
 * when used afterwards, never stale numbers; modules, gradients and optimizer
 * state made inside outlive it; the memory is reused from one scope to the next.
 */
import { describe, expect, it } from "vitest";
import { F, Generator, keep, nn, optim, randn, tensor, tidy, zerosLike, type Tensor } from "kernel-lib";
import { isScoped } from "../../../kernel-lib/src/backend/scoped-storage";
import { wasmRuntime } from "../../../kernel-lib/src/backend/wasm";

/** A small conv net with every kind of layer whose kernels read tensors in place: conv, batch norm, relu, pooling, dropout, linear. */
function makeNet(seed: number): nn.Sequential {
  const generator = new Generator(seed);
  return new nn.Sequential(
    new nn.Conv2d(2, 8, 3, { padding: 1, bias: false, generator }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Dropout2d(0.2, { generator }),
    new nn.Flatten(), new nn.Linear(8 * 6 * 6, 16, { generator }), new nn.BatchNorm1d(16), new nn.ReLU(),
    new nn.Dropout(0.3, { generator }), new nn.Linear(16, 5, { generator }),
  );
}

function trainer(seed: number): { step(): number; model: nn.Sequential } {
  const model = makeNet(seed);
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const g = new Generator(seed + 1);
  const x = randn([16, 2, 12, 12], { generator: g });
  const y = tensor(Array.from({ length: 16 }, (_, i) => i % 5), { dtype: "int32" });
  return {
    model,
    step: () => {
      optimizer.zeroGrad();
      const loss = F.crossEntropy(model.call(x), y);
      loss.backward();
      optimizer.step();
      return loss.item();
    },
  };
}

/** Every parameter and buffer's values by name. */
function values(model: nn.Module): Record<string, number[]> {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([name, t]) => [name, Array.from(t.data)]));
}

const hasArena = wasmRuntime() !== null && process.env.KERNEL_LIB_BACKEND !== "js";

describe("tidy", () => {
  it("a training step inside gives the same bits as outside: losses, parameters, running statistics", () => {
    const plain = trainer(3);
    const scoped = trainer(3);
    const a = Array.from({ length: 4 }, () => plain.step());
    const b = Array.from({ length: 4 }, () => tidy(() => scoped.step()));
    expect(b).toEqual(a);
    expect(values(scoped.model)).toEqual(values(plain.model));
  });

  it.runIf(hasArena)("keeps what the step computes in the arena while it runs", () => {
    const x = randn([4, 8], { generator: new Generator(1) });
    tidy(() => {
      const y = F.relu(x.mul(2));
      expect(isScoped(y.data)).toBe(true);
      expect(isScoped(x.data)).toBe(false);
    });
  });

  it("returns tensors (alone, in arrays, objects and maps) as ordinary tensors with their values", () => {
    const x = randn([3, 4], { generator: new Generator(2) });
    const expected = x.mul(3).add(1).toFlatArray();
    const out = tidy(() => {
      const y = x.mul(3).add(1);
      return { y, list: [y.reshape(12)], map: new Map([["y", y.sum()]]) };
    });
    expect(isScoped(out.y.data)).toBe(false);
    expect(out.y.toFlatArray()).toEqual(expected);
    expect(out.list[0].toFlatArray()).toEqual(expected);
    expect(out.map.get("y")!.item()).toBeCloseTo(expected.reduce((s, v) => s + v, 0), 4);
  });

  it.runIf(hasArena)("makes every other tensor computed inside throw a [tidy] error that says how to keep it", () => {
    const x = randn([64, 64], { generator: new Generator(4) });
    let leaked: Tensor | null = null;
    tidy(() => {
      leaked = x.mul(2);
    });
    const t = leaked! as Tensor;
    const message = /\[tidy\] this tensor \(shape \[64,64\]\) was computed inside tidy\(\).*keep\(\)/;
    expect(() => t.data[0]).toThrow(message);
    expect(() => t.item()).toThrow(message);
    expect(() => t.toString()).toThrow(message);
    expect(() => t.add(1)).toThrow(message);
    expect(() => t.size).toThrow(message);
  });

  it("keep() saves a tensor and its gradient for use after the scope", () => {
    const w = randn([5], { generator: new Generator(5) }).requiresGrad_();
    let kept: Tensor | null = null;
    tidy(() => {
      const h = w.mul(w).retainGrad();
      h.sum().backward();
      kept = keep(h);
    });
    const h = kept! as Tensor;
    expect(h.toFlatArray()).toEqual(w.toFlatArray().map((v) => Math.fround(v * v)));
    expect(h.grad!.toFlatArray()).toEqual([1, 1, 1, 1, 1]);
    expect(w.grad!.toFlatArray()).toEqual(w.toFlatArray().map((v) => Math.fround(2 * v)));
  });

  it("a model, its optimizer and its gradients made inside outlive the scope", () => {
    const made = tidy(() => {
      const model = makeNet(7);
      const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const x = randn([4, 2, 12, 12], { generator: new Generator(8) });
      F.crossEntropy(model.call(x), tensor([0, 1, 2, 3], { dtype: "int32" })).backward();
      optimizer.step();
      return { model, optimizer };
    });
    const reference = makeNet(7);
    const refOpt = new optim.SGD(reference.parameters(), { lr: 0.1, momentum: 0.9 });
    const x = randn([4, 2, 12, 12], { generator: new Generator(8) });
    F.crossEntropy(reference.call(x), tensor([0, 1, 2, 3], { dtype: "int32" })).backward();
    refOpt.step();
    // Parameters, buffers, .grad and momentum are readable and equal after the scope; a second step agrees too.
    expect(values(made.model)).toEqual(values(reference));
    made.model.parameters().forEach((p, i) => expect(Array.from(p.grad!.data)).toEqual(Array.from(reference.parameters()[i].grad!.data)));
    made.optimizer.step();
    refOpt.step();
    made.model.parameters().forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(reference.parameters()[i].data)));
  });

  it("nests: an inner scope frees its own tensors, the outer scope's stay valid", () => {
    const x = randn([32, 32], { generator: new Generator(9) });
    tidy(() => {
      const outer = x.add(1);
      const inner = tidy(() => outer.mul(2).add(outer));
      expect(inner.toFlatArray()).toEqual(outer.toFlatArray().map((v) => Math.fround(Math.fround(v * 2) + v)));
      expect(outer.toFlatArray()).toEqual(x.toFlatArray().map((v) => Math.fround(v + 1)));
    });
  });

  it("gives zero-filled storage, like a new typed array, where earlier scopes wrote", () => {
    const x = randn([256, 256], { generator: new Generator(10) });
    tidy(() => x.abs().add(7));
    const zeros = tidy(() => {
      const z = zerosLike(x);
      return [z.abs().sum().item(), z.sum(0).abs().sum().item()];
    });
    expect(zeros).toEqual([0, 0]);
  });

  it("closes the scope when the function throws, and rethrows", () => {
    const rt = wasmRuntime();
    const before = rt?.shared.scratchBase;
    expect(() => tidy(() => {
      randn([100, 100]).mul(2);
      throw new Error("student's bug");
    })).toThrow("student's bug");
    expect(rt?.shared.scratchBase).toBe(before);
  });

  it("refuses an async function with an error that says why", async () => {
    let error: unknown;
    try {
      tidy(() => Promise.resolve(1));
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/\[tidy\] the function returned a Promise.*synchronous/);
  });

  it.runIf(hasArena)("reuses its memory: many steps do not grow the shared memory", () => {
    const t = trainer(11);
    tidy(() => t.step());
    const rt = wasmRuntime()!;
    const size = rt.shared.memory.buffer.byteLength;
    const base = rt.shared.scratchBase;
    for (let i = 0; i < 20; i++) tidy(() => t.step());
    expect(rt.shared.memory.buffer.byteLength).toBe(size);
    expect(rt.shared.scratchBase).toBe(base);
  });
});
