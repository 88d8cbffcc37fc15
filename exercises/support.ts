/**
 * Shared by every exercise stub: the error a stub throws until you replace
 * its body with your own code. (This file is not generated.)
 */
export class NotImplementedError extends Error {
  constructor(readonly exercise: string, readonly hint: string) {
    super(`${exercise} is not implemented yet. Hint: ${hint}`);
    this.name = "NotImplementedError";
  }
}

/** Throws NotImplementedError; typed `never` so a stub type-checks as `return notImplemented(…)`. */
export function notImplemented(exercise: string, hint: string): never {
  throw new NotImplementedError(exercise, hint);
}
