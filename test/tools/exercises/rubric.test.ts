/**
 * Points follow difficulty, as written down once in tools/exercises/rubric.ts:
 * every exported function has a tier and points, its graded tests (named
 * after it) add up to them, and README's table is current.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { RUBRIC, gradedTests, ownerOf, rubricRows } from "../../../tools/exercises/rubric";
import { staleReadme } from "../../../tools/exercises/generate";

const root = resolve(__dirname, "..", "..", "..");

describe("the rubric", () => {
  it("gives every exported function or class of every solution a tier and points, and nothing else", () => {
    for (const [exercise, functions] of Object.entries(RUBRIC)) {
      const source = readFileSync(join(root, "solutions", `${exercise}.ts`), "utf8");
      const exported = [...source.matchAll(/^export (?:function|class) (\w+)/gm)].map((m) => m[1]).sort();
      expect(Object.keys(functions).sort(), exercise).toEqual(exported);
    }
  });

  it("each function's graded tests start with its name and add up to its points", () => {
    for (const row of rubricRows()) expect(row.publicPoints, `${row.exercise} ${row.fn}`).toBe(row.points);
    for (const exercise of Object.keys(RUBRIC)) {
      const strays = gradedTests(exercise).filter((t) => !(ownerOf(t.name) in RUBRIC[exercise]));
      expect(strays.map((t) => t.name), `${exercise}: graded tests not named after a function`).toEqual([]);
    }
  });

  it("harder tiers are worth more: every tier-3 function outweighs every tier-1 function", () => {
    const rows = rubricRows();
    const maxTier1 = Math.max(...rows.filter((r) => r.tier === 1).map((r) => r.points));
    const minTier3 = Math.min(...rows.filter((r) => r.tier === 3).map((r) => r.points));
    expect(minTier3).toBeGreaterThan(maxTier1);
  });

  it("README's graders' section shows the current table (run `npm run exercises` if not)", () => {
    expect(staleReadme()).toBe(false);
  });
});
