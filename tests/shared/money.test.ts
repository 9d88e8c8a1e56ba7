import { describe, expect, it } from 'vitest';
import {
  currencySymbol,
  formatMoney,
  formatMoneyShort,
  formatUnits,
  isCurrencyCode,
} from '../../src/shared/money.js';

describe('money in a currency', () => {
  it('writes US dollars as before', () => {
    expect(formatMoney(1_500_000)).toBe('$15,000.00');
    expect(formatMoney(-380_000, 'USD')).toBe('-$3,800.00');
    expect(formatMoney(1_500_000, 'USD', { trimWholeCents: true })).toBe('$15,000');
    expect(formatMoney(1_500_050, 'USD', { trimWholeCents: true })).toBe('$15,000.50');
    expect(formatMoneyShort(5_000_000)).toBe('$50K');
    expect(formatMoneyShort(1_234_500)).toBe('$12.3K');
    expect(formatUnits(23608.8)).toBe('$23,608.80');
  });

  it("writes the company's currency, never a hard-coded $", () => {
    expect(formatMoney(1_500_000, 'EUR')).toBe('€15,000.00');
    expect(formatMoney(1_500_000, 'eur')).toBe('€15,000.00');
    expect(formatMoney(99, 'GBP')).toBe('£0.99');
    expect(formatMoneyShort(5_000_000, 'EUR')).toBe('€50K');
    expect(formatUnits(1200, 'CHF')).toBe('CHF 1,200.00');
    expect(currencySymbol('JPY')).toBe('¥');
  });

  it('knows a currency code from a typo', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('usd')).toBe(true);
    expect(isCurrencyCode('EURO')).toBe(false);
    expect(isCurrencyCode('E1R')).toBe(false);
  });
});

describe('formatMoney with trimWholeCents (money at stake in a factor)', () => {
  it.each([
    [0, '$0'],
    [1, '$0.01'],
    [150, '$1.50'],
    [9900, '$99'],
    [1_500_000, '$15,000'],
    [5_000_000, '$50,000'],
    [123_456_789, '$1,234,567.89'],
  ])('%i cents -> %s', (cents, text) => {
    expect(formatMoney(cents, 'USD', { trimWholeCents: true })).toBe(text);
  });
});
