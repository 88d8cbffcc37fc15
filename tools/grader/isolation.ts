/**
 * Process isolation for sandbox processes, measured once per grader process.
 *
 * Each sandbox process is started as
 *
 *   setpriv --pdeathsig KILL -- unshare --pid --fork --kill-child --mount-proc --net --ipc --
 *     setpriv --reuid=65534 --regid=65534 --clear-groups --pdeathsig KILL -- node harness.js
 *
 * in a session of its own (spawn's `detached`, i.e. setsid), so that:
 *   - it lives in its own PID namespace with its own /proc: it cannot see,
 *     signal, stop or inspect the grader (whose pid does not exist there),
 *     and when the namespace's first process dies the kernel kills every
 *     other process in it, detached or not;
 *   - it runs as `nobody` where the grader runs as root (on Gradescope), and
 *     in its own user namespace where the grader does not (a developer's
 *     machine, CI), so the grader's uid never appears inside;
 *   - every link of the chain dies with its parent (PR_SET_PDEATHSIG): a
 *     grader killed with SIGKILL takes its sandboxes with it. setpriv sets it
 *     after changing uid (a uid change clears it), so it holds for the inner
 *     process too;
 *   - no network (`--net`: only a loopback that is down).
 *
 * Where namespaces are not allowed (Docker's default seccomp profile refuses
 * `unshare` without CAP_SYS_ADMIN), it falls back to what is available
 * (setsid, the uid change, the parent-death signal) and `isolation().missing`
 * says what is lost: the results and the grader's log repeat it.
 * GRADER_ISOLATION=none|uid forces a fallback (for tests of that path).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The uid/gid sandboxes run as when the grader is root: `nobody`. */
export const SANDBOX_UID = 65534;

export interface Isolation {
  /** The command words that go before `node …` for a sandbox process whose scratch folder is `scratch`, capped at `scratchMiB`. */
  command(scratch: string, scratchMiB: number): string[];
  /** Which level was reached: "namespaces" (PID, mount, network, IPC; plus user or uid change), "uid" or "none". */
  level: "namespaces" | "uid" | "none";
  /** True when sandbox processes run under another uid than the grader's (files they need must be readable by it). */
  otherUid: boolean;
  /**
   * How the scratch folder is capped: "folder" (a tmpfs of `scratchMiB` and MAX_SCRATCH_FILES inodes mounted on
   * it inside the sandbox's mount namespace: all files together), "file" (RLIMIT_FSIZE only: each file, not
   * their number; run-exercise.ts polls the rest) or "none".
   */
  scratchCap: "folder" | "file" | "none";
  /** What is missing compared with full isolation (null when nothing is). */
  missing: string | null;
}

let measured: Isolation | undefined;

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function works(words: string[]): boolean {
  return spawnSync(words[0], [...words.slice(1), process.execPath, "-e", "0"], { stdio: "ignore", timeout: 15_000 }).status === 0;
}

/**
 * Run inside the sandbox's mount namespace, before the uid change: mounts a
 * tmpfs of the given size on the scratch folder, enters it (the working
 * directory inherited from the grader is the folder underneath) and runs the
 * rest. Without it, a submission could fill the grader's disk from its scratch
 * folder. The mount, and what was written there, end with the namespace, even
 * when the grader is killed.
 */
const MOUNT_SCRATCH = 'mount -t tmpfs -o "size=$2,nr_inodes=$3,mode=0700,nosuid,nodev$4" sandbox-scratch "$1" && cd "$1" && shift 4 && exec "$@"';

/** Most files (and folders) a scratch folder may hold: empty files cost kernel memory that no size cap counts. */
export const MAX_SCRATCH_FILES = 2000;

