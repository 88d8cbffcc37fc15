import { type StateStore, optimizerKernels, plainStateStore } from "../backend";
import { fail } from "../core/errors";
import { enableGrad } from "../autograd/grad-mode";
import { Tensor } from "../tensor";
import { checkLr } from "./validate";

/** The hyperparameters every optimizer has; each optimizer extends this with its own. */
export interface Hyperparameters {
  lr: number;
}

/**
 * A set of parameters that share hyperparameters, e.g. a smaller learning rate
 * for a pretrained backbone. Schedulers write `lr` (and keep the value they
 * started from in `initialLr`).
 */
export type ParamGroup<H extends Hyperparameters = Hyperparameters> = H & {
  params: Tensor[];
  /** Set by the first learning-rate scheduler attached to the optimizer (PyTorch's `initial_lr`). */
  initialLr?: number;
};

/** What the constructor and `addParamGroup` accept: parameters plus any hyperparameters to override. */
export type ParamGroupSpec<H extends Hyperparameters = Hyperparameters> = Partial<H> & {
  params: Iterable<Tensor>;
};

/** One value of per-parameter state: a counter, a buffer shaped like the parameter, or a buffer not created yet. */
export type StateValue = number | FloatArray | null;

/** Per-parameter state; every optimizer counts its steps. */
export type ParamState = { step: number; [key: string]: StateValue };

/** The contiguous storage of a float parameter or gradient. */
export type FloatArray = Float32Array | Float64Array;

/** State of one parameter as saved: buffers become plain arrays (copies, JSON-friendly). */
export type SavedParamState = { [key: string]: number | number[] | null };

/** A parameter group as saved: parameters become their positions, counted across groups. */
export type SavedParamGroup<H extends Hyperparameters = Hyperparameters> = H & { params: number[]; initialLr?: number };

export interface OptimizerStateDict<H extends Hyperparameters = Hyperparameters> {
  /** Keyed by the parameter's position over all groups (group 0's params first). */
  state: Record<number, SavedParamState>;
  paramGroups: SavedParamGroup<H>[];
}

/**
 * The shape every optimizer shares, as in `torch.optim.Optimizer`: parameter
 * groups with their own hyperparameters, per-parameter state created lazily at
 * the first step, `step()`, `zeroGrad()` and state dicts.
 *
 * A subclass supplies two things: `initState` (the buffers of one parameter)
 * and `updateParameter`, the update rule written as a plain loop over the
 * parameter's storage. The loop writes `param` in place and allocates no
 * tensors, so an optimizer step is independent of autograd.
 *
 * State buffers (moments, momentum) have the parameter's dtype, as in
 * PyTorch: Float32Array for float32 parameters, Float64Array for float64
 * ones. The update rules compute in float64 and round when they store. Adam
 * and SGD also have a fast path for float32 (a WebAssembly kernel called
 * before their loop, which computes in float32 as PyTorch does): the two
 * agree to float32 rounding.
 *
 * Lesson: notebooks/src/06-optimizers.ts §1 (gradient descent on an ill-conditioned problem)
 */
export abstract class Optimizer<H extends Hyperparameters = Hyperparameters, S extends ParamState = ParamState> {
  readonly defaults: Readonly<H>;
  readonly paramGroups: ParamGroup<H>[] = [];
  /** Per-parameter state, created at the parameter's first step. */
  readonly state = new Map<Tensor, S>();
  /** Where state buffers live (see `stateBuffer`); made at the first one. */
  private stateStore: StateStore | null = null;

