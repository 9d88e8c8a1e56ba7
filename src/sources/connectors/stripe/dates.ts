/** Stripe timestamps (Unix seconds) <-> calendar dates in the company's time zone. */
import { calendarDate } from '../../../shared/time-zone.js';
import { startOfDayMs } from '../kit/index.js';

/** Unix seconds -> YYYY-MM-DD in `timeZone`. */
export function dateIn(timeZone: string): (ts: number) => string {
  return (ts) => calendarDate(new Date(ts * 1000), timeZone);
}

/** Unix seconds of midnight starting `date` (YYYY-MM-DD) in `timeZone`. */
export function startOfDay(date: string, timeZone: string): number {
  return Math.floor(startOfDayMs(date, timeZone) / 1000);
}
