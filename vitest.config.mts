import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";
import { isAbsolute } from "node:path";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests import "kernel-lib" by its package name; here that name points at the
// TypeScript sources so a test run never depends on a stale build. The built
// package (what notebooks load) is checked in test/kernel-lib/package-entry.test.ts.
//
// Exercise graders import "@exercise/NN-topic": the reference solutions by
// default (npm test), the student's stubs with GRADE_TARGET=exercises (npm run check), or
// any folder given by absolute path (the mutation test grades altered copies of the solutions).
const gradeTarget = process.env.GRADE_TARGET ?? "";
const targetDir = gradeTarget === "exercises" ? here("./exercises/") : isAbsolute(gradeTarget) ? `${gradeTarget}/` : here("./solutions/");

export default defineConfig({
  resolve: {
    alias: [
      { find: /^kernel-lib$/, replacement: here("./kernel-lib/src/index.ts") },
      { find: /^@exercise\/(.*)$/, replacement: targetDir + "$1" },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
