import { describe, it, expect } from 'vitest';
import { CASH_RULES } from '../../src/ceo/risks/cash.js';
import { checkCases, run, type RuleCases } from './risks-fixtures.js';

const NO_RUNWAY =
  'no value for finance.runwayMonths although net burn is positive (no cash balance in cashflow.csv)';

/** The demo's cash position. */
const DEMO_FINANCE = { cashBalance: 1350000, netBurn: 139322.83, runwayMonths: 9.7 };

const CASES: Record<string, RuleCases> = {
  'runway-vs-hiring-plan': {
    fires: [
      {
        // The demo: 1350000 / (139322.83 + 25000) = 8.2 months < 12.
        metrics: { finance: DEMO_FINANCE, hr: { hiringPlanMonthlyCost: 25000, openRoles: 2 } },
        severity: 'warning',
        message:
          'Runway is 9.7 months; the hiring plan (2 open roles) adds $25,000 a month of burn, which leaves 8.2 months ($1,350,000 / $164,322.83 a month), below 12',
      },
      {
        // 600000 / (80000 + 25000) = 5.7 < 6: critical.
        metrics: {
          finance: { cashBalance: 600000, netBurn: 80000, runwayMonths: 7.5 },
          hr: { hiringPlanMonthlyCost: 25000, openRoles: 2 },
        },
        severity: 'critical',
        message:
          'Runway is 7.5 months; the hiring plan (2 open roles) adds $25,000 a month of burn, which leaves 5.7 months ($600,000 / $105,000 a month), below 12',
      },
      {
        // Not burning today; the plan makes it burn 20000 a month: 100000 / 20000 = 5.0.
        metrics: {
          finance: { cashBalance: 100000, netBurn: -5000, runwayMonths: null },
          hr: { hiringPlanMonthlyCost: 25000, openRoles: 1 },
        },
        severity: 'critical',
        message:
          'The company does not burn cash today (net burn -$5,000 a month); the hiring plan (1 open role) adds $25,000 a month of burn, which leaves 5.0 months ($100,000 / $20,000 a month), below 12',
      },
    ],
    silent: [
      // 3000000 / 164322.83 = 18.3 months.
      {
        metrics: {
          finance: { cashBalance: 3000000, netBurn: 139322.83, runwayMonths: 21.5 },
          hr: { hiringPlanMonthlyCost: 25000, openRoles: 2 },
        },
      },
      { metrics: { finance: DEMO_FINANCE, hr: { hiringPlanMonthlyCost: 0, openRoles: 0 } } },
    ],
  },
  'runway-below-sales-and-hiring-cycle': {
    fires: [
      {
        // (66 + 60) / 30.44 = 4.1 months > 3.5.
        metrics: {
          finance: { netBurn: 139322.83, runwayMonths: 3.5 },
          sales: { avgSalesCycleDays: 66 },
          hr: { avgTimeToHireDays: 60 },
        },
        severity: 'critical',
        message:
          'Runway is 3.5 months, shorter than a sales cycle (66 days) plus a hire (60 days): 4.1 months; cash runs out before a new deal or a new hire can pay off',
      },
    ],
    silent: [
      {
        // The demo: 9.7 months.
        metrics: {
          finance: DEMO_FINANCE,
          sales: { avgSalesCycleDays: 66 },
          hr: { avgTimeToHireDays: 60 },
        },
      },
      {
        // Not burning: runway is not limited (null), which is no missing data.
        metrics: {
          finance: { netBurn: -100, runwayMonths: null },
          sales: { avgSalesCycleDays: 66 },
          hr: { avgTimeToHireDays: 60 },
        },
      },
    ],
  },
  'burn-rising-growth-flat': {
    fires: [
      {
        metrics: {
          finance: { netBurnChangePct: 31, netBurnLastMonth: 13100, mrrGrowthPctLastMonth: 1.2 },
        },
        severity: 'warning',
        message:
          'Net burn rose 31% (at or above 20%) last month to $13,100 a month while MRR grew 1.2% (below 3%): spending is outrunning revenue',
      },
    ],
    silent: [
      {
        metrics: {
          finance: {
            netBurnChangePct: -1.1,
            netBurnLastMonth: 138789.5,
            mrrGrowthPctLastMonth: 2.89,
          },
        },
      },
      // Not burning (zero or negative net burn last month): the change is null, and the
      // rule is silent like every cash rule (docs/risks.md), not "not evaluated".
      {
        metrics: {
          finance: { netBurnChangePct: null, netBurnLastMonth: 0, mrrGrowthPctLastMonth: 0 },
        },
      },
      {
        metrics: {
          finance: { netBurnChangePct: null, netBurnLastMonth: -4200, mrrGrowthPctLastMonth: 0.5 },
        },
      },
    ],
  },
  'growth-spend-with-short-runway': {
    fires: [
      {
        metrics: {
          marketing: { spendChangePct: 25, spend: 12500, spendPrevious: 10000, roiPct: 10 },
          finance: { netBurn: 100000, runwayMonths: 5 },
        },
        severity: 'warning',
        message:
          'Marketing spend rose 25% last month to $12,500 (from $10,000) with runway at 5.0 months (below 6); its return was 10%',
      },
    ],
    silent: [
      {
        metrics: {
          marketing: { spendChangePct: 25, spend: 12500, spendPrevious: 10000 },
          finance: DEMO_FINANCE,
        },
      },
    ],
  },
  'past-due-with-short-runway': {
    fires: [
      {
        metrics: {
          finance: { ...DEMO_FINANCE, pastDueMrr: 1200 },
          'customer-success': { paymentFailureAccounts: 3 },
        },
        severity: 'warning',
        message:
          '$1,200 MRR ($14,400 a year) is past due (3 accounts with failed payments) while runway is 9.7 months (below 12)',
      },
    ],
    // The demo: $82.50 past due.
    silent: [{ metrics: { finance: { ...DEMO_FINANCE, pastDueMrr: 82.5 } } }],
  },
  'target-unreachable-while-burning': {
    fires: [
      {
        // 50000 / 68010 = 0.74x.
        metrics: {
          sales: { remainingTarget: 68010, pipelineThisQuarter: 50000 },
          finance: DEMO_FINANCE,
        },
        severity: 'critical',
        message:
          'Even if every open deal closing this quarter is won, the $50,000 pipeline covers 0.74x of the $68,010 still to book (below 1x), with runway at 9.7 months (below 12)',
      },
    ],
    silent: [
      {
        metrics: {
          sales: { remainingTarget: 68010, pipelineThisQuarter: 168068 },
          finance: DEMO_FINANCE,
        },
      },
    ],
  },
  'hiring-into-shrinking-revenue': {
    fires: [
      {
        metrics: {
          finance: { netNewMrrLastMonth: -500, netNewMrr: -200 },
          hr: { openRoles: 2, hiringPlanMonthlyCost: 25000 },
        },
        severity: 'warning',
        message:
          'Net new MRR was -$500 last month (below $0) and is -$200 so far this month, while 2 open roles would add $25,000 a month of payroll',
      },
    ],
    silent: [
      {
        metrics: {
          finance: { netNewMrrLastMonth: 366.83, netNewMrr: 1920.6 },
          hr: { openRoles: 2, hiringPlanMonthlyCost: 25000 },
        },
      },
    ],
  },
};

