import { describe, it, expect } from 'vitest';
import { AgentResult, type MetricSnapshot } from '../../src/contract/report.js';
import { assessProject, operationsAgent } from '../../src/agents/operations/index.js';

const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };
// 2026-11-26 is a Thursday: this week starts Monday 2026-11-23; the next four weeks start
// 2026-11-30, 2026-12-07, 2026-12-14 and 2026-12-21.

// Rows as the CSV loader gives them: strings, empty cells as undefined.
const project = (
  id: string,
  status: string,
  start: string,
  due: string,
  budget: string,
  spent: string,
  pct: string,
  arr?: string,
) => ({
  id,
  name: `Project ${id}`,
  customer: arr ? 'Contoso' : undefined,
  owner: 'Priya Nair',
  status,
  start_date: start,
  due_date: due,
  budget_hours: budget,
  spent_hours: spent,
  percent_complete: pct,
  arr_at_stake_cents: arr,
});

const projects = [
  // 25 of 60 days used (41.7%), 30% done: 11.7 points behind, within 20. On track.
  project('P-1', 'active', '2026-11-01', '2026-12-31', '100', '20', '30'),
  // Due 2026-11-20: late. Also over budget.
  project('P-2', 'active', '2026-10-01', '2026-11-20', '50', '60', '90', '500000'),
  // 56 of 91 days used (61.5%), 20% done: 41.5 points behind. At risk.
  project('P-3', 'active', '2026-10-01', '2026-12-31', '200', '50', '20'),
  project('P-4', 'completed', '2026-08-01', '2026-09-30', '40', '38', '100'),
  project('P-5', 'planned', '2026-12-14', '2027-01-29', '60', '0', '0'),
  // 25 of 91 days (27.5%), 25% done: on schedule, but a milestone is overdue. At risk.
  project('P-6', 'active', '2026-11-01', '2027-01-31', '300', '60', '25', '1200000'),
  // 10 of 32 days (31.3%), 30% done: on schedule, but blocked for 6 days (> 5). At risk.
  project('P-7', 'active', '2026-11-16', '2026-12-18', '80', '20', '30'),
];

const milestone = (id: string, project_id: string, due: string, completed?: string) => ({
  id,
  project_id,
  name: `Milestone ${id}`,
  due_date: due,
  completed_on: completed,
});
const milestones = [
  milestone('M-1', 'P-1', '2026-11-20', '2026-11-19'), // done
  milestone('M-2', 'P-2', '2026-11-15'), // overdue
  milestone('M-3', 'P-6', '2026-11-25'), // overdue
  milestone('M-4', 'P-1', '2026-12-05'), // due in 9 days
  milestone('M-5', 'P-3', '2026-12-31'), // due in 35 days
  milestone('M-6', 'P-4', '2026-09-01'), // open, but its project is completed: not counted
  milestone('M-7', 'P-7', '2026-11-26'), // due today: upcoming, not overdue
];

const blocker = (id: string, project_id: string, opened: string, resolved?: string) => ({
  id,
  project_id,
  title: `Blocker ${id}`,
  owner: undefined,
  opened_on: opened,
  resolved_on: resolved,
});
const blockers = [
  blocker('B-1', 'P-1', '2026-11-22'), // open 4 days: not yet a risk
  blocker('B-2', 'P-7', '2026-11-20'), // open 6 days: at risk
  blocker('B-3', 'P-3', '2026-11-01', '2026-11-10'), // resolved
  blocker('B-4', 'P-5', '2026-11-01'), // on a planned project: not counted
  blocker('B-5', 'P-2', '2026-11-26', '2026-11-30'), // resolves after today: open today, 0 days
];

