/**
 * The shortcut check: which parts of kernel-lib each exported function of a
 * submission reaches, directly or through the file's own helpers, compared
 * with the rules of shortcuts.ts. A function that breaks a rule is replaced
 * by one that throws a GradingError naming the forbidden call, so every test
 * of that function (public and hidden) fails and no other function loses
 * anything.
 *
 * Both ways of grading analyse the same text: the submission compiled to
 * CommonJS by esbuild. The sandbox of `npm run grade` holds exactly that
 * file (next to its harness.js); under Vitest (`npm test`, `npm run check`)
 * the TypeScript file is compiled here with the same esbuild settings. The
 * analysis is a small scanner over that JavaScript rather than the
 * TypeScript compiler: the graders are bundled into the sandbox, and
 * typescript.js (8.7 MB) would be copied into every one of them.
 *
 * What it sees: `require("kernel-lib")` bindings (esbuild's form of every
 * import) and the property paths read from them (`import_kernel_lib.init.
 * kaimingNormal_`, aliases included, since esbuild rewrites `import { a as
 * b }` to the property), method names (`.numParameters`), and calls
 * between the file's top-level declarations. Type-only imports vanish in
 * compilation, so types stay allowed.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join } from "node:path";
import { GradingError } from "./grading-core";
import { SHORTCUTS, describePart } from "./shortcuts";

type Token = { kind: "name"; text: string; depth: number } | { kind: "string"; text: string; depth: number } | { kind: "punct"; text: string; depth: number };

/** Tokens of a JavaScript text: names, string values and punctuation, with the bracket depth of each (comments, numbers, regexes and template text skipped). */
export function scan(source: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  const templates: number[] = []; // brace depth at which each open `${` of a template started
  const regexAllowed = (): boolean => {
    const last = tokens[tokens.length - 1];
    if (last === undefined) return true;
    if (last.kind === "name") return /^(return|typeof|case|do|else|in|instanceof|new|delete|void|throw|yield|await)$/.test(last.text);
    if (last.kind === "string") return false;
    return !/^[)\]}0]$/.test(last.text); // "0" stands for any number literal

  };
  const readTemplate = (): void => {
    // i is just past a backtick or a closing `}` of `${…}`.
    while (i < source.length) {
      const c = source[i];
      if (c === "\\") i += 2;
      else if (c === "`") { i++; return; }
      else if (c === "$" && source[i + 1] === "{") { i += 2; templates.push(depth); depth++; tokens.push({ kind: "punct", text: "(", depth: depth - 1 }); return; }
      else i++;
    }
  };
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "/" && source[i + 1] === "/") { while (i < source.length && source[i] !== "\n") i++; continue; }
    if (c === "/" && source[i + 1] === "*") { const end = source.indexOf("*/", i + 2); i = end < 0 ? source.length : end + 2; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = "";
      while (j < source.length && source[j] !== c) {
        if (source[j] === "\\") { text += source[j + 1] ?? ""; j += 2; } else text += source[j++];
      }
      tokens.push({ kind: "string", text, depth });
      i = j + 1;
      continue;
    }
    if (c === "`") { i++; tokens.push({ kind: "string", text: "`", depth }); readTemplate(); continue; }
    if (/[A-Za-z_$\u00c0-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[\w$\u00c0-\uffff]/.test(source[j])) j++;
      tokens.push({ kind: "name", text: source.slice(i, j), depth });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(source[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < source.length && /[\w.]/.test(source[j])) j++;
      tokens.push({ kind: "punct", text: "0", depth });
      i = j;
      continue;
    }
    if (c === "/" && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < source.length && (inClass || source[j] !== "/")) {
        if (source[j] === "\\") j++;
        else if (source[j] === "[") inClass = true;
        else if (source[j] === "]") inClass = false;
        j++;
      }
      j++;
      while (j < source.length && /[a-z]/.test(source[j])) j++;
      tokens.push({ kind: "string", text: "/regex/", depth });
      i = j;
      continue;
    }
    if (c === "}" && templates.length > 0 && templates[templates.length - 1] === depth - 1) {
      templates.pop();
      depth--;
      tokens.push({ kind: "punct", text: ")", depth });
      i++;
      readTemplate();
      continue;
    }
    if (c === "(" || c === "[" || c === "{") { tokens.push({ kind: "punct", text: c, depth }); depth++; i++; continue; }
    if (c === ")" || c === "]" || c === "}") { depth = Math.max(0, depth - 1); tokens.push({ kind: "punct", text: c, depth }); i++; continue; }
    if (c === "?" && source[i + 1] === ".") { tokens.push({ kind: "punct", text: ".", depth }); i += 2; continue; }
    tokens.push({ kind: "punct", text: c, depth });
    i++;
  }
  return tokens;
}

