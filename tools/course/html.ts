/**
 * The course as static HTML: one page per notebook, an index page, and the
 * stylesheets and KaTeX fonts in `assets/`, so the folder works offline
 * from file:// and can be copied anywhere as it is.
 *
 *   tsx tools/course/html.ts [paths...] [--out DIR]   (default: notebooks/ → build/course/)
 *
 * Pages show the outputs stored in the notebooks (run `npm run notebooks`,
 * or `npm start -- --execute`, to refresh them). A chart that fails to
 * render or a missing image is a warning naming the notebook and cell; the
 * page is still written.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { readNotebook, type Notebook } from "../notebook/notebook";
import { copyHighlightTheme, copyKatexAssets } from "./assets";
import { lessonInfo, pageHead, renderLessonPage, type LessonInfo } from "./lesson-page";
import { createMarkdown, escapeHtml } from "./render-markdown";
import { runMain } from "../run-main";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const DEFAULT_NOTEBOOKS_DIR = path.join(PROJECT_ROOT, "notebooks");
export const DEFAULT_OUT_DIR = path.join(PROJECT_ROOT, "build", "course");
export const COURSE_TITLE = "Training Deep Neural Networks — a TypeScript course";

/** The .ipynb files directly in `dir`, sorted; [] when the folder does not exist. */
export function notebookFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ipynb"))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Copies KaTeX's CSS and fonts, the highlight.js theme and our stylesheet into `<outDir>/assets`. */
export function writeAssets(outDir: string): void {
  const assets = path.join(outDir, "assets");
  copyKatexAssets(assets);
  copyHighlightTheme(assets, "github");
  copyFileSync(path.join(__dirname, "assets", "course.css"), path.join(assets, "course.css"));
}

export interface ExportedLesson {
  /** The notebook file. */
  source: string;
  /** The page's file name inside the output folder, e.g. "01-why-deep-is-hard.html". */
  page: string;
  info: LessonInfo;
}

export interface CourseExport {
  outDir: string;
  indexFile: string;
  lessons: ExportedLesson[];
  /** Problems that did not stop the export, each naming its notebook (and cell). */
  warnings: string[];
}

/** The index page: every lesson's title (linked) and summary. */
export function renderIndexPage(lessons: readonly ExportedLesson[], title: string = COURSE_TITLE): string {
  const items = lessons.map(
    ({ page, info }) =>
      `<li><a href="${escapeHtml(page)}">${info.titleHtml}</a>${info.summaryHtml ? `<p>${info.summaryHtml}</p>` : ""}</li>`,
  );
  const list =
    items.length > 0
      ? `<ol class="lessons">\n${items.join("\n")}\n</ol>`
      : '<p class="empty">No lessons yet: the notebooks folder has no <code>.ipynb</code> files.</p>';
  return [pageHead(title), "<body>", '<main class="index">', `<h1>${escapeHtml(title)}</h1>`, list, "</main>", "</body>", "</html>", ""].join("\n");
}

/** Copies the relative images a page refers to, from beside the notebook to beside the page. */
export function copyLocalImages(notebookFile: string, images: readonly string[], outDir: string, label: string, warnings: string[]): void {
  const from = path.dirname(path.resolve(notebookFile));
  for (const image of new Set(images)) {
    const source = path.resolve(from, image);
    const target = path.resolve(outDir, image);
    if (path.relative(from, source).startsWith("..") || path.relative(outDir, target).startsWith("..")) {
      warnings.push(`${label}: image ${image} is outside the notebook's folder; not copied`);
    } else if (!existsSync(source)) {
      warnings.push(`${label}: image ${image} not found`);
    } else {
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(source, target);
    }
  }
}

export interface ExportOptions {
  /** Heading of the index page; default COURSE_TITLE. */
  title?: string;
  /** How a notebook is obtained; default readNotebook (the stored outputs). `npm start -- --execute` runs it instead. */
  load?: (file: string) => Promise<Notebook>;
}

/**
 * Renders every notebook in `files` (in this order) to `<outDir>/<name>.html`,
 * with previous/next links, plus `<outDir>/index.html` and the assets.
 * Throws NotebookFormatError for a malformed notebook.
 */
export async function exportCourse(files: readonly string[], outDir: string, options: ExportOptions = {}): Promise<CourseExport> {
  mkdirSync(outDir, { recursive: true });
  writeAssets(outDir);
  const md = createMarkdown();
  const warnings: string[] = [];
  const load = options.load ?? readNotebook;
  const notebooks: Notebook[] = [];
  for (const file of files) notebooks.push(await load(file)); // one at a time: loading may run a kernel
  const lessons: ExportedLesson[] = files.map((file, i) => {
    const name = path.basename(file, ".ipynb");
    return { source: file, page: `${name}.html`, info: lessonInfo(notebooks[i], md, name) };
  });
  for (const [i, lesson] of lessons.entries()) {
    const label = path.relative(process.cwd(), path.resolve(lesson.source)) || lesson.source;
    const link = (other: ExportedLesson | undefined) => other && { href: other.page, title: other.info.title };
    const localImages: string[] = [];
    const html = await renderLessonPage(notebooks[i], {
      md,
      label,
      title: lesson.info.title,
      previous: link(lessons[i - 1]),
      next: link(lessons[i + 1]),
      warnings,
      localImages,
    });
    writeFileSync(path.join(outDir, lesson.page), html);
    copyLocalImages(lesson.source, localImages, outDir, label, warnings);
  }
  const indexFile = path.join(outDir, "index.html");
  writeFileSync(indexFile, renderIndexPage(lessons, options.title));
  return { outDir, indexFile, lessons, warnings };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: "string" } } });
  const files = positionals.length > 0 ? positionals : notebookFiles(DEFAULT_NOTEBOOKS_DIR);
  const result = await exportCourse(files, path.resolve(values.out ?? DEFAULT_OUT_DIR));
  for (const warning of result.warnings) console.warn(`warning: ${warning}`);
  console.log(`${result.lessons.length} lesson page(s) and ${result.indexFile}`);
  return 0;
}

if (require.main === module) runMain(main);
