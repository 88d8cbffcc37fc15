/**
 * What every chart builder shares: the spec type, the schema, default sizes and
 * the data-size limits that keep notebooks small.
 *
 * The builders return plain Vega-Lite v5 objects with their data inline
 * (`data: { values }`). Nothing is rendered here: `show(spec)` hands the spec
 * to the notebook, whose front end draws it. `$schema` is only an identifier,
 * nothing is fetched.
 */

/** A Vega-Lite spec, typed loosely: the builders produce it, `show` displays it, you may edit it. */
export type VegaLiteSpec = Record<string, unknown>;

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** Above this many data points a series is thinned (evenly, keeping both ends). */
export const MAX_POINTS = 5000;

export const WIDTH = 420;
export const HEIGHT = 260;

/** A top-level spec: the schema, the title and description when given, then `body`. */
export function spec(body: VegaLiteSpec, title?: string, description?: string): VegaLiteSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(title === undefined ? {} : { title }),
    ...(description === undefined ? {} : { description }),
    ...body,
  };
}

/** At most `max` rows, evenly spaced, first and last kept: a 50,000-step curve keeps its shape at 5,000 points. */
export function decimate<T>(rows: readonly T[], max = MAX_POINTS): T[] {
  if (rows.length <= max) return [...rows];
  const out: T[] = [];
  const step = (rows.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(rows[Math.round(i * step)]);
  return out;
}

/** `decimate` applied per series, sharing `max` between them; series keep their order of first appearance. */
export function decimateBy<T>(rows: readonly T[], key: (row: T) => unknown, max = MAX_POINTS): T[] {
  if (rows.length <= max) return [...rows];
  const groups = new Map<unknown, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  const each = Math.max(2, Math.floor(max / groups.size));
  return [...groups.values()].flatMap((g) => decimate(g, each));
}

/** A field name for an encoding: Vega-Lite reads "a.b" as a nested path and "a[0]" as an index, so escape them. */
export function field(name: string): string {
  return name.replace(/[.[\]\\]/g, (c) => `\\${c}`);
}

/** A quantitative scale: logarithmic, or linear without forcing zero into the domain. */
export function scale(log: boolean | undefined): VegaLiteSpec {
  return log ? { type: "log" } : { zero: false };
}

/** Keeps the rows whose `value` can be drawn: finite, and positive on a log scale (log 0 = −∞). */
export function drawable(value: unknown, log: boolean | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value) && (!log || value > 0);
}

/** Distinct values in order of first appearance (for `sort` arrays and color domains). */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** Six significant digits: plenty for a chart, and a third of the JSON of a full double. */
export function short(v: number): number {
  return Number(v.toPrecision(6));
}