const person = (id: string, start = '2024-01-01', end?: string) => ({
  id,
  name: `Person ${id}`,
  role: 'Engineer',
  department: 'Engineering',
  employment_type: 'full_time',
  start_date: start,
  end_date: end,
  annual_cost_cents: '1000000',
});
const people = [person('E1'), person('E2'), person('E3'), person('E4', '2024-01-01', '2026-11-24')];
const capacity = [
  { person_id: 'E1', available_hours_per_week: '40' },
  { person_id: 'E2', available_hours_per_week: '40' },
  { person_id: 'E3', available_hours_per_week: '20' },
  { person_id: 'E4', available_hours_per_week: '40' }, // leaves Tuesday: 2 of 5 days this week
];
const alloc = (person_id: string, project_id: string, week: string, planned: string) => ({
  person_id,
  project_id,
  week,
  planned_hours: planned,
  actual_hours: undefined,
});
const allocations = [
  // This week: E1 30/40, E2 44/40 (over), E3 20/20, E4 16/16.
  alloc('E1', 'P-1', '2026-11-23', '30'),
  alloc('E2', 'P-1', '2026-11-23', '20'),
  alloc('E2', 'P-3', '2026-11-23', '24'),
  alloc('E3', 'P-3', '2026-11-23', '20'),
  alloc('E4', 'P-3', '2026-11-23', '16'),
  // Next four weeks.
  alloc('E1', 'P-1', '2026-11-30', '30'),
  alloc('E1', 'P-1', '2026-12-07', '20'), // E1 is off two days that week: 24h available
  alloc('E2', 'P-3', '2026-11-30', '40'),
  alloc('E2', 'P-3', '2026-12-07', '40'),
  alloc('E2', 'P-3', '2026-12-14', '40'),
  // Last week: not in this week's or the next weeks' figures.
  alloc('E3', 'P-3', '2026-11-16', '20'),
];
const timeOff = [
  { person_id: 'E1', start_date: '2026-12-07', end_date: '2026-12-08', type: 'vacation' },
];

const data = { projects, milestones, blockers, people, capacity, allocations, timeOff };

function run(over: Record<string, unknown> = {}, history: MetricSnapshot[] = []) {
  const input = operationsAgent.input.parse({ ...data, ...over });
  return AgentResult.parse(operationsAgent.compute(input, { ...ctx, history }));
}

/** Every metric is a finite number or null: no NaN, no Infinity. */
function expectFinite(metrics: Record<string, number | null>) {
  for (const [k, v] of Object.entries(metrics)) {
    expect(v === null || Number.isFinite(v), `${k} = ${v}`).toBe(true);
  }
}

