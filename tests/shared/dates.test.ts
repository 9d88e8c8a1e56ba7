import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateOfDay,
  dayNumber,
  daysBetween,
  workingDaysIn,
} from '../../src/shared/dates.js';

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

describe('workingDaysIn', () => {
  it('lists Monday to Friday, both ends included, across months, years and leap days', () => {
    expect(workingDaysIn('2026-11-26', '2026-12-02')).toEqual([
      '2026-11-26',
      '2026-11-27',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]);
    expect(workingDaysIn('2027-12-31', '2028-01-03')).toEqual(['2027-12-31', '2028-01-03']);
    expect(workingDaysIn('2028-02-28', '2028-03-01')).toEqual([
      '2028-02-28',
      '2028-02-29',
      '2028-03-01',
    ]);
    expect(workingDaysIn('1969-12-29', '1970-01-02')).toEqual([
      '1969-12-29',
      '1969-12-30',
      '1969-12-31',
      '1970-01-01',
      '1970-01-02',
    ]);
    expect(workingDaysIn('2026-12-05', '2026-12-06')).toEqual([]);
    expect(workingDaysIn('2026-12-02', '2026-12-01')).toEqual([]);
  });

  it('agrees with the calendar on every day of two years', () => {
    const days = workingDaysIn('2026-01-01', '2027-12-31');
    const expected: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t <= Date.UTC(2027, 11, 31); t += 86_400_000) {
      const d = new Date(t);
      if (d.getUTCDay() >= 1 && d.getUTCDay() <= 5) expected.push(d.toISOString().slice(0, 10));
    }
    expect(days).toEqual(expected);
    expect(days).toHaveLength(522);
  });
});

describe('day numbers (arithmetic, no Date)', () => {
  /** The calendar's own answer: a Date set to the day (setUTCFullYear takes the years 0..99 as written). */
  const calendarDay = (y: number, m: number, d: number) => {
    const t = new Date(0);
    t.setUTCFullYear(y, m - 1, d);
    return Math.round(t.getTime() / 86_400_000);
  };

  it('agrees with the calendar on every day from 1899 to 2101, both ways', () => {
    let checked = 0;
    for (let n = calendarDay(1899, 1, 1); n <= calendarDay(2101, 12, 31); n++) {
      const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
      expect(dayNumber(iso)).toBe(n);
      expect(dateOfDay(n)).toBe(iso);
      checked++;
    }
    expect(checked).toBe(203 * 365 + 49); // 49 leap days: 1904..2096 (2100 is not)
  });

  it.each([
    ['0000-01-01', '0000-03-01', 60], // year 0 is a leap year (proleptic Gregorian)
    ['0099-12-31', '0100-01-01', 1],
    ['1900-02-28', '1900-03-01', 1], // 1900 is not
    ['2000-02-28', '2000-03-01', 2], // 2000 is
    ['9999-12-30', '9999-12-31', 1],
  ])('%s -> %s is %i days, and back', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
    expect(addDays(from, days)).toBe(to);
    expect(dayNumber(from)).toBe(
      calendarDay(...(from.split('-').map(Number) as [number, number, number])),
    );
  });
});
