import { describe, it, expect } from 'vitest';
import { AgentResult } from '../../src/contract/report.js';
import { enpsBySurvey, hrAgent } from '../../src/agents/hr/index.js';

const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };
// The trailing year is (2025-11-26, 2026-11-26]. The last 4 complete weeks start
// 2026-10-26, 2026-11-02, 2026-11-09 and 2026-11-16 (this week started 2026-11-23).

// Rows as the CSV loader gives them: strings, empty cells as undefined.
const person = (
  id: string,
  type: string,
  start: string,
  end: string | undefined,
  cost: string,
) => ({
  id,
  name: `Person ${id}`,
  role: 'Engineer',
  department: 'Engineering',
  employment_type: type,
  start_date: start,
  end_date: end,
  annual_cost_cents: cost,
});
const people = [
  person('E1', 'full_time', '2024-01-01', undefined, '12000000'),
  person('E2', 'contractor', '2025-01-01', undefined, '6000000'),
  person('E3', 'part_time', '2026-01-01', '2026-11-26', '3000001'), // last day today: still on the team
  person('E4', 'full_time', '2024-01-01', '2026-10-01', '9000000'), // left: a departure
  person('E5', 'full_time', '2025-01-01', '2026-11-20', '9000000'), // left: a departure
  person('E6', 'full_time', '2026-12-01', undefined, '9000000'), // not started yet
  person('E7', 'full_time', '2024-06-01', '2025-11-25', '9000000'), // left before the trailing year
  person('E8', 'contractor', '2025-01-01', '2026-06-30', '9000000'), // contractor: not attrition
  person('E9', 'full_time', '2025-11-26', undefined, '6000000'), // started the day the year opens
  person('E10', 'full_time', '2026-03-02', undefined, '9000000'), // a hire this year
];

const role = (
  id: string,
  status: string,
  opened: string,
  target: string | undefined,
  budget: string,
  filled?: string,
) => ({
  id,
  title: `Role ${id}`,
  department: 'Customer Success',
  status,
  opened_on: opened,
  target_start: target,
  filled_on: filled,
  annual_budget_cents: budget,
});
const roles = [
  role('R-1', 'open', '2026-09-01', '2027-01-15', '12000000'), // open 86 days
  role('R-2', 'OPEN', '2026-11-01', undefined, '9000000'), // open 25 days
  role('R-3', 'filled', '2026-06-01', '2026-09-01', '9000000', '2026-08-10'), // 70 days to hire
  role('R-4', 'on_hold', '2026-01-01', undefined, '9000000'),
  role('R-5', 'filled', '2025-09-01', undefined, '9000000', '2025-11-26'), // filled a year ago: out
  role('R-6', 'filled', '2026-10-01', undefined, '9000000', '2026-11-26'), // filled today: 56 days
  role('R-7', 'closed', '2026-02-01', undefined, '9000000'),
];

const candidate = (id: string, role_id: string, stage: string) => ({
  id,
  role_id,
  stage,
  applied_on: '2026-11-01',
  source: undefined,
});
const candidates = [
  candidate('C-1', 'R-1', 'applied'),
  candidate('C-2', 'R-1', 'applied'),
  candidate('C-3', 'R-1', 'screen'),
  candidate('C-4', 'R-1', 'interview'),
  candidate('C-5', 'R-1', 'offer'),
  candidate('C-6', 'R-1', 'rejected'),
  candidate('C-7', 'R-2', 'Applied'),
  candidate('C-8', 'R-4', 'interview'), // the role is on hold: not in the pipeline
  candidate('C-9', 'R-3', 'hired'),
];

const pulse = [
  // 2026-08-03: 5 promoters, 3 passives, 2 detractors of 10: 50% - 20% = 30.
  ...['9', '10', '9', '10', '9', '7', '8', '7', '6', '3'].map((score) => ({
    survey_date: '2026-08-03',
    score,
  })),
  // 2026-11-02: 1 promoter, 2 passives, 3 detractors of 6: (1 - 3) / 6 = -33.3.
  ...['10', '8', '7', '6', '0', '5'].map((score) => ({ survey_date: '2026-11-02', score })),
  // After today: ignored.
  { survey_date: '2026-12-01', score: '10' },
];

