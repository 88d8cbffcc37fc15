// Notebook → reveal.js deck (tools/slides): what a slide shows (math,
// highlighted code, chart SVGs, fragments, notes, skipped cells), the
// --no-code and --no-outputs variants, the assets that make a deck work
// offline, the index page and lesson selection. Built from the fixture
// test/fixtures/slides/demo.ipynb; no browser (see slides-browser.test.ts).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSlides, resolveLessons, type SlidesBuild } from "../../../tools/slides/build";
import { fitsBeside, listItemsAsFragments } from "../../../tools/slides/render-slides";

const DEMO = path.join(__dirname, "..", "..", "fixtures", "slides", "demo.ipynb");
const work = mkdtempSync(path.join(tmpdir(), "slides-conversion-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const count = (html: string, needle: string): number => html.split(needle).length - 1;

/** The HTML of each slide reveal.js shows (every <section class="deck-slide">), in order. */
function leafSlides(html: string): string[] {
  return html.split('<section class="deck-slide">').slice(1).map((part) => part.slice(0, part.indexOf("</section>")));
}

async function build(name: string, options: { code?: boolean; outputs?: boolean } = {}): Promise<{ result: SlidesBuild; html: string }> {
  const result = await buildSlides([DEMO], { outDir: path.join(work, name), ...options });
  return { result, html: readFileSync(result.decks[0].file, "utf8") };
}

describe("a deck with code and outputs (the default)", () => {
  let result: SlidesBuild;
  let html: string;
  beforeAll(async () => ({ result, html } = await build("full")));

  it("has one leaf section per subslide, grouped as the metadata says", () => {
    const slides = leafSlides(html);
    expect(slides).toHaveLength(5);
    expect(result.decks[0]).toMatchObject({ horizontal: 2, total: 5, title: "Demo deck", charts: 2 });
    // Slide 1 has four subslides (a stack of nested sections), slide 2 one (a single section).
    expect(slides[0]).toContain("Demo deck");
    expect(slides[1]).toContain("Code only");
    expect(slides[2]).toContain("helper");
    expect(slides[3]).toContain("PRINTED-LINE");
    expect(slides[4]).toContain("Tags and a long cell");
    expect(count(html, "<section>\n")).toBe(1);
  });

  it("puts fragment cells in fragment blocks", () => {
    const [first, , , fourth] = leafSlides(html);
    expect(first).toMatch(/<div class="fragment">\s*<div class="cell markdown">\s*<p>Fragment text FRAG-ONE\.<\/p>/);
    expect(fourth).toMatch(/<div class="fragment">\s*<div class="cell markdown">\s*<p>After the print: FRAG-TWO\.<\/p>/);
    expect(count(html, '<div class="fragment">')).toBe(2);
  });

  it("leaves skipped cells out, source and outputs", () => {
    expect(html).not.toContain("SKIPPED_SETUP");
    expect(html).not.toContain("SKIPPED-OUTPUT");
  });

  it("turns notes cells into speaker notes of their slide, with math as MathML", () => {
    const first = leafSlides(html)[0];
    const notes = /<aside class="notes">([\s\S]*?)<\/aside>/.exec(first)?.[1] ?? "";
    expect(notes).toContain("Speaker note NOTE-ONE");
    expect(notes).toContain("<math");
    expect(notes).not.toContain("katex-html"); // the speaker view has no KaTeX stylesheet
    expect(count(html, '<aside class="notes">')).toBe(1);
  });

  it("renders math with KaTeX, inline and display", () => {
    const first = leafSlides(html)[0];
    expect(count(first, 'class="katex"')).toBeGreaterThanOrEqual(2);
    expect(first).toContain('class="katex-display"');
    expect(first).toContain('<annotation encoding="application/x-tex">a^2 + b^2 = c^2</annotation>');
    expect(html).not.toContain("katex-error");
  });

  it("shows charts as inline SVG, redrawn from their Vega-Lite spec with the projector's label sizes", () => {
    // The stored SVG (rect#chart-one) is replaced by a drawing with PROJECTOR_CHART_CONFIG's fonts.
    expect(html).not.toContain('<rect id="chart-one"');
    expect(count(html, '<div class="output-svg"><svg')).toBe(2);
    expect(html).toMatch(/role-axis-label[\s\S]*?font-size="15px"/);
    const rendered = leafSlides(html)[4];
    expect(rendered).toMatch(/<div class="output-svg"><svg[^>]*>/);
    expect(result.warnings).toEqual([]);
  });

  it("highlights code, puts short code beside its chart, loads the fitting script", () => {
    expect(html).toContain('<pre class="hljs code-input"><code class="language-typescript"><span class="hljs-title function_">show</span>');
    expect(html).toContain('<div class="cell code has-chart">');
    expect(html).toMatch(/<script src="assets\/fit\.js"><\/script>[\s\S]*DeckFit\.fit\(\)[\s\S]*Reveal\.initialize/);
  });

  it("honours the remove-input and remove-output tags", () => {
    expect(html).not.toContain("HIDDEN_INPUT");
    expect(html).toContain("VISIBLE-RESULT");
    expect(html).toContain("VISIBLE_INPUT");
    expect(html).not.toContain("HIDDEN-OUTPUT");
  });

  it("starts reveal.js with slide numbers and the notes plugin, from relative files only", () => {
    expect(html).toContain('"slideNumber":"c/t"');
    expect(html).toContain("plugins: [RevealNotes]");
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(urls).toEqual(expect.arrayContaining(["assets/reveal/reveal.js", "assets/reveal/notes.js", "assets/katex/katex.min.css", "assets/slides.css"]));
    for (const url of urls) expect(url, url).not.toMatch(/^(https?:)?\/\//);
  });
});

describe("assets for offline use", () => {
  let outDir: string;
  beforeAll(async () => ({ outDir } = (await build("assets")).result));

  it("copies reveal.js, its notes plugin, KaTeX with its fonts, the code theme and ours", () => {
    for (const file of ["reveal/reveal.js", "reveal/reveal.css", "reveal/notes.js", "katex/katex.min.css", "hljs.css", "slides.css", "deck.js"]) {
      expect(existsSync(path.join(outDir, "assets", file)), file).toBe(true);
    }
    expect(readdirSync(path.join(outDir, "assets", "katex", "fonts")).some((font) => font.endsWith(".woff2"))).toBe(true);
  });

  it("has stylesheets that refer to no remote file and to no missing one", () => {
    for (const css of ["reveal/reveal.css", "katex/katex.min.css", "hljs.css", "slides.css"]) {
      const file = path.join(outDir, "assets", css);
      const text = readFileSync(file, "utf8");
      expect(text, css).not.toMatch(/@import|url\(["']?(https?:)?\/\//);
      for (const [, url] of text.matchAll(/url\(["']?([^"')]+)["']?\)/g)) {
        if (url.startsWith("data:")) continue;
        expect(existsSync(path.resolve(path.dirname(file), url.split(/[?#]/)[0])), `${css}: ${url}`).toBe(true);
      }
    }
  });
});

describe("--no-code and --no-outputs", () => {
  it("--no-code keeps the outputs, drops code, and drops a subslide left empty", async () => {
    const { result, html } = await build("no-code", { code: false });
    expect(html).not.toContain("code-input");
    expect(html).not.toContain("definedOnly");
    expect(html).toContain("PRINTED-LINE");
    expect(html).toContain('<div class="output-svg">');
    expect(html).not.toContain("has-chart"); // no code to put beside the chart
    // The subslide holding only `function helper` (no output) is gone; the others stay.
    expect(leafSlides(html)).toHaveLength(4);
    expect(html).not.toContain("helper");
    expect(result.decks[0]).toMatchObject({ horizontal: 2, total: 4 });
  });

  it("--no-outputs keeps the code and drops every output", async () => {
    const { result, html } = await build("no-outputs", { outputs: false });
    expect(html).not.toContain('class="outputs"');
    expect(html).not.toContain("PRINTED-LINE");
    expect(html).toContain("code-input");
    expect(result.decks[0]).toMatchObject({ total: 5, charts: 0 });
  });

  it("both: markdown only; a fragment whose subslide lost its first cell still shows", async () => {
    const { html } = await build("neither", { code: false, outputs: false });
    const slides = leafSlides(html);
    expect(slides).toHaveLength(4);
    expect(slides[2]).toMatch(/^\s*<div class="fragment">[\s\S]*FRAG-TWO/);
    expect(html).not.toContain('class="cell code');
  });
});

describe("the index page", () => {
  it("links every deck with its title and summary (the slide count is known once printed)", async () => {
    const outDir = path.join(work, "index");
    const second = path.join(work, "02-second.ipynb");
    writeFileSync(second, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", metadata: {}, source: "# Second $x^2$\n\nA summary." }] }));
    const result = await buildSlides([DEMO, second], { outDir, title: "Decks" });
    const index = readFileSync(result.indexFile, "utf8");
    expect(index).toContain("<h1>Decks</h1>");
    expect(index).toContain('<a class="deck" href="demo.html">Demo deck</a><p>');
    expect(index).toMatch(/<a class="deck" href="02-second.html">Second <span class="katex">/);
    expect(index).toContain("<p>A summary.</p>");
    expect(index).toContain("speaker view");
  });

  it("says so when there is no deck", async () => {
    const result = await buildSlides([], { outDir: path.join(work, "empty") });
    expect(readFileSync(result.indexFile, "utf8")).toContain("No decks");
  });
});

describe("choosing lessons", () => {
  const dir = path.join(work, "lessons");
  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    for (const name of ["01-intro", "04-batch-norm", "10-recipe"]) writeFileSync(path.join(dir, `${name}.ipynb`), "{}");
  });

  it.each([
    ["nothing: all lessons, in order", [], ["01-intro", "04-batch-norm", "10-recipe"]],
    ["a two-digit number", ["04"], ["04-batch-norm"]],
    ["a one-digit number means 0N", ["4"], ["04-batch-norm"]],
    ["a name prefix", ["10-rec"], ["10-recipe"]],
    ["several, without duplicates", ["10", "01", "1"], ["10-recipe", "01-intro"]],
  ])("%s", (_name, args, expected) => {
    expect(resolveLessons(args, dir).map((file) => path.basename(file, ".ipynb"))).toEqual(expected);
  });

  it("takes a notebook path as it is", () => {
    expect(resolveLessons([DEMO], dir)).toEqual([DEMO]);
  });

  it("names the argument that matches nothing, and the lessons there are", () => {
    expect(() => resolveLessons(["07"], dir)).toThrow(/no lesson matches "07".*01-intro, 04-batch-norm, 10-recipe/);
    expect(() => resolveLessons(["missing.ipynb"], dir)).toThrow("no notebook missing.ipynb");
  });
});

describe("fitsBeside", () => {
  const lines = (n: number, width = 10) => Array.from({ length: n }, (_, i) => `x${i}`.padEnd(width, "y")).join("\n");
  it.each([
    [1, 10, true],
    [14, 10, true],
    [15, 10, false],
    [10, 120, false], // each line wraps to three in the column
    [8, 90, true],
  ])("%i lines of %i characters → %j", (n, width, expected) => {
    expect(fitsBeside(lines(n, width))).toBe(expected);
  });
});

describe("listItemsAsFragments", () => {
  it("makes the outermost list items fragments, not nested ones", () => {
    const html = "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li>c</li>\n</ul>\n<ol start=\"3\">\n<li>d</li>\n</ol>";
    expect(listItemsAsFragments(html)).toBe(
      '<ul>\n<li class="fragment">a\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li class="fragment">c</li>\n</ul>\n<ol start="3">\n<li class="fragment">d</li>\n</ol>',
    );
  });
});
