import { describe, it, expect } from 'vitest';
import { CUSTOMER_RULES } from '../../src/ceo/risks/customers.js';
import { checkCases, MONTH_AGO, run, type RuleCases } from './risks-fixtures.js';

const DEMO_SALES = { openDeals: 12, weightedPipeline: 109609.8 };
const DEMO_CS = { atRiskArr: 23608.8, atRiskArrPct: 13.12 };

const CASES: Record<string, RuleCases> = {
  'churn-rising-while-chasing-new-logos': {
    fires: [
      {
        // The demo: 3.04% this month so far - 2.35% last month = 0.69 points >= 0.5.
        metrics: {
          finance: { grossMrrChurnPct: 3.04, grossMrrChurnPctLastMonth: 2.35 },
          sales: DEMO_SALES,
          'customer-success': DEMO_CS,
        },
        severity: 'warning',
        message:
          'Gross MRR churn is 3.04% this month so far, up from 2.35% last month, and $23,608.80 ARR (13.12% of ARR) sits in at-risk accounts, while sales works 12 open deals ($109,609.80 weighted): retention is losing ground to new logos',
      },
      {
        // Churn flat, at-risk ARR up 23608.8 / 18887.04 = +25%.
        metrics: {
          finance: { grossMrrChurnPct: 2.5, grossMrrChurnPctLastMonth: 2.35 },
          sales: DEMO_SALES,
          'customer-success': DEMO_CS,
        },
        history: { 'customer-success': [{ date: MONTH_AGO, metrics: { atRiskArr: 18887.04 } }] },
        severity: 'warning',
        message:
          'At-risk ARR rose 25% to $23,608.80 (13.12% of ARR) from $18,887.04 30 days ago, while sales works 12 open deals ($109,609.80 weighted): retention is losing ground to new logos',
      },
    ],
    silent: [
      {
        metrics: {
          finance: { grossMrrChurnPct: 2.5, grossMrrChurnPctLastMonth: 2.35 },
          sales: DEMO_SALES,
          'customer-success': DEMO_CS,
        },
      },
      {
        metrics: {
          finance: { grossMrrChurnPct: 3.04, grossMrrChurnPctLastMonth: 2.35 },
          sales: { openDeals: 0, weightedPipeline: 0 },
        },
      },
    ],
  },
  'nps-falling-tickets-rising': {
    fires: [
      {
        metrics: {
          'customer-success': {
            npsChange: -17.6,
            nps: 32.4,
            npsPrevious: 50,
            highTicketAccounts: 4,
          },
        },
        history: {
          'customer-success': [{ date: MONTH_AGO, metrics: { highTicketAccounts: 2 } }],
        },
        severity: 'warning',
        message:
          'NPS fell 17.6 points to 32.4 (from 50) while accounts with many open tickets rose from 2 to 4 in 30 days: customers are less happy and need more help',
      },
    ],
    silent: [
      {
        metrics: {
          'customer-success': {
            npsChange: -17.6,
            nps: 32.4,
            npsPrevious: 50,
            highTicketAccounts: 2,
          },
        },
        history: {
          'customer-success': [{ date: MONTH_AGO, metrics: { highTicketAccounts: 2 } }],
        },
      },
      {
        // NPS up: no history needed.
        metrics: {
          'customer-success': { npsChange: 4, nps: 54, npsPrevious: 50, highTicketAccounts: 4 },
        },
      },
    ],
  },
  'concentration-renewal-at-risk': {
    fires: [
      {
        // The demo: 20638.8 / 2 = 10319.4 at least for the larger; / 180000 = 5.73% >= 5%.
        metrics: {
          'customer-success': {
            atRiskRenewalsNext30Days: 2,
            atRiskRenewalArrNext30Days: 20638.8,
            trackedArr: 180000,
            nextAtRiskRenewalDays: 19,
          },
        },
        severity: 'warning',
        message:
          '2 at-risk accounts renew within 30 days (the first in 19 days) with $20,638.80 ARR, 11.47% of MRR; the larger alone is at least $10,319.40, 5.73% of MRR (at or above 5%)',
      },
      {
        // One renewal: its share is exact, 17050.8 / 180000 = 9.47%.
        metrics: {
          'customer-success': {
            atRiskRenewalsNext30Days: 1,
            atRiskRenewalArrNext30Days: 17050.8,
            trackedArr: 180000,
            nextAtRiskRenewalDays: 19,
          },
        },
        severity: 'warning',
        message:
          'An at-risk account worth $17,050.80 ARR renews within 30 days (in 19 days): 9.47% of MRR rides on one renewal (at or above 5%)',
      },
      {
        // 30000 / 180000 = 16.67% >= 15%.
        metrics: {
          'customer-success': {
            atRiskRenewalsNext30Days: 1,
            atRiskRenewalArrNext30Days: 30000,
            trackedArr: 180000,
          },
        },
        severity: 'critical',
        message:
          'An at-risk account worth $30,000 ARR renews within 30 days: 16.67% of MRR rides on one renewal (at or above 5%)',
      },
    ],
    silent: [
      {
        // 8000 / 3 / 180000 = 1.48%.
        metrics: {
          'customer-success': {
            atRiskRenewalsNext30Days: 3,
            atRiskRenewalArrNext30Days: 8000,
            trackedArr: 180000,
          },
        },
      },
      {
        metrics: {
          'customer-success': {
            atRiskRenewalsNext30Days: 0,
            atRiskRenewalArrNext30Days: 0,
            trackedArr: 180000,
          },
        },
      },
    ],
  },
  'nrr-below-100-while-spend-grows': {
    fires: [
      {
        metrics: {
          'customer-success': { nrrPctLastMonth: 97.65 },
          marketing: { spendChangePct: 15, spend: 11960, spendPrevious: 10400 },
        },
        severity: 'warning',
        message:
          'Net revenue retention was 97.65% last month (below 100%) while marketing spend rose 15% to $11,960 (from $10,400): new customers refill a leaking base',
      },
    ],
    silent: [
      {
        metrics: {
          'customer-success': { nrrPctLastMonth: 97.65 },
          marketing: { spendChangePct: -4.8, spend: 9900, spendPrevious: 10400 },
        },
      },
    ],
  },
  'support-load-on-full-team': {
    fires: [
      {
        metrics: {
          'customer-success': { highTicketAccounts: 4 },
          operations: { utilization: 96.3 },
        },
        severity: 'warning',
        message:
          '4 accounts have many open tickets (at or above 3) while the team is 96.3% booked this week (at or above 95%): support will wait',
      },
    ],
    silent: [
      {
        metrics: {
          'customer-success': { highTicketAccounts: 2 },
          operations: { utilization: 96.3 },
        },
      },
    ],
  },
};

