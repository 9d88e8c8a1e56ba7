/**
 * Money for people: amounts are integer cents (minor units) of the company's currency
 * everywhere; these turn them into text for messages and briefings. Metrics stay numbers.
 */
import { round } from './numbers.js';

/** ISO 4217 code of a company's currency. @default 'USD' */
export type CurrencyCode = string;

export const DEFAULT_CURRENCY: CurrencyCode = 'USD';

const symbols = new Map<string, string>();

/** The narrow symbol of `currency` in English text: USD -> "$", EUR -> "€", CHF -> "CHF". */
export function currencySymbol(currency: CurrencyCode = DEFAULT_CURRENCY): string {
  const code = currency.toUpperCase();
  let symbol = symbols.get(code);
  if (symbol === undefined) {
    symbol =
      new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency: code,
        currencyDisplay: 'narrowSymbol',
      })
        .formatToParts(0)
        .find((p) => p.type === 'currency')?.value ?? code;
    // A code-like symbol ("CHF") reads better with a space: "CHF 1,200".
    if (/^[A-Z]{2,}$/.test(symbol)) symbol = `${symbol} `;
    symbols.set(code, symbol);
  }
  return symbol;
}

/** True for a currency code Intl knows (ISO 4217, three letters). */
export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Za-z]{3}$/.test(code)) return false;
  try {
    new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    return true;
  } catch {
    return false;
  }
}

/** Cents -> currency units with at most two decimals: 1500000 -> 15000, 12345 -> 123.45. */
export function centsToUnits(c: number): number {
  return Math.round(c) / 100;
}

const fractionDigits = new Map<string, number>();

/**
 * Decimals the currency has (USD 2, JPY 0), at most 2: amounts are held in hundredths
 * of the unit, so a three-decimal currency (KWD) still shows two.
 */
function decimalsOf(currency: CurrencyCode): number {
  const code = currency.toUpperCase();
  let digits = fractionDigits.get(code);
  if (digits === undefined) {
    digits = Math.min(
      2,
      new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2,
    );
    fractionDigits.set(code, digits);
  }
  return digits;
}

const withCommas = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * The one money format for people, in the company's currency. The rule for cents: an
 * amount shows them only when it has some ("$3,800", "$23,608.80", "$0.99"); never
 * ".00", so one amount reads the same in every line. A currency without minor units
 * (JPY) rounds to whole units. Negative amounts lead with the sign ("-$3,800").
 */
export function formatMoney(c: number, currency: CurrencyCode = DEFAULT_CURRENCY): string {
  const decimals = decimalsOf(currency);
  const step = 10 ** (2 - decimals);
  const abs = Math.round(Math.abs(Math.round(c)) / step) * step;
  const sign = c < 0 && abs > 0 ? '-' : '';
  const units = withCommas(Math.floor(abs / 100).toString());
  const rest = abs % 100;
  const tail = decimals === 0 || rest === 0 ? '' : `.${rest.toString().padStart(2, '0')}`;
  return `${sign}${currencySymbol(currency)}${units}${tail}`;
}

/** Money held as currency units (a metric value: 23608.8) for people: "$23,608.80". */
export function formatUnits(units: number, currency: CurrencyCode = DEFAULT_CURRENCY): string {
  return formatMoney(Math.round(units * 100), currency);
}

const SCALES: readonly (readonly [number, string])[] = [
  [1_000, 'K'],
  [1_000_000, 'M'],
  [1_000_000_000, 'B'],
];

/**
 * The short form for titles, from cents: 5000000 -> "$50K", 1234500 -> "$12.3K",
 * 250000000 -> "$2.5M", 99000 -> "$990"; under 1,000 it is `formatMoney`.
 */
export function formatMoneyShort(c: number, currency: CurrencyCode = DEFAULT_CURRENCY): string {
  const symbol = currencySymbol(currency);
  const units = Math.abs(c) / 100;
  const sign = c < 0 ? '-' : '';
  // The largest scale whose rounded figure stays under 1,000 ($999,990 is "$1M", not "$1000K").
  if (units < 1_000) return formatMoney(c, currency);
  let figure = units;
  for (const [scale, suffix] of SCALES) {
    figure = round(units / scale, 1);
    if (figure < 1_000 || suffix === 'B') return `${sign}${symbol}${figure}${suffix}`;
  }
  return `${sign}${symbol}${figure}B`;
}
