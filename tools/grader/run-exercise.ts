/**
 * Runs one exercise's units (public tests, then hidden cases) in sandbox
 * processes and returns what the grader OBSERVED: the messages that carried
 * this run's nonce on fd 3, how each process ended, and the first bytes of
 * its stdout and stderr (kept for the report, never parsed).
 *
 * A unit that hangs, exhausts memory, crashes or ends the process fails on
 * its own: the sandbox is started again from the next unit, until the
 * exercise's time is up.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { AssertionRecord, ChildMessage, UnitListing } from "./child/channel";
import type { Job } from "./child/harness";
import { ChannelLines, MAX_HIDDEN_OUTPUT_BYTES, type ReportBudget } from "./channel-lines";
import type { Limits } from "./config";
import { descendants, isolation, killSandbox, MAX_SCRATCH_FILES, SANDBOX_UID } from "./isolation";

export type UnitInfo = UnitListing;

export interface UnitOutcome {
  ok: boolean;
  message: string;
  records: AssertionRecord[];
  out?: unknown;
}

export interface ExerciseRun {
  exercise: string;
  /** The units as the sandbox listed them (null if it never got that far). */
  units: UnitInfo[] | null;
  /** Outcome per unit index; a missing index never finished. */
  outcomes: Map<number, UnitOutcome>;
  /** Units whose outcome comes from running them alone (see runUnitAlone): scored against the reference's lone run. */
  isolated: Set<number>;
  /** Set when the run cannot be trusted (a forged line on the channel): the exercise scores 0. */
  integrity: string | null;
  /** Why the public tests could not be loaded, if so. */
  loadError: string | null;
  stdout: string;
  stderr: string;
  /** Bytes the sandbox printed beyond what was kept. */
  droppedOutput: number;
  elapsedMs: number;
}

export interface RunRequest {
  exercise: string;
  courseDir: string;
  /** Where each sandbox process gets a private scratch folder of its own (removed when it ends). */
  scratchParent: string;
  job: Omit<Job, "nonce" | "from" | "to">;
  limits: Limits;
  /** Date.now() after which nothing new starts (the submission's clock). */
  deadline: number;
}

const KEEP_OUTPUT = 32 * 1024;
/** What one exercise may report over its result channel (channel-lines.ts); the largest reference run reports about 9 MB. */
const MAX_REPORTED_BYTES = 32 * 1024 * 1024;

/** CPU time (user + system) a process and its descendants have used, in ms (0 once they are gone). */
function cpuMs(pid: number): number {
  let total = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
      // gone
    }
  }
  return total;
}

/** Linux reports CPU times in clock ticks: 100 per second on every common configuration. */
const CLOCK_TICKS = 100;

/** Resident memory of a process and its descendants in MiB (0 once they are gone). */
function rssMiB(pid: number): number {
  let total = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      total += m ? Number(m[1]) / 1024 : 0;
    } catch {
      // gone
    }
  }
  return total;
}

/**
 * Bytes in a scratch folder (sparse files count in full), or Infinity past
 * MAX_SCRATCH_FILES entries. Only needed where the folder is not a capped
 * tmpfs (isolation.ts): RLIMIT_FSIZE caps each file, this caps their sum.
 */
function scratchBytes(dir: string): number {
  let total = 0;
  let entries = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const name of names) {
      if (++entries > MAX_SCRATCH_FILES) return Infinity;
      try {
        const st = lstatSync(join(d, name));
        if (st.isDirectory()) stack.push(join(d, name));
        else total += st.size;
      } catch {
        // removed meanwhile
      }
    }
  }
  return total;
}

interface Attempt {
  /** Index of the unit that was running when the process ended, or null. */
  running: number | null;
  /** Why the process ended early (null when it reported "done"). */
  ending: string | null;
  done: boolean;
}

/**
 * Runs unit `index` alone, in a fresh sandbox process (nothing of the other
 * units' state, such as a generator they share, reaches it); its outcome, or
 * undefined if it did not finish.
 */
export async function runUnitAlone(req: RunRequest, index: number): Promise<UnitOutcome | undefined> {
  const run: ExerciseRun = {
    exercise: req.exercise, units: null, outcomes: new Map(), isolated: new Set(), integrity: null, loadError: null,
    stdout: "", stderr: "", droppedOutput: 0, elapsedMs: 0,
  };
  const attempt = await runOnce(req, run, { used: 0, max: MAX_REPORTED_BYTES }, index, Math.min(req.deadline, Date.now() + req.limits.fileMs), index + 1);
  if (run.integrity !== null) return { ok: false, message: `integrity check failed: ${run.integrity}`, records: [] };
  return run.outcomes.get(index) ?? (attempt.ending ? { ok: false, message: attempt.ending, records: [] } : undefined);
}

