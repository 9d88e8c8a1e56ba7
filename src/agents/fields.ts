/**
 * Shared zod field helpers for workspace rows, and the small pure helpers the agents
 * share (money, dates, rounding, thresholds, health).
 *
 * How rows arrive: the workspace loader parses a CSV with a header row, trims every
 * cell, turns an EMPTY cell into `undefined` and leaves every other value a STRING.
 * YAML arrives as plain JS values. So every field helper here accepts a string (CSV)
 * and the matching native value (YAML, tests), and reports a message that names what
 * it expected; the loader adds the file, line and column.
 *
 * Pure: no clock, no I/O. "Today" always comes in as an ISO date argument.
 */
import { z } from 'zod';
import type { Alert, Severity } from './contract.js';

// ---------------------------------------------------------------------------------
// Field helpers
// ---------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------
// Money and numbers
// ---------------------------------------------------------------------------------

/** Cents -> currency units with at most two decimals: 1500000 -> 15000, 12345 -> 123.45. */
export function centsToUnits(c: number): number {
  return Math.round(c) / 100;
}

/** Round to `decimals` places, immune to binary noise (1.005 -> 1.01). */
export function round(n: number, decimals = 0): number {
  const f = 10 ** decimals;
  return Math.round(Number((n * f).toPrecision(15))) / f;
}

/** n / d, or null when d is 0. */
export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

/** 100 * n / d rounded to `decimals` places (default 1), or null when d is 0. */
export function percent(n: number, d: number, decimals = 1): number | null {
  return d === 0 ? null : round((100 * n) / d, decimals);
}

export function sumBy<T>(items: readonly T[], f: (item: T) => number): number {
  return items.reduce((acc, item) => acc + f(item), 0);
}

/** "$15,000.00" from cents; for messages only (metrics stay numbers). */
export function formatMoney(c: number): string {
  const sign = c < 0 ? '-' : '';
  const abs = Math.abs(Math.round(c));
  const units = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = (abs % 100).toString().padStart(2, '0');
  return `${sign}$${units}.${rest}`;
}

/** "$50K" style short amount from cents, for titles: 5000000 -> "$50K", 1234500 -> "$12.3K". */
export function formatMoneyShort(c: number): string {
  const units = c / 100;
  if (units >= 1_000_000) return `$${round(units / 1_000_000, 1)}M`;
  if (units >= 1_000) return `$${round(units / 1_000, 1)}K`;
  return `$${round(units, 2)}`;
}

// ---------------------------------------------------------------------------------
// Dates (calendar arithmetic on YYYY-MM-DD strings, in UTC: no clock, no time zone)
// ---------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

function dayNumber(iso: string): number {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** `iso` plus `days` calendar days. */
export function addDays(iso: string, days: number): string {
  return new Date((dayNumber(iso) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** The YYYY-MM month of a YYYY-MM-DD date. */
export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

/** A YYYY-MM month plus `n` months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  return t.toISOString().slice(0, 7);
}

/** Last day of a YYYY-MM month, as YYYY-MM-DD. */
export function endOfMonth(month: string): string {
  return addDays(`${addMonths(month, 1)}-01`, -1);
}

/** A stable id fragment: "D-007" -> "d-007", "Acme Corp" -> "acme-corp". */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

// ---------------------------------------------------------------------------------
// Alerts and health
// ---------------------------------------------------------------------------------

export type Comparison = '>' | '>=' | '<' | '<=';

function crosses(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/**
 * One alert rule on one metric: critical when `value op critical`, else warning when
 * `value op warning`, else nothing. A null value never fires. `threshold` in the alert
 * is the threshold that was crossed.
 */
export function checkThreshold(rule: {
  id: string;
  metric: string;
  value: number | null;
  op: Comparison;
  warning?: number;
  critical?: number;
  message: (value: number, threshold: number, severity: Severity) => string;
}): Alert[] {
  const { value } = rule;
  if (value === null) return [];
  for (const severity of ['critical', 'warning'] as const) {
    const threshold = rule[severity];
    if (threshold !== undefined && crosses(value, rule.op, threshold)) {
      return [
        {
          id: rule.id,
          severity,
          message: rule.message(value, threshold, severity),
          metric: rule.metric,
          value,
          threshold,
        },
      ];
    }
  }
  return [];
}

/** Health points lost per alert, by severity. */
export const HEALTH_PENALTY: Record<Severity, number> = { critical: 40, warning: 20, info: 5 };

/**
 * The shared health recipe: 100 minus 40 per critical, 20 per warning and 5 per info
 * alert, floored at 0. The reason names the worst alert, or `okReason` when none fired.
 */
export function healthFromAlerts(
  alerts: readonly Alert[],
  okReason: string,
): { health: number; healthReason: string } {
  const health = Math.max(0, 100 - sumBy(alerts, (a) => HEALTH_PENALTY[a.severity]));
  if (alerts.length === 0) return { health, healthReason: okReason };
  const order: Severity[] = ['critical', 'warning', 'info'];
  const worst = [...alerts].sort(
    (a, b) => order.indexOf(a.severity) - order.indexOf(b.severity),
  )[0]!;
  const counts = order
    .map((s) => [s, alerts.filter((a) => a.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s === 'warning' && n > 1 ? 'warnings' : s}`)
    .join(', ');
  return { health, healthReason: `${counts}: ${worst.message}` };
}
