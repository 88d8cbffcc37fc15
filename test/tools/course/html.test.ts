// HTML export: markdown with KaTeX math, highlighted code, every kind of
// output, assets for offline viewing, and the index page. No kernel runs:
// pages are rendered from the outputs stored in the fixture notebooks.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCourse, notebookFiles, renderIndexPage, type CourseExport } from "../../../tools/course/html";
import { createMarkdown, notebookLinkToHtml } from "../../../tools/course/render-markdown";
import { applyCarriageReturns, latexBody } from "../../../tools/course/render-output";
import { writeNotebook, type Notebook } from "../../../tools/notebook/notebook";
import { renderLessonPage } from "../../../tools/course/lesson-page";
import { INSTRUCTOR_NOTE, parsePercent, toNotebook } from "../../../tools/lessons/percent";

const LESSONS = path.join(__dirname, "..", "..", "fixtures", "course", "lessons");
const work = mkdtempSync(path.join(tmpdir(), "course-html-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("markdown with math", () => {
  const md = createMarkdown();
  const render = (text: string): string => md.render(text);
  const katexCount = (html: string): number => html.split('class="katex"').length - 1;

  it.each([
    ["inline $…$", "slope $\\sigma'(x)$ here", 1, false],
    ["$$…$$ inside a paragraph is display math", "so $$a^2$$ holds", 1, true],
    ["a $$ block over several lines", "$$\n\\frac{a}{b}\n= c\n$$", 1, true],
    ["a one-line $$ block", "$$ x_1 + x_2 $$", 1, true],
    ["an align environment on its own lines", "\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}", 1, true],
    ["two formulas in one line", "$a$ and $b$", 2, false],
  ])("renders %s with KaTeX", (_name, text, count, display) => {
    const html = render(text);
    expect(katexCount(html)).toBe(count);
    expect(html.includes("katex-display")).toBe(display);
  });

  it.each([
    ["code spans", "`const price = $x$;`", "<code>const price = $x$;</code>"],
    ["fenced code", "```text\nprice $x$ and $$y$$\n```", "price $x$ and $$y$$"],
    ["prices (a space before the closing $)", "costs $5 and $10 each", "costs $5 and $10 each"],
    ["a closing $ followed by a digit", "from $3 to $4", "from $3 to $4"],
    ["escaped dollars", "\\$x\\$", "$x$"],
    ["an unclosed $$ block", "$$\nnot closed", "$$\nnot closed"],
  ])("leaves %s alone", (_name, text, expected) => {
    const html = render(text);
    expect(katexCount(html)).toBe(0);
    expect(html).toContain(expected);
  });

  it("shows TeX that KaTeX cannot parse as red source instead of throwing", () => {
    expect(render("$\\frac{1}{$")).toContain("katex-error");
  });

  it("keeps markdown syntax inside math as TeX (no emphasis from _ or *)", () => {
    const html = render("$a_1 * b_2 * c_3$");
    expect(html).not.toContain("<em>");
    expect(html).toContain('<annotation encoding="application/x-tex">a_1 * b_2 * c_3</annotation>');
  });

  it("gives headings Jupyter's anchors and points notebook links at the HTML pages", () => {
    expect(render("## The product of slopes")).toContain('<h2 id="The-product-of-slopes">');
    expect(notebookLinkToHtml("02-fixes.ipynb#Fixes")).toBe("02-fixes.html#Fixes");
    expect(notebookLinkToHtml("../notebooks/02-fixes.ipynb")).toBe("../notebooks/02-fixes.html");
    expect(notebookLinkToHtml("https://example.org/a.ipynb")).toBe("https://example.org/a.ipynb");
  });
});

