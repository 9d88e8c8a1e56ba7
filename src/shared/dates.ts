/**
 * Calendar arithmetic on YYYY-MM-DD strings, in UTC: no clock, no time zone (see
 * time-zone.ts for those). "Today" always comes in as an argument.
 */

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

// Weeks and working days

export const DAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];

/** Day of the week of a YYYY-MM-DD date: 0 = Sunday .. 6 = Saturday. */
export function weekday(iso: string): number {
  return new Date(`${iso.slice(0, 10)}T00:00:00Z`).getUTCDay();
}

/** The Monday of the week `iso` falls in. */
export function weekStart(iso: string): string {
  return addDays(iso, -((weekday(iso) + 6) % 7));
}

export function isWorkingDay(iso: string): boolean {
  const d = weekday(iso);
  return d >= 1 && d <= 5;
}

/** The working days (Monday..Friday) from `from` to `to`, both inclusive. */
export function workingDaysIn(from: string, to: string): string[] {
  // On day numbers, not strings: the HR and team models call this for every person and
  // span (half a year of days), and a Date and a string a day showed in the profile.
  const days: string[] = [];
  const last = dayNumber(to);
  for (let n = dayNumber(from); n <= last; n++) {
    const d = (((n + 4) % 7) + 7) % 7; // day 0, 1970-01-01, was a Thursday
    if (d >= 1 && d <= 5) days.push(new Date(n * DAY_MS).toISOString().slice(0, 10));
  }
  return days;
}
