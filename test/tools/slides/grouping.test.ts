// Slide grouping (tools/slides/grouping.ts): which cells end up on which
// slide, subslide and fragment, and which are speaker notes. Checked three
// ways: named cases, a property test against a port of nbconvert's own
// rules (its _RevealMetadataPreprocessor and reveal template), and, where
// `jupyter nbconvert` is installed, against nbconvert's real HTML for the
// fixture test/fixtures/slides/grouping.ipynb.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createMarkdown } from "../../../tools/course/render-markdown";
import { readNotebook, type Cell } from "../../../tools/notebook/notebook";
import { countSlides, groupSlides, slideType, SLIDE_TYPES, type Slide, type SlideType } from "../../../tools/slides/grouping";
import { renderSlides } from "../../../tools/slides/render-slides";

const FIXTURE = path.join(__dirname, "..", "..", "fixtures", "slides", "grouping.ipynb");

/** A markdown cell whose source is `label`, with slide type `type` (null: no metadata at all). */
function cell(label: string, type: string | null, tags?: string[]): Cell {
  const metadata: Cell["metadata"] = type === null ? {} : { slideshow: { slide_type: type } };
  if (tags) metadata.tags = tags;
  return { cell_type: "markdown", source: label, metadata };
}

/** "A(slide) B C(fragment)" → cells; a word without "(…)" has no metadata. */
function cells(spec: string): Cell[] {
  return spec.split(/\s+/).map((word) => {
    const match = /^(\w+)(?:\((.*)\))?$/.exec(word);
    if (match === null) throw new Error(`bad cell spec ${word}`);
    return cell(match[1], match[2] ?? null);
  });
}

/**
 * Slides as text: "[…]" a slide, "{…}" a subslide, "(…)" a fragment, then
 * "!" and the notes of the subslide, e.g. "[{A(B)!N}{C}][{D}]".
 */
function shape(slides: readonly Slide[]): string {
  const labels = (entries: { cell: Cell }[]) => entries.map((entry) => entry.cell.source).join("");
  return slides
    .map((slide) => {
      const subslides = slide.subslides.map((sub) => {
        const blocks = sub.blocks.map((block) => (block.fragment ? `(${labels(block.cells)})` : labels(block.cells))).join("");
        return `{${blocks}${sub.notes.length > 0 ? `!${labels(sub.notes)}` : ""}}`;
      });
      return `[${subslides.join("")}]`;
    })
    .join("");
}

describe("slideType", () => {
  it.each<[string, Cell, SlideType]>([
    ["each Jupyter slide type as it is", cell("A", "subslide"), "subslide"],
    ["no metadata: continue ('-')", cell("A", null), "-"],
    ["an unknown type: continue ('-')", cell("A", "bogus"), "-"],
    ["a remove-cell tag: skip", cell("A", "slide", ["remove-cell"]), "skip"],
    ["other tags: unchanged", cell("A", "notes", ["raises-exception"]), "notes"],
  ])("%s", (_name, input, expected) => {
    expect(slideType(input)).toBe(expected);
  });

  it("reads a malformed slideshow field as '-'", () => {
    expect(slideType({ cell_type: "markdown", source: "", metadata: { slideshow: "slide" } })).toBe("-");
    expect(slideType({ cell_type: "markdown", source: "", metadata: { slideshow: null } })).toBe("-");
  });
});

