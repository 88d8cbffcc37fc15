/**
 * The grader's side of the result channel (fd 3 of a sandbox process): splits
 * what arrives into lines and hands on the message of each line that starts
 * with this run's nonce (child/channel.ts writes `<nonce> <json>\n`).
 *
 * A line is judged by its first bytes, as they arrive: bytes that are not
 * the nonce refuse the channel at once. Waiting for the end of the line would
 * let a submission make the grader buffer hundreds of megabytes (a flood with
 * no newline), and rescanning the buffered text for a newline on every chunk
 * made that quadratic: 240 MB written to fd 3 held the grader for 20 s at
 * nearly 1 GB of memory. Lines are split on the byte 0x0A, which never occurs
 * inside a multi-byte UTF-8 character, so a character cut between two chunks
 * stays whole.
 *
 * What one exercise may report in all is capped too (`ReportBudget`, shared
 * by its processes): the grader keeps every report until it scores, and an
 * honest run reports at most a few megabytes, where a submission could return
 * ten-million-element arrays test after test. A hidden case's output is
 * compared with the reference's, a few KiB: one line beyond
 * MAX_HIDDEN_OUTPUT_BYTES is not even parsed (a wide object parses into about
 * five times its JSON size: 1.9-million-key outputs of four hidden cases took
 * the grader from 0.2 to 1.1 GB).
 */

/** Bytes one exercise may report over its result channel, across its processes. */
export interface ReportBudget {
  used: number;
  readonly max: number;
}

/** The longest "end" line of a hidden case (its output) the grader parses. */
export const MAX_HIDDEN_OUTPUT_BYTES = 1024 * 1024;

export interface ChannelLineHandler {
  /** The JSON text of a line that carried the nonce. */
  message(json: string): void;
  /** The channel carried something else ("foreign") or more than the budget ("too much"); nothing more is read. */
  refuse(why: string, kind: "foreign" | "too much"): void;
}

export class ChannelLines {
  private readonly prefix: Buffer;
  private pieces: Buffer[] = [];
  private length = 0;
  private refused = false;

  constructor(nonce: string, private readonly budget: ReportBudget, private readonly handler: ChannelLineHandler) {
    this.prefix = Buffer.from(`${nonce} `, "utf8");
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (!this.refused && start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, nl < 0 ? chunk.length : nl);
      if (this.length < this.prefix.length) {
        const n = Math.min(piece.length, this.prefix.length - this.length);
        const seen = piece.subarray(0, n);
        if (!seen.equals(this.prefix.subarray(this.length, this.length + n)) || (nl >= 0 && this.length + piece.length < this.prefix.length)) {
          const head = Buffer.concat([...this.pieces, piece]).subarray(0, 60).toString("utf8");
          return this.refuse(`a line on the grader's result channel did not come from the grader's harness (${JSON.stringify(head)}…)`, "foreign");
        }
      }
      this.length += piece.length;
      this.budget.used += piece.length;
      if (this.budget.used > this.budget.max) {
        return this.refuse(`reported more than ${this.budget.max / 1024 / 1024} MiB of results to the grader (an honest run reports a few MiB): a returned value far larger than the reference's`, "too much");
      }
      this.pieces.push(piece);
      if (nl < 0) return;
      const line = Buffer.concat(this.pieces, this.length);
      this.pieces = [];
      this.length = 0;
      start = nl + 1;
      this.handler.message(line.subarray(this.prefix.length).toString("utf8"));
    }
  }

  private refuse(why: string, kind: "foreign" | "too much"): void {
    this.refused = true;
    this.pieces = [];
    this.handler.refuse(why, kind);
  }
}
