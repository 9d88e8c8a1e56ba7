import { describe, expect, it } from 'vitest';
import { daysBetween } from '../../src/shared/dates.js';

describe('daysBetween', () => {
  it.each([
    ['2026-11-26', '2026-11-30', 4],
    ['2026-11-30', '2026-11-26', -4],
    ['2026-11-26', '2026-11-26', 0],
    ['2026-12-31', '2027-01-01', 1],
    ['2028-02-28', '2028-03-01', 2],
    ['2027-02-28', '2027-03-01', 1],
    ['2026-03-01', '2026-04-01', 31],
    ['2026-01-01', '2027-01-01', 365],
  ])('%s -> %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });
});
