/** Stripe timestamps (Unix seconds) <-> calendar dates in the company's time zone. */

/** Unix seconds -> YYYY-MM-DD in `timeZone`. */
export function dateIn(timeZone: string): (ts: number) => string {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (ts) => {
    const parts = fmt.formatToParts(new Date(ts * 1000));
    const get = (type: string) => parts.find((p) => p.type === type)!.value;
    return `${get('year')}-${get('month')}-${get('day')}`;
  };
}

/** Offset of `timeZone` from UTC at the instant `ms`, in milliseconds. */
function offsetMs(timeZone: string, ms: number): number {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const parts = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Unix seconds of midnight starting `date` (YYYY-MM-DD) in `timeZone`. */
export function startOfDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const local = Date.UTC(y, m - 1, d);
  let ms = local - offsetMs(timeZone, local);
  ms = local - offsetMs(timeZone, ms);
  return Math.floor(ms / 1000);
}
