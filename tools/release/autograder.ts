/**
 * Gradescope's autograder.zip: setup.sh (run once when the image is built:
 * Node 20, `npm ci`, then the course image and reference manifest are built
 * ahead of time), run_autograder (grades /autograder/submission into
 * /autograder/results/results.json) and source/, the course as git sees it
 * (tracked and new files, nothing ignored: no node_modules, no build output).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { zipSync, type Zippable } from "fflate";
import { writeFileSync } from "node:fs";

const root = resolve(__dirname, "../..");

export const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends ca-certificates curl util-linux
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y -q nodejs
fi
cd /autograder/source
npm ci --no-audit --no-fund
# Build the sandbox image and run the reference solutions once, so grading starts at once.
npm run grade -- --prepare
`;

export const RUN_AUTOGRADER = `#!/usr/bin/env bash
# Gradescope runs this for every submission; it must leave /autograder/results/results.json.
# The grader writes a provisional results.json first and replaces it at the end; if it could
# not even start (or its file is not valid JSON), this script writes a failure result itself.
set -uo pipefail
AG="\${AUTOGRADER_ROOT:-/autograder}"
RESULTS="$AG/results/results.json"
cd "$AG/source"
mkdir -p "$AG/results"
npm run --silent grade -- "$AG/submission" --out "$RESULTS"
status=$?
if ! node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$RESULTS" 2>/dev/null; then
  printf '{"score": 0, "execution_time": 0, "output": "The autograder stopped before it could grade this submission (exit status %s). Score 0: please resubmit, or ask your instructor.", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}\n' "$status" > "$RESULTS"
fi
exit 0
`;

/** The course files git knows about (tracked or new, not ignored). */
function courseFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return out.split("\0").filter((f) => f !== "" && statSync(join(root, f), { throwIfNoEntry: false })?.isFile());
}

/** Writes DIR/autograder.zip and returns its path. */
export function buildAutograder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const entries: Zippable = {
    "setup.sh": [new TextEncoder().encode(SETUP_SH), { os: 3, attrs: 0o755 << 16 }],
    "run_autograder": [new TextEncoder().encode(RUN_AUTOGRADER), { os: 3, attrs: 0o755 << 16 }],
  };
  for (const f of courseFiles()) entries[`source/${f}`] = new Uint8Array(readFileSync(join(root, f)));
  const zipPath = join(dir, "autograder.zip");
  writeFileSync(zipPath, zipSync(entries, { level: 6 }));
  return zipPath;
}
