/**
 * `npm run exercises` regenerates exercises/*.ts from solutions/*.ts;
 * `npm run exercises -- --check` only verifies that the committed stubs are current.
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { makeStub } from "./stubs";
import { shortcutNote } from "../../test/exercises/shortcuts";
import { withRubric } from "./rubric";

const root = resolve(__dirname, "../..");

/** Each solution file and the stub text it should produce. */
export function expectedStubs(): { name: string; stub: string }[] {
  const dir = join(root, "solutions");
  return readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ts$/.test(f))
    .sort()
    .map((name) => ({ name, stub: withShortcutNote(makeStub(readFileSync(join(dir, name), "utf8"), `solutions/${name}`), name.replace(/\.ts$/, "")) }));
}

/** Puts what the exercise must be written without (test/exercises/shortcuts.ts) right after the stub's opening doc comment. */
export function withShortcutNote(stub: string, exercise: string): string {
  const note = shortcutNote(exercise, (fn) => new RegExp(`^export (?:function|class) ${fn}\\b`, "m").test(stub));
  if (note.length === 0) return stub;
  const lines = stub.split("\n");
  // The file's opening doc comment (the support import may come before it when the file has no other import).
  const start = lines.slice(0, 2).findIndex((l) => l.startsWith("/**"));
  const end = start < 0 ? -1 : lines.findIndex((l, i) => i >= start && l.trim().endsWith("*/"));
  lines.splice(end + 1, 0, ...note);
  return lines.join("\n");
}

/** Names of exercise files that are missing or differ from what the solutions generate. */
export function staleStubs(): string[] {
  return expectedStubs()
    .filter(({ name, stub }) => {
      const path = join(root, "exercises", name);
      return !existsSync(path) || readFileSync(path, "utf8") !== stub;
    })
    .map(({ name }) => name);
}

/** True when README's rubric table differs from what the graders and tools/exercises/rubric.ts give. */
export function staleReadme(): boolean {
  const text = readFileSync(join(root, "README.md"), "utf8");
  return withRubric(text) !== text;
}

function main(): void {
  const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
  if (values.check) {
    const stale = staleStubs();
    if (staleReadme()) stale.push("README.md (the graders' rubric table)");
    if (stale.length > 0) {
      console.error(`These exercise stubs are out of date with solutions/: ${stale.join(", ")}\nRun: npm run exercises`);
      process.exit(1);
    }
    console.log("exercise stubs are current");
    return;
  }
  for (const { name, stub } of expectedStubs()) writeFileSync(join(root, "exercises", name), stub);
  const readme = join(root, "README.md");
  writeFileSync(readme, withRubric(readFileSync(readme, "utf8")));
  console.log("exercise stubs and README's rubric table regenerated");
}

if (require.main === module) main();