const capacity = [
  { person_id: 'E1', available_hours_per_week: '40' },
  { person_id: 'E2', available_hours_per_week: '40' },
  { person_id: 'E10', available_hours_per_week: '20' },
];
const weeks = ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16'];
const logged = (person_id: string, hours: (string | undefined)[]) =>
  weeks.map((week, i) => ({
    person_id,
    project_id: 'P-1',
    week,
    planned_hours: '20',
    actual_hours: hours[i],
  }));
const allocations = [
  ...logged('E1', ['46', '46', '46', '46']), // 184h of 160h: 6h a week over
  ...logged('E2', ['40', '40', '24', '40']), // 144h of 144h (2 sick days in week 3)
  ...logged('E10', ['20', '20', '20', '14']), // 74h of 80h
  // This week: not a complete week yet.
  {
    person_id: 'E1',
    project_id: 'P-1',
    week: '2026-11-23',
    planned_hours: '40',
    actual_hours: '30',
  },
];
const timeOff = [
  { person_id: 'E1', start_date: '2026-09-28', end_date: '2026-10-02', type: 'vacation' }, // 5 days
  { person_id: 'E2', start_date: '2026-07-31', end_date: '2026-08-03', type: 'vacation' }, // Fri + Mon
  { person_id: 'E2', start_date: '2026-11-09', end_date: '2026-11-10', type: 'sick' }, // 2 days
  { person_id: 'E3', start_date: '2026-11-26', end_date: '2026-11-27', type: 'vacation' }, // today + tomorrow
  { person_id: 'E9', start_date: '2026-12-21', end_date: '2026-12-25', type: 'vacation' }, // 5 days ahead
  { person_id: 'E10', start_date: '2026-05-04', end_date: '2026-05-08', type: 'vacation' }, // > 180 days ago
  { person_id: 'E4', start_date: '2026-09-01', end_date: '2026-09-02', type: 'vacation' }, // E4 has left
];

const data = { people, roles, candidates, pulse, capacity, allocations, timeOff };

function run(over: Record<string, unknown> = {}) {
  const input = hrAgent.input.parse({ ...data, ...over });
  return AgentResult.parse(hrAgent.compute(input, ctx));
}

/** Every metric is a finite number or null: no NaN, no Infinity. */
function expectFinite(metrics: Record<string, number | null>) {
  for (const [k, v] of Object.entries(metrics)) {
    expect(v === null || Number.isFinite(v), `${k} = ${v}`).toBe(true);
  }
}