export async function runExercise(req: RunRequest): Promise<ExerciseRun> {
  const started = Date.now();
  const run: ExerciseRun = {
    exercise: req.exercise, units: null, outcomes: new Map(), isolated: new Set(), integrity: null, loadError: null,
    stdout: "", stderr: "", droppedOutput: 0, elapsedMs: 0,
  };
  const fileDeadline = Math.min(req.deadline, started + req.limits.fileMs);
  let from = 0;
  const budget: ReportBudget = { used: 0, max: MAX_REPORTED_BYTES };
  for (;;) {
    const attempt = await runOnce(req, run, budget, from, fileDeadline);
    if (attempt.done || run.integrity !== null || run.units === null) {
      if (!attempt.done && run.units === null && attempt.ending) run.loadError ??= attempt.ending;
      break;
    }
    const failedAt = attempt.running ?? firstMissing(run, from);
    if (failedAt === null) break;
    run.outcomes.set(failedAt, { ok: false, message: attempt.ending ?? "the sandbox stopped", records: [] });
    from = failedAt + 1;
    if (from >= run.units.length) break;
    if (budget.used > budget.max) {
      for (let i = from; i < run.units.length; i++) run.outcomes.set(i, { ok: false, message: `not run: this exercise ${attempt.ending}`, records: [] });
      break;
    }
    if (Date.now() >= fileDeadline) {
      for (let i = from; i < run.units.length; i++) {
        run.outcomes.set(i, { ok: false, message: `not run: this exercise used up its ${req.limits.fileMs / 1000} s`, records: [] });
      }
      break;
    }
  }
  run.elapsedMs = Date.now() - started;
  return run;
}

function firstMissing(run: ExerciseRun, from: number): number | null {
  if (run.units === null) return null;
  for (let i = from; i < run.units.length; i++) if (!run.outcomes.has(i)) return i;
  return null;
}

