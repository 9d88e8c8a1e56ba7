import { describe, it, expect } from 'vitest';
import type { AgentName } from '../../src/contract/report.js';
import { DATA_RULES } from '../../src/ceo/risks/data.js';
import { checkCases, run, type Fixture, type RuleCases } from './risks-fixtures.js';

/** A last good report computed from data read at the same moment. */
const COMPUTED = { timestamp: '2026-11-25T06:00:00.000Z', dataAsOf: '2026-11-25T06:00:00.000Z' };

function stale(agent: AgentName, metrics: Record<string, number | null>, hours = 30): Fixture {
  return {
    metrics: { [agent]: metrics },
    reports: { [agent]: { status: 'stale', ...COMPUTED, staleHours: hours } },
  };
}

const fresh = (agent: AgentName, metrics: Record<string, number>): Fixture => ({
  metrics: { [agent]: metrics },
});

const CASES: Record<string, RuleCases> = {
  'decision-on-stale-finance': {
    fires: [
      {
        metrics: { finance: { runwayMonths: 9.7, cashBalance: 1350000 } },
        reports: {
          finance: {
            status: 'stale',
            ...COMPUTED,
            staleHours: 30,
            error: 'cashflow.csv: connection refused',
          },
        },
        severity: 'warning',
        message:
          "Finance data is 30h old (its last good report; today's run failed: cashflow.csv: connection refused): runway 9.7 months, cash $1,350,000 are as of then; cash, runway and hiring decisions rest on it",
      },
      {
        // 80h >= 72h: critical. A null figure (not burning) is left out.
        ...stale('finance', { runwayMonths: null, cashBalance: 1350000 }, 80),
        severity: 'critical',
        message:
          'Finance data is 80h old (its last good report): cash $1,350,000 is as of then; cash, runway and hiring decisions rest on it',
      },
      {
        // Computed 30h ago from a cached answer fetched 2 days before that: the data is
        // 30 + 48 = 78h old, critical (issue 11: the age is the data's, not the report's).
        metrics: { finance: { cashBalance: 1350000 } },
        reports: {
          finance: {
            status: 'stale',
            timestamp: '2026-11-25T06:00:00.000Z',
            dataAsOf: '2026-11-23T06:00:00.000Z',
            staleHours: 30,
          },
        },
        severity: 'critical',
        message:
          'Finance data is 78h old (its last good report): cash $1,350,000 is as of then; cash, runway and hiring decisions rest on it',
      },
    ],
    silent: [fresh('finance', { runwayMonths: 9.7, cashBalance: 1350000 })],
  },
  'decision-on-stale-sales': {
    fires: [
      {
        ...stale('sales', { weightedPipeline: 109609.8, pipelineCoverage: 2.47 }),
        severity: 'warning',
        message:
          'Sales data is 30h old (its last good report): weighted pipeline $109,609.80, coverage 2.47x are as of then; forecast and delivery-capacity decisions rest on it',
      },
    ],
    silent: [fresh('sales', { weightedPipeline: 109609.8 })],
  },
  'decision-on-stale-operations': {
    fires: [
      {
        ...stale('operations', { utilization: 96.3, freeCapacityHoursNext4Weeks: 194 }, 26.5),
        severity: 'warning',
        message:
          'Operations data is 26.5h old (its last good report): utilization 96.3%, 194h free in the next 4 weeks are as of then; delivery and staffing decisions rest on it',
      },
    ],
    silent: [fresh('operations', { utilization: 96.3 })],
  },
  'decision-on-stale-marketing': {
    fires: [
      {
        // No figures in the old report: the age and the decisions are still named.
        ...stale('marketing', {}),
        severity: 'warning',
        message:
          'Marketing data is 30h old (its last good report); budget and channel decisions rest on it',
      },
    ],
    silent: [fresh('marketing', { cac: 2475 })],
  },
  'decision-on-stale-hr': {
    fires: [
      {
        ...stale('hr', { teamUtilizationPct: 96.5, openRoles: 1 }),
        severity: 'warning',
        message:
          'HR data is 30h old (its last good report): team utilization 96.5%, 1 open role are as of then; hiring and workload decisions rest on it',
      },
    ],
    silent: [fresh('hr', { teamUtilizationPct: 96.5 })],
  },
  'decision-on-stale-customer-success': {
    fires: [
      {
        ...stale('customer-success', { atRiskArr: 23608.8, nps: 32.4 }),
        severity: 'warning',
        message:
          'Customer success data is 30h old (its last good report): at-risk ARR $23,608.80, NPS 32.4 are as of then; retention and renewal decisions rest on it',
      },
    ],
    silent: [fresh('customer-success', { nps: 32.4 })],
  },
  'agent-data-failed': {
    fires: [
      {
        reports: { finance: { status: 'failed', error: 'ENOENT: cashflow.csv' } },
        severity: 'warning',
        message:
          'Finance failed with no earlier report to fall back on (Finance: ENOENT: cashflow.csv): the risks that need its figures are listed as not evaluated',
      },
      {
        reports: {
          finance: { status: 'failed', error: 'ENOENT: cashflow.csv' },
          sales: { status: 'failed' },
          hr: { status: 'failed', error: 'people.csv line 3: bad date' },
        },
        severity: 'critical',
        message:
          'Finance, Sales and HR failed with no earlier report to fall back on (Finance: ENOENT: cashflow.csv; HR: people.csv line 3: bad date): the risks that need their figures are listed as not evaluated',
      },
    ],
    // A stale report is a fallback, not a failure.
    silent: [{}, { reports: { finance: { status: 'stale', staleHours: 30 } } }],
  },
  'enps-survey-outdated': {
    fires: [
      {
        metrics: { hr: { enpsSurveyAgeDays: 120, enps: -9.1 } },
        severity: 'info',
        message:
          'The latest eNPS pulse is 120 days old (more than 90): eNPS -9.1 is from then; burnout and attrition judgements rest on it',
      },
    ],
    silent: [{ metrics: { hr: { enpsSurveyAgeDays: 10, enps: -9.1 } } }],
  },
};

describe('data risk rules', () => {
  it('has fire and silent cases for every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(DATA_RULES.map((r) => r.id).sort());
  });

  it.each(DATA_RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    checkCases(rule, CASES[rule.id]!);
  });

  const staleFinance = DATA_RULES.find((r) => r.id === 'decision-on-stale-finance')!;

  it('a stale finding is marked as judged on stale data, with the stale figures as evidence', () => {
    const r = run(staleFinance, CASES['decision-on-stale-finance']!.fires[0]!);
    expect(r.findings[0]!.basedOnStaleData).toBe(true);
    expect(r.findings[0]!.evidence).toEqual([
      { agent: 'finance', metric: 'runwayMonths', value: 9.7, stale: true },
      { agent: 'finance', metric: 'cashBalance', value: 1350000, stale: true },
    ]);
    expect(r.actions[0]).toMatchObject({
      title: 'Refresh the finance data (subscriptions.csv, cashflow.csv)',
      deadline: '2026-11-26',
      energyDemand: 'low',
      tags: ['cash', 'data'],
    });
  });

  it('the age thresholds are configurable', () => {
    const fixture = stale('finance', { cashBalance: 1350000 }, 30);
    expect(
      run(staleFinance, {
        ...fixture,
        overrides: { 'decision-on-stale-finance.min_age_hours': 48 },
      }).findings,
    ).toEqual([]);
    expect(
      run(staleFinance, {
        ...fixture,
        overrides: { 'decision-on-stale-finance.critical_age_hours': 24 },
      }).findings[0]!.severity,
    ).toBe('critical');
  });
});
