import { fail, fmtShape } from "../core/errors";
import { noGrad } from "../autograd/grad-mode";
import { Tensor } from "../tensor";
import { Parameter } from "./parameter";
import { keep } from "../memory/tidy";
import { checkOneOf } from "../core/validate";

/** A module of any call signature, as found among another module's children. */
export type AnyModule = Module<unknown[], unknown>;

/** Returned by `registerForwardHook`; `remove()` unregisters the hook. */
export interface RemovableHandle {
  remove(): void;
}

/** Name → tensor, for parameters and buffers (as PyTorch's state_dict). */
export type StateDict = Record<string, Tensor>;

export interface LoadStateDictOptions {
  /** Require the keys to match exactly (default true); false skips missing and unexpected keys. */
  strict?: boolean;
}

/** A forward hook: called with the module, its inputs and its output after each `call`. */
export type ForwardHook<M, Args, Out> = (module: M, inputs: Args, output: Out) => void;

type InternalHook = ForwardHook<AnyModule, unknown[], unknown>;

/**
 * The base of every layer and model, like torch.nn.Module. A subclass
 * assigns its parameters (`Parameter`), submodules (`Module`, or arrays of
 * them) to its own properties and implements `forward`; the base finds them
 * by walking those properties in declaration order, so `parameters()`,
 * `train()`/`eval()`, `stateDict()` reach the whole tree. Run a module with
 * `call(...)` (PyTorch's `model(x)`): it calls `forward` and then the forward hooks.
 *
 *   class MLP extends Module {
 *     fc1 = new Linear(784, 256);
 *     fc2 = new Linear(256, 10);
 *     forward(x: Tensor): Tensor { return this.fc2.call(F.relu(this.fc1.call(x))); }
 *   }
 *
 * Lesson: notebooks/src/01-why-deep-is-hard.ts §1 (the recipe so far)
 */
export abstract class Module<Args extends unknown[] = [Tensor], Out = Tensor> {
  /** Training mode (true) or evaluation mode (false): dropout and batch norm behave differently. */
  training = true;
  private readonly moduleBuffers = new Map<string, Tensor>();
  private readonly forwardHooks = new Map<number, InternalHook>();
  private nextHookId = 0;
  private parameterNamesAssigned = false;

  /** The computation; called through `call`, which also runs the hooks. */
  abstract forward(...args: Args): Out;

  /** Runs `forward` and then every forward hook; the way to apply a module (PyTorch's `module(x)`). */
  call(...args: Args): Out {
    if (!this.parameterNamesAssigned) this.assignParameterNames();
    const out = this.forward(...args);
    for (const hook of this.forwardHooks.values()) hook(this, args, out);
    return out;
  }

  /**
   * Labels each parameter with its dotted path (`0.weight`), so anomaly-mode
   * errors name the layer. The outermost module is called first, so its paths win.
   */
  private assignParameterNames(): void {
    for (const m of this.modules()) m.parameterNamesAssigned = true;
    for (const [name, p] of this.namedParameters()) p.name = name;
  }

  // ---- discovering the tree ----------------------------------------------

