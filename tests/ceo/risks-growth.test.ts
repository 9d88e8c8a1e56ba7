import { describe, it, expect } from 'vitest';
import { SALES_THRESHOLDS } from '../../src/agents/sales/settings.js';
import { GROWTH_RULES } from '../../src/ceo/risks/growth.js';
import { checkCases, MONTH_AGO, run, type RuleCases } from './risks-fixtures.js';

/** A win-rate comparison on enough closed deals (4 or more in each window). */
const WIN_RATE = { closedDeals: 8, closedDealsPrevious: 6 };
/** The demo's sales figures: 3 won of 7 now, 2 of 4 before (50%). */
const DEMO_WIN_RATE = {
  winRateChangePts: -7.1,
  winRatePct: 42.9,
  winRatePreviousPct: 50,
  closedDeals: 7,
  closedDealsPrevious: 4,
};

const CASES: Record<string, RuleCases> = {
  'pipeline-exceeds-capacity': {
    fires: [
      {
        // The demo: 9 + 194 = 203h free; 222.5 / 203 = 109.6%; 222.5 - 203 = 19.5h short.
        metrics: {
          sales: { weightedDeliveryHours: 222.5, weightedPipeline: 109609.8 },
          operations: { freeHoursThisWeek: 9, freeCapacityHoursNext4Weeks: 194 },
        },
        severity: 'warning',
        message:
          'Closing the weighted pipeline would bring 222.5h of delivery work against 203h free over the next 5 weeks (9h this week + 194h in the next 4): 109.6% of free capacity (threshold 100%), 19.5h short',
      },
      {
        // 320 / (50 + 150) = 160% >= 150%: critical.
        metrics: {
          sales: { weightedDeliveryHours: 320 },
          operations: { freeHoursThisWeek: 50, freeCapacityHoursNext4Weeks: 150 },
        },
        severity: 'critical',
        message:
          'Closing the weighted pipeline would bring 320h of delivery work against 200h free over the next 5 weeks (50h this week + 150h in the next 4): 160% of free capacity (threshold 100%), 120h short',
      },
      {
        metrics: {
          sales: { weightedDeliveryHours: 40 },
          operations: { freeHoursThisWeek: 0, freeCapacityHoursNext4Weeks: 0 },
        },
        severity: 'critical',
        message:
          'Closing the weighted pipeline would bring 40h of delivery work against 0h free over the next 5 weeks (0h this week + 0h in the next 4): no free capacity, 40h short',
      },
    ],
    silent: [
      {
        metrics: {
          sales: { weightedDeliveryHours: 203 },
          operations: { freeHoursThisWeek: 9, freeCapacityHoursNext4Weeks: 194 },
        },
      },
    ],
  },
  'cac-up-ltv-down': {
    fires: [
      {
        // CAC +42.8% (2475 vs 1733.33). LTV (24518.53 - 30648.16) / 30648.16 = -20.0%.
        // LTV:CAC now 24518.53 / 2475 = 9.9; then 30648.16 / 1733.33 = 17.7.
        metrics: {
          marketing: { cacChangePct: 42.8, cac: 2475, cacPrevious: 1733.33 },
          finance: { ltv: 24518.53 },
        },
        history: { finance: [{ date: MONTH_AGO, metrics: { ltv: 30648.16 } }] },
        severity: 'warning',
        message:
          'CAC rose 42.8% to $2,475 (from $1,733.33) while LTV fell 20% to $24,518.53 (from $30,648.16 30 days ago): LTV:CAC 9.9, down from 17.7; growth is losing money',
      },
    ],
    silent: [
      {
        // LTV rose.
        metrics: {
          marketing: { cacChangePct: 42.8, cac: 2475, cacPrevious: 1733.33 },
          finance: { ltv: 24518.53 },
        },
        history: { finance: [{ date: MONTH_AGO, metrics: { ltv: 22000 } }] },
      },
      {
        // CAC fell: no history needed to know growth is not losing money this way.
        metrics: {
          marketing: { cacChangePct: -5, cac: 1900, cacPrevious: 2000 },
          finance: { ltv: 24518.53 },
        },
      },
    ],
  },
  'ltv-cac-below-target': {
    fires: [
      {
        // 6000 / 2475 = 2.42
        metrics: { finance: { ltv: 6000 }, marketing: { cac: 2475 } },
        severity: 'warning',
        message:
          'LTV:CAC is 2.4 ($6,000 LTV / $2,475 CAC), below 3: a customer returns less than 3x what it costs to win',
      },
      {
        // 2000 / 2475 = 0.81 < 1
        metrics: { finance: { ltv: 2000 }, marketing: { cac: 2475 } },
        severity: 'critical',
        message:
          'LTV:CAC is 0.8 ($2,000 LTV / $2,475 CAC), below 3: a new customer is worth less than it costs to win',
      },
    ],
    silent: [{ metrics: { finance: { ltv: 24518.53 }, marketing: { cac: 2475 } } }],
  },
  'cac-payback-too-long': {
    fires: [
      {
        // 333.33 x 52.3% = 174.33 a month; 2475 / 174.33 = 14.2 months.
        metrics: { marketing: { cac: 2475 }, finance: { arpa: 333.33, grossMarginPct: 52.3 } },
        severity: 'warning',
        message:
          'CAC payback is 14.2 months: $2,475 CAC / $174.33 gross profit per customer a month ($333.33 ARPA x 52.3% gross margin), above 12 months',
      },
      {
        metrics: { marketing: { cac: 2475 }, finance: { arpa: 333.33, grossMarginPct: -5 } },
        severity: 'critical',
        message:
          'CAC never pays back: $2,475 CAC against no gross profit per customer ($333.33 ARPA x -5% gross margin)',
      },
    ],
    // The demo: 2475 / (333.33 x 77.57%) = 9.6 months.
    silent: [
      { metrics: { marketing: { cac: 2475 }, finance: { arpa: 333.33, grossMarginPct: 77.57 } } },
    ],
  },
  'target-gap-weak-lead-flow': {
    fires: [
      {
        // 168068 / 68010 = 2.47x; (200 - 268) / 268 = -25.4%.
        metrics: {
          marketing: { leadsChangePct: -25.4, leads: 200, leadsPrevious: 268 },
          sales: { remainingTarget: 68010, pipelineThisQuarter: 168068 },
        },
        severity: 'warning',
        message:
          'The pipeline closing this quarter ($168,068) covers 2.47x of the $68,010 still to book (below 3x) while leads fell 25.4% last month (200 from 268)',
      },
    ],
    silent: [
      {
        metrics: {
          marketing: { leadsChangePct: -1.9, leads: 263, leadsPrevious: 268 },
          sales: { remainingTarget: 68010, pipelineThisQuarter: 168068 },
        },
      },
      {
        // Target met.
        metrics: {
          marketing: { leadsChangePct: -25.4, leads: 200, leadsPrevious: 268 },
          sales: { remainingTarget: 0, pipelineThisQuarter: 168068 },
        },
      },
    ],
  },
  'win-rate-and-cac-worsening': {
    fires: [
      {
        metrics: {
          sales: { ...WIN_RATE, winRateChangePts: -12, winRatePct: 38, winRatePreviousPct: 50 },
          marketing: { cacChangePct: 42.8, cac: 2475, cacPrevious: 1733.33 },
        },
        severity: 'warning',
        message:
          'Win rate fell 12 points to 38% (from 50%) over the last 90 days while CAC rose 42.8% to $2,475 (from $1,733.33): leads cost more and close less',
      },
    ],
    silent: [
      {
        // The demo: -7.1 points is not a 10-point drop.
        metrics: {
          sales: { ...DEMO_WIN_RATE },
          marketing: { cacChangePct: 42.8, cac: 2475, cacPrevious: 1733.33 },
        },
      },
      {
        // Too few closed deals, and the win rate did not fall: no risk either way.
        metrics: {
          sales: { ...WIN_RATE, closedDealsPrevious: 1, winRateChangePts: 5 },
          marketing: { cacChangePct: 42.8, cac: 2475, cacPrevious: 1733.33 },
        },
      },
      {
        // CAC flat: whatever the win rate and its sample.
        metrics: {
          sales: { winRateChangePts: -50, closedDeals: 2, closedDealsPrevious: 1 },
          marketing: { cacChangePct: 3, cac: 2475, cacPrevious: 2400 },
        },
      },
    ],
  },
};

