import { describe, expect, it } from 'vitest';
import type { AgentName, MetricSnapshot } from '../../src/contract/report.js';
import { formatChange, formatValue, keyMetrics } from '../../src/ceo/key-metrics.js';
import { reports } from '../helpers/reports.js';

describe('keyMetrics', () => {
  it('gives each reported key metric its change since the last stored day and its series', () => {
    const r = reports({
      finance: { metrics: { mrr: 15000, runwayMonths: null } },
      operations: { status: 'stale', metrics: { utilization: 96.3 } },
      marketing: { status: 'failed' },
    });
    const history: Partial<Record<AgentName, MetricSnapshot[]>> = {
      finance: [
        { date: '2026-10-27', metrics: { mrr: 13000 } },
        { date: '2026-11-24', metrics: { mrr: 14250.5, customers: 44 } },
      ],
      operations: [{ date: '2026-11-25', metrics: { utilization: 90 } }],
    };
    const km = keyMetrics(r, history, '2026-11-26');
    expect(km.map((m) => m.key)).toEqual(['mrr', 'runwayMonths', 'utilization']);
    expect(km[0]).toEqual({
      agent: 'finance',
      key: 'mrr',
      label: 'MRR',
      unit: 'money',
      value: 15000,
      stale: false,
      previous: 14250.5,
      previousDate: '2026-11-24',
      change: 749.5, // 15000 - 14250.5
      series: [
        { date: '2026-10-27', value: 13000 },
        { date: '2026-11-24', value: 14250.5 },
        { date: '2026-11-26', value: 15000 },
      ],
    });
    expect(km[1]).toMatchObject({ value: null, series: [{ date: '2026-11-26', value: null }] });
    expect(km[1]).not.toHaveProperty('change');
    expect(km[2]).toMatchObject({ stale: true, previous: 90, change: 6.3 });
  });
});

describe('formatValue and formatChange', () => {
  it('formats each unit', () => {
    expect(formatValue(15000, 'money')).toBe('$15,000');
    expect(formatValue(109609.8, 'money')).toBe('$109,609.80');
    expect(formatValue(-1920.6, 'money')).toBe('-$1,920.60');
    expect(formatValue(96.25, 'percent')).toBe('96.3%');
    expect(formatValue(9.74, 'months')).toBe('9.7 months');
    expect(formatValue(2.466, 'ratio')).toBe('2.47x');
    expect(formatValue(null, 'count')).toBe('n/a');
  });

  it('signs changes and uses points for percentages', () => {
    const base = {
      agent: 'finance' as const,
      key: 'k',
      label: 'K',
      value: 1,
      stale: false,
      series: [],
    };
    expect(formatChange({ ...base, unit: 'money', change: -299 })).toBe('-$299');
    expect(formatChange({ ...base, unit: 'percent', change: 6.3 })).toBe('+6.3 pts');
    expect(formatChange({ ...base, unit: 'count', change: 0 })).toBe('no change');
    expect(formatChange({ ...base, unit: 'count' })).toBe('');
  });
});
