/**
 * zod field helpers for dataset rows: the cell types every dataset schema is built of.
 *
 * How rows arrive: the workspace loader parses a CSV with a header row, trims every
 * cell, turns an EMPTY cell into `undefined` and leaves every other value a STRING.
 * YAML arrives as plain JS values. So every field helper here accepts a string (CSV)
 * and the matching native value (YAML, tests), and reports a message that names what
 * it expected; the loader adds the file, line and column.
 *
 * Text is untrusted (files, third-party APIs): every text helper strips control
 * characters at the point it enters (`cleanText`), so no terminal escape, NUL or line
 * break of a single-line field reaches a briefing, a terminal or Postgres.
 */
import { z } from 'zod';

/** Longest single-line text (a name, a title) and multi-line text (a comment) accepted. */
export const TEXT_MAX_CHARS = { line: 1000, multiline: 10_000 } as const;

/* eslint-disable no-control-regex -- finding control characters is the point here */
// Terminal escape sequences, 7-bit (ESC ...) and 8-bit (C1) forms: CSI (`ESC [ 2 J`,
// colour codes), OSC (`ESC ] 0 ; title BEL`, ended by BEL or ST), DCS, SOS, PM and APC
// strings, and every other escape. Removed whole, so no parameter bytes stay as text.
const ESCAPE_SEQUENCES = new RegExp(
  [
    /\u001b\[[0-?]*[ -/]*[@-~]?/, // CSI
    /\u009b[0-?]*[ -/]*[@-~]?/, // 8-bit CSI
    /\u001b[\]PX^_][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/, // OSC, DCS, SOS, PM, APC
    /[\u009d\u0090\u0098\u009e\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/, // 8-bit forms
    /\u001b[ -/]*[0-~]?/, // any other escape (charset, keypad, reset ...)
  ]
    .map((r) => r.source)
    .join('|'),
  'g',
);
/** Line breaks of every kind: CR LF, CR, LF, NEL, U+2028, U+2029. */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;
/** Runs of tabs and line breaks, for a single-line value. */
const BREAKS_AND_TABS = /[\t\r\n\u0085\u2028\u2029]+/g;
/** C0 controls but tab and line feed, DEL, C1 controls. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and isolates, which make text display as other text. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Untrusted text made safe to show and to store: terminal escape sequences, NUL and every
 * other C0 and C1 control character, DEL and bidirectional overrides are removed, and the
 * result is trimmed. A single-line value (the default: names, titles, ids) also loses
 * its tabs and line breaks (each run becomes one space), so it cannot start a new line
 * (a fake Markdown heading); a multi-line one (`{ multiline: true }`) keeps tabs and line
 * feeds (CR LF and CR become LF).
 */
export function cleanText(raw: string, opts: { multiline?: boolean } = {}): string {
  // Nearly every value holds none of the characters below: then the replaces do nothing.
  if (!hasControlCharacters(raw)) return raw.trim();
  const s = raw.replace(ESCAPE_SEQUENCES, '').replace(BIDI_CONTROLS, '');
  return (opts.multiline ? s.replace(LINE_BREAK, '\n') : s.replace(BREAKS_AND_TABS, ' '))
    .replace(CONTROLS, '')
    .trim();
}

/** True when `raw` holds a character `cleanText` removes or replaces (besides spaces). */
export function hasControlCharacters(raw: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(raw);
}

/**
 * True when `raw` holds a character `cleanText` removes in every mode (an escape, NUL,
 * another control character, a bidi override), not just a tab or line break.
 */
export function hasUnsafeCharacters(raw: string): boolean {
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(
    raw,
  );
}

/* eslint-enable no-control-regex */

/**
 * A value written into a message: as JSON (a control character shows as `\u001b`, it
 * never acts), with DEL, C1 and bidi controls escaped too, cut to `max` characters.
 */
export function quote(value: unknown, max = 80): string {
  const json = JSON.stringify(value) ?? String(value);
  const safe = json.replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return safe.length > max ? `${safe.slice(0, max - 3)}...` : safe;
}

/**
 * A required cell parsed by `parse` (which returns `undefined` for a bad value).
 * Chain `.optional()` for an optional column: an empty CSV cell is `undefined`. A bare
 * `z.transform`, not `z.unknown().transform` (a pipe): a company's files have ~6,000
 * cells, and the pipe's extra step cost ~30% of their validation.
 */
function cell<T>(expected: string, parse: (raw: unknown) => T | undefined) {
  return z.transform((raw, ctx): T => {
    if (raw === undefined || raw === null || raw === '') {
      ctx.addIssue({ code: 'custom', message: `required: expected ${expected}` });
      return z.NEVER;
    }
    const value = parse(raw);
    if (value === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${expected}, got ${quote(raw)}`,
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
  // By arithmetic, not a Date: it runs for every date cell of every file read.
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 ? (leap ? 29 : 28) : MONTH_DAYS[m - 1]!);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

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

/**
 * Non-empty text (a YAML number is turned into its text), cleaned with `cleanText`:
 * single-line unless `multiline`. Refused: text made only of control characters and
 * text longer than TEXT_MAX_CHARS.
 */
export function text(opts: { multiline?: boolean } = {}) {
  const max = opts.multiline ? TEXT_MAX_CHARS.multiline : TEXT_MAX_CHARS.line;
  return z.transform((raw, ctx): string => {
    if (raw === undefined || raw === null || raw === '') {
      ctx.addIssue({ code: 'custom', message: 'required: expected text' });
      return z.NEVER;
    }
    const s = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : undefined;
    const clean = s === undefined ? '' : cleanText(s, opts);
    if (clean === '' || clean.length > max) {
      const why =
        s === undefined
          ? ''
          : clean === ''
            ? ' (nothing but control characters and spaces)'
            : ` (${clean.length} characters)`;
      ctx.addIssue({
        code: 'custom',
        message: `expected text of at most ${max} characters, got ${quote(raw)}${why}`,
      });
      return z.NEVER;
    }
    return clean;
  });
}

/**
 * A list of tags in one cell, separated by `;` or `|` (or commas inside a quoted cell):
 * "revenue; sales" -> ['revenue', 'sales']. Lower-cased; empty cell -> [].
 */
export function tagList() {
  return z.transform((raw, ctx): string[] => {
    if (raw === undefined || raw === null || raw === '') return [];
    const tag = (t: string) => cleanText(t).toLowerCase();
    if (Array.isArray(raw)) return raw.map((t) => tag(String(t))).filter(Boolean);
    if (typeof raw !== 'string') {
      ctx.addIssue({
        code: 'custom',
        message: `expected tags separated by ";", got ${quote(raw)}`,
      });
      return z.NEVER;
    }
    return raw.split(/[;|,]/).map(tag).filter(Boolean);
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
          message: `duplicate ${key} ${quote(v)} (also on data row ${first + 1})`,
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

/**
 * The schema a pipe validates with: its output side when the input side only passes the
 * value on (a preprocess, `z.unknown().pipe(...)`), else its input side.
 */
function pipeTarget(pipe: z.ZodPipe): z.ZodType {
  const passes =
    pipe.in instanceof z.ZodTransform ||
    pipe.in instanceof z.ZodUnknown ||
    pipe.in instanceof z.ZodAny;
  return (passes ? pipe.out : pipe.in) as z.ZodType;
}

/**
 * The columns a CSV data set's schema (an array of row objects, possibly refined,
 * defaulted or piped) reads: `required` are those a row cannot leave out. Undefined when
 * the schema is not an array of objects. The loader checks a file's header with it.
 */
export function csvColumns(schema: z.ZodType): { required: string[]; all: string[] } | undefined {
  let s: z.ZodType = schema;
  let inArray = false;
  for (let depth = 0; depth < 32; depth++) {
    if (s instanceof z.ZodObject) {
      if (!inArray) return undefined;
      const shape = s.shape as Record<string, z.ZodType>;
      const all = Object.keys(shape);
      const required = all.filter(
        (k) => !(shape[k] instanceof z.ZodOptional || shape[k] instanceof z.ZodDefault),
      );
      return { required, all };
    }
    if (s instanceof z.ZodArray) {
      if (inArray) return undefined;
      inArray = true;
      s = s.element as z.ZodType;
    } else if (
      s instanceof z.ZodOptional ||
      s instanceof z.ZodNullable ||
      s instanceof z.ZodDefault
    ) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = pipeTarget(s);
    } else {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The keys an object schema allows at `path` inside `schema` (through arrays, records,
 * optional, default and piped schemas), for an "unknown key" message that lists them.
 * Undefined when the path does not lead to an object or an enum-keyed record.
 */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let s: z.ZodType | undefined = schema;
  let i = 0;
  for (let depth = 0; s && depth < 64; depth++) {
    if (
      s instanceof z.ZodOptional ||
      s instanceof z.ZodNullable ||
      s instanceof z.ZodDefault ||
      s instanceof z.ZodPrefault
    ) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = pipeTarget(s);
    } else if (s instanceof z.ZodIntersection) {
      const rest = path.slice(i);
      const left = keysAt(s.def.left as z.ZodType, rest);
      const right = keysAt(s.def.right as z.ZodType, rest);
      return left || right ? [...new Set([...(left ?? []), ...(right ?? [])])] : undefined;
    } else if (i === path.length) {
      if (s instanceof z.ZodObject) return Object.keys(s.shape);
      if (s instanceof z.ZodRecord && s.keyType instanceof z.ZodEnum)
        return (s.keyType.options as unknown[]).map(String);
      return undefined;
    } else if (s instanceof z.ZodObject) {
      s = (s.shape as Record<string, z.ZodType>)[String(path[i++])];
    } else if (s instanceof z.ZodArray) {
      s = s.element as z.ZodType;
      i++;
    } else if (s instanceof z.ZodRecord) {
      s = s.valueType as z.ZodType;
      i++;
    } else {
      return undefined;
    }
  }
  return undefined;
}
