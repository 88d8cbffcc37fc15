import { tidyStack } from "../display/cell-stack";

/**
 * Every error the engine throws starts with the operation's name in brackets,
 * then says what was wrong and, where possible, how to fix it:
 *   [matmul] cannot multiply [32,784] by [256,10]: inner sizes 784 and 256 differ
 */
export class KernelError extends Error {
  /** The operation that failed ("matmul"). */
  declare readonly op: string;

  constructor(op: string, message: string) {
    super(`[${op}] ${message}`);
    this.name = "KernelError";
    // Not enumerable, so a notebook's error printout does not end in `{ op: 'matmul' }`.
    Object.defineProperty(this, "op", { value: op, enumerable: false });
    // In a notebook: the message, then the student's cell line, without the engine's frames.
    tidyStack(this);
  }
}

/** Throws a KernelError for `op`. Typed `never` so callers can use it in expressions. */
export function fail(op: string, message: string): never {
  throw new KernelError(op, message);
}

/** Formats a shape the way error messages print it: [32,784]. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}