function runOnce(req: RunRequest, run: ExerciseRun, budget: ReportBudget, from: number, fileDeadline: number, to: number | null = null): Promise<Attempt> {
  const nonce = randomBytes(24).toString("hex");
  const { limits } = req;
  const iso = isolation();
  // A scratch folder of this process only: nothing one process writes (a hidden case's inputs) can reach another.
  const scratchDir = mkdtempSync(join(req.scratchParent, "scratch-"));
  if (iso.otherUid) chownSync(scratchDir, SANDBOX_UID, SANDBOX_UID);
  const args = [
    ...iso.command(scratchDir, limits.scratchMiB), process.execPath,
    "--experimental-permission", `--allow-fs-read=${req.courseDir}`, `--allow-fs-write=${scratchDir}`,
    `--max-old-space-size=${limits.heapMiB}`, "--disallow-code-generation-from-strings", "--no-warnings",
    `${req.courseDir}/harness.js`,
  ];
  // detached: a session of its own, so no signal to the grader's process group reaches it and none of its reaches the grader's.
  const child = spawn(args[0], args.slice(1), {
    cwd: scratchDir,
    detached: true,
    env: { KERNEL_LIB_BACKEND: "js", TZ: "UTC", LANG: "C.UTF-8" },
    stdio: ["pipe", "pipe", "pipe", "pipe"],
  });
  const attempt: Attempt = { running: null, ending: null, done: false };
  const records = new Map<number, AssertionRecord[]>();
  let killedFor: string | null = null;
  const kill = (why: string) => {
    if (killedFor === null) killedFor = why;
    if (child.pid !== undefined) killSandbox(child.pid);
  };

  let unitTimer: NodeJS.Timeout | null = null;
  let unitCpuStart = 0;
  const armUnitTimer = () => {
    if (unitTimer) clearTimeout(unitTimer);
    unitTimer = setTimeout(() => kill(`timed out after ${limits.unitMs / 1000} s of waiting`), limits.unitMs);
    unitCpuStart = child.pid !== undefined ? cpuMs(child.pid) : 0;
  };
  armUnitTimer(); // loading the exercise counts as a unit
  const fileTimer = setTimeout(() => kill(`stopped: this exercise used up its ${limits.fileMs / 1000} s`), Math.max(0, fileDeadline - Date.now()));
  const memoryTimer = setInterval(() => {
    if (child.pid === undefined) return;
    if (rssMiB(child.pid) > limits.rssMiB) kill(`used more than ${limits.rssMiB} MiB of memory`);
    else if (iso.scratchCap !== "folder" && scratchBytes(scratchDir) > limits.scratchMiB * 1024 * 1024) kill(`wrote more than ${limits.scratchMiB} MiB (or ${MAX_SCRATCH_FILES} files) into its scratch folder`);
    else if (cpuMs(child.pid) - unitCpuStart > limits.unitCpuMs) kill(`timed out after ${limits.unitCpuMs / 1000} s of computing (an infinite loop, or far too slow)`);
  }, 100);

  const keep = (which: "stdout" | "stderr") => (chunk: Buffer) => {
    const room = KEEP_OUTPUT - run[which].length;
    if (room > 0) run[which] += chunk.subarray(0, room).toString("utf8");
    run.droppedOutput += Math.max(0, chunk.length - Math.max(0, room));
  };
  child.stdout!.on("data", keep("stdout"));
  child.stderr!.on("data", keep("stderr"));

  const channel = child.stdio[3] as NodeJS.ReadableStream;
  const lines = new ChannelLines(nonce, budget, {
    message: (json) => {
      if (run.integrity !== null) return;
      const hiddenEnd = json.length > MAX_HIDDEN_OUTPUT_BYTES ? /^\{"t":"end","i":(\d+),/.exec(json) : null;
      if (hiddenEnd !== null) {
        handle({ t: "end", i: Number(hiddenEnd[1]), ok: false, msg: `the result is too large to compare (${(json.length / 1024 / 1024).toFixed(1)} MB; the reference solution's is a few KiB)` });
        return;
      }
      let msg: ChildMessage;
      try {
        msg = JSON.parse(json) as ChildMessage;
      } catch {
        run.integrity = "a malformed message on the grader's result channel";
        kill("integrity");
        return;
      }
      handle(msg);
    },
    refuse: (why, kind) => {
      if (kind === "too much") return kill(why);
      run.integrity ??= why;
      kill("integrity");
    },
  });
  const handle = (msg: ChildMessage) => {
    switch (msg.t) {
      case "units":
        if (run.units === null) run.units = msg.units;
        else if (JSON.stringify(run.units) !== JSON.stringify(msg.units)) run.integrity = "the list of tests changed between two runs of the sandbox";
        return;
      case "start":
        attempt.running = msg.i;
        records.set(msg.i, []);
        armUnitTimer();
        return;
      case "record":
        records.get(msg.i)?.push(msg.r);
        return;
      case "end":
        if (msg.i === -1) {
          run.loadError = msg.msg ?? "the public tests could not be loaded";
          return;
        }
        if (attempt.running === msg.i && !run.outcomes.has(msg.i)) {
          run.outcomes.set(msg.i, { ok: msg.ok, message: msg.msg ?? "", records: records.get(msg.i) ?? [], out: msg.out });
        }
        attempt.running = null;
        armUnitTimer();
        return;
      case "done":
        attempt.done = true;
        setTimeout(() => kill("finished"), 1000).unref();
        return;
    }
  };
  channel.on("data", (chunk: Buffer) => lines.push(chunk));

  child.stdin!.on("error", () => undefined);
  child.stdin!.end(JSON.stringify({ ...req.job, nonce, from, to } satisfies Job));

  return new Promise((resolvePromise) => {
    child.on("close", (code, signal) => {
      if (unitTimer) clearTimeout(unitTimer);
      clearTimeout(fileTimer);
      clearInterval(memoryTimer);
      // Whatever it left behind dies with it, and its scratch folder goes.
      if (child.pid !== undefined) killSandbox(child.pid);
      rmSync(scratchDir, { recursive: true, force: true });
      if (!attempt.done) {
        const oom = /heap out of memory|Allocation failed/i.test(run.stderr);
        attempt.ending = killedFor && killedFor !== "integrity"
          ? killedFor
          : oom
            ? `ran out of memory (the sandbox's heap is capped at ${limits.heapMiB} MiB)`
            : signal
              ? `the sandbox process was killed by ${signal}`
              : `the exercise ended the sandbox process (exit code ${code}) before its tests finished`;
      }
      resolvePromise(attempt);
    });
  });
}
