/**
 * The third-party stylesheets and fonts the exported pages need, copied out
 * of node_modules so a page works offline from file://. Shared by the HTML
 * export (tools/course/html.ts) and the slide decks (tools/slides).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";

/**
 * The folder an installed package lives in, e.g. packageDir("katex"), found
 * along Node's module search path. Not `require.resolve("x/package.json")`:
 * packages with an "exports" map (reveal.js) do not export their package.json.
 */
export function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = path.join(dir, name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
  }
  throw new Error(`package ${name} is not installed: run npm install`);
}

/** KaTeX's CSS and its fonts → `<assetsDir>/katex/katex.min.css` and `<assetsDir>/katex/fonts/`. */
export function copyKatexAssets(assetsDir: string): void {
  const katexDist = path.join(packageDir("katex"), "dist");
  mkdirSync(path.join(assetsDir, "katex"), { recursive: true });
  copyFileSync(path.join(katexDist, "katex.min.css"), path.join(assetsDir, "katex", "katex.min.css"));
  cpSync(path.join(katexDist, "fonts"), path.join(assetsDir, "katex", "fonts"), { recursive: true });
}

/** A highlight.js theme (a file name in highlight.js/styles without ".min.css") → `<assetsDir>/hljs.css`. */
export function copyHighlightTheme(assetsDir: string, theme = "github"): void {
  mkdirSync(assetsDir, { recursive: true });
  copyFileSync(path.join(packageDir("highlight.js"), "styles", `${theme}.min.css`), path.join(assetsDir, "hljs.css"));
}
