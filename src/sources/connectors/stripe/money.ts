/**
 * Money in integer minor units, end to end. Stripe gives amounts in the currency's
 * smallest unit (cents; yen for zero-decimal currencies); converting to the reporting
 * currency uses the decimal rates of `settings.fx_rates` as exact fractions (BigInt),
 * rounding half up once per converted amount.
 */
import { SourceRequestError } from '../../../shared/errors.js';

/** Stripe's zero-decimal currencies (amounts are whole units). */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
/** Stripe's three-decimal currencies. */
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export function minorUnitDigits(currency: string): number {
  const c = currency.toUpperCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** "1.08" -> 108n / 100n. */
export function parseDecimal(text: string): { num: bigint; den: bigint } {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = m[3] ?? '';
  const num = BigInt(`${m[2]}${frac}`) * (m[1] === '-' ? -1n : 1n);
  return { num, den: 10n ** BigInt(frac.length) };
}

/** n / d rounded half away from zero, exact. */
export function divRound(n: bigint, d: bigint): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (2n * a + d) / (2n * d);
  return neg ? -q : q;
}

export interface Converter {
  /** The reporting currency (upper case). */
  currency: string;
  /** Minor units of `from` -> minor units of the reporting currency. */
  convert(amount: number, from: string, what: string): number;
  /** The currencies met so far other than the reporting one, with their rates. */
  converted(): Map<string, string>;
}

export function converter(currency: string, rates: Record<string, string>): Converter {
  const reporting = currency.toUpperCase();
  const used = new Map<string, string>();
  return {
    currency: reporting,
    convert(amount, from, what) {
      const c = from.toUpperCase();
      if (c === reporting) return amount;
      const rate = rates[c];
      if (rate === undefined) {
        throw new SourceRequestError(
          `stripe: ${what} is in ${c} but the reporting currency is ${reporting} and there is no rate for ${c}: add fx_rates: { ${c}: <${reporting} per 1 ${c}> } to the stripe block of sources.yaml (amounts are never summed across currencies unconverted)`,
          { currency: c, setting: `fx_rates.${c}` },
        );
      }
      used.set(c, rate);
      const { num, den } = parseDecimal(rate);
      const shift = minorUnitDigits(reporting) - minorUnitDigits(c);
      const n = BigInt(amount) * num * (shift > 0 ? 10n ** BigInt(shift) : 1n);
      const d = den * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
      return Number(divRound(n, d));
    },
    converted: () => new Map(used),
  };
}

/** "$12,345.67 USD", "1,234.50 EUR", "¥1,200 JPY" style, for messages. */
export function formatAmount(minor: number, currency: string): string {
  const c = currency.toUpperCase();
  const digits = minorUnitDigits(c);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const scale = 10 ** digits;
  const units = Math.floor(abs / scale)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = digits > 0 ? `.${(abs % scale).toString().padStart(digits, '0')}` : '';
  const symbol = c === 'USD' ? '$' : '';
  return `${sign}${symbol}${units}${frac} ${c}`;
}
