/**
 * More hostile homework (issue 17: "keep extending the adversarial suite"):
 * attacks that test/tools/grader/hostile.test.ts and adversarial.test.ts had
 * not seen. Each asserts the score the attack gets (never more than honest
 * code earns), that the other exercises are still graded, that results.json
 * is valid, and, after every test, that no process and no temporary folder
 * of the grader is left behind.
 *
 * Memory and disk are never filled for real: the limits here are small
 * (512 MiB resident, 8 MiB of scratch), and the attacks stop at them.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { crc32 } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, type GraderConfig } from "../../../tools/grader/config";
import { gradeSubmission, type Graded } from "../../../tools/grader/grade";
import { isolation } from "../../../tools/grader/isolation";
import { checkResults } from "../../../tools/grader/results";
import { maxPoints, messages, points, replaceBody, submissionIn, type SubmissionFiles } from "../../helpers/hostile-submissions";
import { ownTmpdir, processesMentioning, waitUntil } from "../../helpers/processes";

const root = resolve(__dirname, "..", "..", "..");
const TSX = join(root, "node_modules/.bin/tsx");
const ownTmp = ownTmpdir("grader-hostile-more-");

const SCRATCH_MIB = 8;
const config = loadConfig({ limits: { unitCpuMs: 4_000, unitMs: 20_000, fileMs: 60_000, submissionMs: 150_000, heapMiB: 256, rssMiB: 512, scratchMiB: SCRATCH_MIB, parallel: 2 } });
const iso = isolation();

/** The grader's temporary folders (sandboxes, type checks, batches): each must be gone when its grade ends. */
const graderTemp = () => readdirSync(ownTmp).filter((f) => /^course-/.test(f));

afterEach(async () => {
  expect(await waitUntil(() => processesMentioning(ownTmp).length === 0, 5_000), processesMentioning(ownTmp).join("\n")).toBe(true);
  expect(graderTemp(), "temporary folders left behind").toEqual([]);
});

const L07 = "07-lr-schedules";
const L01 = "01-why-deep-is-hard";
const submission = (files: SubmissionFiles) => submissionIn(ownTmp, files);
/** Exercise 07 with `attack` put before the reference solution, next to an honest exercise 01. */
const attacked07 = (attack: string) => submission({ [L07]: { from: "solutions", edit: (s) => `${attack}\n${s}` }, [L01]: { from: "solutions" } });

async function grade(dir: string, options: { config?: GraderConfig } = {}): Promise<Graded> {
  const g = await gradeSubmission(dir, { config: options.config ?? config, typecheck: false });
  expect(checkResults(g.results)).toEqual([]);
  // The honest exercise next to the attack is graded in full, whatever the attack did.
  if (!/is not in the submission/.test(messages(g, L01))) expect(points(g, L01), messages(g, L01)).toBe(maxPoints(g, L01));
  return g;
}