describe('cash risk rules', () => {
  it('has fire and silent cases for every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(CASH_RULES.map((r) => r.id).sort());
  });

  it.each(CASH_RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    checkCases(rule, CASES[rule.id]!);
  });

  it('says when runway is unknown although the company burns cash', () => {
    const rule = CASH_RULES.find((r) => r.id === 'runway-below-sales-and-hiring-cycle')!;
    const r = run(rule, {
      metrics: {
        finance: { netBurn: 1000, runwayMonths: null },
        sales: { avgSalesCycleDays: 66 },
        hr: { avgTimeToHireDays: 60 },
      },
    });
    expect(r.unevaluated).toEqual([
      { id: rule.id, title: 'Runway shorter than a sales cycle plus a hire', reason: NO_RUNWAY },
    ]);
  });

  it('past-due revenue is money at stake (ARR-equivalent); the hiring plan is not', () => {
    const pastDue = CASH_RULES.find((r) => r.id === 'past-due-with-short-runway')!;
    expect(run(pastDue, CASES['past-due-with-short-runway']!.fires[0]!).actions[0]).toMatchObject({
      moneyAtStakeCents: 1440000, // 1200 x 12 = 14400.00
      deadline: '2026-12-03',
      tags: ['cash', 'revenue', 'retention'],
    });
    const hiring = CASH_RULES.find((r) => r.id === 'runway-vs-hiring-plan')!;
    const action = run(hiring, CASES['runway-vs-hiring-plan']!.fires[0]!).actions[0]!;
    expect(action.moneyAtStakeCents).toBeUndefined();
    expect(action.tags).toEqual(['cash', 'hiring']);
  });

  it('runway thresholds are configurable', () => {
    const rule = CASH_RULES.find((r) => r.id === 'runway-vs-hiring-plan')!;
    const r = run(rule, {
      ...CASES['runway-vs-hiring-plan']!.fires[0]!,
      overrides: {
        'runway-vs-hiring-plan.runway_months': 8,
        'runway-vs-hiring-plan.critical_runway_months': 4,
      },
    });
    expect(r.findings).toEqual([]);
    const buffer = CASH_RULES.find((r) => r.id === 'runway-below-sales-and-hiring-cycle')!;
    const withBuffer = run(buffer, {
      metrics: {
        finance: DEMO_FINANCE,
        sales: { avgSalesCycleDays: 66 },
        hr: { avgTimeToHireDays: 60 },
      },
      overrides: { 'runway-below-sales-and-hiring-cycle.buffer_months': 6 },
    });
    // 4.1 + 6 = 10.1 months > 9.7
    expect(withBuffer.findings[0]!.message).toBe(
      'Runway is 9.7 months, shorter than a sales cycle (66 days) plus a hire (60 days) plus a 6-month buffer: 10.1 months; cash runs out before a new deal or a new hire can pay off',
    );
  });
});
