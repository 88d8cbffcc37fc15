/**
 * The grader's reader of the result channel (tools/grader/channel-lines.ts):
 * lines are split on 0x0A across chunks, judged by their first bytes, and
 * the exercise's report budget is enforced as bytes arrive.
 */
import { describe, expect, it } from "vitest";
import { ChannelLines, type ReportBudget } from "../../../tools/grader/channel-lines";

const NONCE = "ab".repeat(24);

function reader(max = 1 << 20) {
  const messages: string[] = [];
  const refusals: { why: string; kind: string }[] = [];
  const budget: ReportBudget = { used: 0, max };
  const lines = new ChannelLines(NONCE, budget, { message: (m) => messages.push(m), refuse: (why, kind) => refusals.push({ why, kind }) });
  return { lines, messages, refusals, budget };
}

describe("ChannelLines", () => {
  it("joins a line cut anywhere, a multi-byte character included, and hands on what follows the nonce", () => {
    const { lines, messages, refusals } = reader();
    const bytes = Buffer.from(`${NONCE} {"msg":"η₀·e^(−kt)"}\n${NONCE} {"t":"done"}\n`, "utf8");
    const cut = bytes.indexOf(Buffer.from("₀")) + 1; // inside the three bytes of ₀
    for (const part of [bytes.subarray(0, 5), bytes.subarray(5, cut), bytes.subarray(cut)]) lines.push(part);
    expect(refusals).toEqual([]);
    expect(messages).toEqual(['{"msg":"η₀·e^(−kt)"}', '{"t":"done"}']);
  });

  it("refuses a line at its first byte that is not the nonce, and reads nothing after", () => {
    const { lines, messages, refusals } = reader();
    lines.push(Buffer.from(`${NONCE} {"t":"start","i":0}\n${NONCE.slice(0, 10)}x`));
    lines.push(Buffer.from(`${NONCE} {"t":"done"}\n`));
    expect(messages).toEqual(['{"t":"start","i":0}']);
    expect(refusals).toHaveLength(1);
    expect(refusals[0].kind).toBe("foreign");
    expect(refusals[0].why).toMatch(/did not come from the grader's harness \("ababababab/);
  });

  it("refuses a line that ends before the nonce does (an empty line included)", () => {
    for (const text of ["\n", `${NONCE.slice(0, 20)}\n`, NONCE + "\n"]) {
      const { lines, refusals } = reader();
      lines.push(Buffer.from(text));
      expect(refusals.map((r) => r.kind), JSON.stringify(text)).toEqual(["foreign"]);
    }
  });

  it("stops when the exercise's budget is spent, even in the middle of a line, counting across readers", () => {
    const budget: ReportBudget = { used: 0, max: 1000 };
    const refusals: string[] = [];
    const make = () => new ChannelLines(NONCE, budget, { message: () => undefined, refuse: (_why, kind) => refusals.push(kind) });
    make().push(Buffer.from(`${NONCE} ${"1".repeat(600)}\n`));
    expect(refusals).toEqual([]);
    make().push(Buffer.from(`${NONCE} ${"2".repeat(600)}`)); // a second process of the same exercise, no newline yet
    expect(refusals).toEqual(["too much"]);
    expect(budget.used).toBeGreaterThan(budget.max);
  });
});
