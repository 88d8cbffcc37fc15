/**
 * The sandbox's only way to tell the grader what happened: lines on file
 * descriptor 3, each `<nonce> <json>`. The nonce comes on stdin, is read
 * before any student code loads and lives only in this module's closure; the
 * grader drops (and reports) any line without it, so text a submission
 * writes to fd 3, stdout or a file can never pass for a result.
 */
import * as fs from "node:fs";

/** What the sandbox reports, in order: the units it will run, then a start and an end per unit, with its checks in between. */
export type ChildMessage =
  | { t: "units"; units: UnitListing[] }
  | { t: "start"; i: number }
  | { t: "record"; i: number; r: AssertionRecord }
  | { t: "end"; i: number; ok: boolean; msg?: string; out?: unknown }
  | { t: "done" };

/** A unit as the sandbox lists it; hidden cases carry their points and tolerances. */
export interface UnitListing {
  kind: "test" | "hidden";
  name: string;
  points?: number;
  rtol?: number;
  atol?: number;
}

/** One comparison made by a public test, with the values it compared (re-checked by the grader). */
export type AssertionRecord =
  | { k: "close"; g: EncodedNumber[]; e: EncodedNumber[]; rtol?: number; atol?: number; own?: boolean }
  | { k: "equal"; g: string | null; e: string | null }
  | { k: "match"; s: string; source: string; flags: string; not: boolean };

/** JSON has no NaN, ±Infinity or −0: those travel as strings. */
export type EncodedNumber = number | "NaN" | "Infinity" | "-Infinity" | "-0";

export function encodeNumber(v: number): EncodedNumber {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return v;
}

export function decodeNumber(v: EncodedNumber): number {
  return typeof v === "number" ? v : v === "-0" ? -0 : Number(v);
}

/** Captured before student code runs: later changes to `fs` or `JSON` do not reach these. */
const writeSync = fs.writeSync;
const stringify = JSON.stringify;
// Encoded by a captured TextEncoder (native code, no lookups at call time): Buffer.from would call
// Buffer.prototype.utf8Write, a property student code could replace to read (and rewrite) every line.
const encoder = new TextEncoder();
const toBytes = encoder.encode.bind(encoder);
const CHANNEL_FD = 3;

export interface Channel {
  send(message: ChildMessage): void;
}

/** A channel that prefixes every line with `nonce`. */
export function openChannel(nonce: string): Channel {
  return {
    send(message) {
      const text = `${nonce} ${stringify(message)}\n`;
      let offset = 0;
      const bytes = toBytes(text);
      while (offset < bytes.length) {
        try {
          offset += writeSync(CHANNEL_FD, bytes, offset, bytes.length - offset);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
        }
      }
    },
  };
}
