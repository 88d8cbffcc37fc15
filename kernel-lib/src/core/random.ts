import { fail } from "./errors";
import { checkFiniteNumber } from "./validate";

/**
 * A seedable pseudo-random generator (xoshiro128**, seeded through splitmix32).
 * Integer arithmetic only, so the same seed gives the same numbers on every
 * machine and every JavaScript engine. Mirrors `torch.Generator`.
 *
 *   const g = new Generator(42);
 *   g.uniform(); // a float in [0, 1)
 */
export class Generator {
  private s = new Uint32Array(4);
  /** Box–Muller yields normals in pairs; the second is kept for the next call. */
  private spare: number | null = null;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Resets the state from an integer seed (like `torch.Generator.manual_seed`). */
  manualSeed(seed: number): this {
    checkFiniteNumber("Generator.manualSeed", "seed", seed);
    // splitmix32 spreads the seed's bits over the 128-bit state. The high word
    // (non-zero only for seeds outside [0, 2^32), e.g. negative ones) is hashed
    // separately, so that seeds like -1 and 0, or 2^32 and 1, do not collide.
    let x = Math.floor(seed) >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      const high = hi === 0 ? 0 : mix32((hi + Math.imul(i + 1, 0x7f4a7c15)) >>> 0);
      this.s[i] = (mix32(x) ^ high) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    this.spare = null;
    return this;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Fills `out` with the next out.length values of uniform(), in order: the
   * same numbers, and the same state afterwards, as that many calls.
   * NOTE: for speed (dropout draws one number per activation per step): the
   * state stays in local variables for the whole loop; each pass of the loop
   * is two nextUint32() steps, written out.
   */
  fillUniform(out: Float64Array): Float64Array {
    const st = this.s;
    let s0 = st[0];
    let s1 = st[1];
    let s2 = st[2];
    let s3 = st[3];
    for (let i = 0; i < out.length; i++) {
      const hi = (Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0) >>> 5;
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const lo = (Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0) >>> 6;
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      out[i] = (hi * 67108864 + lo) / 9007199254740992;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    return out;
  }

  /** A standard normal draw (Box–Muller): sqrt(-2 ln u1) · cos(2π u2). */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    let u1 = 0;
    while (u1 === 0) u1 = this.uniform(); // ln(0) would be -Infinity
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** An integer in [low, high). */
  randint(low: number, high: number): number {
    if (!(Number.isInteger(low) && Number.isInteger(high) && high > low)) {
      fail("Generator.randint", `need integers low < high, got low=${low}, high=${high}`);
    }
    return low + Math.floor(this.uniform() * (high - low));
  }

  /** A random permutation of 0..n-1 (Fisher–Yates), like `torch.randperm`. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A snapshot of the state, to restore later with `setState`. */
  getState(): { s: number[]; spare: number | null } {
    return { s: Array.from(this.s), spare: this.spare };
  }

  setState(state: { s: readonly number[]; spare: number | null }): this {
    if (state.s.length !== 4) fail("Generator.setState", `expected 4 state words, got ${state.s.length}`);
    this.s.set(state.s);
    this.spare = state.spare;
    return this;
  }

  /** An independent copy with the same state. */
  clone(): Generator {
    return new Generator().setState(this.getState());
  }
}

/** The splitmix32 finalizer: every input bit affects every output bit. */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The generator used when none is passed explicitly. */
export const defaultGenerator = new Generator(0);

/** Seeds the default generator, like `torch.manual_seed`. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
