/**
 * Calendar arithmetic on YYYY-MM-DD strings, in UTC: no clock, no time zone (see
 * time-zone.ts for those). "Today" always comes in as an argument.
 */

/**
 * Days since 1970-01-01 of a YYYY-MM-DD date, by arithmetic (the proleptic Gregorian
 * calendar, H. Hinnant's days_from_civil): no Date, no split, as the agents call it for
 * every row and day; tests/shared/dates.test.ts holds it to Date.UTC day by day.
 */
export function dayNumber(iso: string): number {
  const y0 = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The YYYY-MM-DD date of a day number (civil_from_days); years 0..9999. */
export function dateOfDay(n: number): string {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** `iso` plus `days` calendar days. */
export function addDays(iso: string, days: number): string {
  return dateOfDay(dayNumber(iso) + days);
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
    if (d >= 1 && d <= 5) days.push(dateOfDay(n));
  }
  return days;
}
