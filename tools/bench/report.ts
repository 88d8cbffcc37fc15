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

/** One block per case, in the order the rows came, titled by `titles[case]`. */
export function formatTable(rows: readonly Row[], titles: Readonly<Record<string, string>>): string {
  const cases = [...new Set(rows.map((r) => r.case))];
  const header = ["impl", "median ms", "GFLOPS", "theirs/ours", "ours/theirs", "verdict"];
  const right = [false, true, true, true, true, false];
  const blocks: string[] = [];
  for (const name of cases) {
    const group = rows.filter((r) => r.case === name);
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
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const lines = [pad(header, widths, right), ...body.map((b) => pad(b, widths, right))];
    blocks.push([`${name}: ${titles[name] ?? ""}`, ...lines.map((l) => `  ${l}`)].join("\n"));
  }
  return blocks.join("\n\n");
}
