/** Rounding and ratios shared by pure and I/O code. */

/** Round to `decimals` places, immune to binary noise (1.005 -> 1.01). */
export function round(n: number, decimals = 0): number {
  const f = 10 ** decimals;
  return Math.round(Number((n * f).toPrecision(15))) / f;
}

/** n / d, or null when d is 0. */
export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

/** 100 * n / d rounded to `decimals` places (default 1), or null when d is 0. */
export function percent(n: number, d: number, decimals = 1): number | null {
  return d === 0 ? null : round((100 * n) / d, decimals);
}

export function sumBy<T>(items: readonly T[], f: (item: T) => number): number {
  return items.reduce((acc, item) => acc + f(item), 0);
}

const formats = new Map<number, Intl.NumberFormat>();

/**
 * `n` in English digits with thousands separators and at most `maxDigits` decimals
 * ("1,234.5"). One Intl formatter per precision, kept: a page of charts formats
 * thousands of numbers, and building a formatter per call (`toLocaleString`) costs ~40x.
 */
export function formatNumber(n: number, maxDigits: number): string {
  let f = formats.get(maxDigits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      maximumFractionDigits: maxDigits,
      minimumFractionDigits: 0,
    });
    formats.set(maxDigits, f);
  }
  return f.format(n);
}
