import { describe, it, expect } from 'vitest';
import { PEOPLE_RULES } from '../../src/ceo/risks/people.js';
import { checkCases, run, type RuleCases } from './risks-fixtures.js';

/** The demo's hr figures behind the burnout rule. */
const DEMO_HR = {
  teamUtilizationPct: 96.5,
  openRoles: 2,
  longestOpenRoleDays: 90,
  peopleOnOvertime: 1,
  overtimeHoursLast4Weeks: 30,
  enps: -9.1,
};

const CASES: Record<string, RuleCases> = {
  'burnout-with-open-roles': {
    fires: [
      {
        // The demo: 96.5% >= 95% with 2 open roles; 1 person on overtime and eNPS -9.1 < 10
        // make it critical.
        metrics: { hr: DEMO_HR },
        severity: 'critical',
        message:
          'Team utilization is 96.5% over the last 4 weeks (at or above 95%) with 2 open roles (the oldest open 90 days): burnout risk, worse with 1 person on overtime (30h over available) and eNPS at -9.1 (below 10)',
      },
      {
        // Exactly at the threshold, no overtime, eNPS fine: a warning.
        metrics: {
          hr: { ...DEMO_HR, teamUtilizationPct: 95, openRoles: 1, peopleOnOvertime: 0, enps: 25 },
        },
        severity: 'warning',
        message:
          'Team utilization is 95% over the last 4 weeks (at or above 95%) with 1 open role (the oldest open 90 days): burnout risk',
      },
      {
        // Optional figures missing: the rule still judges what it needs.
        metrics: { hr: { teamUtilizationPct: 101, openRoles: 2, enps: 5 } },
        severity: 'critical',
        message:
          'Team utilization is 101% over the last 4 weeks (at or above 95%) with 2 open roles: burnout risk, worse with eNPS at 5 (below 10)',
      },
    ],
    silent: [
      { metrics: { hr: { ...DEMO_HR, openRoles: 0 } } },
      { metrics: { hr: { ...DEMO_HR, teamUtilizationPct: 94.9 } } },
    ],
  },
  'key-person-overloaded': {
    fires: [
      {
        metrics: {
          hr: { maxPersonUtilizationPct: 118.8 },
          operations: { projectsNotOnTrack: 2, activeProjects: 4 },
        },
        severity: 'warning',
        message:
          'The busiest person worked 118.8% of their available hours over the last 4 weeks (at or above 110%) while 2 of 4 active projects are late or at risk: delivery hangs on one overloaded person',
      },
    ],
    silent: [
      {
        metrics: {
          hr: { maxPersonUtilizationPct: 118.8 },
          operations: { projectsNotOnTrack: 0, activeProjects: 4 },
        },
      },
      {
        metrics: {
          hr: { maxPersonUtilizationPct: 105 },
          operations: { projectsNotOnTrack: 2, activeProjects: 4 },
        },
      },
    ],
  },
  'crunch-ahead-without-rest': {
    fires: [
      {
        metrics: {
          operations: { utilizationNext4WeeksPct: 92 },
          hr: { peopleWithoutVacation180Days: 2 },
        },
        severity: 'warning',
        message:
          'The next 4 weeks are 92% booked (at or above 90%) and 2 people have had no vacation in 180 days: no room to rest before the crunch',
      },
    ],
    silent: [
      {
        // The demo: 78.5% booked.
        metrics: {
          operations: { utilizationNext4WeeksPct: 78.5 },
          hr: { peopleWithoutVacation180Days: 2 },
        },
      },
    ],
  },
  'hire-lands-after-crunch': {
    fires: [
      {
        metrics: {
          operations: { utilizationNext4WeeksPct: 92 },
          hr: { openRoles: 2, avgTimeToHireDays: 60 },
        },
        severity: 'warning',
        message:
          'The next 4 weeks are 92% booked (at or above 90%) and hiring takes 60 days on average (more than 28): the 2 open roles will not relieve the team in time',
      },
    ],
    silent: [
      {
        metrics: {
          operations: { utilizationNext4WeeksPct: 92 },
          hr: { openRoles: 2, avgTimeToHireDays: 21 },
        },
      },
      {
        // Not busy: time to hire does not matter (and is not needed).
        metrics: { operations: { utilizationNext4WeeksPct: 78.5 }, hr: { openRoles: 2 } },
      },
    ],
  },
  'morale-falling-with-attrition': {
    fires: [
      {
        metrics: {
          hr: { enpsChange: -36.4, enps: -9.1, enpsPrevious: 27.3, attritionPct: 22 },
        },
        severity: 'warning',
        message:
          'eNPS fell 36.4 points to -9.1 (from 27.3) while attrition is 22% over the last 12 months (at or above 20%): more departures are likely',
      },
    ],
    silent: [
      {
        // The demo: attrition 17.4%.
        metrics: {
          hr: { enpsChange: -36.4, enps: -9.1, enpsPrevious: 27.3, attritionPct: 17.4 },
        },
      },
    ],
  },
};

describe('people risk rules', () => {
  it('has fire and silent cases for every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(PEOPLE_RULES.map((r) => r.id).sort());
  });

  it.each(PEOPLE_RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    checkCases(rule, CASES[rule.id]!);
  });

  const burnout = PEOPLE_RULES.find((r) => r.id === 'burnout-with-open-roles')!;

  it('utilization with open roles: the action, with the evidence it used', () => {
    const r = run(burnout, { metrics: { hr: DEMO_HR } });
    expect(r.findings[0]!.evidence.map((e) => `${e.metric}=${e.value}`)).toEqual([
      'teamUtilizationPct=96.5',
      'openRoles=2',
      'longestOpenRoleDays=90',
      'peopleOnOvertime=1',
      'overtimeHoursLast4Weeks=30',
      'enps=-9.1',
    ]);
    expect(r.actions[0]).toMatchObject({
      title: 'Relieve the team: fill the 2 open roles or cut its load',
      deadline: '2026-12-03', // critical: today + 7
      energyDemand: 'high',
      tags: ['hiring', 'team', 'delivery'],
    });
    expect(r.actions[0]!.moneyAtStakeCents).toBeUndefined();
  });

  it('utilization with open roles: the threshold is configurable', () => {
    const r = run(burnout, {
      metrics: { hr: DEMO_HR },
      overrides: { 'burnout-with-open-roles.utilization_pct': 97 },
    });
    expect(r.findings).toEqual([]);
    const lower = run(burnout, {
      metrics: { hr: { ...DEMO_HR, teamUtilizationPct: 91, peopleOnOvertime: 0, enps: 30 } },
      overrides: { 'burnout-with-open-roles.utilization_pct': 90 },
    });
    expect(lower.findings[0]!.message).toBe(
      'Team utilization is 91% over the last 4 weeks (at or above 90%) with 2 open roles (the oldest open 90 days): burnout risk',
    );
  });

  it('hire lands after crunch: not evaluated without a time to hire', () => {
    const rule = PEOPLE_RULES.find((r) => r.id === 'hire-lands-after-crunch')!;
    const r = run(rule, {
      metrics: { operations: { utilizationNext4WeeksPct: 92 }, hr: { openRoles: 2 } },
    });
    expect(r.unevaluated[0]!.reason).toBe(
      'no hr.avgTimeToHireDays (no role filled in the last 12 months), so when the open roles will be filled cannot be told',
    );
  });
});
