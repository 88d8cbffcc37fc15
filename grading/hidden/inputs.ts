/**
 * Seeded inputs for the hidden cases. The seeds are fresh (none of them is
 * used by the public graders), and every case draws from its own generator,
 * so one failing case never shifts the inputs of another.
 */
import { Generator } from "kernel-lib";

export function normals(seed: number, n: number, scale = 1): number[] {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => scale * g.normal());
}

export function matrix(seed: number, rows: number, cols: number, scale = 1): number[][] {
  const g = new Generator(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * g.normal()));
}

export function uniforms(seed: number, n: number, low: number, high: number): number[] {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => low + (high - low) * g.uniform());
}