/** What one top-level declaration of the file uses: kernel-lib paths ("init.kaimingNormal_", "*" for the whole module), method names, and the file's other declarations. */
interface Usage {
  lib: Set<string>;
  methods: Set<string>;
  calls: Set<string>;
}

const DECLARE = /^(function|class|var|let|const)$/;

/** For every top-level declaration of a CommonJS text compiled by esbuild: the kernel-lib paths, methods and declarations it uses. */
export function analyse(js: string): Map<string, Usage> {
  const tokens = scan(js);
  const bindings = new Set<string>();
  tokens.forEach((t, k) => {
    if (t.kind === "name" && t.text === "require" && tokens[k + 2]?.kind === "string" && tokens[k + 2].text === "kernel-lib") {
      // `NAME = require("kernel-lib")` or `NAME = __toESM(require("kernel-lib"))`
      for (let b = k - 1; b >= Math.max(0, k - 4); b--) {
        if (tokens[b].text === "=" && tokens[b - 1]?.kind === "name") { bindings.add(tokens[b - 1].text); break; }
      }
    }
  });
  const usages = new Map<string, Usage>();
  let current: Usage | null = null;
  const declared = new Set<string>();
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.depth === 0 && t.kind === "name") {
      const prev = tokens[k - 1];
      const atStatementStart = prev === undefined || prev.text === ";" || (prev.text === "}" && prev.depth === 0);
      if (DECLARE.test(t.text) && tokens[k + 1]?.kind === "name") {
        const name = tokens[k + 1].text;
        declared.add(name);
        current = usages.get(name) ?? { lib: new Set(), methods: new Set(), calls: new Set() };
        usages.set(name, current);
        k++;
        continue;
      }
      if (atStatementStart && t.text !== "async") current = null;
    }
    if (current === null) continue;
    const prev = tokens[k - 1];
    const afterDot = prev?.kind === "punct" && prev.text === ".";
    if (t.kind === "name" && afterDot) current.methods.add(t.text);
    if (t.kind === "name" && !afterDot && bindings.has(t.text)) {
      const path: string[] = [];
      let j = k + 1;
      while (tokens[j]?.text === "." && tokens[j + 1]?.kind === "name") { path.push(tokens[j + 1].text); j += 2; }
      // `ns["name"]` reads a property by string: count the string as the path.
      if (path.length === 0 && tokens[j]?.text === "[" && tokens[j + 1]?.kind === "string") path.push(tokens[j + 1].text);
      current.lib.add(path.length > 0 ? path.join(".") : "*");
    } else if (t.kind === "name" && !afterDot) current.calls.add(t.text);
    // A require of kernel-lib inside a function (not the module's own `var import_kernel_lib = require(…)`).
    if (t.kind === "name" && t.text === "require" && tokens[k + 2]?.text === "kernel-lib" && t.depth > 0) current.lib.add("*");
  }
  for (const u of usages.values()) for (const c of [...u.calls]) if (!declared.has(c)) u.calls.delete(c);
  return usages;
}

