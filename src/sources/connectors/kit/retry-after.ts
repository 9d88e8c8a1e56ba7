/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. No dependency: the
 * parsers on npm are larger than this and none is widely used.
 */

/**
 * The wait a Retry-After value asks for, in milliseconds from `now`; undefined when the
 * header is absent or unreadable. A date in the past is no wait (0).
 */
export function retryAfterMs(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  // delay-seconds is digits only; a fraction is not in the RFC but costs nothing to accept.
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with the day's name; the
  // check keeps Date.parse from reading "-5" as the year -5.
  const at = /^[A-Za-z]{3}/.test(v) ? Date.parse(v) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
