import { describe, expect, it } from 'vitest';
import { type KeyMetric } from '../../src/contract/briefing.js';
import { composeBriefing, type ComposeInput } from '../../src/ceo/briefing.js';
import {
  briefingHead,
  headMetrics,
  headNumber,
  textSparkline,
  trendOf,
} from '../../src/ceo/head.js';
import { describeMetric, evidenceValue, metricInfo } from '../../src/ceo/metric-catalog.js';
import { defineRisk } from '../../src/ceo/risk-engine.js';
import { reports, task } from '../helpers/reports.js';

const METRICS = {
  finance: { mrr: 15000, arr: 180000, netNewMrr: 1920.6, customers: 45, runwayMonths: 9.7 },
  sales: { openDeals: 12, weightedPipeline: 109609.8, pipelineCoverage: 2.47 },
  operations: { activeProjects: 4, utilization: 96.3 },
  marketing: { leads: 263, cac: 2475 },
  hr: { headcount: 12, openRoles: 2 },
  'customer-success': { nps: 32.4, atRiskArr: 23608.8 },
};

const risk = (id: string, severity: 'critical' | 'warning' | 'info') =>
  defineRisk({
    id,
    title: `Risk ${id}`,
    severity,
    needs: ['finance.mrr'],
    thresholds: {},
    evaluate: () => ({ message: `${id} happens`, action: { title: `Fix ${id}` } }),
  });

function input(over: Partial<ComposeInput> = {}): ComposeInput {
  return {
    companyId: 'acme',
    companyName: 'Acme',
    workflowId: 'wf-1',
    briefingDate: '2026-11-26',
    generatedAt: '2026-11-26T12:00:00.000Z',
    reports: reports(
      Object.fromEntries(Object.entries(METRICS).map(([a, metrics]) => [a, { metrics }])),
    ),
    founderTasks: [
      task({ id: 'a', title: 'Close Acme', revenueImpact: 95, urgency: 80 }),
      task({ id: 'b', title: 'Board update', revenueImpact: 40 }),
      task({ id: 'c', title: 'Hire', revenueImpact: 30 }),
      task({ id: 'd', title: 'Expenses', revenueImpact: 5 }),
    ],
    goals: [],
    energy: 'medium',
    risks: { rules: [risk('w1', 'warning'), risk('c1', 'critical'), risk('w2', 'warning')] },
    ...over,
  };
}

