/**
 * Text for the charts: axis labels (compact, they sit in a narrow margin) and the longer
 * forms the descriptions and data tables use. Dates are 'YYYY-MM-DD' calendar days, read
 * as UTC midnights so no local time zone moves a point to the day before.
 */
import { utcFormat } from 'd3-time-format';
import { formatValue } from '../../ceo/key-metrics.js';
import { formatMoneyShort } from '../../shared/money.js';
import { type MetricUnit } from '../../contract/briefing.js';

export const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' -> that day's UTC midnight; anything else is an Invalid Date. */
export function parseDay(day: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return new Date(Number.NaN);
  const [, year, month, date] = match;
  return new Date(Date.UTC(Number(year), Number(month) - 1, Number(date)));
}

/** Whole days from `first` to `last` ('YYYY-MM-DD'). */
export function daysBetween(first: string, last: string): number {
  return Math.round((parseDay(last).getTime() - parseDay(first).getTime()) / DAY_MS);
}

// Up to this span a tick names its day; past it the days crowd and the month says more.
export const DAY_LABEL_MAX_SPAN_DAYS = 120;

const dayLabel = utcFormat('%b %-d');
const monthLabel = utcFormat('%b %Y');
const longDay = utcFormat('%b %-d, %Y');

/** The x-axis tick format that fits a span: "Nov 3" up to 120 days, "Nov 2026" past it. */
export function dateTickFormat(spanDays: number): (date: Date) => string {
  return spanDays <= DAY_LABEL_MAX_SPAN_DAYS ? dayLabel : monthLabel;
}

/** "Nov 3, 2026": the unambiguous form for descriptions and tables. */
export function formatDayLong(day: string): string {
  const date = parseDay(day);
  return Number.isNaN(date.getTime()) ? day : longDay(date);
}

/**
 * A y-axis label: money in its short form ("$50K"; metric values are currency units, the
 * short form takes cents), the long unit words cut down so the margin holds them.
 */
export function formatAxisValue(value: number, unit: MetricUnit, currency: string): string {
  switch (unit) {
    case 'money':
      return formatMoneyShort(Math.round(value * 100), currency);
    case 'months':
      return `${formatValue(value, 'count')} mo`;
    case 'days':
      return `${formatValue(value, 'count')}d`;
    default:
      return formatValue(value, unit, currency);
  }
}

/** A value for people in full: "$15,000", "96.3%"; a missing one says so. */
export function formatFull(value: number | null, unit: MetricUnit, currency: string): string {
  return value === null ? 'no data' : formatValue(value, unit, currency);
}

/** The value of a part of a change: signed so a loss reads as one ("+$5,000", "-$1,200"). */
export function formatSigned(value: number, unit: MetricUnit, currency: string): string {
  const text = formatValue(value, unit, currency);
  return value > 0 ? `+${text}` : text;
}

/** Element ids from a caller's id: aria-labelledby is a space-separated list, so no spaces. */
export function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '-') || 'chart';
}