describe("groupSlides: named cases", () => {
  it.each([
    ["slide starts a horizontal slide, subslide a vertical one", "A(slide) B(subslide) C(slide)", "[{A}{B}][{C}]"],
    ["'-' and no metadata continue the current slide", "A(slide) B(-) C", "[{ABC}]"],
    ["a fragment lasts until the next fragment", "A(slide) B(fragment) C D(fragment)", "[{A(BC)(D)}]"],
    ["a fragment ends at a subslide or slide", "A(slide) B(fragment) C(subslide) D(slide)", "[{A(B)}{C}][{D}]"],
    ["skip leaves the cell out and ends nothing", "A(slide) B(fragment) C(skip) D", "[{A(BD)}]"],
    ["skip before the first slide", "S(skip) A(slide)", "[{A}]"],
    ["notes go to the current subslide, and end nothing", "A(slide) B(fragment) N(notes) C", "[{A(BC)!N}]"],
    ["notes before the first shown cell go to the first slide", "N(notes) A(slide) B(subslide)", "[{A!N}{B}]"],
    ["the first shown cell starts the first slide whatever its type", "A(fragment) B(fragment)", "[{A(B)}]"],
    ["the first shown cell may be a subslide", "S(skip) A(subslide) B(subslide)", "[{A}{B}]"],
    ["a notebook without any metadata is one slide", "A B C", "[{ABC}]"],
  ])("%s", (_name, spec, expected) => {
    expect(shape(groupSlides(cells(spec)))).toBe(expected);
  });

  it("shows nothing when every cell is skip or notes", () => {
    expect(groupSlides(cells("A(skip) N(notes) B(skip)"))).toEqual([]);
  });

  it("drops cells tagged remove-cell like skip", () => {
    const input = [cell("A", "slide"), cell("B", "slide", ["remove-cell"]), cell("C", "-")];
    expect(shape(groupSlides(input))).toBe("[{AC}]");
  });

  it("numbers cells from 1 in notebook order", () => {
    const [slide] = groupSlides(cells("S(skip) A(slide) B"));
    expect(slide.subslides[0].blocks[0].cells.map((entry) => entry.number)).toEqual([2, 3]);
  });

  it("counts slides as reveal.js does", () => {
    expect(countSlides(groupSlides(cells("A(slide) B(subslide) C(subslide) D(slide) E(fragment)")))).toEqual({ horizontal: 2, total: 4 });
  });
});

/**
 * nbconvert's reveal exporter, reduced to the structure it writes: its
 * preprocessor sets slide/subslide/fragment start and end flags on cells,
 * and its template writes <section>/<div class="fragment"> around every
 * cell from those flags (skip and notes cells included; only their content
 * is left out). Notes are reported per subslide, in order.
 */
function nbconvertShape(types: readonly SlideType[]): string {
  const flags = types.map((type) => ({ type, slideStart: false, subslideStart: false, fragmentStart: false, fragmentEnd: false, subslideEnd: false, slideEnd: false }));
  const first = flags.findIndex((c) => c.type !== "notes" && c.type !== "skip");
  if (first === -1) return "";
  Object.assign(flags[first], { type: "slide", slideStart: true, subslideStart: true });
  let inFragment = false;
  for (let k = first + 1; k < flags.length; k++) {
    const cur = flags[k];
    const prev = flags[k - 1];
    if (cur.type === "slide") {
      prev.slideEnd = true;
      cur.slideStart = true;
    }
    if (cur.type === "subslide" || cur.type === "slide") {
      prev.fragmentEnd = inFragment;
      prev.subslideEnd = true;
      cur.subslideStart = true;
      inFragment = false;
    } else if (cur.type === "fragment") {
      cur.fragmentStart = true;
      if (inFragment) prev.fragmentEnd = true;
      else inFragment = true;
    }
  }
  Object.assign(flags[flags.length - 1], { fragmentEnd: inFragment, subslideEnd: true, slideEnd: true });
  // The template, with each subslide's notes written at its end (where our decks put them).
  let out = "";
  let notes = "";
  flags.forEach((c, i) => {
    if (c.slideStart) out += "[";
    if (c.subslideStart) out += "{";
    if (c.fragmentStart) out += "(";
    if (c.type === "notes") notes += label(i);
    else if (c.type !== "skip") out += label(i);
    if (c.fragmentEnd) out += ")";
    if (c.subslideEnd) {
      out += `${notes ? `!${notes}` : ""}}`;
      notes = "";
    }
    if (c.slideEnd) out += "]";
  });
  return out;
}

/** Cell labels for generated notebooks: A…Z, then A26, B27, … */
function label(i: number): string {
  return String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(i) : "");
}