describe('briefingHead', () => {
  it('holds the top 3 priorities, the risks by severity and 8 key numbers, on a first run', () => {
    const head = briefingHead(composeBriefing(input()));
    expect(head.priorities.map((p) => [p.rank, p.title, p.sources])).toEqual([
      [1, 'Close Acme', ['founder']],
      [2, 'Board update', ['founder']],
      [3, 'Hire', ['founder']],
    ]);
    expect(head.risks).toEqual([
      { severity: 'critical', titles: ['Risk c1'] },
      { severity: 'warning', titles: ['Risk w1', 'Risk w2'] },
    ]);
    expect(head.notEvaluated).toBe(0);
    // No history: every change is "new", every trend "–".
    expect(head.numbers.map((n) => [n.label, n.value, n.change, n.trend, n.spark])).toEqual([
      ['MRR', '$15,000', 'new', 'none', '–'],
      ['Net new MRR', '$1,920.60', 'new', 'none', '–'],
      ['Runway', '9.7 months', 'new', 'none', '–'],
      ['Weighted pipeline', '$109,609.80', 'new', 'none', '–'],
      ['Pipeline coverage', '2.47x', 'new', 'none', '–'],
      ['Team utilization', '96.3%', 'new', 'none', '–'],
      ['NPS', '32.4', 'new', 'none', '–'],
      ['At-risk ARR', '$23,608.80', 'new', 'none', '–'],
    ]);
  });

  it('shows each number with its change since the last briefing and its trend', () => {
    const history = {
      finance: [
        { date: '2026-11-12', metrics: { ...METRICS.finance, mrr: 14000 } },
        { date: '2026-11-19', metrics: { ...METRICS.finance, mrr: 14500 } },
      ],
      'customer-success': [
        { date: '2026-11-12', metrics: { ...METRICS['customer-success'], nps: 40 } },
        { date: '2026-11-19', metrics: { ...METRICS['customer-success'], nps: 35 } },
      ],
    };
    const head = briefingHead(composeBriefing(input({ history })));
    const byLabel = Object.fromEntries(head.numbers.map((n) => [n.label, n]));
    expect(byLabel.MRR).toMatchObject({
      value: '$15,000',
      change: '+$500',
      since: '2026-11-19',
      trend: 'up',
      spark: '▁▅█',
    });
    expect(byLabel.NPS).toMatchObject({ change: '-2.6', trend: 'down', spark: '█▃▁' });
    expect(byLabel.Runway).toMatchObject({ change: 'no change', trend: 'flat', spark: '▄▄▄' });
    // Sales has no history: still "new".
    expect(byLabel['Pipeline coverage']).toMatchObject({ change: 'new', trend: 'none' });
  });

  it('tops up to 5 numbers from the other key metrics when agents failed', () => {
    const b = composeBriefing(
      input({
        reports: reports({
          finance: { status: 'failed' },
          sales: { status: 'failed' },
          operations: { metrics: METRICS.operations },
          marketing: { metrics: METRICS.marketing },
          hr: { metrics: METRICS.hr },
          'customer-success': { status: 'failed' },
        }),
        risks: { rules: [] },
      }),
    );
    expect(headMetrics(b.keyMetrics).map((m) => m.label)).toEqual([
      'Team utilization',
      'Active projects',
      'Leads',
      'CAC',
      'Headcount',
    ]);
    expect(briefingHead(b).risks).toEqual([]);
  });

  it('counts a merged priority once, with all its sources', () => {
    const b = composeBriefing(
      input({
        reports: reports({
          sales: {
            metrics: METRICS.sales,
            recommendations: [
              task({ id: 's', source: 'sales', title: 'close acme', subject: 'deal:acme' }),
            ],
          },
        }),
      }),
    );
    expect(briefingHead(b).priorities[0]).toMatchObject({
      title: 'Close Acme',
      sources: ['founder', 'sales'],
    });
    expect(b.tasks.map((t) => t.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('headNumber', () => {
  const metric = (over: Partial<KeyMetric>): KeyMetric => ({
    agent: 'finance',
    key: 'mrr',
    label: 'MRR',
    unit: 'money',
    value: 15000,
    stale: false,
    series: [{ date: '2026-11-26', value: 15000 }],
    ...over,
  });

  it('says "–" for an unknown value or a previous value that was unknown', () => {
    expect(headNumber(metric({ value: null })).change).toBe('–');
    expect(headNumber(metric({ previous: null, previousDate: '2026-11-19' }), 'EUR')).toMatchObject(
      { change: 'new', value: '€15,000' },
    );
    expect(
      headNumber(metric({ value: null, previous: 3, previousDate: '2026-11-19' })).change,
    ).toBe('–');
    expect(headNumber(metric({ change: -1200.5, previousDate: '2026-11-19' })).change).toBe(
      '-$1,200.50',
    );
  });
});

describe('trendOf and textSparkline', () => {
  const s = (...values: (number | null)[]) =>
    values.map((value, i) => ({ date: `2026-11-${String(10 + i)}`, value }));

  it('compares the last value with the first, half a percent being noise', () => {
    expect(trendOf(s(10, 12))).toBe('up');
    expect(trendOf(s(12, null, 10))).toBe('down');
    expect(trendOf(s(1000, 1004))).toBe('flat');
    expect(trendOf(s(0, 0))).toBe('flat');
    expect(trendOf(s(5))).toBe('none');
    expect(trendOf(s(null, 5))).toBe('none');
  });

  it('reads the window its sparkline draws: the newest points only', () => {
    // Down over all five points, up over the newest three.
    expect(trendOf(s(50, 40, 10, 20, 30))).toBe('down');
    expect(trendOf(s(50, 40, 10, 20, 30), 3)).toBe('up');
    expect(textSparkline(s(50, 40, 10, 20, 30), 3)).toBe('▁▅█');
  });

  it('draws the newest points low to high', () => {
    expect(textSparkline(s(1, 2, 3, 4, 5, 6, 7, 8))).toBe('▁▂▃▄▅▆▇█');
    expect(textSparkline(s(0, 100, 9, 1, 2, 3, 4, 5, 6, 7, 8), 8)).toBe('▁▂▃▄▅▆▇█');
    expect(textSparkline(s(5, 5, 5))).toBe('▄▄▄');
    expect(textSparkline(s(5))).toBe('–');
  });
});

describe('metric catalog (evidence in plain words)', () => {
  it("gives a metric's label, unit and formatted value in the company's currency", () => {
    expect(describeMetric('finance', 'cashBalance', 1_350_000)).toBe('Cash balance $1,350,000');
    expect(describeMetric('finance', 'cashBalance', 1_350_000, 'EUR')).toBe(
      'Cash balance €1,350,000',
    );
    expect(describeMetric('hr', 'teamUtilizationPct', 96.5)).toBe(
      'Team utilization (4 weeks) 96.5%',
    );
    expect(describeMetric('finance', 'grossMrrChurnPct', 3.04)).toBe(
      'Gross MRR churn this month 3.04%',
    );
    expect(describeMetric('sales', 'weightedDeliveryHours', 222.5)).toBe(
      'Delivery hours the pipeline brings 222.5h',
    );
    expect(describeMetric('customer-success', 'nextAtRiskRenewalDays', 1)).toBe(
      'Next at-risk renewal in 1 day',
    );
    expect(describeMetric('finance', 'runwayMonths', null)).toBe('Runway n/a');
  });

  it('makes a label and a unit from a key it does not know', () => {
    expect(metricInfo('hr', 'vacationHoursNext4Weeks')).toEqual({
      label: 'Vacation hours next 4 weeks',
      unit: 'hours',
    });
    expect(metricInfo('finance', 'expansionMrrPct')).toEqual({
      label: 'Expansion MRR',
      unit: 'percent',
    });
    expect(metricInfo('sales', 'stalledValue')).toEqual({ label: 'Stalled value', unit: 'money' });
    expect(metricInfo('sales', 'closingThisWeek')).toEqual({
      label: 'Closing this week',
      unit: 'count',
    });
    expect(evidenceValue(-9.125, 'score')).toBe('-9.13');
    expect(evidenceValue(2.5, 'ratio')).toBe('2.5x');
  });
});
