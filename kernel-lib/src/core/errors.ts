/**
 * Every error the engine throws starts with the operation's name in brackets,
 * then says what was wrong and, where possible, how to fix it:
 *   [matmul] cannot multiply [32,784] by [256,10]: inner sizes 784 and 256 differ
 */
export class KernelError extends Error {
  constructor(readonly op: string, message: string) {
    super(`[${op}] ${message}`);
    this.name = "KernelError";
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
