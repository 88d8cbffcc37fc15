import { defineConfig } from "vitest/config";
import { resolve } from "node:path";

// The Vitest configuration of `npm run check` (check-run.ts): "@exercise/NN-topic"
// is always the student's exercises/NN-topic.ts, except for files that do not
// compile: CHECK_STAND_INS maps those to stand-in modules, so their graded tests
// are still listed (with 0 points) instead of the whole file vanishing.
// check-run.ts starts Vitest in the course folder.
const root = resolve(process.env.CHECK_ROOT ?? process.cwd());
const standIns = JSON.parse(process.env.CHECK_STAND_INS ?? "{}") as Record<string, string>;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export default defineConfig({
  root,
  resolve: {
    alias: [
      { find: /^kernel-lib$/, replacement: resolve(root, "kernel-lib/src/index.ts") },
      ...Object.entries(standIns).map(([lesson, file]) => ({ find: new RegExp(`^@exercise/${escape(lesson)}$`), replacement: file })),
      { find: /^@exercise\/(.*)$/, replacement: `${resolve(root, "exercises")}/$1` },
    ],
  },
  test: {
    include: ["test/exercises/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
