import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// Tests import "kernel-lib" by its package name; here that name points at the
// TypeScript sources so a test run never depends on a stale build. The built
// package (what notebooks load) is checked separately in test/package-entry.test.ts.
export default defineConfig({
  resolve: {
    alias: {
      "kernel-lib": fileURLToPath(new URL("./kernel-lib/src/index.ts", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
