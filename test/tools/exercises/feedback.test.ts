/**
 * The graders' feedback (test/exercises/feedback.ts) and shortcut check
 * (test/exercises/forbidden.ts) on their own: what a student reads, and what
 * the check sees through aliases, helpers and strings.
 */
import { describe, expect, it } from "vitest";
import { transformSync } from "esbuild";
import { describeInput, formatPair, symptom } from "../../exercises/feedback";
import { analyse, shortcutOf } from "../../exercises/forbidden";
import { closeMismatch } from "../../exercises/grading-core";

const compile = (ts: string) => transformSync(ts, { loader: "ts", format: "cjs", target: "node20" }).code;

describe("feedback", () => {
  it("prints expected and got with enough digits to differ, and their difference", () => {
    expect(formatPair(2.7452521, 2.7452533)).toEqual(["2.745252", "2.745253"]);
    expect(formatPair(1, 1 + 2 ** -52)).toEqual(["1", "1.0000000000000002"]);
    const detail = closeMismatch([0.23076923], [0.230769215], { rtol: 1e-12 })!;
    expect(detail).toMatch(/expected 0\.23076921\d* but got 0\.23076923/);
    expect(detail).toMatch(/difference 1\.5\de-8/);
  });

  it("names the symptom: the N/(N − 1) factor, a constant offset, a shift by one, a near miss, a sign, NaN", () => {
    const e = [0.5, 1.5, 2.25, 4];
    expect(symptom(e.map((v) => (v * 8) / 7), e)).toMatch(/N = 8 \(biased variance\) and by N − 1/);
    expect(symptom(e.map((v) => v * Math.sqrt(7 / 8)), e)).toMatch(/√\(8\/7\)/);
    expect(symptom(e.map((v) => v + 1e-5), e)).toMatch(/off by the same amount/);
    expect(symptom([1.5, 2.25, 4, 7], e)).toMatch(/one position early/);
    expect(symptom(e.map((v) => v * (1 + 1e-7 * v)), e)).toMatch(/agree .* to about 6 digits/);
    expect(symptom(e.map((v) => -v), e)).toMatch(/wrong sign/);
    expect(symptom([0.5, NaN, 2, 4], e)).toMatch(/NaN at position 1/);
    expect(symptom([3, -7, 0.1, 12], e)).toBeNull(); // nothing stands out: the check's own hint is shown
    expect(symptom([0.3], [0.1])).toBeNull(); // one number is always a multiple of another
  });

  it("a symptom replaces the hint's diagnosis; the check's hint stays as the formula", () => {
    const detail = closeMismatch([1, 2, 3].map((v) => v * 1.25), [1, 2, 3], {})!;
    expect(detail).toMatch(/likely cause: every value is off by the factor \(5\/4\)/);
  });

  it("shows the input's row at the failing position instead of a truncated dump", () => {
    const x = Array.from({ length: 40 }, (_, i) => [i + 0.123456789, -i - 0.5, 2 * i]);
    const shown = describeInput({ x, eps: 1e-5 }, 3 * 17 + 1);
    expect(shown).toContain("x: [40][3], x[17] = [17.123456789,-17.5,34]");
    expect(shown).toContain("eps = 0.00001");
    expect(describeInput({ x: [[1, 2]] }, 0)).toBe('{"x":[[1,2]]}');
  });
});

describe("the shortcut check", () => {
  it("follows aliases, namespaces, helpers, optional chains and template literals", () => {
    const usages = analyse(compile(`
      import { clipGradNorm_ as clip, init } from "kernel-lib";
      import * as K from "kernel-lib";
      const label = "kernel-lib"; const re = /require\\("kernel-lib"\\)/;
      function helper(w: number[]) { return init.kaimingNormal_(w as never); }
      export function viaHelper(w: number[]) { return helper(w); }
      export function viaAlias(g: number[][]) { return clip(g as never, 1); }
      export function viaTemplate() { return \`\${K?.optim.schedules.oneCycle(1, {} as never)}\`; }
      export function viaMethod(m: { numParameters(): number }) { return m.numParameters(); }
      export function clean(x: number) { return label.length + re.source.length + x / 2; }
    `));
    const rules = (fn: string) => shortcutOf(usages, "05-residuals-and-clipping", fn);
    expect(shortcutOf(usages, "02-initialization", "viaHelper")).toBeNull(); // not one of 02's functions
    expect(rules("clipGradNorm")).toBeNull();
    expect([...usages.get("viaHelper")!.calls]).toEqual(["helper"]);
    expect([...usages.get("helper")!.lib]).toEqual(["init.kaimingNormal_"]);
    expect([...usages.get("viaAlias")!.lib]).toEqual(["clipGradNorm_"]);
    expect([...usages.get("viaTemplate")!.lib]).toEqual(["optim.schedules.oneCycle"]);
    expect(usages.get("viaMethod")!.methods.has("numParameters")).toBe(true);
    expect([...usages.get("clean")!.lib]).toEqual([]);
  });

  it("refuses by rule with a message naming the call, and allows types and the engine where it is meant to be used", () => {
    const usages = analyse(compile(`
      import { init, noGrad, type Tensor } from "kernel-lib";
      export function fans(shape: readonly number[]): Tensor | number { return shape.length; }
      export function initialize_(w: Tensor) { noGrad(() => init.kaimingNormal_(w)); return w; }
      export function initStd() { return noGrad(() => 1); }
    `));
    expect(shortcutOf(usages, "02-initialization", "fans")).toBeNull();
    expect(shortcutOf(usages, "02-initialization", "initialize_")).toBe("initialize_ must be written without kernel-lib's init.*, but it uses kernel-lib's init.kaimingNormal_");
    expect(shortcutOf(usages, "02-initialization", "initStd")).toBe("initStd must be written from scratch, without kernel-lib, but it uses kernel-lib's noGrad");
  });
});
