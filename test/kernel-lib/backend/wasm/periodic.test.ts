/**
 * The fast kernels' block loops for periodic broadcasts (backend/wasm/periodic.ts)
 * against the reference loops that read every operand through its index map.
 */
import { describe, expect, it } from "vitest";
import { backend } from "kernel-lib";
import { randomF32 } from "../../../helpers/backend-oracle";

const fast = backend.kernels();
const ref = backend.cpuKernels;

// [operand, output]: a bias row, a scalar, leading 1s, a column (not periodic: the map is used), equal shapes.
const CASES: [number[], number[]][] = [[[5], [3, 5]], [[1], [4, 3]], [[1, 1, 7], [2, 3, 7]], [[3, 1], [3, 4]], [[2, 3], [2, 3]], [[3, 7], [2, 3, 7]]];

describe("periodic broadcasts: the fast kernels equal the reference loops", () => {
  for (const [from, to] of CASES) {
    const n = to.reduce((a, b) => a * b, 1);
    const m = from.reduce((a, b) => a * b, 1);
    it(`[${from}] against [${to}]: add, sub, mul, div both ways, and the sum back down`, () => {
      const full = randomF32(n, n);
      const part = randomF32(m, m + 1).map((v) => v + 3); // away from 0: div
      for (const op of ["add", "sub", "mul", "div", "maximum"] as const) {
        for (const partFirst of [false, true]) {
          const [got, want] = [fast, ref].map((k) => {
            const index = k.broadcastIndex(from, to);
            const out = new Float32Array(n);
            if (partFirst) k.binary(op, part, index, full, null, out);
            else k.binary(op, full, null, part, index, out);
            return [...out];
          });
          expect(got, `${op}${partFirst ? " (broadcast operand first)" : ""}`).toEqual(want);
        }
      }
      const [got, want] = [fast, ref].map((k) => {
        const out = new Float32Array(m);
        k.sumInto(full, k.broadcastIndex(from, to), out);
        return [...out];
      });
      expect(got).toEqual(want);
    });
  }
});