describe('operations agent', () => {
  it('computes project health, blockers, milestones and capacity by hand', () => {
    const m = run().metrics;
    expect(m).toEqual({
      activeProjects: 5, // P-1, P-2, P-3, P-6, P-7
      projectsOnTrack: 1, // P-1
      projectsAtRisk: 3, // P-3 behind, P-6 milestone, P-7 blocker
      projectsLate: 1, // P-2
      projectsNotOnTrack: 4, // 3 + 1
      projectsNotOnTrackChange: null, // no history
      remainingProjectHours: 530, // (100-20) + 0 + (200-50) + (300-60) + (80-20)
      openBlockers: 3, // B-1, B-2, B-5 (B-3 resolved, B-4 on a planned project)
      blockedProjects: 3, // P-1, P-7, P-2
      oldestBlockerDays: 6, // B-2, 2026-11-20 -> 2026-11-26
      overdueMilestones: 2, // M-2, M-3
      milestonesDueNext14Days: 2, // M-4 (in 9 days), M-7 (today)
      teamSize: 3, // E4 left on 2026-11-24
      availableHoursThisWeek: 116, // 40 + 40 + 20 + 40 x 2/5
      allocatedHoursThisWeek: 110, // 30 + 44 + 20 + 16
      freeHoursThisWeek: 10, // E1 10; E2's 4h overload does not eat it
      utilization: 94.8, // 110 / 116 = 94.83%
      overallocatedPeople: 1, // E2
      // E1 40 + 24 + 40 + 40, E2 4 x 40, E3 4 x 20, E4 0 (gone)
      availableHoursNext4Weeks: 384, // 144 + 160 + 80
      allocatedHoursNext4Weeks: 170, // 30 + 20 + 40 x 3
      // E1 (40-30) + (24-20) + 40 + 40 = 94, E2 0 + 0 + 0 + 40 = 40, E3 80
      freeCapacityHoursNext4Weeks: 214,
      utilizationNext4WeeksPct: 44.3, // 170 / 384 = 44.27%
    });
  });

  it('fires projects-late, projects-at-risk and team-overloaded with per-project detail', () => {
    const r = run();
    expect(r.alerts.map((a) => [a.id, a.severity, a.metric, a.value, a.threshold])).toEqual([
      ['operations.projects-late', 'warning', 'projectsLate', 1, 0],
      ['operations.projects-at-risk', 'warning', 'projectsAtRisk', 3, 0],
      ['operations.team-overloaded', 'warning', 'utilization', 94.8, 90],
    ]);
    // One late project names its subject; three at risk name none; capacity is the team's.
    expect(r.alerts.map((a) => a.subject)).toEqual([
      'project:project p-2',
      undefined,
      'capacity:delivery team',
    ]);
    expect(r.alerts[0]?.message).toBe(
      '1 of 5 active projects late: Project P-2 (6 days overdue, due 2026-11-20, 90% done; ' +
        'over budget, 60h spent of 50h; milestone "Milestone M-2" overdue since 2026-11-15)',
    );
    expect(r.alerts[1]?.message).toBe(
      '3 of 5 active projects at risk: ' +
        'Project P-3 (41.5 points behind schedule, 20% done with 61.5% of the time used); ' +
        'Project P-6 (milestone "Milestone M-3" overdue since 2026-11-25); ' +
        'Project P-7 (blocked 6 days: Blocker B-2)',
    );
    expect(r.alerts[2]?.message).toBe(
      'Delivery team is 94.8% allocated this week (threshold 90%): 110h of 116h, 10h free this week and 214h over the next 4 weeks',
    );
    expect(r.health).toBe(40); // 100 - 3 x 20
    expect(r.healthReason).toMatch(/^3 warnings: 1 of 5 active projects late/);
  });

  it('stays silent under relaxed thresholds, and is critical at 100% utilization', () => {
    const quiet = run({
      settings: {
        thresholds: { projects_late_max: 1, projects_at_risk_max: 3, utilization_warning_pct: 95 },
      },
    });
    expect(quiet.alerts).toEqual([]);
    expect(quiet.health).toBe(100);
    expect(quiet.healthReason).toBe(
      'Delivery on track: 5 active projects, team 94.8% allocated this week',
    );
    expect(quiet.recommendations.map((t) => t.id)).not.toContain('operations.rebalance-capacity');

    const full = run({ settings: { thresholds: { utilization_critical_pct: 94.8 } } });
    expect(full.alerts.find((a) => a.id === 'operations.team-overloaded')).toMatchObject({
      severity: 'critical',
      value: 94.8,
      threshold: 94.8,
    });
  });

  it('honours behind_schedule_points and blocker_days', () => {
    const m = run({
      settings: { thresholds: { behind_schedule_points: 45, blocker_days: 6 } },
    }).metrics;
    // P-3 (41.5 behind) and P-7 (blocked 6 days, not more than 6) are now on track.
    expect([m.projectsOnTrack, m.projectsAtRisk, m.projectsLate]).toEqual([3, 1, 1]);
  });

  it('recommends recovering late projects first, then at-risk ones by ARR at stake', () => {
    const r = run();
    expect(r.recommendations.map((t) => t.id)).toEqual([
      'operations.recover-project-p-2', // late
      'operations.recover-project-p-6', // $12,000 ARR at stake
      'operations.recover-project-p-7', // no ARR, due 2026-12-18
      'operations.recover-project-p-3', // no ARR, due 2026-12-31
      'operations.rebalance-capacity',
    ]);
    expect(r.recommendations[0]).toEqual({
      id: 'operations.recover-project-p-2',
      title: 'Get Project P-2 back on track',
      source: 'operations',
      subject: 'project:project p-2',
      reason:
        'Project P-2 for Contoso is late: 6 days overdue, due 2026-11-20, 90% done; over budget, 60h spent of 50h; ' +
        'milestone "Milestone M-2" overdue since 2026-11-15. Owner Priya Nair; 0h of budget left, 0h planned over the next 4 weeks.',
      moneyAtStakeCents: 500000,
      deadline: '2026-12-03', // late: a week from today
      energyDemand: 'high',
      tags: ['delivery', 'retention'],
    });
    const p3 = r.recommendations[3]!;
    expect(p3.deadline).toBe('2026-12-31'); // at risk: its due date
    expect(p3.energyDemand).toBe('medium');
    expect(p3.moneyAtStakeCents).toBeUndefined();
    expect(p3.tags).toEqual(['delivery']); // internal project
    expect(p3.reason).toContain('150h of budget left, 120h planned over the next 4 weeks'); // 40 x 3
    expect(r.recommendations[4]).toMatchObject({
      title: 'Free delivery capacity (team 94.8% allocated this week)',
      reason:
        '110h of 116h are allocated this week (fully booked: Person E2 44h/40h, Person E3 20h/20h, Person E4 16h/16h); ' +
        '214h free over the next 4 weeks. Defer, delegate or hire before new work lands.',
      deadline: '2026-12-10',
      tags: ['delivery', 'hiring'],
    });
  });

  it('compares projects not on track with a week ago from history', () => {
    const snap = (date: string, v: number): MetricSnapshot => ({
      date,
      metrics: { projectsNotOnTrack: v },
    });
    // 7 days before 2026-11-26 is 2026-11-19: 4 now - 1 then = +3.
    expect(
      run({}, [snap('2026-11-19', 1), snap('2026-11-25', 4)]).metrics.projectsNotOnTrackChange,
    ).toBe(3);
    // The newest snapshot on or before 2026-11-19 within 7 days: 2026-11-13.
    expect(run({}, [snap('2026-11-13', 6)]).metrics.projectsNotOnTrackChange).toBe(-2);
    // Too old to compare (more than 7 days before 2026-11-19).
    expect(run({}, [snap('2026-11-01', 1)]).metrics.projectsNotOnTrackChange).toBeNull();
  });

  it('handles an empty workspace: nulls, not NaN or Infinity', () => {
    const r = run({
      projects: [],
      milestones: [],
      blockers: [],
      people: [],
      capacity: [],
      allocations: [],
      timeOff: [],
    });
    expectFinite(r.metrics);
    expect(r.metrics).toMatchObject({
      activeProjects: 0,
      oldestBlockerDays: null,
      utilization: null,
      utilizationNext4WeeksPct: null,
      freeHoursThisWeek: 0,
      freeCapacityHoursNext4Weeks: 0,
    });
    expect(r.alerts).toEqual([]);
    expect(r.recommendations).toEqual([]);
    expectFinite(run().metrics);
  });

  it('treats a zero-length schedule as on time until its due date passes', () => {
    const p = operationsAgent.input.parse({
      ...data,
      projects: [project('Z', 'active', '2026-11-26', '2026-11-26', '10', '0', '0')],
      milestones: [],
      blockers: [],
    }).projects[0]!;
    const rule = { behindPoints: 20, blockerDays: 5 };
    const none = { milestones: [], blockers: [] };
    expect(assessProject(p, '2026-11-26', none, rule)).toMatchObject({
      health: 'on_track',
      elapsedPct: 0,
    });
    expect(assessProject(p, '2026-11-27', none, rule)).toMatchObject({
      health: 'late',
      elapsedPct: 100,
    });
  });

  it('names the row and column of a bad reference', () => {
    const bad = operationsAgent.input.safeParse({
      ...data,
      milestones: [milestone('M-9', 'P-404', '2026-12-01')],
    });
    expect(bad.error?.issues[0]?.path).toEqual(['milestones', 0, 'project_id']);
    expect(bad.error?.issues[0]?.message).toBe(
      'unknown project "P-404": not an id in projects.csv',
    );

    const resolvedEarly = operationsAgent.input.safeParse({
      ...data,
      blockers: [blocker('B-9', 'P-1', '2026-11-20', '2026-11-19')],
    });
    expect(resolvedEarly.error?.issues[0]?.path).toEqual(['blockers', 0, 'resolved_on']);
  });
});
