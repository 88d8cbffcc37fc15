/**
 * The sandbox process: grades ONE exercise of one submission (or of the
 * reference solution, to make the manifest and the hidden expected outputs).
 *
 * Started by tools/grader/run-exercise.ts with Node's permission model (it may
 * read only its sandbox folder and write only a scratch folder; no child
 * processes, no workers), a memory cap and a clock. Order matters:
 *   1. read the job from stdin (with the nonce), before anything else;
 *   2. freeze the built-ins and kernel-lib (lockdown.ts, harden.ts);
 *   3. load the student's exercise, then the public graders and the hidden
 *      cases, and run them one unit at a time, reporting on fd 3 only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { createRequire } from "node:module";
import { lockdown } from "./lockdown";
import { hardenLibrary } from "./harden";
import { openChannel, type Channel, type UnitListing } from "./channel";
import { guardModule } from "./guard";
import * as testApi from "./test-api";
import { observe, type HiddenSuite } from "../hidden-api";

/** What the grader sends on stdin. */
export interface Job {
  nonce: string;
  /** "04-batch-normalization" */
  exercise: string;
  /** Skip the units before this index (the grader resumes after a unit that hung or crashed). */
  from: number;
  /** Stop before this index (null: run to the end); the grader runs one unit alone with from = i, to = i + 1. */
  to: number | null;
  /** Absolute paths inside the sandbox. */
  kernelLib: string;
  support: string;
  testBundle: string;
  /** name → transpiled exercise file, for the graded exercise and its siblings. */
  exercises: Record<string, string>;
  /** The hidden cases' compiled code: never written into the sandbox. */
  hiddenSource: string | null;
  /** Per exercise, per exported function, which parameters the stub declares writable (signatures.ts). */
  inPlace: Record<string, Record<string, boolean[]>>;
}

const readFileSync = fs.readFileSync;
const compileFunction = vm.compileFunction;
const nodeRequire = createRequire(__filename);
const exit = process.exit.bind(process);

const job = JSON.parse(readFileSync(0, "utf8")) as Job;
const channel: Channel = openChannel(job.nonce);
lockdown();
closeBackDoors();

const kernelLib = hardenLibrary(nodeRequire(job.kernelLib) as object);

/**
 * kernel-lib as the student's code sees it: without `backend`, whose
 * `setKernels` (and thread settings) would change what every later test
 * computes with: the API objects are frozen, the module state behind them is
 * not. Seeding (`manualSeed`, `defaultGenerator`) stays: an exercise may seed
 * for reproducibility, and reseeding can only change its own inputs, never an
 * expected value (those come from the grader's manifest).
 */
const STUDENT_HIDDEN_EXPORTS = new Set(["backend"]);
const studentKernelLib = Object.freeze(Object.fromEntries(Object.keys(kernelLib).filter((k) => !STUDENT_HIDDEN_EXPORTS.has(k)).map((k) => [k, (kernelLib as Record<string, unknown>)[k]])));

/** Node modules an exercise may use; network, processes, workers, the inspector and the module system are not on the list. */
const ALLOWED_BUILTINS = new Set(["assert", "buffer", "crypto", "events", "fs", "os", "path", "perf_hooks", "string_decoder", "timers", "url", "util"]);

function builtin(spec: string): unknown {
  const bare = spec.startsWith("node:") ? spec.slice(5) : spec;
  if (!ALLOWED_BUILTINS.has(bare)) throw new Error(`Cannot use "${spec}" in an exercise: the grader provides kernel-lib, ./support, your other exercise files and ${[...ALLOWED_BUILTINS].join(", ")}`);
  return nodeRequire(`node:${bare}`);
}

/** Evaluates CommonJS code with its own `require`, outside Node's module cache (nothing else can reach it). */
function evaluate(file: string, displayName: string, requireFn: (spec: string) => unknown, code?: string, strict = false): unknown {
  // Student modules run in strict mode, as under Vitest (ES modules are strict; esbuild's CommonJS output is not).
  const source = `${strict ? '"use strict";' : ""}${code ?? readFileSync(file, "utf8")}`;
  const fn = compileFunction(source, ["exports", "require", "module", "__filename", "__dirname"], { filename: displayName });
  const mod = { exports: {} as unknown };
  fn.call(mod.exports, mod.exports, requireFn, mod, displayName, path.dirname(displayName));
  return mod.exports;
}

const studentModules = new Map<string, { exports?: unknown; error?: unknown }>();
let support: unknown = null;

function loadSupport(): unknown {
  support ??= evaluate(job.support, "exercises/support.ts", (spec) => (spec === "kernel-lib" ? studentKernelLib : builtin(spec)), undefined, true);
  return support;
}

