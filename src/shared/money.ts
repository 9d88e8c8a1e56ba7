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
    // A code-like symbol ("CHF") reads better with a space: "CHF 1,200.00".
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

export interface FormatMoneyOptions {
  /**
   * Drop ".00" from a whole amount ("$15,000" rather than "$15,000.00").
   * @default false
   */
  trimWholeCents?: boolean;
}

/** "$15,000.00" from cents (EUR: "€15,000.00"); for messages only. */
export function formatMoney(
  c: number,
  currency: CurrencyCode = DEFAULT_CURRENCY,
  options: FormatMoneyOptions = {},
): string {
  const sign = c < 0 ? '-' : '';
  const abs = Math.abs(Math.round(c));
  const units = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = (abs % 100).toString().padStart(2, '0');
  const tail = options.trimWholeCents && rest === '00' ? '' : `.${rest}`;
  return `${sign}${currencySymbol(currency)}${units}${tail}`;
}

/** Money held as currency units (a metric value: 23608.8) for a message: "$23,608.80". */
export function formatUnits(
  units: number,
  currency: CurrencyCode = DEFAULT_CURRENCY,
  options: FormatMoneyOptions = {},
): string {
  return formatMoney(Math.round(units * 100), currency, options);
}

/** "$50K" style short amount from cents, for titles: 5000000 -> "$50K", 1234500 -> "$12.3K". */
export function formatMoneyShort(c: number, currency: CurrencyCode = DEFAULT_CURRENCY): string {
  const symbol = currencySymbol(currency);
  const units = c / 100;
  if (units >= 1_000_000) return `${symbol}${round(units / 1_000_000, 1)}M`;
  if (units >= 1_000) return `${symbol}${round(units / 1_000, 1)}K`;
  return `${symbol}${round(units, 2)}`;
}
