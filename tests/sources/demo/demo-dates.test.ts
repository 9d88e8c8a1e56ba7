import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/shared/dates.js';
import {
  demoShift,
  isCalendarDate,
  quarterOf,
  shiftDay,
  shiftDayByMonths,
  shiftMonth,
  shiftQuarterLabel,
  shiftWeek,
} from '../../../src/sources/demo/demo-dates.js';

const TEMPLATE = '2026-11-26'; // a Thursday

describe('demoShift', () => {
  it('is nothing on the template date', () => {
    expect(demoShift(TEMPLATE, TEMPLATE)).toEqual({
      today: TEMPLATE,
      days: 0,
      weeks: 0,
      months: 0,
    });
  });

  it('counts days, Monday-to-Monday weeks and calendar months', () => {
    // Tuesday of the next week, in the next month.
    expect(demoShift(TEMPLATE, '2026-12-01')).toEqual({
      today: '2026-12-01',
      days: 5,
      weeks: 1,
      months: 1,
    });
    // A Sunday: still the week of Monday 2026-11-30.
    expect(demoShift(TEMPLATE, '2026-12-06')).toMatchObject({ days: 10, weeks: 1, months: 1 });
    // A Monday starts the next week.
    expect(demoShift(TEMPLATE, '2026-12-07')).toMatchObject({ days: 11, weeks: 2, months: 1 });
    // The Monday of the template's own week is 3 days back, in the same week.
    expect(demoShift(TEMPLATE, '2026-11-23')).toMatchObject({ days: -3, weeks: 0, months: 0 });
    expect(demoShift(TEMPLATE, '2028-02-29')).toMatchObject({ days: 460, weeks: 66, months: 15 });
    expect(demoShift(TEMPLATE, '2025-01-01')).toMatchObject({
      days: -694,
      weeks: -99,
      months: -22,
    });
  });

  it('keeps a week-shifted date within 3 days of its day-shifted place', () => {
    for (let d = 0; d < 400; d++) {
      const today = addDays(TEMPLATE, d);
      const s = demoShift(TEMPLATE, today);
      expect(Math.abs(7 * s.weeks - s.days)).toBeLessThanOrEqual(3);
    }
  });
});

describe('the shifts', () => {
  const s = demoShift(TEMPLATE, '2027-01-01'); // 36 days, 5 weeks, 2 months

  it('moves a day by days, a Monday by weeks (still a Monday), a month by months', () => {
    expect(shiftDay('2026-11-30', s)).toBe('2027-01-05');
    expect(shiftWeek('2026-11-23', s)).toBe('2026-12-28');
    expect(new Date('2026-12-28T00:00:00Z').getUTCDay()).toBe(1);
    expect(shiftMonth('2026-10', s)).toBe('2026-12');
    expect(shiftMonth('2026-11', s)).toBe('2027-01');
  });

  it('moves a day by months keeping its day, or the last day of a shorter month', () => {
    expect(shiftDayByMonths('2026-10-20', s)).toBe('2026-12-20');
    expect(shiftDayByMonths('2026-12-31', s)).toBe('2027-02-28');
    expect(shiftDayByMonths('2027-12-31', demoShift(TEMPLATE, '2027-01-26'))).toBe('2028-02-29');
  });

  it('names the quarter after the calendar quarter of its moved middle day', () => {
    expect(quarterOf('2026-11-15')).toBe('2026-Q4');
    expect(quarterOf('2027-01-01')).toBe('2027-Q1');
    expect(shiftQuarterLabel('2026-Q4', demoShift(TEMPLATE, TEMPLATE))).toBe('2026-Q4');
    // The middle of 2026-Q4 is 2026-11-15: it moves into Q1 after 47 days.
    expect(shiftQuarterLabel('2026-Q4', demoShift(TEMPLATE, '2027-01-11'))).toBe('2026-Q4');
    expect(shiftQuarterLabel('2026-Q4', demoShift(TEMPLATE, '2027-01-12'))).toBe('2027-Q1');
    expect(shiftQuarterLabel('2026-Q4', demoShift(TEMPLATE, '2026-08-26'))).toBe('2026-Q3');
    expect(shiftQuarterLabel('not a quarter', s)).toBe('not a quarter');
  });

  it('tells calendar dates from look-alikes', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-11-26T00:00')).toBe(false);
  });
});