describe("the result channel", () => {
  it("its per-run secret cannot be read, nor its reports rewritten, by patching Node's Buffer or TextEncoder", async () => {
    // Stubs that return 0 (so that the tests compare something), and a hook on what Buffer.from calls to encode:
    // it read the harness's every report with its nonce, reported the expected values as the submission's and
    // each failed test as passed. It earned a public point before Buffer was frozen in the sandbox.
    const hook = [
      "import * as fs from \"node:fs\";",
      "try { (TextEncoder.prototype as unknown as Record<string, unknown>).encode = () => new Uint8Array(0); console.log(\"TextEncoder patched\"); } catch { console.log(\"TextEncoder refused\"); }",
      "const original = Buffer.prototype.utf8Write as (this: Buffer, s: string, o?: number, l?: number) => number;",
      "(Buffer.prototype as unknown as Record<string, unknown>).utf8Write = function (this: Buffer, s: string, o?: number, l?: number): number {",
      "  const m = /^([0-9a-f]{48}) (\\{.*\\})\\n$/.exec(s);",
      "  if (m === null) return original.call(this, s, o, l);",
      "  const msg = JSON.parse(m[2]) as { t: string; i: number; ok?: boolean; r?: { k: string; e: unknown } };",
      "  const forged = msg.t === \"record\" && msg.r?.k === \"close\" ? { ...msg, r: { ...msg.r, g: msg.r.e } } : msg.t === \"end\" && msg.ok === false ? { t: \"end\", i: msg.i, ok: true } : null;",
      "  if (forged === null) return original.call(this, s, o, l);",
      "  fs.writeSync(3, `${m[1]} ${JSON.stringify(forged)}\\n`);",
      "  const ignored = `${m[1]} {\"t\":\"record\",\"i\":-9,\"r\":0}`;", // a record for no unit, padded to the original length
      "  return original.call(this, `${ignored}${\" \".repeat(s.length - ignored.length - 1)}\\n`, o, l);",
      "};",
      "",
    ].join("\n");
    const returnZero = (src: string) => ["stepDecay", "exponentialDecay", "inverseTimeDecay", "cosineAnnealing", "warmupCosine", "oneCycle"].reduce((s, f) => replaceBody(s, f, "  return 0;"), src);
    const g = await grade(submission({ [L07]: { from: "exercises", edit: (s) => `${hook}${returnZero(s)}` }, [L01]: { from: "solutions" } }));
    expect(points(g, L07)).toBe(0);
    expect(g.studentOutput.get(L07)).toMatch(/TextEncoder refused/);
    expect(messages(g, L07)).toMatch(/failed to load: TypeError: Cannot assign to read only property 'utf8Write'/);
  }, 240_000);

  it("a flood on fd 3 without a newline is refused at its first bytes, not buffered by the grader", async () => {
    // 200 MiB with no newline: the grader used to keep it all (and rescan it for a newline on every chunk: 20 s
    // and about 1 GB for 240 MB) before judging the line. Now the first byte that is not the nonce ends it.
    const flood = [
      "import * as fs from \"node:fs\";",
      "const chunk = Buffer.alloc(1 << 20, 120);",
      "for (let mib = 1; mib <= 200; mib++) {",
      "  for (let off = 0; off < chunk.length; ) { try { off += fs.writeSync(3, chunk, off); } catch (e) { if ((e as { code?: string }).code !== \"EAGAIN\") throw e; } }",
      "  console.log(`flooded ${mib} MiB`);",
      "}",
      "",
    ].join("\n");
    const g = await grade(attacked07(flood));
    expect(points(g, L07)).toBe(0);
    expect(messages(g, L07)).toMatch(/integrity check failed.*did not come from the grader's harness \("xxxx/);
    const flooded = [...(g.studentOutput.get(L07) ?? "").matchAll(/flooded (\d+) MiB/g)].map((m) => Number(m[1]));
    expect(Math.max(0, ...flooded)).toBeLessThan(200);
  }, 240_000);
});

describe("what the grader keeps", () => {
  it("a public test's result of two million numbers: the exercise stops at 32 MiB reported, and says why", async () => {
    // Each record carried ~30 MB of JSON that the grader parsed and kept until scoring, test after test.
    const g = await grade(submission({
      [L07]: { from: "solutions", edit: (s) => replaceBody(s, "stepDecay", "  return Float64Array.from({ length: 2_000_000 }, (_, i) => i / 7) as unknown as number;") },
      [L01]: { from: "solutions" },
    }));
    expect(points(g, L07)).toBe(0);
    const l07 = g.report.results.filter((r) => r.exercise === L07);
    expect(l07[0].message).toMatch(/^reported more than 32 MiB of results to the grader .*: a returned value far larger than the reference's/);
    expect(l07.slice(1).every((r) => /^not run: this exercise reported more than 32 MiB/.test(r.message))).toBe(true);
  }, 240_000);

  it("a hidden case's output of 300,000 keys is not parsed: that case fails, every other is graded", async () => {
    // Parsed, a wide object takes about five times its JSON: four such outputs took the grader from 0.2 to 1.1 GB.
    const wide = "  if (lr0 === 0.2 && stepSize === 8 && epoch === 0) return Object.fromEntries(Array.from({ length: 300_000 }, (_, i) => [`key${i}`, i])) as unknown as number;";
    const g = await grade(submission({
      [L07]: { from: "solutions", edit: (s) => s.replace(/(export function stepDecay\([^)]*\): number \{\n)/, `$1${wide}\n`) },
      [L01]: { from: "solutions" },
    }));
    for (const r of g.report.results.filter((x) => x.exercise === L07)) {
      if (r.kind === "hidden" && /^stepDecay/.test(r.name)) expect(r.message).toMatch(/^the result is too large to compare \(\d+\.\d MB; the reference solution's is a few KiB\)/);
      else expect(r.earned, `${r.name}: ${r.message}`).toBe(r.points);
    }
  }, 240_000);

  it("512 MiB on stdout and stderr: 32 KiB of each is kept, the rest counted, and the points are all there", async () => {
    // Written with writeSync: process.stdout.write would queue most of it in the sandbox's own memory, lost at exit.
    const flood = [
      "import * as fs from \"node:fs\";",
      "const mib = Buffer.alloc(1 << 20, 121);",
      "const put = (fd: number) => { for (let off = 0; off < mib.length; ) { try { off += fs.writeSync(fd, mib, off); } catch (e) { if ((e as { code?: string }).code !== \"EAGAIN\") throw e; } } };",
      "for (let i = 0; i < 256; i++) { put(1); put(2); }",
      "",
    ].join("\n");
    const g = await grade(attacked07(flood));
    expect(points(g, L07)).toBe(maxPoints(g, L07));
    expect((g.studentOutput.get(L07) ?? "").length).toBeLessThan(2 * 32 * 1024 + 100);
    const dropped = Number(/printed (\d+) bytes more than the 32 KiB kept per stream/.exec(g.report.exercises.find((e) => e.exercise === L07)!.notes.join("\n"))?.[1]);
    expect(dropped).toBeGreaterThanOrEqual(512 * 1024 * 1024 - 2 * 32 * 1024);
    expect(JSON.stringify(g.results).length).toBeLessThan(200_000);
  }, 240_000);
});

describe("the scratch folder", () => {
  /** Writes `n` MiB into each named file of the working directory (its scratch folder), saying where each stopped. */
  const filler = (files: [string, number][], pauseMs = 0) => [
    "import * as fs from \"node:fs\";",
    "const chunk = Buffer.alloc(1 << 20, 120);",
    `for (const [name, n] of ${JSON.stringify(files)} as [string, number][]) {`,
    "  let wrote = 0;",
    "  let stopped = \"\";",
    `  try { for (let i = 0; i < n; i++) { fs.appendFileSync(name, chunk); wrote++;${pauseMs > 0 ? ` Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${pauseMs});` : ""} } }`,
    "  catch (e) { stopped = ` ${(e as { code?: string }).code}`; }",
    "  console.log(`scratch ${name} ${wrote}${stopped}`);",
    "}",
    "",
  ].join("\n");
  /** What the filler said, file by file, in its first process (every process of the exercise writes the same). */
  const filled = (out: string) => {
    const first = new Map<string, { mib: number; error: string }>();
    for (const m of out.matchAll(/^scratch (\w+) (\d+)(?: (E\w+))?$/gm)) if (!first.has(m[1])) first.set(m[1], { mib: Number(m[2]), error: m[3] ?? "" });
    return first;
  };

  it.skipIf(iso.scratchCap !== "folder")("is a tmpfs of scratchMiB and 2,000 files: writing beyond fails with ENOSPC (or EFBIG), and the honest code keeps its points", async () => {
    // Then empty files, which no size counts (each costs kernel memory): the tmpfs has 2,000 inodes.
    const emptyFiles = "let files = 0;\ntry { for (; files < 100_000; files++) fs.writeFileSync(`empty${files}`, \"\"); } catch (e) { console.log(`empty files: ${files} then ${(e as { code?: string }).code}`); }\n";
    const g = await grade(attacked07(`${filler([["big", 100], ["a", 3], ["b", 3], ["c", 3]])}${emptyFiles}`));
    expect(g.studentOutput.get(L07)).toMatch(/empty files: 199\d then ENOSPC/);
    const wrote = filled(g.studentOutput.get(L07) ?? "");
    expect([...wrote.keys()]).toEqual(["big", "a", "b", "c"]);
    expect([...wrote.values()].reduce((s, w) => s + w.mib, 0)).toBeLessThanOrEqual(SCRATCH_MIB);
    expect([...wrote.values()].every((w) => /^(EFBIG|ENOSPC)$/.test(w.error))).toBe(true);
    expect(points(g, L07)).toBe(maxPoints(g, L07));
  }, 240_000);

  it.skipIf(process.getuid?.() !== 0)("without namespaces (GRADER_ISOLATION=uid), each file is capped and a sandbox that writes more in all is stopped", async () => {
    // isolation() is measured once per process: this grade runs in a child with the fallback forced.
    const script = join(ownTmp, "grade-uid.ts");
    writeFileSync(script, [
      `import { gradeSubmission } from ${JSON.stringify(join(root, "tools/grader/grade"))};`,
      `import { isolation } from ${JSON.stringify(join(root, "tools/grader/isolation"))};`,
      `gradeSubmission(process.argv[2], { config: ${JSON.stringify(config)}, typecheck: false }).then((g) => console.log(JSON.stringify({ cap: isolation().scratchCap, results: g.report.results, out: g.studentOutput.get(${JSON.stringify(L07)}) ?? "" })));`,
      "",
    ].join("\n"));
    const dir = attacked07(filler([["big", 20], ...Array.from({ length: 40 }, (_, i): [string, number] => [`f${i}`, 1])], 20));
    const r = spawnSync(TSX, [script, dir], { cwd: root, encoding: "utf8", env: { ...process.env, GRADER_ISOLATION: "uid" }, timeout: 200_000 });
    const { cap, results, out } = JSON.parse(r.stdout.trim().split("\n").pop()!) as { cap: string; results: Graded["report"]["results"]; out: string };
    expect(cap).toBe("file");
    expect(filled(out).get("big")).toEqual({ mib: SCRATCH_MIB, error: "EFBIG" }); // RLIMIT_FSIZE
    const l07 = results.filter((x) => x.exercise === L07);
    expect(l07.every((x) => x.earned === 0 && /wrote more than 8 MiB \(or 2000 files\) into its scratch folder/.test(x.message))).toBe(true);
    expect(results.filter((x) => x.exercise === L01).every((x) => x.passed)).toBe(true);
  }, 240_000);
});

describe("memory outside the JavaScript heap", () => {
  it("WebAssembly memory, SharedArrayBuffers and Buffer.allocUnsafe: each stops its own tests at the resident-memory cap", async () => {
    const bombs = (src: string) => [
      ["stepDecay", "  const m = new WebAssembly.Memory({ initial: 1, maximum: 65536 });\n  for (;;) { const before = m.buffer.byteLength; m.grow(1024); new Uint8Array(m.buffer, before).fill(1); }"],
      ["exponentialDecay", "  const hoard: Uint8Array[] = [];\n  for (;;) hoard.push(new Uint8Array(new SharedArrayBuffer(64 << 20)).fill(1));"],
      ["inverseTimeDecay", "  const hoard: Buffer[] = [];\n  for (;;) hoard.push(Buffer.allocUnsafe(64 << 20).fill(1));"],
    ].reduce((s, [f, body]) => replaceBody(s, f, body), src);
    const g = await grade(submission({ [L07]: { from: "solutions", edit: bombs }, [L01]: { from: "solutions" } }));
    const bombed = /^(stepDecay|exponentialDecay|inverseTimeDecay)/;
    for (const r of g.report.results.filter((x) => x.exercise === L07)) {
      if (bombed.test(r.name)) {
        expect(r.earned, r.name).toBe(0);
        expect(r.message, r.name).toMatch(/used more than 512 MiB of memory/);
      } else {
        expect(r.earned, `${r.name}: ${r.message}`).toBe(r.points);
      }
    }
  }, 240_000);
});

describe("returned values built to hurt the conversion to plain data", () => {
  it("a 2³²−1 sparse array, a cycle, a Proxy that spins, a detached typed array and a throwing getter: clear failures, nothing more", async () => {
    const values = (src: string) => [
      ["stepDecay", "  const a: number[] = [];\n  a.length = 2 ** 32 - 1;\n  return a as unknown as number;"],
      ["exponentialDecay", "  const o: Record<string, unknown> = { value: lr0 * Math.exp(-k * t) };\n  o.self = o;\n  return o as unknown as number;"],
      ["inverseTimeDecay", "  return new Proxy([lr0 / (1 + k * t)], { get(target, key) { if (key === \"length\") for (;;) { /* spins */ } return Reflect.get(target, key); } }) as unknown as number;"],
      ["cosineAnnealing", "  const buffer = new ArrayBuffer(8);\n  const view = new Float64Array(buffer);\n  view[0] = lrMin + ((lr0 - lrMin) * (1 + Math.cos((Math.PI * Math.min(t, T)) / T))) / 2;\n  structuredClone(buffer, { transfer: [buffer] });\n  return view as unknown as number;"],
      ["oneCycle", "  return { valueOf: () => maxLr, toJSON: () => maxLr, [Symbol.toPrimitive]: () => maxLr, get boom(): number { throw new Error(\"a getter that throws\"); } } as unknown as number;"],
    ].reduce((s, [f, body]) => replaceBody(s, f, body), src);
    const quick = { ...config, limits: { ...config.limits, unitCpuMs: 2_000 } };
    const g = await grade(submission({ [L07]: { from: "solutions", edit: values }, [L01]: { from: "solutions" } }), { config: quick });
    const why = (name: RegExp) => g.report.results.filter((r) => r.exercise === L07 && r.kind === "test" && name.test(r.name)).map((r) => r.message).join("\n");
    expect(why(/^stepDecay/)).toMatch(/ran out of memory/);
    expect(why(/^exponentialDecay/)).toMatch(/expected 1 value\(s\) but got 0/);
    expect(why(/^inverseTimeDecay/)).toMatch(/timed out after 2 s of computing/);
    expect(why(/^cosineAnnealing/)).toMatch(/detached ArrayBuffer/);
    expect(why(/^oneCycle/)).toMatch(/a getter that throws/);
    expect(points(g, L07)).toBe(0);
  }, 240_000);
});

describe("busy work and back doors", () => {
  it("an exit handler that spins, a timer that never stops and a disabled process exit cost nothing and leave nothing; native back doors are closed", async () => {
    const busy = [
      "const p = process as unknown as Record<string, (...a: unknown[]) => unknown>;",
      "const tried: string[] = [];",
      "const attempt = (what: string, f: () => unknown) => { try { f(); tried.push(`${what}: open`); } catch (e) { tried.push(`${what}: ${(e as { code?: string }).code ?? String(e)}`); } };",
      "attempt(\"process.binding\", () => p.binding(\"spawn_sync\"));",
      "attempt(\"process._linkedBinding\", () => p._linkedBinding(\"fs\"));",
      "attempt(\"process.dlopen\", () => p.dlopen({ exports: {} }, \"/lib/x86_64-linux-gnu/libc.so.6\"));",
      "attempt(\"Error.prepareStackTrace\", () => { (Error as unknown as { prepareStackTrace: unknown }).prepareStackTrace = () => \"\"; });",
      "console.log(tried.join(\"; \"));",
      "process.on(\"exit\", () => { for (;;) { /* spins after the harness reported done */ } });",
      "setInterval(() => undefined, 1);",
      "try { p.reallyExit = () => undefined; } catch { /* frozen */ }",
      "",
    ].join("\n");
    const g = await grade(attacked07(busy));
    expect(points(g, L07)).toBe(maxPoints(g, L07));
    const out = g.studentOutput.get(L07) ?? "";
    expect(out).toMatch(/process\.binding: ERR_ACCESS_DENIED; process\._linkedBinding: ERR_INVALID_MODULE; process\.dlopen: ERR_DLOPEN_DISABLED; Error\.prepareStackTrace: TypeError: Cannot assign to read only property/);
  }, 240_000);
});

describe("source built to hurt the tools", () => {
  it("30,000 nested arrays (just under 512 KiB): the exercise fails to load with the reason, and the type check says it crashed", async () => {
    const dir = submission({ [L01]: { from: "solutions" } });
    writeFileSync(join(dir, "exercises", `${L07}.ts`), `export const x = ${"[Math.random(), ".repeat(30_000)}1${"]".repeat(30_000)};\n`);
    const g = await gradeSubmission(dir, { config, typecheck: true });
    expect(checkResults(g.results)).toEqual([]);
    expect(points(g, L01)).toBe(maxPoints(g, L01));
    expect(points(g, L07)).toBe(0);
    expect(messages(g, L07)).toMatch(/failed to load: RangeError: Maximum call stack size exceeded/);
    // tsc overflows its stack too and exits with 1, as for type errors: it used to pass for a clean check.
    expect(g.report.notes.join("\n")).toMatch(/the type check crashed \(RangeError: Maximum call stack size exceeded\); no type warnings are reported, and the code was still run/);
  }, 240_000);
});

describe("the grader's console", () => {
  it("escape sequences in printed output and error messages are shown, not obeyed", () => {
    // Run as an instructor would: the summary and the submission's output go to a terminal. Every exercise is
    // there, so that the summary lists the few failing tests with their messages.
    const all = readdirSync(join(root, "solutions")).filter((f) => /^\d\d-.*\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ""));
    const dir = submission({
      ...Object.fromEntries(all.map((e) => [e, { from: "solutions" as const }])),
      [L07]: {
        from: "solutions",
        edit: (s) => `console.log("\\x1b[2J\\x1b[Hscore 999 / 999\\x07");\n${replaceBody(s, "stepDecay", "  throw new Error(\"\\r\\x1b[1Aall tests passed\");")}`,
      },
    });
    const out = join(ownTmp, "console.json");
    const r = spawnSync(TSX, ["tools/grader/cli.ts", dir, "--out", out, "--no-typecheck"], { cwd: root, encoding: "utf8", timeout: 200_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(checkResults(JSON.parse(readFileSync(out, "utf8")))).toEqual([]);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(r.stdout).toContain("\\x1b[2J\\x1b[Hscore 999 / 999\\x07");
    expect(r.stdout).toContain("\\x0d\\x1b[1Aall tests passed");
  }, 240_000);
});

describe("links in the scratch folder", () => {
  it("cannot reach outside it: symbolic and hard links to the solutions and to / are refused", async () => {
    const target = join(root, "solutions", `${L07}.ts`);
    const links = [
      "import * as fs from \"node:fs\";",
      "const tried: string[] = [];",
      "const attempt = (what: string, f: () => unknown) => { try { f(); tried.push(`${what}: open`); } catch (e) { tried.push(`${what}: ${(e as { code?: string }).code ?? String(e)}`); } };",
      `attempt("symlink", () => fs.symlinkSync(${JSON.stringify(target)}, "abs"));`,
      `attempt("relative symlink", () => fs.symlinkSync(${JSON.stringify(`../../../../../../../../../..${target}`)}, "rel"));`,
      "attempt(\"symlink to /\", () => fs.symlinkSync(\"/\", \"root\"));",
      `attempt("hard link", () => fs.linkSync(${JSON.stringify(target)}, "hard"));`,
      "for (const name of [\"abs\", \"rel\", \"hard\", \"root/etc/passwd\"]) attempt(`read ${name}`, () => fs.readFileSync(name));",
      "console.log(tried.join(\"; \"));",
      "",
    ].join("\n");
    const g = await grade(attacked07(links));
    const out = (g.studentOutput.get(L07) ?? "").split("\n")[0];
    expect(out).not.toMatch(/: open/);
    expect(out.split("; ")).toHaveLength(8);
    expect(points(g, L07)).toBe(maxPoints(g, L07));
  }, 240_000);
});

/** A zip of stored entries; `link` entries are symbolic links (Unix mode 0120777) whose data is the target. */
function storedZip(entries: { name: string; data: string; link?: boolean }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const data = Buffer.from(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE((3 << 8) | 20, 4); // made by Unix: the external attributes hold a file mode
    c.writeUInt16LE(10, 6);
    c.writeUInt32LE(crc32(data), 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(((e.link ? 0o120777 : 0o100644) << 16) >>> 0, 38);
    c.writeUInt32LE(offset, 42);
    parts.push(local, name, data);
    central.push(c, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, eocd]);
}

describe("zips", () => {
  it("a symbolic link is not taken as an exercise, and entries with ../ or absolute paths are never written anywhere", async () => {
    const escape = join(ownTmp, "escaped");
    const zip = join(ownTmp, "links.zip");
    writeFileSync(zip, storedZip([
      { name: `exercises/${L07}.ts`, data: join(root, "solutions", `${L07}.ts`), link: true },
      { name: `../../../../../../..${escape}/exercises/${L01}.ts`, data: readFileSync(join(root, "solutions", `${L01}.ts`), "utf8") },
      { name: `${escape}-abs/exercises/02-initialization.ts`, data: "export const pwned = 1;\n" },
    ]));
    const g = await grade(zip);
    expect(g.report.notes.join("\n")).toContain(`exercises/${L07}.ts (not a regular file)`);
    expect(messages(g, L07)).toMatch(/exercises\/07-lr-schedules\.ts is not in the submission/);
    expect(points(g, L01)).toBe(maxPoints(g, L01)); // read from the zip, by its content only
    expect(existsSync(escape) || existsSync(`${escape}-abs`)).toBe(false);
  }, 240_000);
});

describe("symbolic links in a folder", () => {
  it("an exercises folder that is a link to the solutions is not followed", async () => {
    const dir = mkdtempSync(join(ownTmp, "submission-"));
    symlinkSync(join(root, "solutions"), join(dir, "exercises"));
    const g = await grade(dir);
    expect(g.results.score).toBe(0);
    expect(g.report.notes.join("\n")).toMatch(/ignored 1 file\(s\) that are not exercise files .*: exercises$/m);
  }, 240_000);
});
