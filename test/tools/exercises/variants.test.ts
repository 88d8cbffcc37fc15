/**
 * The proof that grading can be trusted, graded in one batch:
 *
 * - every plausible mistake of grading/mutations.ts loses points (public or
 *   hidden), and only in the tests of its own function;
 * - every correct alternative of grading/alternatives.ts keeps every point,
 *   public and hidden (alternatives-coverage.test.ts checks that every
 *   exercise function has one).
 *
 * Each variant is a copy of the solutions with a few exact edits. Variants
 * of different exercise files share a folder, so one Vitest run (the
 * public graders with GRADE_TARGET pointing at that folder, as `npm run
 * check` runs them) grades a whole round; the hidden cases run here, by the
 * same observe + compareObserved as the autograder.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compareObserved, observe } from "../../../tools/grader/hidden-api";
import { hiddenSuites } from "../../../grading/hidden";
import { applyVariant, type Variant } from "../../../grading/variant";
import { MUTATIONS } from "../../../grading/mutations";
import { ALTERNATIVES } from "../../../grading/alternatives";
import type { GradedResult } from "../../exercises/points-reporter";

const root = resolve(__dirname, "..", "..", "..");

interface Verdict {
  publicEarned: number;
  publicTotal: number;
  failedTests: { name: string; message: string }[];
  hiddenEarned: number;
  hiddenTotal: number;
  failedHidden: string[];
}

const key = (v: Variant) => `${v.exercise}: ${v.what}`;

/** Rounds of variants with at most one per exercise file (they share one folder and one Vitest run). */
function rounds(variants: readonly Variant[]): Variant[][] {
  const out: Variant[][] = [];
  for (const v of variants) {
    const round = out.find((r) => !r.some((o) => o.exercise === v.exercise));
    if (round) round.push(v);
    else out.push([v]);
  }
  return out;
}

function runVitest(dir: string, files: string[], pointsJson: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(join(root, "node_modules/.bin/vitest"), ["run", ...files, "--reporter=./test/exercises/points-reporter.ts"], {
      cwd: root, env: { ...process.env, GRADE_TARGET: dir, POINTS_JSON: pointsJson }, stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => (code === 0 || code === 1 ? done() : fail(new Error(`vitest exited with ${code}: ${stderr.slice(-2000)}`))));
  });
}

async function hiddenVerdict(v: Variant, dir: string): Promise<Pick<Verdict, "hiddenEarned" | "hiddenTotal" | "failedHidden">> {
  const suite = hiddenSuites[v.exercise];
  const reference = (await import(join(root, "solutions", `${v.exercise}.ts`))) as never;
  const variant = (await import(join(dir, `${v.exercise}.ts`))) as never;
  const previous = process.env.GRADE_TARGET;
  /** Runs `fn` with the shortcut check reading `target` (the reference's solutions, or the variant's folder). */
  const reading = <T>(target: string | undefined, fn: () => T): T => {
    if (target === undefined) delete process.env.GRADE_TARGET;
    else process.env.GRADE_TARGET = target;
    try {
      return fn();
    } finally {
      if (previous === undefined) delete process.env.GRADE_TARGET;
      else process.env.GRADE_TARGET = previous;
    }
  };
  let earned = 0;
  let total = 0;
  const failed: string[] = [];
  for (const c of suite.cases) {
    total += c.points;
    const expected = reading(undefined, () => observe(c.run(reference)));
    const verdict = reading(dir, () => {
      try {
        return compareObserved(observe(c.run(variant)), expected, c);
      } catch (e) {
        return (e as Error).message;
      }
    });
    if (verdict === null) earned += c.points;
    else failed.push(`${c.name}: ${verdict}`);
  }
  return { hiddenEarned: earned, hiddenTotal: total, failedHidden: failed };
}

/** Grades every variant: returns one verdict per variant. */
async function gradeAll(variants: readonly Variant[]): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  const base = mkdtempSync(join(tmpdir(), "exercise-variants-"));
  const solutions = readdirSync(join(root, "solutions")).filter((f) => /^\d\d-.*\.ts$/.test(f));
  try {
    const plan = rounds(variants).map((round, k) => {
      const dir = join(base, `round-${k}`);
      mkdirSync(dir);
      for (const f of solutions) copyFileSync(join(root, "solutions", f), join(dir, f));
      for (const v of round) writeFileSync(join(dir, `${v.exercise}.ts`), applyVariant(v));
      return { round, dir, points: join(base, `points-${k}.json`) };
    });
    // Two Vitest runs at a time (each one grades a round of files in parallel itself).
    const queue = [...plan];
    await Promise.all([0, 1].map(async () => {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
        await runVitest(job.dir, job.round.map((v) => `test/exercises/${v.exercise}.test.ts`), job.points);
      }
    }));
    for (const { round, dir, points } of plan) {
      const results = JSON.parse(readFileSync(points, "utf8")) as GradedResult[];
      for (const v of round) {
        const mine = results.filter((r) => r.exercise === v.exercise);
        verdicts.set(key(v), {
          publicEarned: mine.reduce((s, r) => s + r.earned, 0),
          publicTotal: mine.reduce((s, r) => s + r.points, 0),
          failedTests: mine.filter((r) => !r.passed).map((r) => ({ name: r.name, message: r.message })),
          ...(await hiddenVerdict(v, dir)),
        });
      }
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  return verdicts;
}

/** The part of a test's full name after the describe block: "batchNormForward: …". */
const testName = (fullName: string) => fullName.split(" > ").slice(-1)[0];

describe("graded variants of the solutions", () => {
  let verdicts = new Map<string, Verdict>();
  beforeAll(async () => {
    verdicts = await gradeAll([...MUTATIONS, ...ALTERNATIVES]);
  }, 600_000);

  describe("every plausible mistake loses points, only in its own function's tests", () => {
    for (const m of MUTATIONS) {
      it(key(m), () => {
        const v = verdicts.get(key(m))!;
        const lost = v.publicTotal - v.publicEarned + v.hiddenTotal - v.hiddenEarned;
        expect(lost, `${key(m)} scored full marks`).toBeGreaterThan(0);
        const owners = [m.fn, ...(m.alsoFails ?? [])];
        const elsewhere = v.failedTests.filter((t) => !owners.some((fn) => testName(t.name).startsWith(fn)));
        expect(elsewhere.map((t) => `${t.name}\n${t.message}`), `${key(m)} also cost points in other functions' tests`).toEqual([]);
      });
    }
  });

  describe("every correct alternative keeps every point, public and hidden", () => {
    for (const a of ALTERNATIVES) {
      it(key(a), () => {
        const v = verdicts.get(key(a))!;
        expect(v.failedTests.map((t) => `${t.name}\n${t.message}`)).toEqual([]);
        expect(v.failedHidden).toEqual([]);
        expect(v.publicEarned).toBe(v.publicTotal);
      });
    }
  });
});
