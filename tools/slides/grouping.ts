/**
 * Which cells go on which slide, from the Jupyter convention
 * `metadata.slideshow.slide_type`, with the semantics of nbconvert's
 * reveal.js exporter (`jupyter nbconvert --to slides`):
 *
 * - `slide` starts a new horizontal slide, `subslide` a new vertical slide
 *   below the current one;
 * - `fragment` starts a block that appears on the next click; it lasts
 *   until the next fragment, subslide or slide, so `-` cells after it
 *   appear with it;
 * - `-` (and a cell without the metadata, or with an unknown value)
 *   continues whatever the previous cell was in;
 * - `skip` cells are left out, and end nothing;
 * - `notes` cells become the speaker notes of the current (sub)slide.
 *
 * As in nbconvert, the first cell that is shown starts the first slide
 * whatever its type. Notes before it go to the first slide. A cell tagged
 * `remove-cell` (the tag the HTML export honours) counts as `skip`.
 *
 * Pure: the renderer (render-slides.ts) decides what each cell shows.
 */
import { cellTags, type Cell } from "../notebook/notebook";

export const SLIDE_TYPES = ["slide", "subslide", "fragment", "skip", "notes", "-"] as const;
export type SlideType = (typeof SLIDE_TYPES)[number];

/** A cell and its 1-based number in the notebook (for messages). */
export interface DeckCell {
  cell: Cell;
  number: number;
}

/** Cells shown together: the start of a subslide (fragment false), or one fragment. */
export interface Block {
  fragment: boolean;
  cells: DeckCell[];
}

/** A vertical slide (reveal.js's nested <section>). Its first block is never a fragment. */
export interface Subslide {
  blocks: Block[];
  notes: DeckCell[];
}

/** A horizontal slide: one or more subslides stacked vertically. */
export interface Slide {
  subslides: Subslide[];
}

/** The cell's slide type: `metadata.slideshow.slide_type`; "-" when missing or unknown, "skip" for `remove-cell`. */
export function slideType(cell: Cell): SlideType {
  if (cellTags(cell).includes("remove-cell")) return "skip";
  const slideshow = cell.metadata.slideshow;
  if (typeof slideshow !== "object" || slideshow === null || Array.isArray(slideshow)) return "-";
  const type = (slideshow as Record<string, unknown>).slide_type;
  return (SLIDE_TYPES as readonly unknown[]).includes(type) ? (type as SlideType) : "-";
}

function newSubslide(): Subslide {
  return { blocks: [{ fragment: false, cells: [] }], notes: [] };
}

/** Groups cells into slides, subslides and fragments. [] when no cell is shown (all skip/notes). */
export function groupSlides(cells: readonly Cell[]): Slide[] {
  const slides: Slide[] = [];
  const pendingNotes: DeckCell[] = []; // notes before the first shown cell
  let subslide: Subslide | undefined;
  cells.forEach((cell, index) => {
    const entry: DeckCell = { cell, number: index + 1 };
    const type = slideType(cell);
    if (type === "skip") return;
    if (type === "notes") {
      if (subslide === undefined) pendingNotes.push(entry);
      else subslide.notes.push(entry);
      return;
    }
    if (subslide === undefined || type === "slide") {
      subslide = newSubslide();
      if (slides.length === 0) subslide.notes.push(...pendingNotes);
      slides.push({ subslides: [subslide] });
    } else if (type === "subslide") {
      subslide = newSubslide();
      slides[slides.length - 1].subslides.push(subslide);
    } else if (type === "fragment") {
      subslide.blocks.push({ fragment: true, cells: [] });
    }
    subslide.blocks[subslide.blocks.length - 1].cells.push(entry);
  });
  return slides;
}

/** How many slides reveal.js counts: horizontal slides, and all slides (every subslide). */
export function countSlides(slides: readonly Slide[]): { horizontal: number; total: number } {
  return { horizontal: slides.length, total: slides.reduce((sum, slide) => sum + slide.subslides.length, 0) };
}
