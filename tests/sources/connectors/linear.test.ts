/**
 * The Linear connector against the local fake (tests/fakes/linear-server.ts): the golden
 * workspace's rows and operations metrics (arithmetic below), the requests it makes, every
 * error class, shape changes and check().
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operationsAgent } from '../../../src/agents/operations/index.js';
import {
  SourceAuthError,
  SourceRequestError,
  SourceSchemaError,
  SourceTransientError,
  ValidationError,
} from '../../../src/shared/errors.js';
import type { ConnectorContext } from '../../../src/sources/connectors/connector.js';
import { loadAgentInput } from '../../../src/sources/workspace.js';
import { linearConnector } from '../../../src/sources/connectors/linear/index.js';
import {
  GOLDEN_API_KEY,
  GOLDEN_AS_OF,
  GOLDEN_OPERATIONS_METRICS,
  GOLDEN_SETTINGS,
  GOLDEN_TODAY,
  goldenFileDatasets,
  goldenLinearWorkspace,
  uuid,
} from '../../fakes/linear-fixtures/golden.js';
import { startFakeLinear, type FakeLinear } from '../../fakes/linear-server.js';

const agentCtx = { asOf: GOLDEN_AS_OF, today: GOLDEN_TODAY, history: [] };

let fake: FakeLinear;

function ctx(
  settings: Record<string, unknown> = {},
  env: Record<string, string | undefined> = { LINEAR_API_KEY: GOLDEN_API_KEY },
): ConnectorContext {
  return {
    companyId: 'northwind',
    env,
    settings: { ...GOLDEN_SETTINGS, base_url: fake.url, page_size: 4, ...settings },
    today: GOLDEN_TODAY,
    asOf: GOLDEN_AS_OF,
    fileDatasets: goldenFileDatasets(),
  };
}

/** The connector's data sets over the files, through the agent's schema and compute. */
async function runAgent(settings: Record<string, unknown> = {}) {
  const loaded = await linearConnector.load('operations', ctx(settings));
  const input = operationsAgent.input.parse({ ...goldenFileDatasets(), ...loaded.datasets });
  return { loaded, report: operationsAgent.compute(input, agentCtx) };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('linear connector: the golden workspace', () => {
  beforeEach(async () => {
    // The fake's clock is the briefing's (cycles' isActive), so nothing depends on today's date.
    fake = await startFakeLinear({
      workspace: goldenLinearWorkspace(),
      now: () => GOLDEN_AS_OF.getTime(),
    });
  });
  afterEach(() => fake.close());

  it('declares what it supplies', () => {
    expect(linearConnector.name).toBe('linear');
    expect(linearConnector.supplies).toEqual({
      operations: ['projects', 'milestones', 'blockers'],
    });
  });

  it('maps projects: file ids, customer, ARR and hours kept from matching projects.csv rows; hours from estimates otherwise', async () => {
    const { loaded } = await runAgent();
    expect(loaded.datasets.projects).toEqual([
      // Matched by name with P-101: keeps the file's id, customer, ARR, budget and spent.
      // percent_complete is Linear's progress: (3 done + 0.25 x 3 in progress) / 13 points = 28.8%.
      {
        id: 'P-101',
        name: 'Fabrikam onboarding',
        customer: 'Fabrikam Inc',
        owner: 'Priya Nair',
        status: 'active',
        start_date: '2026-11-10',
        due_date: '2026-12-18',
        budget_hours: '120',
        spent_hours: '35',
        percent_complete: 28.8,
        arr_at_stake_cents: '2400000',
      },
      // Matched by name ignoring case ("Contoso Data Migration" in the file). (3 + 0.25 x 5) / 11 = 38.6%.
      {
        id: 'P-102',
        name: 'Contoso data migration',
        customer: 'Contoso Ltd',
        owner: 'Tom Becker',
        status: 'active',
        start_date: '2026-10-19',
        due_date: '2026-11-20',
        budget_hours: '80',
        spent_hours: '92',
        percent_complete: 38.6,
        arr_at_stake_cents: '799000',
      },
      // No file row: id = slugId. Points 5 + 3 + 8 + 3 + 2 = 21 (ENG-16 canceled and the trashed
      // ENG-18 left out; ENG-15 is in no project) x 4 h = 84 h; done 5 + 3 = 8 x 4 = 32 h.
      // Progress (8 + 0.25 x 8) / 21 = 47.6%.
      {
        id: 'c3d5f7a9b1e4',
        name: 'Dashboard builder v3',
        owner: 'Sofia Ramirez',
        status: 'active',
        start_date: '2026-09-01',
        due_date: '2027-01-31',
        budget_hours: 84,
        spent_hours: 32,
        percent_complete: 47.6,
      },
      // 3 + 5 + 2 + 5 = 15 points x 4 = 60 h; done 3 x 4 = 12 h; (3 + 0.25 x 5) / 15 = 28.3%.
      {
        id: 'd4c6e8b0a2f5',
        name: 'SOC 2 Type I readiness',
        owner: 'Priya Nair',
        status: 'active',
        start_date: '2026-10-01',
        due_date: '2026-12-31',
        budget_hours: 60,
        spent_hours: 12,
        percent_complete: 28.3,
      },
      // planned, no lead: owner "unassigned"; 2 points x 4 = 8 h.
      {
        id: 'e5b7d9c1f3a6',
        name: 'Globex pilot',
        owner: 'unassigned',
        status: 'planned',
        start_date: '2026-12-14',
        due_date: '2027-01-29',
        budget_hours: 8,
        spent_hours: 0,
        percent_complete: 0,
      },
      // paused -> on_hold; (8 + 5) x 4 = 52 h, the archived done ENG-51 counts: 8 x 4 = 32 h.
      {
        id: 'f6a8c0e2d4b7',
        name: 'Partner API',
        owner: 'Lena Ortiz',
        status: 'on_hold',
        start_date: '2026-08-03',
        due_date: '2027-02-26',
        budget_hours: 52,
        spent_hours: 32,
        percent_complete: 61.5,
      },
      // Closed projects: issues not read; scope 10 x 4 = 40 h, spent 40 x progress 1 = 40 h.
      {
        id: '0a7b9d1f3c5e',
        name: 'Northbeam onboarding',
        owner: 'Tom Becker',
        status: 'completed',
        start_date: '2026-09-24',
        due_date: '2026-10-20',
        budget_hours: 40,
        spent_hours: 40,
        percent_complete: 100,
      },
      // scope 8 x 4 = 32 h, x progress 0.25 = 8 h.
      {
        id: '1b8c0e2a4d6f',
        name: 'Legacy reports sunset',
        owner: 'Sofia Ramirez',
        status: 'canceled',
        start_date: '2026-06-01',
        due_date: '2026-09-30',
        budget_hours: 32,
        spent_hours: 8,
        percent_complete: 25,
      },
      // "Internal tooling cleanup" (started, no target date) is left out; "Marketing site
      // refresh" belongs to team MKT (not in team_keys); the file-only P-900 is dropped.
    ]);
  });

  it('maps milestones (target dates; completion from the last completed issue) and blockers (blocks relations, the Blocked label and state)', async () => {
    const { loaded } = await runAgent();
    const m = (key: string) => uuid(`milestone:${key}`);
    expect(loaded.datasets.milestones).toEqual([
      {
        id: m('F1'),
        project_id: 'P-101',
        name: 'Kickoff and access',
        due_date: '2026-11-12',
        completed_on: '2026-11-12',
      },
      { id: m('F2'), project_id: 'P-101', name: 'SSO configured', due_date: '2026-11-27' },
      { id: m('F3'), project_id: 'P-101', name: 'Go-live', due_date: '2026-12-18' },
      // DEL-31 was completed at 2026-11-03T02:30Z = 2026-11-02 21:30 in New York.
      {
        id: m('C1'),
        project_id: 'P-102',
        name: 'Schema mapping signed off',
        due_date: '2026-10-30',
        completed_on: '2026-11-02',
      },
      { id: m('C2'), project_id: 'P-102', name: 'Production cutover', due_date: '2026-11-20' },
      // done with no issues: completed the day it was last updated.
      {
        id: m('D0'),
        project_id: 'c3d5f7a9b1e4',
        name: 'Design review',
        due_date: '2026-10-01',
        completed_on: '2026-10-02',
      },
      { id: m('D1'), project_id: 'c3d5f7a9b1e4', name: 'Public beta', due_date: '2026-11-30' },
      {
        id: m('D2'),
        project_id: 'c3d5f7a9b1e4',
        name: 'General availability',
        due_date: '2027-01-31',
      },
      // "Nice-to-haves" has no target date: left out.
      {
        id: m('S1'),
        project_id: 'd4c6e8b0a2f5',
        name: 'Gap assessment',
        due_date: '2026-10-23',
        completed_on: '2026-10-23',
      },
      {
        id: m('S2'),
        project_id: 'd4c6e8b0a2f5',
        name: 'Policies approved',
        due_date: '2026-11-20',
      },
      {
        id: m('S3'),
        project_id: 'd4c6e8b0a2f5',
        name: 'Audit window opens',
        due_date: '2026-12-31',
      },
      { id: m('G1'), project_id: 'e5b7d9c1f3a6', name: 'Pilot kickoff', due_date: '2026-12-14' },
      {
        id: m('P1'),
        project_id: 'f6a8c0e2d4b7',
        name: 'Beta partners onboarded',
        due_date: '2026-11-15',
      },
    ]);
    expect(loaded.datasets.blockers).toEqual([
      // DEL-9 blocked DEL-2 from the link (11-12) until DEL-9 was completed (11-17).
      {
        id: 'DEL-2/DEL-9',
        project_id: 'P-101',
        title: 'Configure SSO (DEL-2) waits on DEL-9: Fabrikam sends SSO metadata',
        owner: 'Priya Nair',
        opened_on: '2026-11-12',
        resolved_on: '2026-11-17',
      },
      // Open; DEL-32 also carries the Blocked label, which adds no second row.
      {
        id: 'DEL-32/DEL-35',
        project_id: 'P-102',
        title:
          'Production cutover (DEL-32) waits on DEL-35: Contoso grants production database access',
        owner: 'Tom Becker',
        opened_on: '2026-11-18',
      },
      // Label Blocked added 10-25, removed 10-28, added again 11-13: blocked since 11-13.
      {
        id: 'DEL-22/blocked',
        project_id: 'd4c6e8b0a2f5',
        title: 'Write security policies (DEL-22) is marked Blocked',
        owner: 'Priya Nair',
        opened_on: '2026-11-13',
      },
      // ENG-16 was canceled on 10-28: the block ended then.
      {
        id: 'ENG-12/ENG-16',
        project_id: 'c3d5f7a9b1e4',
        title: 'Dashboard sharing (ENG-12) waits on ENG-16: Prototype export to PDF',
        owner: 'Lena Ortiz',
        opened_on: '2026-10-20',
        resolved_on: '2026-10-28',
      },
      {
        id: 'ENG-14/ENG-15',
        project_id: 'c3d5f7a9b1e4',
        title: 'Charting library upgrade (ENG-14) waits on ENG-15: Renew charting library licence',
        owner: 'Sofia Ramirez',
        opened_on: '2026-11-24',
      },
      // The "Blocked" workflow state since the move on 11-20.
      {
        id: 'ENG-52/blocked',
        project_id: 'f6a8c0e2d4b7',
        title: 'Partner sandbox (ENG-52) is marked Blocked',
        owner: 'Victor Hale',
        opened_on: '2026-11-20',
      },
    ]);
    // The team data stays the files'.
    expect(loaded.datasets).not.toHaveProperty('allocations');
  });

  it('gives the metrics computed by hand through the operations agent', async () => {
    const { report } = await runAgent();
    // Today 2026-11-26 (Thursday); this week = Monday 2026-11-23; next 4 weeks = 11-30, 12-07, 12-14, 12-21.
    // Active projects: Fabrikam, Contoso, Dashboard, SOC 2 = 4.
    // - Contoso: due 2026-11-20 < today -> late.
    // - SOC 2: 56 of 91 days elapsed = 61.5%, 28.3% done -> 33.2 points behind (> 20) -> at risk
    //   (also milestone "Policies approved" overdue and blocked 13 days).
    // - Fabrikam: 16 of 38 days = 42.1%, 28.8% done -> 13.3 behind; 35 h of 120; no overdue
    //   milestone; its blocker was resolved 11-17 -> on track.
    // - Dashboard: 86 of 152 days = 56.6%, 47.6% done -> 9.0 behind; 32 h of 84; blocked only
    //   2 days (<= 5) -> on track.
    // remainingProjectHours = (120 - 35) + max(0, 80 - 92) + (84 - 32) + (60 - 12) = 85 + 0 + 52 + 48 = 185.
    // Open blockers of active projects: DEL-32/DEL-35 (8 days), DEL-22 (13 days), ENG-14/ENG-15
    //   (2 days) = 3 on 3 projects; oldest 13 days.
    // Open milestones of active projects: overdue = Production cutover (11-20) + Policies approved
    //   (11-20) = 2; due 11-26..12-10 = SSO configured (11-27) + Public beta (11-30) = 2.
    // Team (files): capacity E-003 36 h, E-004/E-005/E-006 40 h -> 156 h a week; teamSize 4.
    //   This week planned: E-004 20 + 8, E-006 30 + 10, E-003 4 = 72; free (40-28) + (40-40) +
    //   (36-4) + (40-0) = 84; utilization 72 / 156 = 46.2%.
    //   Next 4 weeks available 4 x 156 - 40 (E-005 off 12-07..12-11) = 584; planned 11-30:
    //   20 + 16 + 10 = 46, 12-07: 12 + 12 = 24 -> 70; free 584 - 70 = 514; 70 / 584 = 12.0%.
    const expected = {
      activeProjects: 4,
      projectsOnTrack: 2,
      projectsAtRisk: 1,
      projectsLate: 1,
      projectsNotOnTrack: 2,
      projectsNotOnTrackChange: null,
      remainingProjectHours: 185,
      openBlockers: 3,
      blockedProjects: 3,
      oldestBlockerDays: 13,
      overdueMilestones: 2,
      milestonesDueNext14Days: 2,
      teamSize: 4,
      availableHoursThisWeek: 156,
      allocatedHoursThisWeek: 72,
      freeHoursThisWeek: 84,
      utilization: 46.2,
      overallocatedPeople: 0,
      availableHoursNext4Weeks: 584,
      allocatedHoursNext4Weeks: 70,
      freeCapacityHoursNext4Weeks: 514,
      utilizationNext4WeeksPct: 12,
    };
    expect(report.metrics).toEqual(expected);
    expect(GOLDEN_OPERATIONS_METRICS).toEqual(expected);
    expect(report.alerts.map((a) => a.id)).toEqual([
      'operations.projects-late',
      'operations.projects-at-risk',
    ]);
    // 100 - 20 x 2 warnings.
    expect(report.health).toBe(60);
    expect(report.recommendations.map((r) => r.id)).toEqual([
      'operations.recover-project-p-102',
      'operations.recover-project-d4c6e8b0a2f5',
    ]);
    expect(report.recommendations[0]!.moneyAtStakeCents).toBe(799000);
    expect(report.alerts[1]!.message).toContain(
      'SOC 2 Type I readiness (33.2 points behind schedule, 28.3% done with 61.5% of the time used; milestone "Policies approved" overdue since 2026-11-20; blocked 13 days: Write security policies (DEL-22) is marked Blocked)',
    );
  });

  it('overlays planned hours from cycles on allocations.csv when asked (allocations_from_cycles)', async () => {
    const { loaded, report } = await runAgent({ allocations_from_cycles: true });
    // Cycles (New York midnights): DEL 24 = 11-23..12-04, DEL 25 = 12-07..12-18, ENG 12 =
    // 11-16..11-27, ENG 13 = 11-30..12-11; 10 working days each, so a week gets half an issue.
    // Weeks covered from this Monday on: 11-23, 11-30, 12-07, 12-14 (12-21 keeps the file).
    // Linear hours (points x 4 h):
    //   Tom (E-006, by e-mail): DEL-2 3 pts = 12 h -> 6/week (11-23, 11-30) on P-101; DEL-24 5 pts
    //     = 20 h -> 10/week on SOC 2; DEL-32 -> 10/week on P-102; DEL-3 (DEL 25) -> 10/week
    //     (12-07, 12-14) on P-101; DEL-41 2 pts -> 4/week on Globex.
    //   Sam (E-005, by name): DEL-33 -> 6/week (11-23, 11-30) on P-102; ENG-14 3 pts = 12 h over
    //     ENG 12 -> 6 h in 11-23 (the 11-16 half is in the past).
    //   Lena (E-003): ENG-13 8 pts = 32 h -> 16 h in 11-23; ENG-17 2 pts -> 4/week (11-30, 12-07).
    //   Priya (E-004, e-mail in another case): DEL-4 2 pts -> 4/week (12-07, 12-14) on P-101.
    //   Victor (ENG-52) is in no capacity row: ignored; DEL-23 has no assignee.
    // Replaced file rows (Linear projects, matched people, covered weeks): E-004 P-101 11-23 20,
    //   11-30 20, 12-07 12; E-006 P-102 11-23 30, 11-30 16; E-006 P-101 11-23 10, 11-30 10,
    //   12-07 12. Kept: support rows, E-004's actual hours of 11-16.
    // This week: E-004 8 (support) + E-006 6 + 10 + 10 + E-003 4 + 16 + E-005 6 + 6 = 66;
    //   free 32 + 14 + 16 + 28 = 90; 66 / 156 = 42.3%.
    // Next 4 weeks: 11-30: 26 + 6 + 4 = 36; 12-07: 14 + 4 + 4 = 22; 12-14: 14 + 4 = 18;
    //   12-21: 0 -> 76; free 584 - 76 = 508 (nobody over); 76 / 584 = 13.0%.
    expect(report.metrics).toMatchObject({
      allocatedHoursThisWeek: 66,
      freeHoursThisWeek: 90,
      utilization: 42.3,
      allocatedHoursNext4Weeks: 76,
      freeCapacityHoursNext4Weeks: 508,
      utilizationNext4WeeksPct: 13,
      remainingProjectHours: 185,
    });
    const rows = loaded.datasets.allocations as Record<string, unknown>[];
    expect(rows).toContainEqual({
      person_id: 'E-004',
      project_id: 'P-101',
      week: '2026-11-16',
      actual_hours: '30',
    });
    expect(rows).toContainEqual({
      person_id: 'E-004',
      project_id: 'support',
      week: '2026-11-23',
      planned_hours: '8',
      actual_hours: undefined,
    });
    expect(rows).toContainEqual({
      person_id: 'E-003',
      project_id: 'c3d5f7a9b1e4',
      week: '2026-11-23',
      planned_hours: 16,
    });
    expect(rows.filter((r) => r.project_id === 'P-101' && r.week === '2026-11-23')).toEqual([
      { person_id: 'E-006', project_id: 'P-101', week: '2026-11-23', planned_hours: 6 },
    ]);
    // SOC 2's recovery task counts Tom's 10 h on DEL-24 in the week of 11-30.
    expect(report.recommendations[1]!.reason).toContain('10h planned over the next 4 weeks');
  });

  it('asks Linear with the key as it is, page by page, with the filters of the settings', async () => {
    const { loaded } = await runAgent();
    expect(fake.requests.every((r) => r.method === 'POST' && r.path === '/graphql')).toBe(true);
    // A personal API key goes in Authorization without "Bearer".
    expect(new Set(fake.requests.map((r) => r.headers.authorization))).toEqual(
      new Set([GOLDEN_API_KEY]),
    );
    expect(fake.requests[0]!.headers['content-type']).toMatch(/^application\/json/);
    expect(fake.requests.map((r) => r.operationName)).toEqual([
      ...Array(3).fill('BoardroomProjects'), // 9 projects, 4 a page
      ...Array(6).fill('BoardroomIssues'), // 22 issues of the 6 open projects
      ...Array(4).fill('BoardroomMilestones'), // 14 milestones
      ...Array(2).fill('BoardroomBlockedIssues'), // 6 candidates
      'BoardroomIssueHistory', // DEL-22: 5 history entries, 2 pages
      'BoardroomIssueHistory',
      'BoardroomIssueHistory', // ENG-52
    ]);
    expect(loaded.sourceCalls).toBe(18);
    expect(Math.abs(loaded.dataAsOf.getTime() - Date.now())).toBeLessThan(60_000);

    const projects = fake.calls('BoardroomProjects');
    const P = (key: string) => uuid(`project:${key}`);
    expect(projects.map((r) => r.variables)).toEqual([
      {
        first: 4,
        after: null,
        filter: { accessibleTeams: { some: { key: { in: ['DEL', 'ENG'] } } } },
      },
      {
        first: 4,
        after: P('soc2'),
        filter: { accessibleTeams: { some: { key: { in: ['DEL', 'ENG'] } } } },
      },
      {
        first: 4,
        after: P('legacy'),
        filter: { accessibleTeams: { some: { key: { in: ['DEL', 'ENG'] } } } },
      },
    ]);
    const open = ['fabrikam', 'contoso', 'dashboard', 'soc2', 'globex', 'partner'].map(P);
    const issues = fake.calls('BoardroomIssues');
    expect(issues[0]!.variables).toEqual({
      first: 4,
      after: null,
      filter: { project: { id: { in: open } } },
    });
    expect(issues[0]!.body!.query).toContain('includeArchived: true');
    expect(issues.slice(1).every((r) => typeof r.variables.after === 'string')).toBe(true);
    expect(fake.calls('BoardroomMilestones')[0]!.variables).toEqual({
      first: 4,
      after: null,
      filter: { project: { id: { in: open } } },
    });
    expect(fake.calls('BoardroomBlockedIssues')[0]!.variables).toEqual({
      first: 4,
      after: null,
      filter: {
        project: { id: { in: open } },
        or: [
          { hasBlockedByRelations: { eq: true } },
          { labels: { some: { name: { in: ['Blocked'] } } } },
          { state: { name: { in: ['Blocked'] } } },
        ],
      },
      labelFilter: { name: { in: ['Blocked'] } },
    });
    // History only for the label/state-blocked issues without an open blocking relation.
    expect(
      fake.calls('BoardroomIssueHistory').map((r) => [r.variables.id, r.variables.after]),
    ).toEqual([
      [uuid('issue:DEL-22'), null],
      [uuid('issue:DEL-22'), uuid('history:h22-4')],
      [uuid('issue:ENG-52'), null],
    ]);
  });

  it('reads every project the key sees without team_keys, and 50 a page by default', async () => {
    const loaded = await linearConnector.load('operations', {
      ...ctx(),
      settings: { base_url: fake.url, hours_per_point: 4, timezone: 'America/New_York' },
    });
    const first = fake.calls('BoardroomProjects')[0]!;
    expect(first.variables).toEqual({ first: 50, after: null });
    expect((loaded.datasets.projects as { name: string }[]).map((p) => p.name)).toContain(
      'Marketing site refresh',
    );
  });

  it('makes one request per page and never retries: a failure surfaces at once', async () => {
    fake.failNext('server-error', { operation: 'BoardroomMilestones' });
    const error = await failure(linearConnector.load('operations', ctx()));
    expect(error).toBeInstanceOf(SourceTransientError);
    expect(fake.calls('BoardroomMilestones')).toHaveLength(1);
    expect(fake.requests).toHaveLength(3 + 6 + 1);
  });
});

describe('linear connector: through the workspace loader, beside the demo workspace', () => {
  beforeEach(async () => {
    fake = await startFakeLinear({
      workspace: goldenLinearWorkspace(),
      now: () => GOLDEN_AS_OF.getTime(),
    });
  });
  afterEach(() => fake.close());

  it('gives the demo workspace its documented operations metrics (docs/metrics.md), with the projects from Linear', async () => {
    const loaded = await loadAgentInput('examples/demo-workspace', operationsAgent, {
      by: 'linear',
      keys: linearConnector.supplies.operations!,
      load: (fileDatasets) => linearConnector.load('operations', { ...ctx(), fileDatasets }),
    });
    const report = operationsAgent.compute(loaded.input, agentCtx);
    // Every golden Linear project but Partner API and Legacy reports sunset matches a demo
    // projects.csv row by name, so it keeps the demo's id and hours: remaining (120 - 35) +
    // 0 + (600 - 310) + (200 - 70) = 505 as in the demo; Linear's progress (28.8, 38.6, 47.6,
    // 28.3%) judges the same projects on track, at risk and late; Linear's milestones and
    // blockers give the demo's counts; the team data is the demo's files.
    expect(report.metrics).toEqual({
      activeProjects: 4,
      projectsOnTrack: 2,
      projectsAtRisk: 1,
      projectsLate: 1,
      projectsNotOnTrack: 2,
      projectsNotOnTrackChange: null,
      remainingProjectHours: 505,
      openBlockers: 3,
      blockedProjects: 3,
      oldestBlockerDays: 13,
      overdueMilestones: 2,
      milestonesDueNext14Days: 2,
      teamSize: 7,
      availableHoursThisWeek: 240,
      allocatedHoursThisWeek: 231,
      freeHoursThisWeek: 9,
      utilization: 96.3,
      overallocatedPeople: 0,
      availableHoursNext4Weeks: 904,
      allocatedHoursNext4Weeks: 710,
      freeCapacityHoursNext4Weeks: 194,
      utilizationNext4WeeksPct: 78.5,
    });
    expect(loaded.input.projects.map((p) => p.id)).toEqual([
      'P-101',
      'P-102',
      'P-103',
      'P-104',
      'P-105',
      'f6a8c0e2d4b7',
      'P-100',
      '1b8c0e2a4d6f',
    ]);
    expect(loaded.sourceCalls).toBeGreaterThan(18);
  });
});

describe('the fake Linear is strict about queries', () => {
  beforeEach(async () => {
    fake = await startFakeLinear({ workspace: goldenLinearWorkspace() });
  });
  afterEach(() => fake.close());

  const post = async (
    query: string,
    variables: Record<string, unknown> = {},
    authorization = GOLDEN_API_KEY,
  ) => {
    const res = await fetch(`${fake.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: unknown;
        errors?: { message: string; extensions: { code: string } }[];
      },
    };
  };

  it('rejects unknown fields, missing variables and a Bearer key the way Linear does', async () => {
    const unknown = await post('query Q { projects(first: 2) { nodes { id budget } } }');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors![0]).toMatchObject({
      message: 'Cannot query field "budget" on type "Project".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const missing = await post(
      'query Q($first: Int!) { projects(first: $first) { nodes { id } } }',
    );
    expect(missing.body.errors![0]!.message).toBe(
      'Variable "$first" of required type "Int!" was not provided.',
    );
    const bearer = await post('{ viewer { id } }', {}, `Bearer ${GOLDEN_API_KEY}`);
    expect(bearer.status).toBe(400);
    expect(bearer.body.errors![0]!.extensions.code).toBe('AUTHENTICATION_ERROR');
    const ok = await post(
      '{ viewer { name } projects(first: 1) { nodes { name lead { name } } pageInfo { hasNextPage endCursor } } }',
    );
    expect(ok.body.data).toEqual({
      viewer: { name: 'Priya Nair' },
      projects: {
        nodes: [{ name: 'Fabrikam onboarding', lead: { name: 'Priya Nair' } }],
        pageInfo: { hasNextPage: true, endCursor: uuid('project:fabrikam') },
      },
    });
  });
});

describe('linear connector: errors', () => {
  beforeEach(async () => {
    fake = await startFakeLinear({ workspace: goldenLinearWorkspace() });
  });
  afterEach(() => fake.close());

  const load = (settings: Record<string, unknown> = {}, env?: Record<string, string | undefined>) =>
    failure(linearConnector.load('operations', ctx(settings, env)));

  function noSecret(error: Error) {
    expect(error.message).not.toContain(GOLDEN_API_KEY);
    expect(JSON.stringify((error as { context?: unknown }).context ?? {})).not.toContain(
      GOLDEN_API_KEY,
    );
  }

  it('a missing key names the variable to set (default LINEAR_API_KEY, or settings.api_key_env)', async () => {
    const e1 = await load({}, {});
    expect(e1).toBeInstanceOf(SourceAuthError);
    expect(e1.message).toMatch(/^linear: LINEAR_API_KEY is not set: create a personal API key/);
    const e2 = await load(
      { api_key_env: 'NORTHWIND_LINEAR_KEY' },
      { LINEAR_API_KEY: GOLDEN_API_KEY },
    );
    expect(e2.message).toContain('NORTHWIND_LINEAR_KEY is not set');
    const ok = await linearConnector.load(
      'operations',
      ctx({ api_key_env: 'NORTHWIND_LINEAR_KEY' }, { NORTHWIND_LINEAR_KEY: GOLDEN_API_KEY }),
    );
    expect(ok.datasets.projects).toHaveLength(8);
    expect(fake.requests).toHaveLength(18);
  });

  it('a key with a Bearer prefix is refused before any request', async () => {
    const e = await load({}, { LINEAR_API_KEY: `Bearer ${GOLDEN_API_KEY}` });
    expect(e).toBeInstanceOf(SourceAuthError);
    expect(e.message).toContain('remove the prefix');
    noSecret(e);
    expect(fake.requests).toHaveLength(0);
  });

  it('bad settings name the key', async () => {
    const e1 = await load({ page_size: 0 });
    expect(e1).toBeInstanceOf(ValidationError);
    expect(e1.message).toMatch(/^sources\.yaml, field "linear\.page_size": /);
    const e2 = await load({ base_url: 'http://linear.internal.example' });
    expect(e2.message).toContain('field "linear.base_url": expected an https URL');
    const e3 = await load({ team_keys: [] });
    expect(e3.message).toContain('key "team_keys"');
  });

  it('only operations can read it', async () => {
    const e = await failure(linearConnector.load('finance', ctx()));
    expect(e).toBeInstanceOf(SourceRequestError);
    expect(e.message).toContain('linear supplies only the operations agent');
  });

  it('a rejected key (HTTP 400 AUTHENTICATION_ERROR, as Linear sends it) -> SourceAuthError saying what to fix', async () => {
    const e = await load({}, { LINEAR_API_KEY: 'lin_api_revokedrevokedrevokedrevokedrevoked00' });
    expect(e).toBeInstanceOf(SourceAuthError);
    expect((e as SourceAuthError).permanent).toBe(true);
    expect(e.message).toBe(
      'linear: LINEAR_API_KEY is rejected (AUTHENTICATION_ERROR, HTTP 400): create a personal API key in Linear (Settings > Account > Security & access > Personal API keys) with the Read permission and access to the teams whose projects boardroom reads, and put it in LINEAR_API_KEY as it is (no "Bearer" prefix)',
    );
    expect(e.message).not.toContain('revoked');
    expect(fake.requests).toHaveLength(1);
  });

  it('HTTP 401 -> SourceAuthError', async () => {
    fake.failNext('unauthorized');
    const e = await load();
    expect(e).toBeInstanceOf(SourceAuthError);
    expect(e.message).toContain('LINEAR_API_KEY is rejected (AUTHENTICATION_ERROR, HTTP 401)');
    noSecret(e);
  });

  it('FORBIDDEN -> SourceAuthError about permissions and team access', async () => {
    fake.failNext('forbidden');
    const e = await load();
    expect(e).toBeInstanceOf(SourceAuthError);
    expect(e.message).toContain('may not read what boardroom asks for (FORBIDDEN, HTTP 400)');
    expect(e.message).toContain('Read permission');
    noSecret(e);
  });

  it('RATELIMITED (HTTP 400) -> SourceTransientError with retryAfterMs from X-RateLimit-Requests-Reset', async () => {
    fake.failNext('ratelimited');
    const e = (await load()) as SourceTransientError;
    expect(e).toBeInstanceOf(SourceTransientError);
    expect(e.permanent).toBe(false);
    expect(e.message).toMatch(
      /^linear: rate limited \(RATELIMITED, HTTP 400\), retry in (59|60) s$/,
    );
    expect(e.context.retryAfterMs).toBeGreaterThan(55_000);
    expect(e.context.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('HTTP 429 -> SourceTransientError with retryAfterMs from Retry-After', async () => {
    fake.failNext('too-many-requests');
    const e = (await load()) as SourceTransientError;
    expect(e).toBeInstanceOf(SourceTransientError);
    expect(e.context.retryAfterMs).toBe(30_000);
  });

  it('HTTP 500 and a 502 HTML page -> SourceTransientError', async () => {
    fake.failNext('server-error');
    const e1 = await load();
    expect(e1).toBeInstanceOf(SourceTransientError);
    expect(e1.message).toBe(
      "linear: BoardroomProjects failed on Linear's side (INTERNAL_SERVER_ERROR, HTTP 500): Internal server error",
    );
    fake.failNext('bad-gateway');
    const e2 = await load();
    expect(e2).toBeInstanceOf(SourceTransientError);
    expect(e2.message).toContain('HTTP 502');
  });

  it('HTTP 404 (a wrong base_url) -> SourceRequestError', async () => {
    fake.failNext('not-found');
    const e = await load();
    expect(e).toBeInstanceOf(SourceRequestError);
    expect(e.message).toBe(
      `linear: ${fake.url}/graphql answered 404: check settings.base_url (default https://api.linear.app)`,
    );
  });

  it('a query Linear no longer accepts (HTTP 400 GRAPHQL_VALIDATION_FAILED) -> SourceRequestError', async () => {
    fake.failNext({
      status: 400,
      body: {
        errors: [
          {
            message: 'Cannot query field "scope" on type "Project".',
            extensions: {
              code: 'GRAPHQL_VALIDATION_FAILED',
              type: 'graphql error',
              userError: true,
            },
          },
        ],
      },
    });
    const e = await load();
    expect(e).toBeInstanceOf(SourceRequestError);
    expect(e.message).toBe(
      'linear: Linear rejected BoardroomProjects (GRAPHQL_VALIDATION_FAILED, HTTP 400): Cannot query field "scope" on type "Project".: the API may have changed; boardroom needs an update',
    );
  });

  it('a reset connection, an unreachable host and a hung request -> SourceTransientError', async () => {
    fake.failNext('reset');
    const e1 = await load();
    expect(e1).toBeInstanceOf(SourceTransientError);
    expect(e1.message).toMatch(
      new RegExp(
        `^linear: the connection to ${fake.url}/graphql broke during BoardroomProjects \\(\\w+\\)$`,
      ),
    );

    fake.failNext('hang');
    const e2 = await load({ timeout_ms: 200 });
    expect(e2).toBeInstanceOf(SourceTransientError);
    expect(e2.message).toBe(
      `linear: BoardroomProjects timed out after 200 ms (${fake.url}/graphql); raise settings.timeout_ms if Linear is slow`,
    );

    const url = fake.url;
    await fake.close();
    const e3 = await failure(
      linearConnector.load('operations', {
        ...ctx(),
        settings: { ...ctx().settings, base_url: url },
      }),
    );
    expect(e3).toBeInstanceOf(SourceTransientError);
    expect(e3.message).toMatch(
      /^linear: cannot reach http:\/\/127\.0\.0\.1:\d+\/graphql \(ECONNREFUSED\)/,
    );
    fake = await startFakeLinear({ workspace: goldenLinearWorkspace() });
  });

  it('an aborted activity stops the request with its own reason', async () => {
    fake.failNext('hang');
    const controller = new AbortController();
    const pending = failure(
      linearConnector.load('operations', { ...ctx(), signal: controller.signal }),
    );
    setTimeout(() => controller.abort(new Error('activity cancelled')), 50);
    const e = await pending;
    expect(e.message).toBe('activity cancelled');
  });
});

describe('linear connector: a changed response shape -> SourceSchemaError naming the object and field', () => {
  beforeEach(async () => {
    fake = await startFakeLinear({
      workspace: goldenLinearWorkspace(),
      now: () => GOLDEN_AS_OF.getTime(),
    });
  });
  afterEach(() => fake.close());

  type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const load = () => failure(linearConnector.load('operations', ctx()));

  it('an unknown project status type', async () => {
    fake.tamperNext('BoardroomProjects', (d: Data) => {
      d.projects.nodes[1].status.type = 'archived';
      return d;
    });
    const e = await load();
    expect(e).toBeInstanceOf(SourceSchemaError);
    expect((e as SourceSchemaError).permanent).toBe(true);
    expect(e.message).toMatch(
      new RegExp(
        `^linear: Project ${uuid('project:contoso')} \\("Contoso data migration"\\), field "status.type": .*, got "archived"`,
      ),
    );
    expect((e as SourceSchemaError).context).toMatchObject({
      object: 'Project',
      id: uuid('project:contoso'),
      field: 'status.type',
    });
  });

  it('an estimate that is not a number', async () => {
    fake.tamperNext('BoardroomIssues', (d: Data) => {
      d.issues.nodes[0].estimate = '2';
      return d;
    });
    const e = await load();
    expect(e).toBeInstanceOf(SourceSchemaError);
    expect(e.message).toContain(`linear: Issue ${uuid('issue:DEL-1')} ("DEL-1"), field "estimate"`);
  });

  it('a milestone target date in another format', async () => {
    fake.tamperNext('BoardroomMilestones', (d: Data) => {
      d.projectMilestones.nodes[2].targetDate = '18/12/2026';
      return d;
    });
    const e = await load();
    expect(e.message).toContain(
      `linear: ProjectMilestone ${uuid('milestone:F3')} ("Go-live"), field "targetDate"`,
    );
  });

  it('a missing field (lead renamed owner)', async () => {
    fake.tamperNext('BoardroomProjects', (d: Data) => {
      const n = d.projects.nodes[0];
      n.owner = n.lead;
      delete n.lead;
      return d;
    });
    const e = await load();
    expect(e.message).toMatch(
      /^linear: Project [0-9a-f-]+ \("Fabrikam onboarding"\), field "lead": .* \(missing\)/,
    );
  });

  it('a connection without pageInfo, and a page that says there is more but gives no cursor', async () => {
    fake.tamperNext('BoardroomProjects', (d: Data) => {
      delete d.projects.pageInfo;
      return d;
    });
    const e1 = await load();
    expect(e1).toBeInstanceOf(SourceSchemaError);
    expect(e1.message).toContain('linear: ProjectConnection, field "projects.pageInfo"');

    fake.tamperNext('BoardroomProjects', (d: Data) => {
      d.projects.pageInfo.endCursor = null;
      return d;
    });
    const e2 = await load();
    expect(e2.message).toBe(
      'linear: ProjectConnection (projects), field "pageInfo.endCursor": hasNextPage is true but the cursor is null',
    );
  });

  it('a history entry with a bad timestamp names the entry and its issue', async () => {
    fake.tamperNext('BoardroomIssueHistory', (d: Data) => {
      d.issue.history.nodes[1].createdAt = 'yesterday';
      return d;
    });
    const e = await load();
    expect(e).toBeInstanceOf(SourceSchemaError);
    expect(e.message).toContain(
      `linear: IssueHistory ${uuid('history:h22-2')} ("of DEL-22"), field "createdAt": Invalid ISO datetime, got "yesterday"`,
    );
  });

  it('HTTP 200 without data', async () => {
    fake.failNext({ status: 200, body: { extensions: {} } });
    const e = await load();
    expect(e).toBeInstanceOf(SourceSchemaError);
    expect(e.message).toContain('BoardroomProjects: the response has no "data" (HTTP 200)');
  });
});

describe('linear connector: check()', () => {
  beforeEach(async () => {
    fake = await startFakeLinear({ workspace: goldenLinearWorkspace() });
  });
  afterEach(() => fake.close());

  const check = (
    settings: Record<string, unknown> = {},
    env?: Record<string, string | undefined>,
  ) => {
    const { fileDatasets: _files, ...rest } = ctx(settings, env);
    return linearConnector.check(rest);
  };

  it('says what it found', async () => {
    expect(await check()).toEqual({
      ok: true,
      message:
        'linear: Northwind Analytics (northwind) as Priya Nair; 9 projects of teams DEL, ENG (3 pages): 5 started, 1 planned, 1 paused, 1 completed, 1 canceled; hours from estimates at 4 h/point; 1 open project without a target date left out unless projects.csv gives one (Internal tooling cleanup)',
    });
    expect(fake.requests.map((r) => r.operationName)).toEqual([
      'BoardroomViewer',
      'BoardroomTeams',
      'BoardroomProjects',
      'BoardroomProjects',
      'BoardroomProjects',
    ]);
    expect(fake.requests[0]!.headers.authorization).toBe(GOLDEN_API_KEY);
  });

  it('a bad key, a missing key, bad settings: ok false with what to fix, no throw', async () => {
    const bad = await check({}, { LINEAR_API_KEY: 'lin_api_wrong' });
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(
      /^linear: LINEAR_API_KEY is rejected \(AUTHENTICATION_ERROR, HTTP 400\): create a personal API key/,
    );
    expect(bad.message).not.toContain('lin_api_wrong');
    expect(await check({}, {})).toEqual({
      ok: false,
      message:
        'linear: LINEAR_API_KEY is not set: create a personal API key in Linear (Settings > Account > Security & access > Personal API keys) with the Read permission and access to the teams whose projects boardroom reads, and put it in LINEAR_API_KEY',
    });
    const settings = await check({ hours_per_point: -1 });
    expect(settings.ok).toBe(false);
    expect(settings.message).toContain('key "hours_per_point"');
  });

  it('a team key the API key cannot see', async () => {
    expect(await check({ team_keys: ['DEL', 'DESIGN'] })).toEqual({
      ok: false,
      message:
        'linear: settings.team_keys DESIGN is not a team the key can see; it sees DEL (Delivery), ENG (Engineering), MKT (Marketing)',
    });
  });

  it('an unreachable Linear', async () => {
    const url = fake.url;
    await fake.close();
    const result = await check({ base_url: url });
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      `linear: cannot reach ${url}/graphql (ECONNREFUSED): check the network and settings.base_url`,
    );
    fake = await startFakeLinear({ workspace: goldenLinearWorkspace() });
  });
});