  /** This module's own parameters (not its children's), from its properties in declaration order. */
  protected localParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Parameter) out.push([key, value]);
      else if (Array.isArray(value)) value.forEach((v, i) => v instanceof Parameter && out.push([`${key}.${i}`, v]));
    }
    return out;
  }

  /** Direct submodules with their names: properties holding a Module, and arrays of Modules (`layers.0`, `layers.1`, …). */
  namedChildren(): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) out.push([key, value]);
      else if (Array.isArray(value)) value.forEach((v, i) => v instanceof Module && out.push([`${key}.${i}`, v]));
    }
    return out;
  }

  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, depth first, each once, with dotted paths ("" for this one). */
  namedModules(): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const visit = (prefix: string, m: AnyModule) => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([prefix, m]);
      for (const [name, child] of m.namedChildren()) visit(prefix ? `${prefix}.${name}` : name, child);
    };
    visit("", this);
    return out;
  }

  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Every parameter of the tree with its dotted path (`0.weight`, `layers.1.bias`):
   * a module's own first, then each child's subtree, as in PyTorch; a shared one appears once.
   */
  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m.localParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix ? `${prefix}.${name}` : name, p]);
      }
    }
    return out;
  }

  /** The tensors an optimizer updates. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * Registers non-trainable state that belongs in `stateDict()` (batch norm's
   * running mean and variance): saved and loaded, but not returned by
   * `parameters()`. Returns the tensor, to keep in a property as well.
   */
  registerBuffer<T extends Tensor>(name: string, tensor: T): T {
    if (name === "" || name.includes(".")) fail("registerBuffer", `buffer name must be non-empty and contain no ".", got "${name}"`);
    if (this.moduleBuffers.has(name)) fail("registerBuffer", `a buffer named "${name}" already exists`);
    if (tensor.requiresGrad) fail("registerBuffer", `buffer "${name}" requires grad; buffers are not trained (use a Parameter instead)`);
    // A module outlives tidy(): its buffers must not live in the memory tidy() frees.
    this.moduleBuffers.set(name, keep(tensor));
    return tensor;
  }

  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, b] of m.moduleBuffers) out.push([prefix ? `${prefix}.${name}` : name, b]);
    }
    return out;
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  // ---- dtype ---------------------------------------------------------------

  /**
   * Converts every floating-point parameter and buffer of the tree to `dtype`
   * (torch's `module.to(dtype)`), in place, and returns the module. Parameters
   * are replaced by converted copies: build the optimizer after converting.
   * A parameter shared by several layers stays shared. int32 buffers are kept.
   */
  to(options: { dtype: "float32" | "float64" }): this {
    const { dtype } = options;
    checkOneOf("Module.to", "dtype", dtype, ["float32", "float64"]);
    const converted = new Map<Tensor, Tensor>();
    const convert = (t: Tensor): Tensor => {
      if (t.dtype === dtype || t.dtype === "int32") return t;
      let c = converted.get(t);
      if (c === undefined) {
        const data = t.detach().to(dtype);
        c = t instanceof Parameter ? new Parameter(data, t.requiresGrad) : keep(data); // a buffer outlives tidy()
        c.name = t.name;
        converted.set(t, c);
      }
      return c;
    };
    for (const m of this.modules()) m.convertOwnTensors(convert);
    return this;
  }

  /** Converts parameters and buffers to float64 (torch's `module.double()`). */
  double(): this {
    return this.to({ dtype: "float64" });
  }

  /** Converts parameters and buffers to float32 (torch's `module.float()`). */
  float(): this {
    return this.to({ dtype: "float32" });
  }

  /** Replaces this module's own parameters and buffers (properties, arrays, the buffer table) by `convert`'s results. */
  private convertOwnTensors(convert: (t: Tensor) => Tensor): void {
    const buffers = new Set(this.moduleBuffers.values());
    const owned = (v: unknown): v is Tensor => v instanceof Parameter || (v instanceof Tensor && buffers.has(v));
    const self = this as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(this)) {
      if (owned(value)) self[key] = convert(value);
      else if (Array.isArray(value)) value.forEach((v, i) => owned(v) && (value[i] = convert(v)));
    }
    for (const [name, b] of this.moduleBuffers) this.moduleBuffers.set(name, convert(b));
  }

  // ---- modes and gradients -----------------------------------------------

  /** Sets training mode on this module and every descendant (false = evaluation). */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: dropout off, batch norm uses its running statistics. Same as train(false). */
  eval(): this {
    return this.train(false);
  }

  /** Sets every parameter's gradient to null (PyTorch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Freezes (false) or unfreezes (true) every parameter: frozen ones get no gradient. */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad_(flag);
    return this;
  }

  /** The total number of parameter entries (only those with requiresGrad when `trainableOnly`). */
  numParameters(options: { trainableOnly?: boolean } = {}): number {
    return this.parameters()
      .filter((p) => !options.trainableOnly || p.requiresGrad)
      .reduce((n, p) => n + p.size, 0);
  }

  /** Calls `fn` on every descendant, children before parents, then on this module (e.g. custom initialization). */
  apply(fn: (module: AnyModule) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---- hooks -------------------------------------------------------------

  /** Runs `hook(module, inputs, output)` after every `call`; e.g. to record activation statistics. */
  registerForwardHook(hook: ForwardHook<this, Args, Out>): RemovableHandle {
    const id = this.nextHookId++;
    this.forwardHooks.set(id, hook as InternalHook);
    return { remove: () => void this.forwardHooks.delete(id) };
  }

  // ---- saving and loading ------------------------------------------------

  /** Copies of every parameter and buffer by dotted name; later training does not change them. */
  stateDict(): StateDict {
    const dict: StateDict = {};
    for (const [name, t] of [...this.namedParameters(), ...this.namedBuffers()]) {
      dict[name] = new Tensor(t.data.slice(), t.shape);
    }
    return dict;
  }

  /**
   * Copies the values of `dict` into this module's parameters and buffers, in
   * place (optimizers holding the parameters keep working). Every key must
   * match (unless strict = false) and every shape always; nothing is written
   * unless all checks pass.
   */
  loadStateDict(dict: Readonly<StateDict>, options: LoadStateDictOptions = {}): { missingKeys: string[]; unexpectedKeys: string[] } {
    const own = new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
    const missingKeys = [...own.keys()].filter((k) => !Object.hasOwn(dict, k));
    const unexpectedKeys = Object.keys(dict).filter((k) => !own.has(k));
    const problems: string[] = [];
    if (options.strict ?? true) {
      if (missingKeys.length) problems.push(`missing key(s): ${missingKeys.map((k) => `"${k}"`).join(", ")}`);
      if (unexpectedKeys.length) problems.push(`unexpected key(s): ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}`);
    }
    for (const [name, target] of own) {
      if (!Object.hasOwn(dict, name)) continue;
      const source = dict[name];
      if (!(source instanceof Tensor)) problems.push(`"${name}" is not a Tensor`);
      else if (source.shape.length !== target.shape.length || source.shape.some((d, i) => d !== target.shape[i])) {
        problems.push(`size mismatch for "${name}": the state dict has ${fmtShape(source.shape)}, the model ${fmtShape(target.shape)}`);
      }
    }
    if (problems.length) {
      fail("loadStateDict", `cannot load into ${this.constructor.name}: ${problems.join("; ")}. Was the state dict saved from a model built the same way? (strict: false ignores key mismatches)`);
    }
    noGrad(() => {
      for (const [name, target] of own) if (Object.hasOwn(dict, name)) target.data.set(dict[name].data);
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---- printing ----------------------------------------------------------

  /** The constructor arguments worth showing in `toString()`, e.g. "inFeatures=50, outFeatures=100, bias=true". */
  extraRepr(): string {
    return "";
  }

  /** A tree like PyTorch's repr: `Sequential(\n  (0): Linear(inFeatures=50, outFeatures=100, bias=true)\n …)`. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split("\n") : [];
    const childLines = this.namedChildren().map(([name, child]) => `(${name}): ${child.toString().split("\n").join("\n  ")}`);
    const lines = [...extraLines, ...childLines];
    const name = this.constructor.name;
    if (lines.length === 0) return `${name}()`;
    if (extraLines.length === 1 && childLines.length === 0) return `${name}(${extra})`;
    return `${name}(\n  ${lines.join("\n  ")}\n)`;
  }
}
