/**
 * A lesson's one-line summary for the course and slides indexes, from the
 * first paragraph of its notebook (markdown source): the paragraph without
 * a last sentence that only introduces a list ("In this lesson you will:"),
 * so the index never stops mid-sentence. A paragraph that is nothing but
 * such a lead-in keeps its words, ending with a full stop.
 */

/** Where each sentence ends: . ! or ? (optionally closed by ) * _ or a quote) before a space and the next sentence. */
const SENTENCE_END = /[.!?][)*_"'’”]*\s+(?=\S)/g;

export function lessonSummary(paragraph: string): string {
  const text = paragraph.replace(/\s+/g, " ").trim();
  if (!text.endsWith(":")) return text;
  let lastEnd = -1;
  for (const match of text.matchAll(SENTENCE_END)) lastEnd = (match.index ?? 0) + match[0].trimEnd().length;
  return lastEnd > 0 ? text.slice(0, lastEnd) : `${text.slice(0, -1).trimEnd()}.`;
}
