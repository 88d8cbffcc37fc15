import type { Row } from "./harness";

/**
 * The human-readable table: per case, each implementation's median time and
 * its ratio to ours both ways, with a verdict in words so that nobody has to
 * remember which way a ratio reads.
 */

/** "ours 3.10× faster" when the other row is slower than ours, "ours 2.00× slower" when it is faster. */
export function verdict(oursMs: number, theirsMs: number): string {
  const ratio = theirsMs / oursMs;
  return ratio >= 1 ? `ours ${ratio.toFixed(2)}× faster` : `ours ${(1 / ratio).toFixed(2)}× slower`;
}

function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

function pad(cells: readonly string[], widths: readonly number[], rightAligned: readonly boolean[]): string {
  return cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
}

function table(header: readonly string[], body: readonly string[][], right: readonly boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [pad(header, widths, right), ...body.map((b) => pad(b, widths, right))];
}

/**
 * A scaling case (rows with `size`) as one row per size and one column per
 * implementation, with the ratio of the second implementation to the first
 * (tfjs-wasm/ours, or 1 thread / all threads).
 */
function formatScaling(group: readonly Row[]): string[] {
  const impls = [...new Set(group.map((r) => r.impl))];
  const sizes = [...new Set(group.map((r) => r.size!))];
  const withGflops = group.some((r) => r.gflops !== undefined);
  const header = ["size", ...impls.flatMap((i) => (withGflops ? [`${i} ms`, "GFLOPS"] : [`${i} ms`]))];
  if (impls.length > 1) header.push(`${impls[1]} / ${impls[0]}`);
  const body = sizes.map((size) => {
    const at = impls.map((i) => group.find((r) => r.size === size && r.impl === i));
    const cells = [String(size), ...at.flatMap((r) => (withGflops ? [r ? fmtMs(r.ms) : "", r?.gflops?.toFixed(1) ?? ""] : [r ? fmtMs(r.ms) : ""]))];
    if (impls.length > 1) cells.push(at[0] && at[1] ? (at[1].ms / at[0].ms).toFixed(2) : "");
    return cells;
  });
  return table(header, body, header.map(() => true));
}

/** One block per case, in the order the rows came, titled by `titles[case]`. */
export function formatTable(rows: readonly Row[], titles: Readonly<Record<string, string>>): string {
  const cases = [...new Set(rows.map((r) => r.case))];
  const header = ["impl", "median ms", "GFLOPS", "theirs/ours", "ours/theirs", "verdict"];
  const right = [false, true, true, true, true, false];
  const blocks: string[] = [];
  for (const name of cases) {
    const group = rows.filter((r) => r.case === name);
    const notes = group.filter((r) => r.note).map((r) => `    ${r.impl}: ${r.note}`);
    if (group.every((r) => r.size !== undefined)) {
      blocks.push([`${name}: ${titles[name] ?? ""}`, ...formatScaling(group).map((l) => `  ${l}`), ...notes].join("\n"));
      continue;
    }
    const ours = group.find((r) => r.impl === "ours");
    const body = group.map((r) => {
      const isOurs = r === ours;
      return [
        r.impl,
        fmtMs(r.ms),
        r.gflops === undefined ? "" : r.gflops.toFixed(2),
        ours && !isOurs ? (r.ms / ours.ms).toFixed(2) : "",
        ours && !isOurs ? (ours.ms / r.ms).toFixed(2) : "",
        !ours ? "" : isOurs ? "(reference)" : verdict(ours.ms, r.ms),
      ];
    });
    const lines = table(header, body, right);
    blocks.push([`${name}: ${titles[name] ?? ""}`, ...lines.map((l) => `  ${l}`), ...notes].join("\n"));
  }
  return blocks.join("\n\n");
}
