import { fail } from "../core/errors";
import { publish } from "./kernel";

/**
 * The mime type of a quote output: `{ name: text }` for the lesson builder
 * (tools/lessons/quotes.ts), which writes each text into the lesson's markdown
 * where `{{name}}` stands, then removes the output. So a number the prose
 * quotes is always the number this run computed.
 */
export const QUOTE_MIME = "application/vnd.kernel-lib.quote+json";

/** A quoted value: a number (printed with `digits` significant digits) or text already formatted. */
export type Quotable = number | string;

/**
 * Publishes values for the lesson's text to quote as `{{name}}`. It returns
 * nothing, so a cell may end with it without echoing a value. Numbers get `digits` significant digits (default 3), with
 * trailing zeros kept ("0.350") so columns and prose read alike; integers
 * are printed whole, large numbers rounded ("240"), and numbers below 10⁻³
 * or from 10⁶ on in scientific notation.
 *
 *   quote({ adamLoss: 0.3571, bestLr: "0.03" });   // markdown: "Adam ends at {{adamLoss}}"
 */
export function quote(values: Readonly<Record<string, Quotable>>, digits = 3): void {
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) fail("quote", `invalid name "${name}": use letters, digits and _ (it is written {{${name}}} in the text)`);
    texts[name] = quoteText(name, value, digits);
  }
  const plain = Object.entries(texts).map(([k, v]) => `${k} = ${v}`).join(", ");
  if (!publish({ [QUOTE_MIME]: texts, "text/plain": `quoted in the text: ${plain}` })) console.log(`quoted in the text: ${plain}`);
}

/** The texts `quote` publishes for these values (for tests and for code that prints them too). */
export function quoteTexts(values: Readonly<Record<string, Quotable>>, digits = 3): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, quoteText(name, value, digits)]));
}

function quoteText(name: string, value: Quotable, digits: number): string {
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) fail("quote", `${name} is ${value}: the text would quote a number that is not one; check the run that computed it`);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(digits - 1);
  // 237.6 with 2 digits is "240", not toPrecision's "2.4e+2".
  if (abs >= 10 ** digits) return String(Number(value.toPrecision(digits)));
  return value.toPrecision(digits);
}