describe('hr agent', () => {
  it('computes roster, hiring, eNPS, load and time off by hand', () => {
    expect(run().metrics).toEqual({
      headcount: 5, // E1, E2, E3 (last day today), E9, E10
      contractors: 1, // E2
      joiningSoon: 1, // E6
      hiresLast12Months: 2, // E3, E10 (E9 started on the excluded first day)
      departuresLast12Months: 2, // E4, E5 (E7 before the year, E8 a contractor)
      // Employees on 2025-11-26: E1, E4, E5, E9 = 4; today: E1, E3, E9, E10 = 4; average 4.
      attritionPct: 50, // 2 / 4
      monthlyPayroll: 30000, // (12000000 + 6000000 + 3000001 + 6000000 + 9000000) / 12 = 3000000.08 cents
      openRoles: 2,
      avgOpenRoleAgeDays: 55.5, // (86 + 25) / 2
      longestOpenRoleDays: 86,
      hiringPlanMonthlyCost: 17500, // (12000000 + 9000000) / 12 cents
      rolesFilledLast12Months: 2,
      avgTimeToHireDays: 63, // (70 + 56) / 2
      candidatesApplied: 3, // C-1, C-2, C-7
      candidatesScreen: 1,
      candidatesInterview: 1, // C-4 (C-8's role is on hold)
      candidatesOffer: 1,
      activeCandidates: 6,
      enps: -33.3,
      enpsResponses: 6,
      enpsResponseRatePct: 100, // 6 of 6 on the team on 2026-11-02 (E1, E2, E3, E5, E9, E10)
      enpsPrevious: 30,
      enpsChange: -63.3, // -33.3 - 30
      enpsSurveyAgeDays: 24,
      // (184 + 144 + 74) / (160 + 144 + 80) = 402 / 384
      teamUtilizationPct: 104.7,
      maxPersonUtilizationPct: 115, // E1: 184 / 160
      peopleAtOrAboveUtilizationThreshold: 2, // E1 115%, E2 100% (E10 92.5%)
      peopleOnOvertime: 1, // E1: 24h over 4 weeks = 6h a week > 4
      overtimeHoursLast4Weeks: 24,
      onTimeOffToday: 1, // E3
      timeOffDaysLast90Days: 8, // 2026-08-29..2026-11-26: E1 5 + E2 sick 2 + E3 1 (E4 has left)
      sickDaysLast90Days: 2,
      timeOffDaysNext30Days: 6, // 2026-11-27..2026-12-26: E3 1 + E9 5
      peopleWithoutVacation180Days: 2, // E9 (only a future one), E10 (May)
      'utilizationPct.E1': 115,
      'utilizationPct.E2': 100, // 144 / (40 + 40 + 24 + 40)
      'utilizationPct.E10': 92.5, // 74 / 80
    });
  });

  it('fires burnout-risk, overtime, role-open-too-long, enps-low and attrition-high', () => {
    const r = run();
    expect(r.alerts.map((a) => [a.id, a.severity, a.metric, a.value, a.threshold])).toEqual([
      ['hr.burnout-risk', 'warning', 'teamUtilizationPct', 104.7, 95],
      ['hr.overtime', 'warning', 'peopleOnOvertime', 1, 0],
      ['hr.role-open-too-long', 'warning', 'longestOpenRoleDays', 86, 60],
      ['hr.enps-low', 'critical', 'enps', -33.3, -10],
      ['hr.attrition-high', 'critical', 'attritionPct', 50, 35],
    ]);
    expect(r.alerts.map((a) => a.message)).toEqual([
      'Delivery team worked 104.7% of its available hours over the last 4 weeks (threshold 95%); at or above 95%: Person E1 115%, Person E2 100%; 2 open roles',
      '1 person on overtime over the last 4 weeks: Person E1 (46h/week worked, 6h/week over available)',
      'Role R-1 has been open 86 days (threshold 60)',
      'eNPS is -33.3 (threshold -10) in the 2026-11-02 pulse (6 responses), down from 30',
      'Attrition is 50% over the last 12 months (threshold 35%): Person E4, Person E5 left',
    ]);
    expect(r.health).toBe(0); // 100 - 3 x 20 - 2 x 40, floored at 0
  });

  it('raises the critical levels and stays silent under relaxed thresholds', () => {
    const severe = run({
      settings: {
        thresholds: {
          burnout_utilization_critical_pct: 104.7,
          role_open_days_critical: 85,
          enps_critical: -40,
          attrition_critical_pct: 60,
        },
      },
    });
    expect(severe.alerts.map((a) => [a.id, a.severity])).toEqual([
      ['hr.burnout-risk', 'critical'],
      ['hr.overtime', 'warning'],
      ['hr.role-open-too-long', 'critical'],
      ['hr.enps-low', 'warning'],
      ['hr.attrition-high', 'warning'],
    ]);

    const quiet = run({
      settings: {
        thresholds: {
          burnout_utilization_pct: 105,
          overtime_hours_per_week: 6, // E1 is 6h over: not more than 6
          role_open_days_warning: 90,
          enps_warning: -50,
          enps_critical: -60,
          attrition_warning_pct: 60,
          attrition_critical_pct: 70,
        },
      },
    });
    expect(quiet.alerts).toEqual([]);
    expect(quiet.health).toBe(100);
    expect(quiet.healthReason).toBe('Team stable: 5 people, 2 open roles, eNPS -33.3');
  });

  it('recommends filling roles, relieving overtime and following up on the pulse', () => {
    const r = run();
    expect(r.recommendations).toEqual([
      {
        id: 'hr.fill-role-r-1',
        title: 'Fill Role R-1 (open 86 days)',
        source: 'hr',
        subject: 'role:role r-1',
        reason:
          'Customer Success role open since 2026-09-01, budget $120K/year, wanted by 2027-01-15; ' +
          '5 candidates in the running (2 applied, 1 screen, 1 interview, 1 offer).',
        deadline: '2027-01-15',
        energyDemand: 'medium',
        tags: ['hiring', 'customer-success'],
      },
      {
        id: 'hr.fill-role-r-2',
        title: 'Fill Role R-2 (open 25 days)',
        source: 'hr',
        subject: 'role:role r-2',
        reason:
          'Customer Success role open since 2026-11-01, budget $90K/year; 1 candidate in the running (1 applied).',
        deadline: '2026-12-26', // no target start: today + 30
        energyDemand: 'medium',
        tags: ['hiring', 'customer-success'],
      },
      {
        id: 'hr.reduce-overtime-e1',
        title: 'Take load off Person E1 (46h/week worked)',
        source: 'hr',
        subject: 'person:person e1',
        reason:
          'Person E1 worked 184h over the last 4 weeks against 160h available (115%); last vacation 2026-10-02.',
        deadline: '2026-12-03',
        energyDemand: 'medium',
        tags: ['team', 'burnout'],
      },
      {
        id: 'hr.follow-up-enps',
        title: 'Follow up on the 2026-11-02 pulse survey (eNPS -33.3)',
        source: 'hr',
        reason:
          '1 promoter and 3 detractors of 6 responses; -63.3 points since 2026-08-03. Hold 1:1s and share what will change.',
        deadline: '2026-12-10',
        energyDemand: 'high',
        tags: ['team', 'culture'],
      },
    ]);
  });

  it('writes role budgets in the company currency (EUR)', () => {
    const input = hrAgent.input.parse(data);
    const r = AgentResult.parse(hrAgent.compute(input, { ...ctx, currency: 'EUR' }));
    expect(r.recommendations[0]!.reason).toMatch(
      /^Customer Success role open since 2026-09-01, budget €120K\/year,/,
    );
    expect(r.recommendations[1]!.reason).toContain('budget €90K/year');
    expect(r.metrics).toEqual(run().metrics);
    expect(JSON.stringify(r)).not.toContain('$');
  });

  it('groups pulse responses by survey date', () => {
    const input = hrAgent.input.parse(data);
    expect(enpsBySurvey(input.pulse, '2026-11-26')).toEqual([
      { surveyDate: '2026-08-03', responses: 10, promoters: 5, detractors: 2, enps: 30 },
      { surveyDate: '2026-11-02', responses: 6, promoters: 1, detractors: 3, enps: -33.3 },
    ]);
  });

  it('reports null, not NaN or Infinity, without data', () => {
    const r = run({
      people: [],
      roles: [],
      candidates: [],
      pulse: [],
      capacity: [],
      allocations: [],
      timeOff: [],
    });
    expectFinite(r.metrics);
    expect(r.metrics).toMatchObject({
      headcount: 0,
      attritionPct: null, // average headcount 0
      avgOpenRoleAgeDays: null,
      longestOpenRoleDays: null,
      avgTimeToHireDays: null,
      enps: null,
      enpsResponseRatePct: null,
      enpsChange: null,
      teamUtilizationPct: null,
      maxPersonUtilizationPct: null,
      overtimeHoursLast4Weeks: null,
      onTimeOffToday: null, // no time-off data at all
      peopleWithoutVacation180Days: null,
    });
    expect(r.alerts).toEqual([]);
    expect(r.recommendations).toEqual([]);
    expectFinite(run().metrics);
  });

  it('reports utilization as null when capacity is known but no hours were logged', () => {
    const m = run({ allocations: [] }).metrics;
    expect(m.teamUtilizationPct).toBeNull();
    expect(m['utilizationPct.E1']).toBeNull();
    expect(m.peopleOnOvertime).toBe(0);
  });

  it('reports bad rows with their row and column', () => {
    const badDate = hrAgent.input.safeParse({
      ...data,
      people: [person('E1', 'full_time', '2026-02-30', undefined, '1')],
    });
    expect(badDate.error?.issues[0]?.path).toEqual(['people', 0, 'start_date']);
    expect(badDate.error?.issues[0]?.message).toBe(
      'expected a date written YYYY-MM-DD, got "2026-02-30"',
    );

    const filledNoDate = hrAgent.input.safeParse({
      ...data,
      roles: [role('R-9', 'filled', '2026-01-01', undefined, '1')],
    });
    expect(filledNoDate.error?.issues[0]?.path).toEqual(['roles', 0, 'filled_on']);

    const unknownRole = hrAgent.input.safeParse({
      ...data,
      candidates: [candidate('C-9', 'R-404', 'applied')],
    });
    expect(unknownRole.error?.issues[0]?.path).toEqual(['candidates', 0, 'role_id']);
    expect(unknownRole.error?.issues[0]?.message).toBe(
      'unknown role "R-404": not an id in roles.csv',
    );

    const badScore = hrAgent.input.safeParse({
      ...data,
      pulse: [{ survey_date: '2026-11-02', score: '11' }],
    });
    expect(badScore.error?.issues[0]?.path).toEqual(['pulse', 0, 'score']);
  });
});
