import type { TypedArray } from "../core/dtype";
import { Generator } from "../core/random";

/**
 * Reused buffer for the uniform draws (a training step would otherwise
 * allocate one per dropout layer); masks above DRAWS_MAX elements get their
 * own, so that one huge call does not pin its buffer for good.
 */
let draws = new Float64Array(0);
const DRAWS_MAX = 1 << 20;

function drawBuffer(n: number): Float64Array {
  if (n > DRAWS_MAX) return new Float64Array(n);
  if (draws.length < n) draws = new Float64Array(n);
  return draws.subarray(0, n);
}

/**
 * The reference Bernoulli mask: out[i] = value if u_i ≥ p else 0, where u_i
 * are the next out.length draws of Generator.uniform() from the xoshiro128**
 * state `words` (four 32-bit words), which is advanced in place. So the
 * mask keeps each element with probability 1 − p, and a kernel that
 * reproduces the generator (wasm/assembly/bernoulli.ts) gives the same mask.
 */
export function bernoulliMask(words: Uint32Array, p: number, value: number, out: TypedArray): void {
  const generator = new Generator().setState({ s: Array.from(words), spare: null });
  const u = generator.fillUniform(drawBuffer(out.length));
  // value · +(u ≥ p) rather than a branch, which random draws would mispredict.
  for (let i = 0; i < out.length; i++) out[i] = value * +(u[i] >= p);
  words.set(generator.getState().s);
}
