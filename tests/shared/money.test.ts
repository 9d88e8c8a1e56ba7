import { describe, expect, it } from 'vitest';
import {
  currencySymbol,
  formatMoney,
  formatMoneyShort,
  formatUnits,
  isCurrencyCode,
} from '../../src/shared/money.js';

describe('formatMoney: one rule for cents (shown only when the amount has some)', () => {
  it.each([
    [0, '$0'],
    [1, '$0.01'],
    [99, '$0.99'],
    [150, '$1.50'],
    [9900, '$99'],
    [380_000, '$3,800'],
    [1_500_000, '$15,000'],
    [1_500_050, '$15,000.50'],
    [2_360_880, '$23,608.80'],
    [123_456_789, '$1,234,567.89'],
    [135_000_000, '$1,350,000'],
    [123_456_789_012_300, '$1,234,567,890,123'],
  ])('%i cents -> %s', (cents, text) => {
    expect(formatMoney(cents)).toBe(text);
  });

  it('puts the sign before the symbol, and never writes -$0', () => {
    expect(formatMoney(-380_000, 'USD')).toBe('-$3,800');
    expect(formatMoney(-5)).toBe('-$0.05');
    expect(formatMoney(-13_932_283)).toBe('-$139,322.83');
    expect(formatMoney(-0)).toBe('$0');
    expect(formatMoney(-0.4)).toBe('$0');
  });

  it('rounds fractional cents to the cent', () => {
    expect(formatMoney(1234.5)).toBe('$12.35');
    expect(formatMoney(1999.6)).toBe('$20');
  });

  it("writes the company's currency, never a hard-coded $", () => {
    expect(formatMoney(1_500_000, 'EUR')).toBe('€15,000');
    expect(formatMoney(1_500_050, 'eur')).toBe('€15,000.50');
    expect(formatMoney(99, 'GBP')).toBe('£0.99');
    expect(formatMoney(120_000, 'CHF')).toBe('CHF 1,200');
    expect(currencySymbol('JPY')).toBe('¥');
  });

  it('rounds a currency without minor units (JPY) to whole units', () => {
    expect(formatMoney(150_000, 'JPY')).toBe('¥1,500');
    expect(formatMoney(150_050, 'JPY')).toBe('¥1,501');
    expect(formatMoney(-150_049, 'JPY')).toBe('-¥1,500');
  });
});

describe('formatUnits (a metric value in currency units)', () => {
  it('follows the same rule', () => {
    expect(formatUnits(23608.8)).toBe('$23,608.80');
    expect(formatUnits(15000)).toBe('$15,000');
    expect(formatUnits(1200, 'CHF')).toBe('CHF 1,200');
    expect(formatUnits(-139322.83, 'EUR')).toBe('-€139,322.83');
    expect(formatUnits(0.1 + 0.2)).toBe('$0.30');
  });
});

describe('formatMoneyShort (titles)', () => {
  it.each([
    [5_000_000, '$50K'],
    [1_234_500, '$12.3K'],
    [1_548_000, '$15.5K'],
    [99_000, '$990'],
    [99_950, '$999.50'],
    [100_000, '$1K'],
    [99_999_000, '$1M'],
    [250_000_000, '$2.5M'],
    [350_000_000_000, '$3.5B'],
    [-5_000_000, '-$50K'],
    [-99_000, '-$990'],
  ])('%i cents -> %s', (cents, text) => {
    expect(formatMoneyShort(cents)).toBe(text);
  });

  it('in the currency', () => {
    expect(formatMoneyShort(5_000_000, 'EUR')).toBe('€50K');
    expect(formatMoneyShort(5_000_000, 'CHF')).toBe('CHF 50K');
  });
});

describe('isCurrencyCode', () => {
  it('knows a currency code from a typo', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('usd')).toBe(true);
    expect(isCurrencyCode('EURO')).toBe(false);
    expect(isCurrencyCode('E1R')).toBe(false);
  });
});
