/**
 * How old a department's data is, and when it is from, in the company's time zone: for
 * the briefing's data notes ("Finance data is from 14:02 yesterday (stripe cache, 18h
 * old)") and the stale-data risks. Pure: the briefing's date and time zone come in.
 *
 * A report carries two times: `timestamp`, when boardroom computed it, and `dataAsOf`,
 * when its data was read from the source (a cached API answer's fetch time, the newest
 * workspace file). The data's age is measured from `dataAsOf` whenever that is older.
 */
import type { AgentReport } from '../contract/report.js';
import { addDays } from '../shared/dates.js';
import { calendarDate } from '../shared/time-zone.js';

const HOUR_MS = 3_600_000;

/**
 * Hours between the report's data and the run, or undefined when it is fresh (neither
 * stale nor from a cache). A stale report: `staleHours` (since it was computed) plus the
 * time its data was older than that; a cached answer: the cache's age.
 */
export function dataAgeHours(r: AgentReport): number | undefined {
  if (r.status === 'stale') {
    const older = Math.max(0, Date.parse(r.timestamp) - Date.parse(r.dataAsOf));
    return (r.staleHours ?? 0) + older / HOUR_MS;
  }
  if (r.status === 'ok' && r.cacheAgeMs !== undefined) return r.cacheAgeMs / HOUR_MS;
  return undefined;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** "14:02" of the instant in the zone (24-hour clock). */
function clockTime(at: Date, timeZone: string): string {
  let f = clocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clocks.set(timeZone, f);
  }
  return f.format(at);
}

/**
 * When the data is from, said relative to the briefing's day in the company's zone:
 * "14:02 today", "14:02 yesterday", else "14:02 on 2026-11-20".
 */
export function dataTime(dataAsOf: string, briefingDate: string, timeZone: string): string {
  const at = new Date(dataAsOf);
  const day = calendarDate(at, timeZone);
  const time = clockTime(at, timeZone);
  if (day === briefingDate) return `${time} today`;
  if (day === addDays(briefingDate, -1)) return `${time} yesterday`;
  return `${time} on ${day}`;
}

/** An age rounded for people: 30m, 5h, 3d (to the minute first: 59.99 minutes is 1h). */
export function formatAge(hours: number): string {
  const minutes = Math.max(1, Math.round(hours * 60));
  if (minutes < 60) return `${minutes}m`;
  if (Math.round(minutes / 60) < 48) return `${Math.round(minutes / 60)}h`;
  return `${Math.round(minutes / 1440)}d`;
}
