/**
 * The files of the student release that differ from the course's own:
 * package.json (the release's scripts only), tsconfig.json and
 * vitest.config.mts ("@exercise/NN" is always exercises/NN), .gitignore, and
 * the README without the sections for authors and graders.
 */

/** The course scripts that the release keeps as they are (their tools ship with it). */
const KEPT_SCRIPTS = ["prepare", "build", "notebooks", "start", "kernel:install", "kernel:remove"];
/** What the release's own tools need from the course's devDependencies. */
const KEPT_DEV = ["@types/cli-progress", "@types/markdown-it", "@types/node", "fflate", "tsx", "typescript", "vitest"];

const VITEST_CONFIG = `import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// "kernel-lib" is its TypeScript sources (no stale build); "@exercise/NN-topic"
// is always YOUR file in exercises/: the tests grade your work.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^kernel-lib$/, replacement: here("./kernel-lib/src/index.ts") },
      { find: /^@exercise\\/(.*)$/, replacement: here("./exercises/") + "$1" },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
`;

export function releaseConfigFiles(rootPkg: Record<string, unknown>, rootTsconfig: string): Record<string, string> {
  const scripts = rootPkg.scripts as Record<string, string>;
  const dev = rootPkg.devDependencies as Record<string, string>;
  const pkg = {
    name: rootPkg.name,
    version: rootPkg.version,
    private: true,
    description: rootPkg.description,
    license: rootPkg.license,
    workspaces: rootPkg.workspaces,
    engines: rootPkg.engines,
    scripts: {
      ...Object.fromEntries(KEPT_SCRIPTS.filter((s) => scripts[s] !== undefined).map((s) => [s, scripts[s]])),
      typecheck: "tsc -p tsconfig.json --noEmit",
      test: "npm run build && npm run typecheck && npm run check",
      check: "tsx tools/exercises/check.ts",
      submit: "tsx tools/release/submit.ts",
    },
    devDependencies: Object.fromEntries(KEPT_DEV.filter((d) => dev[d] !== undefined).map((d) => [d, dev[d]])),
    dependencies: rootPkg.dependencies,
  };
  const tsconfig = JSON.parse(rootTsconfig) as { compilerOptions: { paths: Record<string, string[]> }; include: string[] };
  tsconfig.compilerOptions.paths["@exercise/*"] = ["exercises/*"];
  tsconfig.include = tsconfig.include.filter((p) => p !== "solutions");
  return {
    "package.json": `${JSON.stringify(pkg, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify(tsconfig, null, 2)}\n`,
    "vitest.config.mts": VITEST_CONFIG,
    ".gitignore": "node_modules/\ndist/\n*.tsbuildinfo\n/build/\nsubmission.zip\n",
  };
}

const HANDING_IN = `## Handing in

\`\`\`bash
npm run submit           # writes submission.zip with your exercises/NN-topic.ts files
\`\`\`

Upload \`submission.zip\`. Only the exercise files are graded: the autograder
runs the same public tests as \`npm run check\`, plus hidden ones (more cases,
other seeds, edge cases), each exercise on its own, in a sandbox with a time
and memory limit. A type error is a warning; a file that does not compile, or
a function that loops forever, costs only that exercise's points.

`;

/** The course README for students: no authors' or graders' sections, no mention of solutions/. */
export function releaseReadme(readme: string): { text: string; problems: string[] } {
  const sections = readme.split(/^(?=## )/m);
  const kept = sections.filter((s) => !/^## (For course authors|For graders)\b/.test(s));
  const withHandIn = kept.flatMap((s) => (/^## Layout\b/.test(s) ? [HANDING_IN, s] : [s]));
  let text = withHandIn.join("");
  text = text
    .replace(/^(npm test\s+)# .*$/m, "$1# build, type-check, and grade your exercises (0 points until you write them)")
    .replace(/^- \*\*`exercises\/`\*\*, \*\*`solutions\/`\*\*, \*\*`test\/`\*\* — [\s\S]*?\.$/m, "- **`exercises/`**, **`test/exercises/`** — graded exercises and the Vitest tests that grade them.")
    .split("\n")
    .filter((line) => !/^\| `(solutions\/|notebooks\/src\/|\.ci\/run)`/.test(line))
    .map((line) => line
      .replace(/^\| `test\/` \| .* \|$/, "| `test/exercises/` | the graders of the exercises (`npm run check`) |")
      .replace(/^\| `tools\/` \| .* \|$/, "| `tools/` | the headless notebook runner (`tools/notebook`), the course front door (`tools/course`), `npm run check` and `npm run submit` |"))
    .join("\n");
  const problems = /solutions\/|reference\s+solutions/.test(text) ? ["the release README still mentions the solutions: update tools/release/release-files.ts"] : [];
  return { text, problems };
}
