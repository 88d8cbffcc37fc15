/**
 * One source of truth for exercises: every `solutions/NN-topic.ts` holds the
 * reference code between `// BEGIN SOLUTION hint: …` and `// END SOLUTION`
 * markers; the student's `exercises/NN-topic.ts` is the same file with each
 * marked region replaced by `return notImplemented(name, hint)`.
 */
const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION(?:\s+hint:\s*(.*))?\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const FUNCTION_NAME = /(?:function\s+([A-Za-z_$][\w$]*)|^\s*(?:public\s+|private\s+|static\s+)*([A-Za-z_$][\w$]*)\s*\(.*\)\s*(?::[^{]*)?\{\s*$)/;
const SUPPORT_IMPORT = 'import { notImplemented } from "./support";';

export interface StubError {
  line: number;
  message: string;
}

/** Turns a solution file's text into the exercise stub's text; throws with the line number on malformed markers. */
export function makeStub(source: string, file: string): string {
  const lines = source.split("\n");
  const out: string[] = [];
  let inside = false;
  let regions = 0;
  lines.forEach((line, i) => {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (inside) throw new Error(`${file}:${i + 1}: BEGIN SOLUTION inside another solution region`);
      inside = true;
      regions++;
      const name = enclosingFunction(lines, i) ?? `${file} region ${regions}`;
      const hint = (begin[2] ?? "see the lesson notebook").trim();
      out.push(`${begin[1]}return notImplemented(${JSON.stringify(name)}, ${JSON.stringify(hint)});`);
      return;
    }
    if (END.test(line)) {
      if (!inside) throw new Error(`${file}:${i + 1}: END SOLUTION without BEGIN SOLUTION`);
      inside = false;
      return;
    }
    if (!inside) out.push(line);
  });
  if (inside) throw new Error(`${file}: a BEGIN SOLUTION region is never closed`);
  if (regions === 0) throw new Error(`${file}: no BEGIN SOLUTION region: nothing for the student to write`);
  return addSupportImport(out).join("\n");
}

function enclosingFunction(lines: string[], at: number): string | null {
  for (let i = at - 1; i >= 0; i--) {
    const m = FUNCTION_NAME.exec(lines[i]);
    if (m) return m[1] ?? m[2] ?? null;
  }
  return null;
}

/** Puts the import of `notImplemented` after the file's last import statement (or at the top). */
function addSupportImport(lines: string[]): string[] {
  let after = 0;
  let inImport = false;
  lines.forEach((l, i) => {
    if (/^import\s/.test(l)) inImport = true;
    if (inImport && /;\s*$/.test(l)) {
      inImport = false;
      after = i + 1;
    }
  });
  return [...lines.slice(0, after), SUPPORT_IMPORT, ...lines.slice(after)];
}
