/**
 * Code as a slide shows it: the lines that matter, not the set-up around
 * them. A cell marks them with `// slide:` comments, which never reach the
 * slide (the notebook and the HTML pages keep every line):
 *
 *   const data = makeData(seed);      // slide: hide     ← this line is left off
 *   // slide: begin                                      ← only lines between
 *   model.train();                                          begin and end are shown;
 *   // slide: end                                           a gap becomes "// …"
 *
 * Several begin/end regions may follow each other. A cell without markers
 * is shown whole. Unbalanced markers are an error naming the cell, so a
 * typo cannot hide a lesson's code silently.
 */

const MARKER = /^\s*\/\/\s*slide:\s*(begin|end)\s*$/;
const HIDE = /\s*\/\/\s*slide:\s*hide\s*$/;
/** What stands for left-out lines (a comment, so the code still reads as TypeScript). */
export const ELISION = "// …";

/** The source to project; `where` names the cell in errors ("notebooks/x.ipynb cell 4"). */
export function slideSource(source: string, where: string): string {
  const lines = source.split("\n");
  const regions = lines.some((line) => MARKER.test(line));
  const kept: string[] = [];
  let inside = !regions;
  let skipped = false;
  for (const [i, line] of lines.entries()) {
    const marker = MARKER.exec(line);
    if (marker) {
      const begin = marker[1] === "begin";
      if (begin === inside) {
        throw new Error(`${where}: line ${i + 1} "// slide: ${marker[1]}" ${begin ? "inside another begin" : "without a begin before it"} (write "// slide: begin" … "// slide: end" around the lines to show)`);
      }
      inside = begin;
      continue;
    }
    if (!inside || HIDE.test(line)) {
      skipped = true;
      continue;
    }
    if (skipped && kept.length > 0 && regions) kept.push(ELISION);
    skipped = false;
    kept.push(line);
  }
  if (inside && regions) throw new Error(`${where}: "// slide: begin" without a "// slide: end" after it`);
  // Hidden lines leave no blank runs at the edges.
  while (kept.length > 0 && kept[0].trim() === "") kept.shift();
  while (kept.length > 0 && kept[kept.length - 1].trim() === "") kept.pop();
  return kept.join("\n");
}
