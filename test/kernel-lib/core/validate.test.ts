/** The one argument-validation module (core/validate.ts): every check refuses in the one message style. */
import { describe, expect, it } from "vitest";
import * as validate from "../../../kernel-lib/src/core/validate";

const STYLE = /^\[op\] Invalid [^:]+: \S+ \(must be [^)]+\)+$/;

describe("argument checks", () => {
  const refusals: [string, () => void][] = [
    ["checkFiniteNumber", () => validate.checkFiniteNumber("op", "x", Infinity)],
    ["checkNonNegative", () => validate.checkNonNegative("op", "x", -1)],
    ["checkNonNegative (NaN)", () => validate.checkNonNegative("op", "x", NaN)],
    ["checkPositive", () => validate.checkPositive("op", "x", 0)],
    ["checkPositiveInteger", () => validate.checkPositiveInteger("op", "x", 2.5)],
    ["checkUnitInterval", () => validate.checkUnitInterval("op", "p", 1.5)],
    ["checkLr", () => validate.checkLr("op", -1)],
    ["checkEps", () => validate.checkEps("op", -1)],
    ["checkMomentum", () => validate.checkMomentum("op", -1)],
    ["checkWeightDecay", () => validate.checkWeightDecay("op", -1)],
    ["checkBetas", () => validate.checkBetas("op", [0.9, 1])],
    ["checkBetas (not a pair)", () => validate.checkBetas("op", [0.9])],
  ];
  it.each(refusals)("%s: [op] Invalid <what>: <value> (must be <rule>)", (_, call) => {
    expect(call).toThrow(STYLE);
  });

  it("accepts the edges of each range", () => {
    expect(() => {
      validate.checkNonNegative("op", "x", 0);
      validate.checkPositiveInteger("op", "x", 1);
      validate.checkUnitInterval("op", "p", 0);
      validate.checkUnitInterval("op", "p", 1);
      validate.checkLr("op", 0);
      validate.checkBetas("op", [0, 0.999]);
    }).not.toThrow();
  });

  it("shows strings quoted and lists bracketed", () => {
    expect(() => validate.invalid("op", "mode", "fancy", "one of a, b")).toThrow('[op] Invalid mode: "fancy" (must be one of a, b)');
    expect(() => validate.invalid("op", "range", [1, 1], "lo < hi")).toThrow("[op] Invalid range: [1, 1] (must be lo < hi)");
  });
});