/** Everything `name` reaches through the file's own declarations. */
function reach(usages: Map<string, Usage>, name: string): Usage {
  const out: Usage = { lib: new Set(), methods: new Set(), calls: new Set() };
  const todo = [name];
  const seen = new Set<string>();
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const u = usages.get(n);
    if (u === undefined) continue;
    u.lib.forEach((p) => out.lib.add(p));
    u.methods.forEach((m) => out.methods.add(m));
    u.calls.forEach((c) => todo.push(c));
  }
  return out;
}

/** The shortcut a function takes, in words, or null when it keeps to its exercise's rules. */
export function shortcutOf(usages: Map<string, Usage>, exercise: string, fn: string): string | null {
  const rules = SHORTCUTS[exercise];
  if (rules === undefined) return null;
  const used = reach(usages, fn);
  if (rules.fromScratch.includes(fn) && used.lib.size > 0) {
    const what = [...used.lib].map((p) => (p === "*" ? "kernel-lib" : `kernel-lib's ${p}`)).join(", ");
    return `${fn} must be written from scratch, without kernel-lib, but it uses ${what}`;
  }
  for (const part of rules.without[fn] ?? []) {
    const hit = part.startsWith(".")
      ? (used.methods.has(part.slice(1)) ? part : null)
      : [...used.lib].find((p) => p === part || p.startsWith(`${part}.`)) ?? null;
    if (hit !== null) return `${fn} must be written without ${describePart(part)}, but it uses ${hit.startsWith(".") ? `${hit}()` : `kernel-lib's ${hit}`}`;
  }
  return null;
}

/** Where the graded file is: the TypeScript file under Vitest (as vitest.config.mts resolves @exercise/), the compiled one in the sandbox. */
function submissionFile(exercise: string): string {
  if (process.env.VITEST !== undefined) {
    const target = process.env.GRADE_TARGET ?? "";
    const dir = target === "exercises" ? join(process.cwd(), "exercises") : isAbsolute(target) ? target : join(process.cwd(), "solutions");
    return join(dir, `${exercise}.ts`);
  }
  return join(dirname(process.argv[1] ?? ""), "exercises", `${exercise}.js`);
}

/** The submission compiled to CommonJS (under Vitest compiled here; in the sandbox of `npm run grade` it is compiled already). */
function compiledSubmission(file: string): string {
  if (!existsSync(file)) throw new Error(`the shortcut check cannot find ${file.endsWith(".js") ? "your compiled exercise" : file}`);
  if (file.endsWith(".ts")) {
    // esbuild is loaded here only (never in the sandbox, where the file is compiled already); same options as tools/grader/image.ts.
    const esbuild = createRequire(join(process.cwd(), "package.json"))("esbuild") as typeof import("esbuild");
    try {
      return esbuild.transformSync(readFileSync(file, "utf8"), {
        loader: "ts", format: "cjs", target: "node20", sourcefile: file,
        tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, strict: true } },
      }).code;
    } catch {
      // A file that does not compile is graded through a stand-in whose functions all fail
      // (npm run check lists it with the compiler's message): there is nothing to scan.
      return "";
    }
  }
  return readFileSync(file, "utf8");
}

const analysed = new Map<string, Map<string, Usage>>();

/**
 * The exercise module with every function that takes a forbidden shortcut
 * replaced by one that throws the reason (calling it or `new` on it). The
 * graders grade this instead of the module itself.
 */
export function withoutShortcuts<M extends object>(module: M, exercise: string): M {
  const file = submissionFile(exercise);
  let usages = analysed.get(file);
  if (usages === undefined) {
    usages = analyse(compiledSubmission(file));
    analysed.set(file, usages);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(module)) {
    const reason = typeof value === "function" ? shortcutOf(usages, exercise, key) : null;
    out[key] = reason === null ? value : refusal(key, reason);
  }
  return out as M;
}

function refusal(fn: string, reason: string): () => never {
  return function refused(): never {
    throw new GradingError({ what: `${fn}: shortcut refused`, hint: "write it with plain numbers and arrays, as the lesson does: the exercise is to implement it, not to call the library's version" }, reason);
  };
}
