/**
 * Every `Lesson:` tag in kernel-lib's doc comments is a path to a lesson
 * source with its sections, e.g.
 *   Lesson: notebooks/src/06-optimizers.ts §5 (Adam)
 * The file must exist and have a "## 5." heading; "§N" after a path names a
 * section of that path's lesson. Lesson names without a path are refused.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const SRC = path.join(ROOT, "kernel-lib", "src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith(".ts") ? [full] : [];
  });
}

/** Section numbers of a lesson source: its "// ## N. Title" headings. */
function sections(lesson: string): Set<number> {
  const text = readFileSync(path.join(ROOT, lesson), "utf8");
  return new Set([...text.matchAll(/^\/\/ ## (\d+)\./gm)].map((m) => Number(m[1])));
}

/** Problems with one tag's text (what follows "Lesson:" on its line). */
function tagProblems(tag: string): string[] {
  const parts = tag.split(/(?=notebooks\/src\/)/).filter((p) => p.startsWith("notebooks/src/"));
  if (parts.length === 0) return [`no lesson path in "${tag.trim()}"`];
  return parts.flatMap((part) => {
    const lesson = /^notebooks\/src\/\d\d-[a-z0-9-]+\.ts/.exec(part)?.[0];
    if (lesson === undefined || !existsSync(path.join(ROOT, lesson))) return [`no lesson source ${part.split(/\s/)[0]}`];
    const numbers = [...part.matchAll(/§(\d+)/g)].map((m) => Number(m[1]));
    if (numbers.length === 0) return [`${lesson}: no section (§N)`];
    const known = sections(lesson);
    return numbers.filter((n) => !known.has(n)).map((n) => `${lesson} has no section ${n}`);
  });
}

describe("Lesson tags in kernel-lib's doc comments", () => {
  const tags = sources(SRC).flatMap((file) =>
    readFileSync(file, "utf8").split("\n").flatMap((line, i) => {
      const m = /\blessons?:(.*)$/i.exec(line);
      return m ? [{ where: `${path.relative(ROOT, file)}:${i + 1}`, tag: m[1] }] : [];
    }),
  );

  it("there are tags to check (the scan finds them)", () => {
    expect(tags.length).toBeGreaterThan(20);
  });

  it("every tag names an existing lesson source and sections it has", () => {
    const problems = tags.flatMap(({ where, tag }) => tagProblems(tag).map((p) => `${where}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("refuses a lesson name, a missing file and a missing section", () => {
    expect(tagProblems(' "Optimizers" (Adam)')).toEqual(['no lesson path in ""Optimizers" (Adam)"']);
    expect(tagProblems(" notebooks/src/99-nothing.ts §1")).toEqual(["no lesson source notebooks/src/99-nothing.ts"]);
    expect(tagProblems(" notebooks/src/06-optimizers.ts §99 (nope)")).toEqual(["notebooks/src/06-optimizers.ts has no section 99"]);
    expect(tagProblems(" notebooks/src/06-optimizers.ts")).toEqual(["notebooks/src/06-optimizers.ts: no section (§N)"]);
    expect(tagProblems(" notebooks/src/06-optimizers.ts §5 (Adam)")).toEqual([]);
  });
});
