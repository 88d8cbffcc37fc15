/**
 * Every graded exercise function has a correct alternative formulation in
 * grading/alternatives.ts (graded at full marks by variants.test.ts), so no
 * grader can quietly test an accident of the reference. The exercise
 * functions are read from the solutions themselves: every exported function
 * or class of solutions/NN-*.ts (constants such as SELU_ALPHA and types are
 * not exercises). Fast on its own, so a new exercise without an alternative
 * is named at once, not after the minutes of grading.
 */
import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { ALTERNATIVES } from "../../../grading/alternatives";
import { MUTATIONS } from "../../../grading/mutations";
import type { Variant } from "../../../grading/variant";

const root = resolve(__dirname, "..", "..", "..");
const exercises = readdirSync(join(root, "solutions")).filter((f) => /^\d\d-.*\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ""));

/** "01-why-deep-is-hard: sigmoidDerivative" for every exported function or class of every solution file. */
async function exerciseFunctions(): Promise<string[]> {
  const names: string[] = [];
  for (const exercise of exercises) {
    const module = (await import(join(root, "solutions", `${exercise}.ts`))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) if (typeof value === "function") names.push(`${exercise}: ${name}`);
  }
  return names;
}

const covers = (alternatives: readonly Variant[]) => new Set(alternatives.map((a) => `${a.exercise}: ${a.fn}`));

describe("grading/alternatives.ts covers every exercise function", () => {
  it("every exported function or class of solutions/*.ts has at least one correct alternative", async () => {
    const covered = covers(ALTERNATIVES);
    const missing = (await exerciseFunctions()).filter((f) => !covered.has(f));
    expect(missing, "exercise functions without a correct alternative in grading/alternatives.ts").toEqual([]);
  });

  it("every alternative names an exported function of its exercise (no typo leaves a function uncovered)", async () => {
    const functions = new Set(await exerciseFunctions());
    expect([...covers(ALTERNATIVES)].filter((f) => !functions.has(f))).toEqual([]);
  });

  it("no two variants of one exercise share a description (variants.test.ts keys its verdicts by it)", () => {
    const keys = [...MUTATIONS, ...ALTERNATIVES].map((v) => `${v.exercise}: ${v.what}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it("finds the functions and classes and leaves out constants and types", async () => {
    const functions = await exerciseFunctions();
    expect(functions).toContain("03-activations: selu");
    expect(functions).toContain("08-regularization: EarlyStopper");
    expect(functions).not.toContain("03-activations: SELU_ALPHA");
    expect(functions).not.toContain("10-modern-recipe: FIXES");
    expect(functions.length).toBeGreaterThanOrEqual(60);
  });
});
