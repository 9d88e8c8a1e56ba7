/**
 * How the demo's dates move from its template date to another "today"
 * (docs/workspace.md#the-living-demo). Three clocks, because the agents read three
 * kinds of period:
 *
 * - days: a day date keeps its distance from today (a deal due in 4 days stays due in
 *   4 days; a subscription that started 2 weeks ago still did);
 * - weeks: a week (a Monday) moves by whole weeks, so the template's current week is
 *   today's current week and the hours of "this week" and "the last 4 complete weeks"
 *   stay the template's; a date tied to weeks (time off, Monday to Friday) moves with
 *   them, so it ends up at most 3 days from its day-shifted place;
 * - months: a month (YYYY-MM) moves by whole months, so the template's last complete
 *   month is today's last complete month.
 *
 * The quarter (company.yaml, goals.yaml) moves by days: the demo company's quarter is
 * a 92-day window that keeps its place around today (56 days gone, 35 to go, as on the
 * template date), so what depends on it (the target still to book, the pipeline
 * closing this quarter) is the template's on every date. It is named after the
 * calendar quarter holding its middle day.
 */
import { addDays, addMonths, daysBetween, endOfMonth, weekStart } from '../../shared/dates.js';

export interface DemoShift {
  /** The day the demo is generated for, YYYY-MM-DD. */
  today: string;
  /** today - template date, in days. */
  days: number;
  /** Whole weeks from the template's week to today's (Monday to Monday). */
  weeks: number;
  /** Whole months from the template's month to today's. */
  months: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Is `iso` a real calendar day written YYYY-MM-DD? */
export function isCalendarDate(iso: string): boolean {
  const m = ISO_DATE.exec(iso);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function monthIndex(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return y * 12 + (m - 1);
}

/** The offsets that move the template (as of `templateDate`) to `today`. */
export function demoShift(templateDate: string, today: string): DemoShift {
  return {
    today,
    days: daysBetween(templateDate, today),
    weeks: daysBetween(weekStart(templateDate), weekStart(today)) / 7,
    months: monthIndex(today.slice(0, 7)) - monthIndex(templateDate.slice(0, 7)),
  };
}

export function shiftDay(iso: string, s: DemoShift): string {
  return addDays(iso, s.days);
}

export function shiftWeek(iso: string, s: DemoShift): string {
  return addDays(iso, 7 * s.weeks);
}

export function shiftMonth(month: string, s: DemoShift): string {
  return addMonths(month, s.months);
}

/**
 * A day date moved by whole months, its day of the month kept (the month's last day
 * when shorter): a content piece published in the reported month stays published in it.
 */
export function shiftDayByMonths(iso: string, s: DemoShift): string {
  const month = addMonths(iso.slice(0, 7), s.months);
  const last = endOfMonth(month);
  const day = iso.slice(8, 10);
  return day > last.slice(8, 10) ? last : `${month}-${day}`;
}

const QUARTER_LABEL = /^(\d{4})-Q([1-4])$/;

export function isQuarterLabel(label: string): boolean {
  return QUARTER_LABEL.test(label);
}

/** The label (YYYY-Qn) of the calendar quarter `iso` falls in. */
export function quarterOf(iso: string): string {
  const month = Number(iso.slice(5, 7));
  return `${iso.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/**
 * A quarter label moved with the quarter: the quarter holding the labelled calendar
 * quarter's middle day moved by `days` (2026-Q4's middle is 2026-11-15).
 */
export function shiftQuarterLabel(label: string, s: DemoShift): string {
  const m = QUARTER_LABEL.exec(label);
  if (!m) return label;
  const start = `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  const end = endOfMonth(addMonths(start.slice(0, 7), 2));
  const middle = addDays(start, Math.floor(daysBetween(start, end) / 2));
  return quarterOf(addDays(middle, s.days));
}