describe('growth risk rules', () => {
  it('has fire and silent cases for every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(GROWTH_RULES.map((r) => r.id).sort());
  });

  it.each(GROWTH_RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    checkCases(rule, CASES[rule.id]!);
  });

  it('pipeline vs capacity: money at stake is the weighted ARR whose delivery is not covered', () => {
    const rule = GROWTH_RULES.find((r) => r.id === 'pipeline-exceeds-capacity')!;
    const r = run(rule, CASES['pipeline-exceeds-capacity']!.fires[0]!);
    // 109609.80 x 19.5 / 222.5 = 9606.25
    expect(r.actions[0]).toMatchObject({
      moneyAtStakeCents: 960625,
      deadline: '2026-12-10',
      energyDemand: 'high',
      tags: ['delivery', 'revenue', 'hiring'],
    });
    expect(r.findings[0]!.evidence).toEqual([
      { agent: 'sales', metric: 'weightedDeliveryHours', value: 222.5, stale: false },
      { agent: 'operations', metric: 'freeHoursThisWeek', value: 9, stale: false },
      { agent: 'operations', metric: 'freeCapacityHoursNext4Weeks', value: 194, stale: false },
      { agent: 'sales', metric: 'weightedPipeline', value: 109609.8, stale: false },
    ]);
  });

  it('CAC up / LTV down: the LTV read from history is evidence, dated', () => {
    const rule = GROWTH_RULES.find((r) => r.id === 'cac-up-ltv-down')!;
    const r = run(rule, CASES['cac-up-ltv-down']!.fires[0]!);
    expect(r.findings[0]!.evidence).toContainEqual({
      agent: 'finance',
      metric: 'ltv',
      value: 30648.16,
      stale: false,
      asOf: '30d ago',
    });
    // No money at stake: CAC is cost. Deadline: before next month's budget.
    expect(r.actions[0]!.moneyAtStakeCents).toBeUndefined();
    expect(r.actions[0]!.deadline).toBe('2026-11-30');
  });

  it('CAC up / LTV down: not evaluated without LTV history, and says why', () => {
    const rule = GROWTH_RULES.find((r) => r.id === 'cac-up-ltv-down')!;
    const { history: _h, ...noHistory } = CASES['cac-up-ltv-down']!.fires[0]!;
    const r = run(rule, noHistory);
    expect(r.findings).toEqual([]);
    expect(r.unevaluated).toEqual([
      {
        id: 'cac-up-ltv-down',
        title: 'Growth is losing money: CAC up while LTV down',
        reason:
          'no finance.ltv from ~30 days ago in the history yet, so whether LTV fell while CAC rose 42.8% cannot be told',
      },
    ]);
  });

  it('win rate and CAC: a previous window holding a single closed deal is too few to judge', () => {
    const rule = GROWTH_RULES.find((r) => r.id === 'win-rate-and-cac-worsening')!;
    // 1 won of 5 now (20%) against 1 won of 1 before (100%): "-80 points" on one deal.
    const r = run(rule, {
      metrics: {
        sales: {
          winRateChangePts: -80,
          winRatePct: 20,
          winRatePreviousPct: 100,
          closedDeals: 5,
          closedDealsPrevious: 1,
        },
        marketing: { cacChangePct: 42.8, cac: 2475, cacPrevious: 1733.33 },
      },
    });
    expect(r.findings).toEqual([]);
    expect(r.unevaluated).toEqual([
      {
        id: 'win-rate-and-cac-worsening',
        title: 'Win rate falling while CAC rises',
        reason:
          "the win rate fell 80 points on 5 closed deals in the last 90 days against 1 closed deal in the 90 before, fewer than the 4 in each window a win-rate comparison needs (as for the sales agent's alert), while CAC rose 42.8%",
      },
    ]);
  });

  it("win rate and CAC: the same minimum sample as the sales agent's win-rate alert", () => {
    const rule = GROWTH_RULES.find((r) => r.id === 'win-rate-and-cac-worsening')!;
    expect(rule.thresholds.min_closed_deals).toBe(SALES_THRESHOLDS.win_rate_min_closed_deals);
    // Exactly the minimum in both windows is enough.
    const r = run(rule, {
      metrics: {
        sales: {
          winRateChangePts: -25,
          winRatePct: 25,
          winRatePreviousPct: 50,
          closedDeals: 4,
          closedDealsPrevious: 4,
        },
        marketing: { cacChangePct: 42.8, cac: 2475, cacPrevious: 1733.33 },
      },
    });
    expect(r.findings.map((f) => f.id)).toEqual(['win-rate-and-cac-worsening']);
  });
});
