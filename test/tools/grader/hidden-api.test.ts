/**
 * The hidden cases (grading/hidden/*.hidden.ts) run the Vitest way: each case
 * against the reference solution and against the pristine stub, compared by
 * the same `observe` + `compareObserved` the autograder uses.
 */
import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { compareObserved, observe, threw } from "../../../tools/grader/hidden-api";
import { hiddenSuites } from "../../../grading/hidden";
import { throws } from "../../exercises/contracts";
import { GradingError } from "../../exercises/grading-core";

const root = resolve(__dirname, "..", "..", "..");
const hiddenDir = join(root, "grading/hidden");
const exercises = readdirSync(join(root, "solutions")).filter((f) => /^\d\d-.*\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ""));

describe("hidden cases", () => {
  it("every exercise has hidden cases, all listed in grading/hidden/index.ts", () => {
    const files = readdirSync(hiddenDir).filter((f) => f.endsWith(".hidden.ts"));
    expect(files.map((f) => f.replace(/\.hidden\.ts$/, "")).sort()).toEqual(exercises);
    expect(Object.keys(hiddenSuites).sort()).toEqual(exercises);
  });

  for (const exercise of exercises) {
    it(`${exercise}: every case passes on the reference solution, twice (deterministic), and fails on the stub`, async () => {
      const suite = hiddenSuites[exercise];
      const solution = (await import(join(root, "solutions", `${exercise}.ts`))) as never;
      const stub = (await import(join(root, "exercises", `${exercise}.ts`))) as never;
      expect(suite.exercise).toBe(exercise);
      expect(suite.cases.length).toBeGreaterThan(0);
      for (const c of suite.cases) {
        expect(c.points, c.name).toBeGreaterThan(0);
        const first = observe(c.run(solution));
        const second = observe(c.run(solution));
        expect(compareObserved(second, first, { rtol: 0, atol: 0 }), c.name).toBeNull();
        let stubResult: string | null;
        try {
          stubResult = compareObserved(observe(c.run(stub)), first, c);
        } catch (e) {
          stubResult = (e as Error).message;
        }
        expect(stubResult, c.name).toMatch(/not implemented yet|expected|missing|unexpected/);
      }
    });
  }
});

describe("compareObserved", () => {
  it("compares numbers with the case's tolerances and everything else exactly", () => {
    expect(compareObserved(observe([1, 2.0000001]), observe([1, 2]), { rtol: 1e-6 })).toBeNull();
    expect(compareObserved(observe([1, 2.001]), observe([1, 2]), { rtol: 1e-6 })).toMatch(/result\[1\]: expected 2 but got 2\.00100/);
    expect(compareObserved(observe({ a: [1], b: "x" }), observe({ a: [1], b: "y" }))).toMatch(/result\.b: expected "y" but got "x"/);
    expect(compareObserved(observe({ a: 1 }), observe({ a: 1, b: 2 }))).toMatch(/missing b/);
    expect(compareObserved(observe([1, 2, 3]), observe([1, 2]))).toMatch(/expected 2 entries but got 3/);
    expect(compareObserved(observe(NaN), observe(NaN))).toBeNull();
    expect(compareObserved(observe(0), observe(NaN))).toMatch(/expected NaN/);
    expect(compareObserved(observe("1"), observe(1))).toMatch(/expected the number 1/);
  });

  it("observes tensors, typed arrays and special numbers as plain data, and refuses cycles", () => {
    expect(observe({ shape: [2], data: new Float64Array([1, -0]) })).toEqual({ $tensor: [2], data: [1, { $number: "-0" }] });
    expect(observe([Infinity, undefined])).toEqual([{ $number: "Infinity" }, { $undefined: true }]);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => observe(cyclic)).toThrow(/cycle/);
  });
});

describe("hidden feedback never shows the reference's values", () => {
  it("names where and what the student gave, not what was expected", () => {
    const expected = observe({ data: [1.25, 2.5], shape: [2] });
    const revealed = compareObserved(observe({ data: [1.25, 2.75], shape: [2] }), expected, {}, "result", true);
    const hidden = compareObserved(observe({ data: [1.25, 2.75], shape: [2] }), expected, {}, "result", false);
    expect(revealed).toMatch(/2\.5/);
    expect(hidden).toMatch(/result\.data\[1\]: 2\.75(0*) is not the reference value/);
    expect(hidden).not.toMatch(/2\.5\b|expected|likely cause/);
    expect(compareObserved(observe("relu"), observe("tanh"), {}, "result", false)).toBe('result: "relu" is not the reference value');
  });
});

describe("a promised refusal (threw in hidden cases, throws in the public graders)", () => {
  const stub = () => { throw new Error("fans is not implemented yet. Hint: …"); };
  // The error forbidden.ts makes a function throw when it takes a shortcut.
  const shortcut = () => { throw new GradingError({ what: "fans: shortcut refused" }, "fans must be written from scratch, without kernel-lib, but it uses kernel-lib's init"); };

  it("counts an error of the function's own, and a normal return as no refusal", () => {
    for (const check of [threw, throws]) {
      expect(check(() => { throw new Error("fans: need at least 2 dimensions"); })).toBe(true);
      expect(check(() => 1)).toBe(false);
    }
  });

  it("never counts a stub's or a refused shortcut's error: it is passed on, so neither scores by throwing", () => {
    for (const check of [threw, throws]) {
      expect(() => check(stub)).toThrow(/not implemented yet/);
      expect(() => check(shortcut)).toThrow(/shortcut refused/);
    }
  });
});
