import { describe, it, expect } from 'vitest';
import type { z } from 'zod';
import { addDays, addMonths, daysBetween, endOfMonth } from '../../src/shared/dates.js';
import {
  bool,
  cents,
  decimal,
  integer,
  isIsoDate,
  isoDate,
  isoMonth,
  oneOf,
  settingsFile,
  tagList,
} from '../../src/contract/fields.js';
import { centsToUnits, formatMoney, formatMoneyShort } from '../../src/shared/money.js';
import { checkThreshold, healthFromAlerts } from '../../src/agents/thresholds.js';
import { percent, round } from '../../src/shared/numbers.js';
import { slug } from '../../src/shared/text.js';

const ok = <T>(schema: z.ZodType<T>, v: unknown): T => schema.parse(v);
const fails = (schema: z.ZodType, v: unknown) => schema.safeParse(v).success === false;

describe('field helpers', () => {
  it('parses cents as whole non-negative numbers only', () => {
    expect(ok(cents(), '50000')).toBe(50000);
    expect(ok(cents(), 0)).toBe(0);
    for (const bad of ['12.5', '-1', '1e3', '$5', '1,000', 12.5, -1, '9007199254740993']) {
      expect(fails(cents(), bad), String(bad)).toBe(true);
    }
    expect(cents().safeParse(undefined).error?.issues[0]?.message).toMatch(/^required/);
    expect(ok(cents().optional(), undefined)).toBeUndefined();
  });

  it('parses numbers, dates, months, enums and booleans from strings', () => {
    expect(ok(integer({ min: 0, max: 10 }), '7')).toBe(7);
    expect(fails(integer({ min: 0, max: 10 }), '11')).toBe(true);
    expect(fails(integer(), '7.5')).toBe(true);
    expect(ok(decimal(), '-12.5')).toBe(-12.5);
    expect(fails(decimal(), 'abc')).toBe(true);
    expect(ok(isoDate(), '2028-02-29')).toBe('2028-02-29');
    expect(fails(isoDate(), '2026-02-29')).toBe(true);
    expect(fails(isoDate(), '26-11-2026')).toBe(true);
    expect(ok(isoMonth(), '2026-11')).toBe('2026-11');
    expect(fails(isoMonth(), '2026-13')).toBe(true);
    expect(ok(oneOf(['low', 'high']), ' High ')).toBe('high');
    expect(fails(oneOf(['low', 'high']), 'mid')).toBe(true);
    expect(ok(bool(), 'Yes')).toBe(true);
    expect(ok(bool(), 'false')).toBe(false);
    expect(fails(bool(), 'maybe')).toBe(true);
    expect(ok(tagList(), 'Revenue; sales|growth')).toEqual(['revenue', 'sales', 'growth']);
    expect(ok(tagList(), undefined)).toEqual([]);
  });

  it('merges settings thresholds over defaults', () => {
    const s = settingsFile({ a: 1, b: 2 });
    expect(ok(s, undefined)).toEqual({ thresholds: { a: 1, b: 2 } });
    expect(ok(s, null)).toEqual({ thresholds: { a: 1, b: 2 } });
    expect(ok(s, { thresholds: { b: '5' } })).toEqual({ thresholds: { a: 1, b: 5 } });
    expect(fails(s, { thresholds: { c: 1 } })).toBe(true);
  });
});

describe('pure helpers', () => {
  it('handles money', () => {
    expect(centsToUnits(1500000)).toBe(15000);
    expect(centsToUnits(12345)).toBe(123.45);
    expect(formatMoney(1234567)).toBe('$12,345.67');
    expect(formatMoney(-5)).toBe('-$0.05');
    expect(formatMoneyShort(5000000)).toBe('$50K');
    expect(formatMoneyShort(1548000)).toBe('$15.5K');
    expect(formatMoneyShort(99000)).toBe('$990');
  });

  it('rounds and divides safely', () => {
    expect(round(1.005, 2)).toBe(1.01);
    expect(round(96.25, 1)).toBe(96.3);
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(1, 0)).toBeNull();
  });

  it('does calendar arithmetic without the clock', () => {
    expect(daysBetween('2026-11-12', '2026-11-26')).toBe(14);
    expect(daysBetween('2026-03-01', '2026-03-31')).toBe(30); // across a DST change
    expect(addDays('2026-11-26', 7)).toBe('2026-12-03');
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(endOfMonth('2028-02')).toBe('2028-02-29');
    expect(slug(' Acme Corp / D-007 ')).toBe('acme-corp-d-007');
  });

  it('checks thresholds and turns alerts into health', () => {
    const rule = {
      id: 'x.low',
      metric: 'x',
      op: '<' as const,
      warning: 10,
      critical: 5,
      message: (v: number, t: number) => `x ${v} < ${t}`,
    };
    expect(checkThreshold({ ...rule, value: 10 })).toEqual([]);
    expect(checkThreshold({ ...rule, value: null })).toEqual([]);
    expect(checkThreshold({ ...rule, value: 7 })[0]).toMatchObject({
      severity: 'warning',
      threshold: 10,
    });
    const critical = checkThreshold({ ...rule, value: 4 });
    expect(critical[0]).toMatchObject({ severity: 'critical', threshold: 5, message: 'x 4 < 5' });
    const warning = checkThreshold({ ...rule, value: 7 });
    expect(healthFromAlerts([], 'fine')).toEqual({ health: 100, healthReason: 'fine' });
    expect(healthFromAlerts([...warning, ...critical], 'fine')).toEqual({
      health: 40,
      healthReason: '1 critical, 1 warning: x 4 < 5',
    });
    expect(healthFromAlerts([...critical, ...critical, ...critical], 'fine').health).toBe(0);
    expect(healthFromAlerts([...warning, ...warning], 'fine').healthReason).toBe(
      '2 warnings: x 7 < 10',
    );
  });
});

describe('isIsoDate', () => {
  /** The calendar's own answer: a Date set to y-m-d names the same day. */
  const onCalendar = (y: number, m: number, d: number) => {
    const t = new Date(0);
    t.setUTCFullYear(y, m - 1, d);
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  };
  const pad = (n: number, w: number) => String(n).padStart(w, '0');

  it('agrees with the calendar on months 0-13 and days 0-32 of leap, common and century years', () => {
    let valid = 0;
    for (const y of [0, 4, 99, 100, 400, 1900, 1999, 2000, 2024, 2026, 2100, 9999])
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 32; d++) {
          const iso = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          expect(isIsoDate(iso), iso).toBe(onCalendar(y, m, d));
          if (onCalendar(y, m, d)) valid++;
        }
    // 12 years: 0, 4, 400, 2000 and 2024 leap (366 days), the other 7 not (365).
    expect(valid).toBe(5 * 366 + 7 * 365);
  });

  it.each(['2026-1-01', '2026-01-1', '26-01-01', '2026/01/01', ' 2026-01-01', '2026-01-01T00:00'])(
    'refuses %j',
    (iso) => expect(isIsoDate(iso)).toBe(false),
  );
});
