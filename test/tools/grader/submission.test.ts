/**
 * The grader's plumbing on its own: which files of a submission are taken
 * (folder or zip, hostile names and sizes), the re-check of reported
 * comparisons, and the results.json validator.
 */
import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { readSubmission } from "../../../tools/grader/submission";
import { recheck } from "../../../tools/grader/score";
import { checkResults } from "../../../tools/grader/results";
import { encodeNumber } from "../../../tools/grader/child/channel";

const NAMES = ["01-why-deep-is-hard", "07-lr-schedules"];
const text = (s: string) => new TextEncoder().encode(s);

function zipFile(entries: Record<string, Uint8Array>): string {
  const path = join(mkdtempSync(join(tmpdir(), "zip-")), "submission.zip");
  writeFileSync(path, zipSync(entries));
  return path;
}

describe("reading a submission", () => {
  it("takes exercises/NN-topic.ts (or NN-topic.ts at the top) from a folder and lists the rest, never following symlinks", () => {
    const dir = mkdtempSync(join(tmpdir(), "folder-"));
    mkdirSync(join(dir, "exercises"));
    mkdirSync(join(dir, "other"));
    writeFileSync(join(dir, "exercises/01-why-deep-is-hard.ts"), "export const a = 1;");
    writeFileSync(join(dir, "exercises/support.ts"), "export {};");
    writeFileSync(join(dir, "other/07-lr-schedules.ts"), "not taken: not in exercises/");
    writeFileSync(join(dir, "99-unknown.ts"), "not an exercise of this course");
    symlinkSync("/etc/passwd", join(dir, "07-lr-schedules.ts"));
    const sub = readSubmission(dir, NAMES);
    expect([...sub.files.keys()]).toEqual(["01-why-deep-is-hard"]);
    expect(sub.ignored).toEqual(expect.arrayContaining(["99-unknown.ts", "exercises/support.ts", "other/07-lr-schedules.ts", "07-lr-schedules.ts (not a regular file)"]));
  });

  it("takes the same files from a zip, whatever the entry names try", () => {
    const sub = readSubmission(zipFile({
      "../../exercises/01-why-deep-is-hard.ts": text("export const a = 1;"),
      "project/exercises/07-lr-schedules.ts": text("export const b = 2;"),
      "/etc/cron.d/evil": text("x"),
      "exercises/07-lr-schedules.ts": text("a second 07"),
    }), NAMES);
    expect(sub.files.get("01-why-deep-is-hard")).toBe("export const a = 1;");
    expect(sub.files.get("07-lr-schedules")).toBe("export const b = 2;");
    expect(sub.problems.join("\n")).toMatch(/more than one file for exercise 07-lr-schedules/);
    expect(sub.ignored).toEqual(expect.arrayContaining(["/etc/cron.d/evil"]));
  });

  it("never inflates more than an entry declares (such an entry is refused), and skips entries declared too large", () => {
    const big = new Uint8Array(8 * 1024 * 1024).fill(65);
    const zip = zipSync({ "exercises/01-why-deep-is-hard.ts": big, "exercises/07-lr-schedules.ts": big }, { level: 9 });
    const view = new DataView(zip.buffer);
    let patched = 0;
    for (let i = 0; i + 4 <= zip.length; i++) {
      const sig = view.getUint32(i, true);
      if (sig === 0x02014b50 && patched++ === 0) view.setUint32(i + 24, 100, true); // the first entry lies: "100 bytes"
      if (sig === 0x04034b50 && i === 0) view.setUint32(i + 22, 100, true);
    }
    const path = join(mkdtempSync(join(tmpdir(), "zip-")), "lying.zip");
    writeFileSync(path, zip);
    const sub = readSubmission(path, NAMES);
    expect(sub.files.has("01-why-deep-is-hard")).toBe(false);
    expect(sub.problems.join("\n")).toMatch(/exercises\/01-why-deep-is-hard\.ts inflates to more than its declared 100 bytes/);
    expect(sub.files.has("07-lr-schedules")).toBe(false);
    expect(sub.ignored.join("\n")).toMatch(/07-lr-schedules\.ts \(larger than 512 KiB\)/);
  });

  it("reports an unreadable zip instead of failing", () => {
    const path = join(mkdtempSync(join(tmpdir(), "zip-")), "broken.zip");
    writeFileSync(path, "PK\u0003\u0004 this is not a zip");
    const sub = readSubmission(path, NAMES);
    expect(sub.files.size).toBe(0);
    expect(sub.problems.join("\n")).toMatch(/could not be read/);
  });
});

describe("re-checking a reported comparison", () => {
  it("uses the same rules as test/exercises/grading.ts", () => {
    expect(recheck({ k: "close", g: [1, 2.0000001].map(encodeNumber), e: [1, 2].map(encodeNumber) })).toBeNull();
    expect(recheck({ k: "close", g: [1, 2.1].map(encodeNumber), e: [1, 2].map(encodeNumber), rtol: 1e-3 })).toMatch(/expected 2 but got 2\.10000 at position 1/);
    expect(recheck({ k: "close", g: [NaN].map(encodeNumber), e: [NaN].map(encodeNumber) })).toBeNull();
    expect(recheck({ k: "close", g: [0].map(encodeNumber), e: [NaN].map(encodeNumber) })).not.toBeNull();
    expect(recheck({ k: "equal", g: "[1,2]", e: "[1,2]" })).toBeNull();
    expect(recheck({ k: "equal", g: null, e: "[]" })).toMatch(/expected \[\] but got undefined/);
    expect(recheck({ k: "match", s: "boom", source: "not implemented yet", flags: "", not: true })).toBeNull();
    expect(recheck({ k: "match", s: "x is not implemented yet", source: "not implemented yet", flags: "", not: true })).not.toBeNull();
  });
});

describe("results.json", () => {
  const valid = {
    score: 3, execution_time: 1.5, output: "", visibility: "visible", stdout_visibility: "hidden",
    tests: [{ name: "a", number: "1.1", score: 3, max_score: 3, output: "passed", visibility: "visible", tags: ["01"] }],
  };

  it("accepts Gradescope's format and refuses what breaks it", () => {
    expect(checkResults(valid)).toEqual([]);
    expect(checkResults({ ...valid, score: 4 })).toEqual(["score 4 is not the sum of the tests' scores (3)"]);
    expect(checkResults({ ...valid, tests: [{ ...valid.tests[0], score: 5 }] }).join()).toMatch(/within \[0, max_score\]/);
    expect(checkResults({ ...valid, visibility: "public" }).join()).toMatch(/visibility/);
    expect(checkResults(null)).toEqual(["not an object"]);
  });
});
