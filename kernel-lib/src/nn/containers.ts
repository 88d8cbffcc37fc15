import { fail } from "../core/errors";
import type { Tensor } from "../tensor";
import { type AnyModule, Module } from "./module";

/** Turns a possibly negative position into 0..length−1, or fails naming the container. */
function position(op: string, index: number, length: number): number {
  if (!Number.isInteger(index) || index < -length || index >= length) {
    fail(op, `index ${index} is out of range for ${length} module(s)`);
  }
  return index < 0 ? index + length : index;
}

/**
 * A chain of modules applied in order, each to the previous one's output,
 * like torch.nn.Sequential; its children are named "0", "1", …
 *
 *   const model = new Sequential(new Linear(50, 100), new ReLU(), new Linear(100, 10));
 *   model.call(X);      // Linear → ReLU → Linear
 *   model.at(-1);       // the last Linear
 */
export class Sequential extends Module {
  private readonly items: Module[];

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) fail("Sequential", `argument ${i} is not a Module`);
    });
    this.items = modules;
  }

  forward(x: Tensor): Tensor {
    let out = x;
    for (const m of this.items) out = m.call(out);
    return out;
  }

  override namedChildren(): [string, AnyModule][] {
    return this.items.map((m, i) => [String(i), m]);
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    return this.items[position("Sequential.at", index, this.items.length)];
  }

  get length(): number {
    return this.items.length;
  }

  /** Adds a module at the end. */
  append(module: Module): this {
    if (!(module instanceof Module)) fail("Sequential.append", "argument is not a Module");
    this.items.push(module);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }
}

/**
 * A list of submodules that are registered (their parameters are found) but
 * not chained: the owner decides how to call them, like torch.nn.ModuleList.
 *
 *   this.blocks = new ModuleList(Array.from({ length: 4 }, () => new Linear(64, 64)));
 *   for (const block of this.blocks) x = F.relu(block.call(x));
 */
export class ModuleList<M extends AnyModule = Module> extends Module<[], never> {
  private readonly items: M[];

  constructor(modules: Iterable<M> = []) {
    super();
    this.items = [...modules];
    this.items.forEach((m, i) => {
      if (!(m instanceof Module)) fail("ModuleList", `entry ${i} is not a Module`);
    });
  }

  /** A ModuleList only holds modules; iterate over it and call each one. */
  forward(): never {
    return fail("ModuleList", "has no forward; iterate over it and call each module");
  }

  override namedChildren(): [string, AnyModule][] {
    return this.items.map((m, i) => [String(i), m]);
  }

  at(index: number): M {
    return this.items[position("ModuleList.at", index, this.items.length)];
  }

  get length(): number {
    return this.items.length;
  }

  append(module: M): this {
    if (!(module instanceof Module)) fail("ModuleList.append", "argument is not a Module");
    this.items.push(module);
    return this;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }
}
