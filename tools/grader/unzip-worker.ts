/**
 * Reads one zip submission in a process of its own (see submission.ts): the
 * grader gives it a clock and a heap cap, so a crafted zip costs at most
 * those. Exercise names come on stdin; the Submission goes to stdout as JSON.
 */
import { readFileSync } from "node:fs";
import { readZip } from "./submission";

const exercises = JSON.parse(readFileSync(0, "utf8")) as string[];
const sub = readZip(process.argv[2], exercises);
process.stdout.write(JSON.stringify({ ...sub, files: [...sub.files] }));