describe("groupSlides against nbconvert's rules", () => {
  it("gives nbconvert's structure for any sequence of slide types", () => {
    const typeOrMissing = fc.constantFrom<SlideType | null>(...SLIDE_TYPES, null);
    fc.assert(
      fc.property(fc.array(typeOrMissing, { maxLength: 40 }), (types) => {
        const input = types.map((type, i) => cell(label(i), type));
        const effective = types.map((type) => type ?? "-");
        expect(shape(groupSlides(input))).toBe(nbconvertShape(effective));
      }),
      { numRuns: 500 },
    );
  });
});

/** The structure of reveal.js HTML (ours or nbconvert's) in the notation of `shape`, from the MARK<letter> cells in it. */
function htmlShape(html: string): string {
  interface Node { content: string; notes: string; children: Node[] }
  const roots: Node[] = [];
  const stack: Node[] = [];
  const divs: boolean[] = [];
  let inNotes = false;
  for (const [token, mark] of html.matchAll(/<section\b[^>]*>|<\/section>|<div\b[^>]*>|<\/div>|<aside class="notes">|<\/aside>|MARK([A-Z])/g)) {
    const node = stack[stack.length - 1];
    if (token.startsWith("<section")) stack.push({ content: "", notes: "", children: [] });
    else if (token === "</section>") {
      const done = stack.pop() as Node;
      (stack.length > 0 ? stack[stack.length - 1].children : roots).push(done);
    } else if (token.startsWith("<div")) {
      const fragment = /class="fragment"/.test(token);
      divs.push(fragment);
      if (fragment) node.content += "(";
    } else if (token === "</div>") {
      if (divs.pop()) node.content += ")";
    } else if (token === '<aside class="notes">') inNotes = true;
    else if (token === "</aside>") inNotes = false;
    else if (inNotes) node.notes += mark;
    else node.content += mark;
  }
  const leaf = (node: Node) => `{${node.content}${node.notes ? `!${node.notes}` : ""}}`;
  return roots.map((root) => `[${(root.children.length > 0 ? root.children : [root]).map(leaf).join("")}]`).join("");
}

function nbconvertMissing(): string | null {
  const probe = spawnSync("jupyter", ["nbconvert", "--version"], { encoding: "utf8", timeout: 30_000 });
  if (probe.error) return `jupyter is not on PATH (${probe.error.message})`;
  if (probe.status !== 0) return `\`jupyter nbconvert --version\` failed`;
  return null;
}

describe("the fixture deck against nbconvert", () => {
  const expected = "[{BC(DE)!F}{GI(J)(K)}][{LM}][{N}{O!P}]";

  it("our deck has the expected structure", async () => {
    const notebook = await readNotebook(FIXTURE);
    const context = {
      md: createMarkdown(),
      notesMd: createMarkdown({ mathOutput: "mathml" as const }),
      label: "grouping.ipynb",
      warnings: [],
      env: { headingIds: new Set<string>(), localImages: [] },
    };
    const rendered = await renderSlides(groupSlides(notebook.cells), context);
    expect(htmlShape(rendered.html)).toBe(expected);
    expect(rendered).toMatchObject({ horizontal: 3, total: 5 });
  });

  const missing = nbconvertMissing();
  if (missing !== null) console.warn(`slides-grouping: nbconvert comparison skipped, ${missing}; install it with: apt-get install jupyter-nbconvert`);
  const work = mkdtempSync(path.join(tmpdir(), "slides-nbconvert-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.skipIf(missing !== null)(`jupyter nbconvert --to slides gives the same structure${missing === null ? "" : ` (skipped: ${missing})`}`, () => {
    const result = spawnSync("jupyter", ["nbconvert", "--to", "slides", "--output-dir", work, FIXTURE], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, JUPYTER_CONFIG_DIR: path.join(work, "config"), JUPYTER_DATA_DIR: path.join(work, "data") },
    });
    expect(result.status, result.stderr).toBe(0);
    const html = readFileSync(path.join(work, "grouping.slides.html"), "utf8");
    expect(htmlShape(html)).toBe(expected);
  });
});
