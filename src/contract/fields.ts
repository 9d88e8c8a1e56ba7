/**
 * zod field helpers for dataset rows: the cell types every dataset schema is built of.
 *
 * How rows arrive: the workspace loader parses a CSV with a header row, trims every
 * cell, turns an EMPTY cell into `undefined` and leaves every other value a STRING.
 * YAML arrives as plain JS values. So every field helper here accepts a string (CSV)
 * and the matching native value (YAML, tests), and reports a message that names what
 * it expected; the loader adds the file, line and column.
 */
import { z } from 'zod';

/**
 * A required cell parsed by `parse` (which returns `undefined` for a bad value).
 * Chain `.optional()` for an optional column: an empty CSV cell is `undefined`.
 */
function cell<T>(expected: string, parse: (raw: unknown) => T | undefined) {
  return z.unknown().transform((raw, ctx): T => {
    if (raw === undefined || raw === null || raw === '') {
      ctx.addIssue({ code: 'custom', message: `required: expected ${expected}` });
      return z.NEVER;
    }
    const value = parse(raw);
    if (value === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${expected}, got ${JSON.stringify(raw)}`,
      });
      return z.NEVER;
    }
    return value;
  });
}

const WHOLE = /^\d+$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Money in integer cents, non-negative: "50000" is $500.00. Rejects "12.5", "-1",
 * "1e3", "$5" and anything beyond Number.MAX_SAFE_INTEGER.
 */
export function cents() {
  return cell('a whole, non-negative number of cents (e.g. 50000 for $500.00)', (raw) => {
    const n =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && WHOLE.test(raw)
          ? Number(raw)
          : NaN;
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  });
}

interface Range {
  min?: number;
  max?: number;
}

function describeRange(kind: string, { min, max }: Range): string {
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} >= ${min}`;
  if (max !== undefined) return `${kind} <= ${max}`;
  return kind;
}

function inRange(n: number, { min, max }: Range): boolean {
  return (min === undefined || n >= min) && (max === undefined || n <= max);
}

/** A whole number, e.g. "12" (optionally bounded). */
export function integer(range: Range = {}) {
  return cell(describeRange('a whole number', range), (raw) => {
    const n =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && INTEGER.test(raw)
          ? Number(raw)
          : NaN;
    return Number.isSafeInteger(n) && inRange(n, range) ? n : undefined;
  });
}

/** A plain decimal number, e.g. "12.5" (no exponent, no thousands separator). */
export function decimal(range: Range = {}) {
  return cell(describeRange('a number', range), (raw) => {
    const n =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && DECIMAL.test(raw)
          ? Number(raw)
          : NaN;
    return Number.isFinite(n) && inRange(n, range) ? n : undefined;
  });
}

/** True when `iso` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A calendar date, YYYY-MM-DD (a YAML date value is accepted too). */
export function isoDate() {
  return cell('a date written YYYY-MM-DD', (raw) => {
    if (raw instanceof Date)
      return Number.isNaN(raw.getTime()) ? undefined : raw.toISOString().slice(0, 10);
    return typeof raw === 'string' && isIsoDate(raw) ? raw : undefined;
  });
}

/** A calendar month, YYYY-MM. */
export function isoMonth() {
  return cell('a month written YYYY-MM', (raw) =>
    typeof raw === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(raw) ? raw : undefined,
  );
}

/** One of a fixed set of lower-case words; the cell is compared case-insensitively. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return cell(`one of ${values.join(', ')}`, (raw) => {
    if (typeof raw !== 'string') return undefined;
    const v = raw.trim().toLowerCase();
    return (values as readonly string[]).includes(v) ? (v as T[number]) : undefined;
  });
}

const TRUE_WORDS = ['true', 'yes', 'y', '1'];
const FALSE_WORDS = ['false', 'no', 'n', '0'];

/** A boolean: true/false, yes/no, y/n, 1/0 (case-insensitive). */
export function bool() {
  return cell('true/false or yes/no', (raw) => {
    if (typeof raw === 'boolean') return raw;
    if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
    const v = String(raw).trim().toLowerCase();
    if (TRUE_WORDS.includes(v)) return true;
    if (FALSE_WORDS.includes(v)) return false;
    return undefined;
  });
}

/** Non-empty text (a YAML number is turned into its text). */
export function text() {
  return cell('text', (raw) =>
    typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : undefined,
  );
}

/**
 * A list of tags in one cell, separated by `;` or `|` (or commas inside a quoted cell):
 * "revenue; sales" -> ['revenue', 'sales']. Lower-cased; empty cell -> [].
 */
export function tagList() {
  return z.unknown().transform((raw, ctx): string[] => {
    if (raw === undefined || raw === null || raw === '') return [];
    if (Array.isArray(raw)) return raw.map((t) => String(t).trim().toLowerCase()).filter(Boolean);
    if (typeof raw !== 'string') {
      ctx.addIssue({
        code: 'custom',
        message: `expected tags separated by ";", got ${JSON.stringify(raw)}`,
      });
      return z.NEVER;
    }
    return raw
      .split(/[;|,]/)
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean);
  });
}

/**
 * The rows of one CSV, with `key` unique across rows. A duplicate is reported on the
 * row (and column) where it appears the second time.
 */
export function rowsUniqueBy<S extends z.ZodType>(row: S, key: string) {
  return z.array(row).superRefine((rows, ctx) => {
    const seen = new Map<unknown, number>();
    rows.forEach((r, i) => {
      const v = (r as Record<string, unknown>)[key];
      if (v === undefined) return;
      const first = seen.get(v);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [i, key],
          message: `duplicate ${key} ${JSON.stringify(v)} (also on data row ${first + 1})`,
        });
      } else {
        seen.set(v, i);
      }
    });
  });
}

/**
 * An agent's optional settings YAML (`<agent>.yaml` in the workspace):
 *
 *     thresholds:
 *       runway_months_warning: 9
 *
 * Every threshold has a default; a key not listed keeps it, an unknown key is an error
 * (so a typo does not silently keep the default). The output always holds every key.
 */
export function settingsFile<T extends Record<string, number>>(defaults: T) {
  const shape = Object.fromEntries(
    Object.keys(defaults).map((k) => [k, decimal().optional()]),
  ) as Record<keyof T & string, z.ZodOptional<ReturnType<typeof decimal>>>;
  return z.preprocess(
    (v) => (v === null ? undefined : v),
    z
      .object({
        thresholds: z.preprocess(
          (v) => (v === null ? undefined : v),
          z.strictObject(shape).optional(),
        ),
      })
      .optional()
      .transform((s): { thresholds: T } => {
        const merged: Record<string, number> = { ...defaults };
        for (const [k, v] of Object.entries(s?.thresholds ?? {})) {
          if (typeof v === 'number') merged[k] = v;
        }
        return { thresholds: merged as T };
      }),
  );
}