/** The exercise module `name` (the student's file); a module that failed to load throws the same error every time. */
function loadExercise(name: string): unknown {
  const known = studentModules.get(name);
  if (known) {
    if ("error" in known) throw known.error;
    return known.exports;
  }
  const file = job.exercises[name];
  if (file === undefined) throw new Error(`Cannot find the exercise "${name}"`);
  const entry: { exports?: unknown; error?: unknown } = {};
  studentModules.set(name, entry);
  try {
    entry.exports = evaluate(file, `exercises/${name}.ts`, requireForExercise, undefined, true);
    return entry.exports;
  } catch (e) {
    entry.error = e;
    throw e;
  }
}

function requireForExercise(spec: string): unknown {
  if (spec === "kernel-lib") return studentKernelLib;
  if (spec === "./support" || spec === "./support.ts") return loadSupport();
  const sibling = /^\.\/(\d\d-[\w-]+?)(?:\.ts)?$/.exec(spec);
  if (sibling) return loadExercise(sibling[1]);
  return builtin(spec);
}

const guardedModules = new Map<string, unknown>();

/** The exercise module as graders and hidden cases see it: its functions called through guard.ts. */
function gradedExercise(name: string): unknown {
  if (!guardedModules.has(name)) guardedModules.set(name, guardModule(loadExercise(name), job.inPlace[name] ?? {}));
  return guardedModules.get(name);
}

function requireForGrader(spec: string): unknown {
  if (spec === "vitest" || spec === "./grading") return testApi;
  if (spec === "kernel-lib") return kernelLib;
  const ex = /^@exercise\/(.+)$/.exec(spec);
  if (ex) return gradedExercise(ex[1]);
  return nodeRequire(spec.startsWith("node:") ? spec : `node:${spec}`);
}

interface Unit extends UnitListing {
  run(): unknown;
}

function messageOf(e: unknown): string {
  try {
    const text = e instanceof Error ? `${e.name === "Error" || e.name === "GradingError" ? "" : `${e.name}: `}${e.message}` : `a non-Error value was thrown: ${String(e)}`;
    return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
  } catch {
    return "an error that cannot be displayed was thrown";
  }
}

async function main(): Promise<void> {
  // The exercise first: if it cannot load, every unit reports that error (and the graders still list their tests).
  let importError: unknown = null;
  try {
    loadExercise(job.exercise);
  } catch (e) {
    importError = e;
  }
  const units: Unit[] = [];
  try {
    evaluate(job.testBundle, `test/exercises/${job.exercise}.test.ts`, importError === null ? requireForGrader : (spec) => (/^@exercise\//.test(spec) ? {} : requireForGrader(spec)));
    for (const t of testApi.collectedTests()) units.push({ kind: "test", name: t.fullName, run: t.fn });
  } catch (e) {
    channel.send({ t: "end", i: -1, ok: false, msg: `the public tests could not be loaded: ${messageOf(e)}` });
  }
  if (job.hiddenSource !== null) {
    const suite = (evaluate("", `hidden/${job.exercise}.hidden.ts`, requireForGrader, job.hiddenSource) as { default: HiddenSuite }).default;
    for (const c of suite.cases) units.push({ kind: "hidden", name: c.name, points: c.points, rtol: c.rtol, atol: c.atol, run: () => observe(c.run(gradedExercise(job.exercise) as never)) });
  }
  channel.send({ t: "units", units: units.map(({ run: _run, ...listing }) => listing) });
  const end = job.to === null ? units.length : Math.min(job.to, units.length);
  for (let i = job.from; i < end; i++) {
    channel.send({ t: "start", i });
    if (importError !== null) {
      channel.send({ t: "end", i, ok: false, msg: `your exercises/${job.exercise}.ts failed to load: ${messageOf(importError)}` });
      continue;
    }
    testApi.setRecorder((r) => channel.send({ t: "record", i, r }));
    try {
      const out = await units[i].run();
      testApi.setRecorder(null);
      channel.send(units[i].kind === "hidden" ? { t: "end", i, ok: true, out } : { t: "end", i, ok: true });
    } catch (e) {
      testApi.setRecorder(null);
      channel.send({ t: "end", i, ok: false, msg: messageOf(e) });
    }
  }
  channel.send({ t: "done" });
  exit(0);
}

/** Takes away the ways back to Node's full module system and to the network that the permission model leaves open. */
function closeBackDoors(): void {
  const p = process as unknown as Record<string, unknown>;
  Object.defineProperty(process, "mainModule", { value: undefined, writable: false, configurable: false });
  if (typeof p.getBuiltinModule === "function") {
    Object.defineProperty(process, "getBuiltinModule", { value: builtin, writable: false, configurable: false });
  }
  for (const name of ["fetch", "WebSocket", "EventSource", "XMLHttpRequest"]) {
    if (name in globalThis) Object.defineProperty(globalThis, name, { value: undefined, writable: false, configurable: false });
  }
}

void main();