/** The strongest isolation this machine allows (measured once, by running `node -e 0` under each candidate). */
export function isolation(): Isolation {
  if (measured !== undefined) return measured;
  const forced = process.env.GRADER_ISOLATION;
  const deathSig = ["setpriv", "--pdeathsig", "KILL", "--"];
  const dropUid = ["setpriv", `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, "--clear-groups", "--pdeathsig", "KILL", "--"];
  const namespaces = ["unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--net", "--ipc", "--"];
  // RLIMIT_FSIZE caps every file a sandbox writes (a longer write fails with EFBIG), where prlimit exists.
  const fileCap = works(["prlimit", "--fsize=1048576", "--"]);
  const capFiles = (scratchMiB: number) => (fileCap ? ["prlimit", `--fsize=${scratchMiB * 1024 * 1024}`, "--"] : []);
  type Candidate = Omit<Isolation, "command" | "scratchCap"> & { outer: string[]; inner: string[]; mount: boolean };
  const candidates: Candidate[] = [];
  const withAndWithoutMount = (c: Omit<Candidate, "mount">) => candidates.push({ ...c, mount: true }, { ...c, mount: false });
  if (forced !== "none" && forced !== "uid") {
    if (isRoot()) withAndWithoutMount({ outer: [...deathSig, ...namespaces], inner: dropUid, level: "namespaces", otherUid: true, missing: null });
    withAndWithoutMount({ outer: [...deathSig, "unshare", "--user", "--map-root-user", ...namespaces.slice(1)], inner: [], level: "namespaces", otherUid: false, missing: null });
  }
  const noNs = "Linux namespaces are not available here (unshare was refused), so sandbox processes share the grader's PID namespace, /proc and network";
  if (forced !== "none" && isRoot()) candidates.push({ outer: dropUid, inner: [], mount: false, level: "uid", otherUid: true, missing: `${noNs}; they run as uid ${SANDBOX_UID} in their own session, so they still cannot signal the grader` });
  candidates.push({ outer: deathSig, inner: [], mount: false, level: "none", otherUid: false, missing: `${noNs}, under the grader's own uid: a submission could signal the grader` });
  candidates.push({ outer: [], inner: [], mount: false, level: "none", otherUid: false, missing: "neither namespaces nor setpriv are available: sandbox processes run under the grader's uid and are not killed if the grader dies" });
  const build = (c: Candidate): Isolation => ({
    level: c.level, otherUid: c.otherUid, missing: c.missing,
    scratchCap: c.mount ? "folder" : fileCap ? "file" : "none",
    command: (scratch, scratchMiB) => [
      ...capFiles(scratchMiB), ...c.outer,
      ...(c.mount ? ["sh", "-c", MOUNT_SCRATCH, "mount-scratch", scratch, `${scratchMiB}m`, String(MAX_SCRATCH_FILES + 1), c.otherUid ? `,uid=${SANDBOX_UID},gid=${SANDBOX_UID}` : ""] : []),
      ...c.inner,
    ],
  });
  const probe = mkdtempSync(join(tmpdir(), "grader-isolation-"));
  try {
    const chosen = candidates.find((c) => c.outer.length === 0 || works(build(c).command(probe, 1))) ?? candidates[candidates.length - 1];
    measured = build(chosen);
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
  if (measured.missing !== null) console.error(`grader: process isolation is reduced: ${measured.missing}`);
  if (measured.scratchCap !== "folder") console.error(`grader: a sandbox's scratch folder is capped ${measured.scratchCap === "file" ? "per file only (no tmpfs could be mounted on it)" : "not at all (neither a tmpfs nor prlimit is available)"}`);
  return measured;
}

/** Every descendant of `pid` (children first), from /proc/PID/task/TID/children. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0 && out.length < 10_000) {
    const p = stack.pop()!;
    let tids: string[] = [];
    try {
      tids = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    } catch {
      continue;
    }
    for (const c of tids.map(Number)) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/**
 * SIGKILL a sandbox: the processes below `pid` first (with a PID namespace,
 * the first of them is the namespace's init, whose death ends every process
 * in it), so that `unshare` reaps them and then exits the same way; then,
 * shortly after, the whole session's process group, for anything left.
 * Killing all at once would leave zombies for the machine's init to reap.
 */
export function killSandbox(pid: number): void {
  const kill = (target: number) => {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const below = descendants(pid);
  if (below.length === 0) {
    kill(-pid);
    kill(pid);
    return;
  }
  for (const p of below) kill(p);
  setTimeout(() => {
    kill(-pid);
    kill(pid);
  }, 500).unref();
}
