/**
 * Time zones: the one validator and the one "what day is it there" helper. Pure and
 * deterministic (no clock: the instant comes in), so workflows may use them too.
 */

/**
 * Zones already found valid: building a formatter to ask costs ~0.1 ms, and a run asks
 * for its company's zone several times (measured: 0.8% of the worker's CPU). Only valid
 * names go in, so it holds at most the few hundred IANA zones.
 */
const KNOWN_ZONES = new Set<string>();

/** True for an IANA time zone name the runtime knows, e.g. Europe/Berlin or UTC. */
export function isTimeZone(tz: string): boolean {
  if (KNOWN_ZONES.has(tz)) return true;
  if (tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    KNOWN_ZONES.add(tz);
    return true;
  } catch {
    return false;
  }
}

/** The message every validator uses for a bad zone. */
export const TIME_ZONE_EXPECTED = 'expected an IANA time zone, e.g. Europe/Berlin or UTC';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD of the instant `at` in `timeZone`. */
export function calendarDate(at: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f.format(at);
}