  /**
   * @param params   the tensors to optimize (e.g. `model.parameters()`), or groups `{ params, ...overrides }`
   * @param defaults the hyperparameters of groups that do not override them
   */
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<H>>, defaults: H) {
    this.validate(defaults);
    this.defaults = Object.freeze({ ...defaults });
    const items = [...params];
    if (items.length === 0) fail(this.name, "optimizer got an empty parameter list; pass model.parameters() or a list of tensors");
    if (isTensorList(items)) this.addParamGroup({ params: items } as Partial<H> & { params: Tensor[] });
    else for (const group of items as ParamGroupSpec<H>[]) this.addParamGroup(group);
  }

  /** The class name, used in error messages. */
  get name(): string {
    return this.constructor.name;
  }

  /** Refuses invalid hyperparameters with PyTorch's messages (see validate.ts). */
  protected validate(hyper: H): void {
    checkLr(this.name, hyper.lr);
  }

  /**
   * A zero-filled state buffer with the parameter's dtype (and length, unless
   * `length` is given). With the WebAssembly kernels, float32 state lives in
   * WebAssembly memory, where the Adam and SGD kernels update it in place
   * instead of copying it in and out at every step. To the update rules it is
   * an ordinary Float32Array or Float64Array either way.
   */
  protected stateBuffer(param: FloatArray, length = param.length): FloatArray {
    this.stateStore ??= optimizerKernels()?.createStateStore() ?? plainStateStore;
    return this.stateStore.zeros(param, length) as FloatArray;
  }

  /** Fresh state for a parameter (its storage `param`), at its first step. */
  protected abstract initState(param: FloatArray, group: ParamGroup<H>): S;

  /**
   * One step of the update rule for one parameter: read `grad`, update `state`
   * and write `param` in place. `state.step` is already incremented (t = 1 at
   * the first step).
   */
  protected abstract updateParameter(param: FloatArray, grad: FloatArray, state: S, group: ParamGroup<H>): void;

  /** Adds parameters with their own hyperparameters, e.g. a new layer when fine-tuning. */
  addParamGroup(spec: ParamGroupSpec<H>): void {
    const params = spec?.params === undefined || spec.params === null ? [] : [...spec.params];
    if (params.length === 0) fail(this.name, "a parameter group needs a non-empty `params` list");
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    params.forEach((p, i) => {
      if (!(p instanceof Tensor) || p.dtype === "int32") {
        fail(this.name, `parameter ${i} is not a float tensor (got ${p instanceof Tensor ? p.dtype : typeof p}); optimizers update float32/float64 tensors`);
      }
      if (!p.isLeaf) fail(this.name, `can't optimize a non-leaf tensor (parameter ${i} was computed by ${p.gradFn?.op}); optimize the leaves it came from, or detach() it`);
      if (seen.has(p)) fail(this.name, `some parameters appear in more than one parameter group (parameter ${i}${p.name ? ` "${p.name}"` : ""})`);
      seen.add(p);
    });
    // `{ lr: undefined }` keeps the default, as a missing key does.
    const group: ParamGroup<H> = { ...copyValues(withDefaults<H>({ ...this.defaults }, spec)), params };
    this.validate(group);
    this.paramGroups.push(group);
  }

  /**
   * Updates every parameter that has a gradient (those whose `grad` is null
   * are skipped and keep their state). With a `closure`, it is called first
   * (with gradients recorded) to recompute the loss, which is returned.
   */
  step<L>(closure?: () => L): L | undefined {
    const loss = closure === undefined ? undefined : enableGrad(closure);
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (p.grad.size !== p.size) fail(this.name, `gradient has ${p.grad.size} elements but the parameter has ${p.size}`);
        let state = this.state.get(p);
        if (state === undefined) {
          state = this.initState(p.data as FloatArray, group);
          this.state.set(p, state);
        }
        state.step += 1;
        this.updateParameter(p.data as FloatArray, p.grad.data as FloatArray, state, group);
      }
    }
    return loss;
  }

  /**
   * Clears the gradients before the next backward pass (which would otherwise
   * add to them). `setToNone` (default true, as in PyTorch) sets `grad` to
   * null, which also tells `step()` to skip the parameter; false fills zeros.
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) p.grad = null;
        else p.grad?.data.fill(0);
      }
    }
  }

  /** A copy of the hyperparameters and state; parameters are named by position. Shares no buffers with the optimizer. */
  stateDict(): OptimizerStateDict<H> {
    const params = this.paramGroups.flatMap((g) => g.params);
    const state: Record<number, SavedParamState> = {};
    params.forEach((p, index) => {
      const s = this.state.get(p);
      if (s !== undefined) state[index] = saveState(s);
    });
    let next = 0;
    const paramGroups = this.paramGroups.map(({ params: groupParams, ...hyper }) => {
      return { ...copyValues(hyper), params: groupParams.map(() => next++) } as SavedParamGroup<H>;
    });
    return { state, paramGroups };
  }

  /**
   * Restores hyperparameters and state saved by `stateDict()` into an
   * optimizer built over the same parameters in the same order (a fresh
   * model is fine: parameters are matched by position, not identity).
   */
  loadStateDict(dict: OptimizerStateDict<H>): void {
    if (dict.paramGroups.length !== this.paramGroups.length) {
      fail(this.name, `loaded state dict has ${dict.paramGroups.length} parameter groups, this optimizer has ${this.paramGroups.length}`);
    }
    dict.paramGroups.forEach((saved, i) => {
      const group = this.paramGroups[i];
      if (saved.params.length !== group.params.length) {
        fail(this.name, `loaded parameter group ${i} has ${saved.params.length} parameters, this optimizer's has ${group.params.length}`);
      }
      const { params: _positions, ...hyper } = copyValues(saved);
      Object.assign(group, hyper);
    });
    const params = this.paramGroups.flatMap((g) => g.params);
    this.state.clear();
    this.stateStore = null; // a fresh store: the old one goes with the old state
    for (const [key, saved] of Object.entries(dict.state)) {
      const p = params[Number(key)];
      if (p === undefined) fail(this.name, `loaded state refers to parameter ${key}, but there are only ${params.length}`);
      this.state.set(p, loadState(saved, p.data.length, (n) => this.stateBuffer(p.data as FloatArray, n), this.name, key) as S);
    }
  }
}

function isTensorList(items: unknown[]): items is Tensor[] {
  return items[0] instanceof Tensor;
}

/** A shallow copy in which arrays (betas) are copied too, so nothing is shared. */
function copyValues<T extends object>(obj: T): T {
  const entries = Object.entries(obj).map(([key, value]) => [key, Array.isArray(value) ? [...value] : value]);
  return Object.fromEntries(entries) as T;
}

function saveState(state: ParamState): SavedParamState {
  const out: SavedParamState = {};
  for (const [key, value] of Object.entries(state)) out[key] = ArrayBuffer.isView(value) ? Array.from(value) : value;
  return out;
}

function loadState(saved: SavedParamState, size: number, buffer: (length: number) => FloatArray, op: string, key: string): ParamState {
  const out: ParamState = { step: 0 };
  for (const [name, value] of Object.entries(saved)) {
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      const values = value as ArrayLike<number>;
      if (values.length !== size) fail(op, `loaded state "${name}" of parameter ${key} has ${values.length} values, the parameter has ${size}`);
      const restored = buffer(size);
      restored.set(values);
      out[name] = restored;
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** `defaults` overridden by the options that are set (an explicit `undefined` keeps the default). */
export function withDefaults<H extends object>(defaults: H, options: Partial<H>): H {
  const out = { ...defaults };
  for (const key of Object.keys(options) as (keyof H)[]) {
    const value = options[key];
    if (value !== undefined) out[key] = value as H[keyof H];
  }
  return out;
}