describe("output helpers", () => {
  it("strips TeX delimiters from text/latex", () => {
    expect(latexBody("$$\\sqrt{2}$$")).toBe("\\sqrt{2}");
    expect(latexBody("\\[x\\]")).toBe("x");
    expect(latexBody("$y$")).toBe("y");
    expect(latexBody("\\alpha")).toBe("\\alpha");
  });

  it("shows what a terminal shows for carriage-return progress lines", () => {
    expect(applyCarriageReturns("epoch 1\repoch 2\repoch 3\ndone\n")).toBe("epoch 3\ndone\n");
    expect(applyCarriageReturns("windows\r\nline\r\n")).toBe("windows\nline\n");
  });
});

describe("exportCourse on fixture lessons", () => {
  const out = path.join(work, "course");
  let result: CourseExport;
  let page: string;
  beforeAll(async () => {
    result = await exportCourse(notebookFiles(LESSONS), out);
    page = readFileSync(path.join(out, "01-gradients.html"), "utf8");
  });

  it("writes one page per notebook and an index linking them in order, with titles and summaries", () => {
    expect(result.lessons.map((lesson) => lesson.page)).toEqual(["01-gradients.html", "02-fixes.html"]);
    expect(result.warnings).toEqual([]);
    const index = readFileSync(result.indexFile, "utf8");
    const links = [...index.matchAll(/<li><a href="([^"]+)">/g)].map((match) => match[1]);
    expect(links).toEqual(["01-gradients.html", "02-fixes.html"]);
    for (const link of links) expect(existsSync(path.join(out, link))).toBe(true);
    expect(result.lessons[0].info.title).toBe("Vanishing gradients and \\sigma'(x)");
    expect(index).toContain("Fixes</a><p>Initialization, normalization and residual connections.</p>");
    expect(index).toMatch(/The sigmoid's slope <span class="katex">/); // the summary, with its math
    expect(index).not.toContain("A second paragraph");
  });

  it("renders markdown math, inline and display", () => {
    expect(page).toContain('<span class="katex">');
    expect(page).toContain('<div class="math-block"><span class="katex-display">');
    expect(page).toContain("<code>const price = $x$;</code>");
    expect(page).toContain('<a href="02-fixes.html#Fixes">the next lesson</a>');
    expect(page).toContain("<title>Vanishing gradients and \\sigma&#39;(x)</title>");
  });

  it("highlights code cells as TypeScript, with In [n] prompts", () => {
    expect(page).toContain('<div class="prompt">In [1]:</div><pre class="hljs"><code class="language-typescript">');
    expect(page).toContain('<span class="hljs-keyword">import</span>');
  });

  it("shows text outputs escaped, stderr and errors styled, ANSI colours removed", () => {
    expect(page).toContain('<pre class="output-stream stdout">&#60;b&#62;not bold&#60;/b&#62; &#38; more\n</pre>');
    expect(page).not.toContain("<b>not bold</b>");
    expect(page).toContain('<pre class="output-stream stderr">a warning\n</pre>');
    expect(page).toContain('<pre class="output-error">Error: boom\n    at cell 4</pre>');
    expect(page).not.toContain("\u001b");
    expect(page).toContain('<div class="prompt">Out[3]:</div><div class="output-body"><pre class="output-text">[ 1, 2 ] &#60; 3</pre>');
  });

  it("inlines SVG: stored renderings as they are, Vega-Lite specs without one rendered now", () => {
    expect(page).toContain('<div class="output-svg"><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" class="stored-svg">');
    expect(page).toMatch(/<div class="output-svg"><svg [^>]*class="marks"[\s\S]*?<\/svg><\/div>/);
    expect(page).not.toContain("vegalite"); // the spec itself is not shown
  });

  it("shows LaTeX, PNG and HTML outputs, and drops cells tagged remove-cell", () => {
    expect(page).toMatch(/<div class="output-latex"><span class="katex-display">/);
    expect(page).toContain('<img class="output-image" alt="" src="data:image/png;base64,iVBORw0KGgo');
    expect(page).toContain('<table class="stored-html">');
    expect(page).not.toContain("set-up the reader never sees");
  });

  it("links only assets that exist, and KaTeX's CSS finds its fonts offline", () => {
    const hrefs = [...page.matchAll(/href="(assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(hrefs).toEqual(["assets/katex/katex.min.css", "assets/hljs.css", "assets/course.css"]);
    for (const href of hrefs) expect(existsSync(path.join(out, href)), href).toBe(true);
    const css = readFileSync(path.join(out, "assets", "katex", "katex.min.css"), "utf8");
    const fonts = [...css.matchAll(/url\((fonts\/[^)]+)\)/g)].map((match) => match[1]);
    expect(fonts.length).toBeGreaterThan(20);
    for (const font of fonts) expect(existsSync(path.join(out, "assets", "katex", font)), font).toBe(true);
  });

  it("links previous and next lessons", () => {
    expect(page).toContain('<a rel="next" href="02-fixes.html">Fixes →</a>');
    expect(readFileSync(path.join(out, "02-fixes.html"), "utf8")).toContain('<a rel="prev" href="01-gradients.html">');
    expect(readFileSync(path.join(out, "02-fixes.html"), "utf8")).toContain('<h1 id="Fixes">');
  });
});

describe("exportCourse problems", () => {
  it("warns about a chart it cannot render and a missing image, naming the notebook and cell, and still writes the page", async () => {
    const dir = path.join(work, "broken");
    mkdirSync(path.join(dir, "img"), { recursive: true });
    writeFileSync(path.join(dir, "img", "dot.png"), "png bytes");
    const notebook: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: "markdown", source: "# Broken\n\n![dot](img/dot.png) ![gone](img/gone.png)", metadata: {} },
        {
          cell_type: "code",
          source: "chart()",
          metadata: {},
          execution_count: 1,
          outputs: [{ output_type: "display_data", data: { "application/vnd.vegalite.v5+json": { mark: "nonsense" } }, metadata: {} }],
        },
      ],
    };
    await writeNotebook(path.join(dir, "broken.ipynb"), notebook);
    const out = path.join(work, "broken-out");
    const result = await exportCourse([path.join(dir, "broken.ipynb")], out);
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toMatch(/broken\.ipynb: cell 2: Vega-Lite chart could not be rendered/);
    expect(result.warnings[1]).toMatch(/broken\.ipynb: image img\/gone\.png not found/);
    const html = readFileSync(path.join(out, "broken.html"), "utf8");
    expect(html).toContain('<pre class="output-error">');
    expect(readFileSync(path.join(out, "img", "dot.png"), "utf8")).toBe("png bytes");
  });

  it("writes an index that says so when there are no notebooks", async () => {
    const empty = path.join(work, "empty");
    mkdirSync(empty);
    expect(notebookFiles(empty)).toEqual([]);
    expect(notebookFiles(path.join(work, "missing"))).toEqual([]);
    const result = await exportCourse([], path.join(work, "empty-out"));
    expect(readFileSync(result.indexFile, "utf8")).toContain("No lessons yet");
    expect(renderIndexPage([])).toContain("No lessons yet");
  });
});

describe("speaker notes", () => {
  it("fold into a <details> marked for instructors instead of reading as lesson prose; the builder marks them in notebooks", async () => {
    const [notes] = parsePercent("// %% [markdown] notes\n// Draw the graph on the board.\n", "x.ts");
    expect(notes.source).toBe(`${INSTRUCTOR_NOTE} Draw the graph on the board.`);
    const notebook = toNotebook([
      { cell_type: "markdown", source: "# Title\n\nThe lesson.", metadata: {} },
      notes,
    ]);
    const page = await renderLessonPage(notebook, { label: "x", md: createMarkdown(), warnings: [], title: "Title", localImages: [] });
    expect(page).toContain('<details class="cell instructor-notes">\n<summary>For instructors</summary>\n<p><strong>Instructor note.</strong> Draw the graph on the board.</p>\n</details>');
    expect(page).toContain('<section class="cell markdown">\n<h1');
  });
});
