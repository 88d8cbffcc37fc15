/**
 * The HTML around the slides: a deck page that starts reveal.js from the
 * copied assets (classic scripts, not modules, because browsers refuse
 * module scripts from file://), and the index page linking every deck.
 *
 * Before reveal.js starts, fit.js lays every slide out to fit 1280×720
 * (it may add "(cont.)" slides). The deck marks its <html> element when it is ready, for tools and tests:
 * `data-deck-ready` once reveal.js has initialized, `data-pdf-ready` once
 * the `?print-pdf` layout is done (reveal's "pdf-ready" event).
 */
import { pageHead } from "../course/lesson-page";
import { escapeHtml } from "../course/render-markdown";

/** reveal.js options of every deck (see reveal.js's config.d.ts). */
export const REVEAL_CONFIG = {
  // 16:9 at the size the content is written for; reveal.js scales it to the screen.
  width: 1280,
  height: 720,
  // No margin: at 1280×720 a slide is drawn at 1:1, so the sizes in slides.css are the sizes on screen.
  margin: 0,
  // No arrows: they sat on the slide's content. Keys, a clicker or a swipe navigate (README).
  controls: false,
  // Content starts at the top: lesson slides are text-heavy, and centring makes them jump between fragments.
  center: false,
  hash: true,
  slideNumber: "c/t",
  showSlideNumber: "all",
  transition: "fade",
  transitionSpeed: "fast",
  // One PDF page per slide with every fragment shown (a handout), not one page per click.
  pdfSeparateFragments: false,
  // fit.js makes every slide fit its page, so a slide never spreads over two.
  pdfMaxPagesPerSlide: 1,
} as const;

export interface DeckPageOptions {
  title: string;
  /** The notebook the deck comes from, in a comment. */
  label: string;
  /** The <section> elements (renderSlides). */
  sections: string;
}

/** A complete reveal.js deck, using the files assets.ts copies into `assets/`. */
export function renderDeckPage({ title, label, sections }: DeckPageOptions): string {
  const init = [
    "const root = document.documentElement;",
    'Reveal.on("pdf-ready", () => root.setAttribute("data-pdf-ready", ""));',
    // Slides are fitted to 1280×720 (fit.js) before reveal.js counts them.
    "DeckFit.fit()",
    `  .then(() => Reveal.initialize(Object.assign(${JSON.stringify(REVEAL_CONFIG)}, { plugins: [RevealNotes] })))`,
    '  .then(() => root.setAttribute("data-deck-ready", ""));',
  ];
  return [
    pageHead(title, ["assets/reveal/reveal.css", "assets/katex/katex.min.css", "assets/hljs.css", "assets/slides.css"]),
    "<body>",
    `<!-- Slides of ${escapeHtml(label)}, built by tools/slides (npm run slides). -->`,
    '<div class="reveal">',
    '<div class="slides">',
    sections,
    "</div>",
    "</div>",
    '<script src="assets/reveal/reveal.js"></script>',
    '<script src="assets/reveal/notes.js"></script>',
    '<script src="assets/fit.js"></script>',
    '<script src="assets/deck.js"></script>',
    "<script>",
    ...init,
    "</script>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

export interface IndexEntry {
  /** The deck's file name, e.g. "04-batch-normalization.html". */
  page: string;
  titleHtml: string;
  summaryHtml: string;
  /** Slides as shown, once known (fit.js adds "(cont.)" slides in the browser: counted when the PDF is printed). */
  slides?: number;
  /** The PDF's file name when one was printed. */
  pdf?: string;
}

/** The index: every deck (linked, with its PDF), and the keys a presenter needs. */
export function renderIndexPage(entries: readonly IndexEntry[], title: string): string {
  const items = entries.map((entry) => {
    const meta = [entry.slides !== undefined ? `${entry.slides} slides` : "", entry.pdf ? `<a href="${escapeHtml(entry.pdf)}">PDF</a>` : ""].filter(Boolean).join(" · ");
    const summary = entry.summaryHtml ? `<p>${entry.summaryHtml}</p>` : "";
    return `<li><a class="deck" href="${escapeHtml(entry.page)}">${entry.titleHtml}</a>${meta ? ` <span class="meta">${meta}</span>` : ""}${summary}</li>`;
  });
  const list = items.length > 0 ? `<ol class="decks">\n${items.join("\n")}\n</ol>` : '<p class="empty">No decks: no lesson notebooks were given.</p>';
  const keys = [
    ["→ / Space", "next (click or fragment)"],
    ["← / ↑ / ↓", "previous, and the slides stacked below a slide"],
    ["S", "speaker view: notes, the next slide and a timer, in a second window"],
    ["F", "full screen"],
    ["Esc / O", "overview of all slides"],
    ["B or .", "black screen"],
  ];
  const rows = keys.map(([key, what]) => `<tr><th><kbd>${escapeHtml(key)}</kbd></th><td>${escapeHtml(what)}</td></tr>`);
  return [
    pageHead(title, ["assets/katex/katex.min.css", "assets/slides.css"]),
    '<body class="deck-index">',
    "<main>",
    `<h1>${escapeHtml(title)}</h1>`,
    list,
    "<h2>Presenting</h2>",
    `<table class="keys">\n${rows.join("\n")}\n</table>`,
    "<p>Print a deck to PDF: <code>npm run slides -- --pdf</code>, or open it with <code>?print-pdf</code> after its name and print from the browser (landscape, no margins, background graphics on).</p>",
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
