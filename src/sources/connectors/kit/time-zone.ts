/**
 * Calendar days of an API's timestamps in the company's time zone: the instant a local day
 * starts (for `created >= ...` filters). The date of an instant is src/shared/time-zone.ts's
 * calendarDate.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of an instant in a zone, to the second. */
function wallClock(ms: number, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
}

/** The zone's offset from UTC at an instant, in ms (local - UTC). */
function offsetMs(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone) - Math.floor(ms / 1000) * 1000;
}

/** The instant (epoch ms) local midnight of `date` (YYYY-MM-DD) starts in a time zone. */
export function startOfDayMs(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetMs(guess, timeZone);
  // Across a DST change the offset at midnight differs from the one at the guess.
  return guess - offsetMs(first, timeZone);
}
