/**
 * Small exact conversions the HubSpot connector needs: decimal amounts (HubSpot sends
 * number properties as strings) to integer cents without floats, and instants to
 * calendar dates and month boundaries in a time zone.
 */
import { calendarDate as dateAt } from '../../../shared/time-zone.js';
import { startOfDayMs } from '../kit/index.js';

const DECIMAL = /^\d+(\.\d+)?$/;

interface Fraction {
  num: bigint;
  den: bigint;
}

/** "1234.5" -> 12345/10; undefined unless a plain non-negative decimal. */
export function decimalFraction(s: string): Fraction | undefined {
  const t = s.trim();
  if (!DECIMAL.test(t)) return undefined;
  const [whole, frac = ''] = t.split('.') as [string, string?];
  return { num: BigInt(whole + frac), den: 10n ** BigInt(frac.length) };
}

/** A positive rate (1.08) as an exact fraction of its shortest decimal form. */
function rateFraction(rate: number): Fraction {
  let s = String(rate);
  if (/e/i.test(s)) s = rate.toFixed(15).replace(/0+$/, '').replace(/\.$/, '');
  const f = decimalFraction(s);
  if (!f) throw new RangeError(`not a plain positive rate: ${rate}`);
  return f;
}

/**
 * A decimal amount in currency units ("24000.50") times an optional exchange rate, as
 * integer cents, rounded half up once at the end. Undefined when `amount` is not a plain
 * non-negative decimal or the result is beyond Number.MAX_SAFE_INTEGER.
 */
export function toCents(amount: string, rate = 1): number | undefined {
  const a = decimalFraction(amount);
  if (!a) return undefined;
  const r = rateFraction(rate);
  const num = a.num * r.num * 100n;
  const den = a.den * r.den;
  const cents = (2n * num + den) / (2n * den);
  return cents <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(cents) : undefined;
}

/** YYYY-MM-DD of an instant in a time zone. */
export function dateIn(ms: number, timeZone: string): string {
  return dateAt(new Date(ms), timeZone);
}

export { startOfDayMs };

/** The instant a month (YYYY-MM) starts in a time zone. */
export function startOfMonthMs(month: string, timeZone: string): number {
  return startOfDayMs(`${month}-01`, timeZone);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const EPOCH_MS = /^\d{10,14}$/;

/**
 * An instant from a HubSpot date-time property: ISO 8601 ("2026-11-04T15:02:11.480Z"),
 * or epoch milliseconds as digits (older properties). Undefined otherwise.
 */
export function parseInstant(value: string): number | undefined {
  const v = value.trim();
  if (ISO_DATETIME.test(v)) {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (EPOCH_MS.test(v)) return Number(v);
  if (ISO_DATE.test(v)) {
    const ms = Date.parse(`${v}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/**
 * The calendar date of a HubSpot date or date-time value in a time zone. A date-only
 * value ("2026-11-30", HubSpot's date properties) is that date in every zone.
 */
export function calendarDate(value: string, timeZone: string): string | undefined {
  const v = value.trim();
  if (ISO_DATE.test(v)) return parseInstant(v) === undefined ? undefined : v;
  const ms = parseInstant(v);
  return ms === undefined ? undefined : dateIn(ms, timeZone);
}
