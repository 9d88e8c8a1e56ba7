/**
 * Small helpers the risk rules share: number formatting for messages, money at stake in
 * cents, and dates. Pure: no clock (dates come from `ctx.today`).
 */
import type { Severity } from '../../contract/report.js';
import { addDays, endOfMonth, monthOf } from '../../shared/dates.js';
import { formatUnits } from '../../shared/money.js';
import { round } from '../../shared/numbers.js';

export { addDays };

/** Metric money (currency units, 2 decimals) for a message: 23608.8 -> "$23,608.80". */
export function money(units: number, currency?: string): string {
  return formatUnits(units, currency);
}

/** Metric money in whole cents for `moneyAtStakeCents` (never negative). */
export function toCents(units: number): number {
  return Math.max(0, Math.round(units * 100));
}

/** A number with at most `decimals` decimals: 96.5 -> "96.5", 8.215 -> "8.2" (1). */
export function num(n: number, decimals = 1): string {
  return String(round(n, decimals));
}

/** A number with exactly `decimals` decimals: 9.7 -> "9.7", 12 -> "12.0" (1). */
export function fixed(n: number, decimals = 1): string {
  return round(n, decimals).toFixed(decimals);
}

/** "1 open role" / "2 open roles". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** `(now - before) / before x 100`, or null when `before` is not positive. */
export function changePct(now: number, before: number): number | null {
  return before > 0 ? ((now - before) / before) * 100 : null;
}

/** The last day of today's month: the natural deadline of a spending decision. */
export function endOfThisMonth(today: string): string {
  return endOfMonth(monthOf(today));
}

/** Average days in a month (365.25 / 12), to put day counts next to runway months. */
export const DAYS_PER_MONTH = 365.25 / 12;

/**
 * The deadline of an action whose data names no date: today + 7 for a critical finding,
 * + 14 for a warning, + 30 for info (the agents' follow-up convention).
 */
export function actBy(today: string, severity: Severity): string {
  return addDays(today, severity === 'critical' ? 7 : severity === 'warning' ? 14 : 30);
}