describe('customer risk rules', () => {
  it('has fire and silent cases for every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(CUSTOMER_RULES.map((r) => r.id).sort());
  });

  it.each(CUSTOMER_RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    checkCases(rule, CASES[rule.id]!);
  });

  it('concentration: the at-risk ARR is money at stake, due on the first renewal', () => {
    const rule = CUSTOMER_RULES.find((r) => r.id === 'concentration-renewal-at-risk')!;
    const r = run(rule, CASES['concentration-renewal-at-risk']!.fires[0]!);
    expect(r.actions[0]).toMatchObject({
      moneyAtStakeCents: 2063880,
      deadline: '2026-12-15', // today + 19 days
      energyDemand: 'high',
      tags: ['retention', 'revenue'],
    });
  });

  it('concentration: the share threshold is configurable', () => {
    const rule = CUSTOMER_RULES.find((r) => r.id === 'concentration-renewal-at-risk')!;
    const r = run(rule, {
      ...CASES['concentration-renewal-at-risk']!.fires[0]!,
      overrides: { 'concentration-renewal-at-risk.customer_share_pct': 10 },
    });
    expect(r.findings).toEqual([]);
  });

  it('NPS falling with tickets: not evaluated without ticket history, and says why', () => {
    const rule = CUSTOMER_RULES.find((r) => r.id === 'nps-falling-tickets-rising')!;
    const { history: _h, ...noHistory } = CASES['nps-falling-tickets-rising']!.fires[0]!;
    expect(run(rule, noHistory).unevaluated[0]!.reason).toBe(
      'no customer-success.highTicketAccounts from ~30 days ago in the history yet, so whether tickets rose while NPS fell 17.6 points cannot be told',
    );
  });
});
