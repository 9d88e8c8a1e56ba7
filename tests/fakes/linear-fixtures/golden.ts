/**
 * The golden Linear workspace: "Northwind Analytics" on 2026-11-26 (a Thursday), teams
 * DEL (Delivery) and ENG (Engineering) read by boardroom (MKT is filtered out by
 * `team_keys`), and the workspace files the operations agent still reads beside it
 * (people, capacity, allocations, and two projects.csv rows that overlay customer, ARR and
 * hours). The expected rows and metrics, with their arithmetic, are in
 * tests/sources/connectors/linear.test.ts; GOLDEN_OPERATIONS_METRICS repeats the metrics
 * for end-to-end tests.
 */
import { createHash } from 'node:crypto';
import type {
  FakeCycle,
  FakeHistory,
  FakeIssue,
  FakeLinearWorkspace,
  FakeMilestone,
  FakeProject,
  FakeRelation,
  FakeState,
} from '../linear-server.js';

export const GOLDEN_API_KEY = 'lin_api_9fQ2xVbK7mT4rW8cZ1nH6pL3sD5gJ0yA2eU4iO7k';
export const GOLDEN_TODAY = '2026-11-26';
export const GOLDEN_AS_OF = new Date('2026-11-26T12:00:00Z');

/** The `linear:` block of sources.yaml for the golden workspace (plus `base_url`). */
export const GOLDEN_SETTINGS = {
  team_keys: ['DEL', 'ENG'],
  hours_per_point: 4,
  unestimated_points: 1,
  timezone: 'America/New_York',
} as const;

/** A stable, realistic UUID (v4 layout) for a fixture name. */
export function uuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const T = (iso: string) => new Date(iso).toISOString();

export function goldenLinearWorkspace(): FakeLinearWorkspace {
  const user = (key: string, name: string, email: string, createdAt: string) => ({
    id: uuid(`user:${key}`),
    name,
    displayName: key,
    email,
    active: true,
    createdAt: T(createdAt),
  });
  const users = [
    user('priya', 'Priya Nair', 'priya@northwind.example', '2024-01-15T14:00:00Z'),
    user('tom', 'Tom Becker', 'tom@northwind.example', '2024-09-02T14:00:00Z'),
    user('lena', 'Lena Ortiz', 'lena@northwind.example', '2023-06-12T14:00:00Z'),
    user('sam', 'Sam Okafor', 'sam.okafor@northwind.example', '2024-04-08T14:00:00Z'),
    user('sofia', 'Sofia Ramirez', 'sofia@northwind.example', '2023-03-01T14:00:00Z'),
    user('victor', 'Victor Hale', 'victor@contractors.example', '2026-08-01T14:00:00Z'),
  ];
  const U = (key: string) => uuid(`user:${key}`);

  const teams = [
    { id: uuid('team:DEL'), key: 'DEL', name: 'Delivery' },
    { id: uuid('team:ENG'), key: 'ENG', name: 'Engineering' },
    { id: uuid('team:MKT'), key: 'MKT', name: 'Marketing' },
  ];
  const TEAM = (key: string) => uuid(`team:${key}`);

  const stateDefs: [string, FakeState['type'], string][] = [
    ['Backlog', 'backlog', '#bec2c8'],
    ['Todo', 'unstarted', '#e2e2e2'],
    ['In Progress', 'started', '#f2c94c'],
    ['Blocked', 'started', '#eb5757'],
    ['Done', 'completed', '#5e6ad2'],
    ['Canceled', 'canceled', '#95a2b3'],
  ];
  const states: FakeState[] = ['DEL', 'ENG', 'MKT'].flatMap((team) =>
    stateDefs.map(([name, type, color]) => ({
      id: uuid(`state:${team}:${name}`),
      teamId: TEAM(team),
      name,
      type,
      color,
    })),
  );
  const S = (team: string, name: string) => uuid(`state:${team}:${name}`);

  const labels = [
    { id: uuid('label:Blocked'), name: 'Blocked', color: '#eb5757' },
    { id: uuid('label:Compliance'), name: 'Compliance', color: '#26b5ce' },
    { id: uuid('label:Customer'), name: 'Customer', color: '#4cb782' },
  ];
  const L = (name: string) => uuid(`label:${name}`);

  const projectStatuses = (
    [
      ['Backlog', 'backlog', '#bec2c8'],
      ['Planned', 'planned', '#e2e2e2'],
      ['In Progress', 'started', '#f2c94c'],
      ['Paused', 'paused', '#95a2b3'],
      ['Completed', 'completed', '#5e6ad2'],
      ['Canceled', 'canceled', '#95a2b3'],
    ] as const
  ).map(([name, type, color]) => ({ id: uuid(`projectStatus:${type}`), name, type, color }));

  const project = (
    key: string,
    slugId: string,
    name: string,
    status: FakeProject['statusId'],
    team: string,
    lead: string | null,
    dates: {
      start: string | null;
      target: string | null;
      startedAt?: string;
      completedAt?: string;
      canceledAt?: string;
    },
    progress: number,
    scope: number,
    createdAt: string,
  ): FakeProject => ({
    id: uuid(`project:${key}`),
    slugId,
    name,
    statusId: uuid(`projectStatus:${status}`),
    leadId: lead ? U(lead) : null,
    teamIds: [TEAM(team)],
    progress,
    scope,
    startDate: dates.start,
    targetDate: dates.target,
    startedAt: dates.startedAt ? T(dates.startedAt) : null,
    completedAt: dates.completedAt ? T(dates.completedAt) : null,
    canceledAt: dates.canceledAt ? T(dates.canceledAt) : null,
    createdAt: T(createdAt),
    updatedAt: T('2026-11-25T18:00:00Z'),
    archivedAt: null,
  });
  const P = (key: string) => uuid(`project:${key}`);
  // Linear's progress: (completed points + 0.25 x in-progress points) / all points.
  const projects: FakeProject[] = [
    project(
      'fabrikam',
      'a1f3c5e7b9d2',
      'Fabrikam onboarding',
      'started',
      'DEL',
      'priya',
      { start: '2026-11-10', target: '2026-12-18', startedAt: '2026-11-10T14:00:00Z' },
      (3 + 0.25 * 3) / 13,
      13,
      '2026-11-03T15:00:00Z',
    ),
    project(
      'contoso',
      'b2e4d6f8a0c3',
      'Contoso data migration',
      'started',
      'DEL',
      'tom',
      { start: '2026-10-19', target: '2026-11-20', startedAt: '2026-10-19T13:00:00Z' },
      (3 + 0.25 * 5) / 11,
      11,
      '2026-10-12T15:00:00Z',
    ),
    project(
      'dashboard',
      'c3d5f7a9b1e4',
      'Dashboard builder v3',
      'started',
      'ENG',
      'sofia',
      { start: '2026-09-01', target: '2027-01-31', startedAt: '2026-09-01T13:00:00Z' },
      (8 + 0.25 * 8) / 21,
      21,
      '2026-08-20T15:00:00Z',
    ),
    project(
      'soc2',
      'd4c6e8b0a2f5',
      'SOC 2 Type I readiness',
      'started',
      'DEL',
      'priya',
      { start: '2026-10-01', target: '2026-12-31', startedAt: '2026-10-01T13:00:00Z' },
      (3 + 0.25 * 5) / 15,
      15,
      '2026-09-24T15:00:00Z',
    ),
    project(
      'globex',
      'e5b7d9c1f3a6',
      'Globex pilot',
      'planned',
      'DEL',
      null,
      { start: '2026-12-14', target: '2027-01-29' },
      0,
      2,
      '2026-11-20T15:00:00Z',
    ),
    project(
      'partner',
      'f6a8c0e2d4b7',
      'Partner API',
      'paused',
      'ENG',
      'lena',
      { start: '2026-08-03', target: '2027-02-26', startedAt: '2026-08-03T13:00:00Z' },
      8 / 13,
      13,
      '2026-07-27T15:00:00Z',
    ),
    project(
      'northbeam',
      '0a7b9d1f3c5e',
      'Northbeam onboarding',
      'completed',
      'DEL',
      'tom',
      {
        start: '2026-09-24',
        target: '2026-10-20',
        startedAt: '2026-09-24T13:00:00Z',
        completedAt: '2026-10-20T21:00:00Z',
      },
      1,
      10,
      '2026-09-17T15:00:00Z',
    ),
    project(
      'legacy',
      '1b8c0e2a4d6f',
      'Legacy reports sunset',
      'canceled',
      'ENG',
      'sofia',
      {
        start: '2026-06-01',
        target: '2026-09-30',
        startedAt: '2026-06-01T13:00:00Z',
        canceledAt: '2026-11-02T16:00:00Z',
      },
      0.25,
      8,
      '2026-05-20T15:00:00Z',
    ),
    project(
      'tooling',
      '2c9d1f3b5e7a',
      'Internal tooling cleanup',
      'started',
      'ENG',
      'sam',
      { start: null, target: null, startedAt: '2026-10-05T13:00:00Z' },
      0,
      3,
      '2026-10-01T15:00:00Z',
    ),
    project(
      'website',
      '3d0e2a4c6f8b',
      'Marketing site refresh',
      'started',
      'MKT',
      'sofia',
      { start: '2026-11-02', target: '2026-12-11', startedAt: '2026-11-02T13:00:00Z' },
      0.1,
      10,
      '2026-10-26T15:00:00Z',
    ),
  ];

  const milestone = (
    key: string,
    projectKey: string,
    name: string,
    targetDate: string | null,
    status: FakeMilestone['status'],
    progress: number,
    sortOrder: number,
    updatedAt = '2026-11-20T12:00:00Z',
  ): FakeMilestone => ({
    id: uuid(`milestone:${key}`),
    projectId: P(projectKey),
    name,
    targetDate,
    status,
    progress,
    sortOrder,
    createdAt: T('2026-08-15T12:00:00Z'),
    updatedAt: T(updatedAt),
    archivedAt: null,
  });
  const M = (key: string) => uuid(`milestone:${key}`);
  const milestones: FakeMilestone[] = [
    milestone('F1', 'fabrikam', 'Kickoff and access', '2026-11-12', 'done', 1, 1),
    milestone('F2', 'fabrikam', 'SSO configured', '2026-11-27', 'next', 0.25, 2),
    milestone('F3', 'fabrikam', 'Go-live', '2026-12-18', 'unstarted', 0, 3),
    milestone('C1', 'contoso', 'Schema mapping signed off', '2026-10-30', 'done', 1, 1),
    milestone('C2', 'contoso', 'Production cutover', '2026-11-20', 'overdue', 0.16, 2),
    milestone(
      'D0',
      'dashboard',
      'Design review',
      '2026-10-01',
      'done',
      1,
      0,
      '2026-10-02T13:00:00Z',
    ),
    milestone('D1', 'dashboard', 'Public beta', '2026-11-30', 'next', 0.18, 1),
    milestone('D2', 'dashboard', 'General availability', '2027-01-31', 'unstarted', 0, 2),
    milestone('D3', 'dashboard', 'Nice-to-haves', null, 'unstarted', 0, 3),
    milestone('S1', 'soc2', 'Gap assessment', '2026-10-23', 'done', 1, 1),
    milestone('S2', 'soc2', 'Policies approved', '2026-11-20', 'overdue', 0.25, 2),
    milestone('S3', 'soc2', 'Audit window opens', '2026-12-31', 'unstarted', 0, 3),
    milestone('G1', 'globex', 'Pilot kickoff', '2026-12-14', 'unstarted', 0, 1),
    milestone('P1', 'partner', 'Beta partners onboarded', '2026-11-15', 'overdue', 0.6, 1),
    milestone('N1', 'northbeam', 'Go-live', '2026-10-20', 'done', 1, 1),
    milestone('T1', 'tooling', 'Cleanup done', '2026-12-01', 'unstarted', 0, 1),
  ];

  // Cycles start and end at midnight America/New_York (05:00 UTC in November).
  const cycle = (team: string, number: number, startsAt: string, endsAt: string): FakeCycle => ({
    id: uuid(`cycle:${team}:${number}`),
    teamId: TEAM(team),
    number,
    name: null,
    startsAt: T(startsAt),
    endsAt: T(endsAt),
  });
  const C = (team: string, n: number) => uuid(`cycle:${team}:${n}`);
  const cycles = [
    cycle('DEL', 23, '2026-11-09T05:00:00Z', '2026-11-23T05:00:00Z'),
    cycle('DEL', 24, '2026-11-23T05:00:00Z', '2026-12-07T05:00:00Z'),
    cycle('DEL', 25, '2026-12-07T05:00:00Z', '2026-12-21T05:00:00Z'),
    cycle('ENG', 12, '2026-11-16T05:00:00Z', '2026-11-30T05:00:00Z'),
    cycle('ENG', 13, '2026-11-30T05:00:00Z', '2026-12-14T05:00:00Z'),
  ];

  const issue = (
    key: string,
    title: string,
    o: {
      estimate: number | null;
      state: string;
      assignee?: string;
      project?: string;
      milestone?: string;
      cycle?: [string, number];
      labels?: string[];
      createdAt: string;
      startedAt?: string;
      completedAt?: string;
      canceledAt?: string;
      archivedAt?: string;
      trashed?: boolean;
    },
  ): FakeIssue => {
    const [team, n] = key.split('-') as [string, string];
    return {
      id: uuid(`issue:${key}`),
      teamId: TEAM(team),
      number: Number(n),
      title,
      estimate: o.estimate,
      priority: 2,
      stateId: S(team, o.state),
      assigneeId: o.assignee ? U(o.assignee) : null,
      projectId: o.project ? P(o.project) : null,
      milestoneId: o.milestone ? M(o.milestone) : null,
      cycleId: o.cycle ? C(o.cycle[0], o.cycle[1]) : null,
      labelIds: (o.labels ?? []).map(L),
      createdAt: T(o.createdAt),
      updatedAt: T(o.completedAt ?? o.canceledAt ?? '2026-11-25T17:00:00Z'),
      startedAt: o.startedAt ? T(o.startedAt) : null,
      completedAt: o.completedAt ? T(o.completedAt) : null,
      canceledAt: o.canceledAt ? T(o.canceledAt) : null,
      archivedAt: o.archivedAt ? T(o.archivedAt) : null,
      trashed: o.trashed ?? null,
    };
  };
  const I = (key: string) => uuid(`issue:${key}`);
  const issues: FakeIssue[] = [
    // Fabrikam onboarding: 13 points, 3 done (DEL-1, DEL-9), 3 in progress (DEL-2).
    issue('DEL-1', 'Kickoff call and workspace access', {
      estimate: 2,
      state: 'Done',
      assignee: 'priya',
      project: 'fabrikam',
      milestone: 'F1',
      createdAt: '2026-11-03T15:10:00Z',
      startedAt: '2026-11-10T14:00:00Z',
      completedAt: '2026-11-12T17:00:00Z',
    }),
    issue('DEL-2', 'Configure SSO', {
      estimate: 3,
      state: 'In Progress',
      assignee: 'tom',
      project: 'fabrikam',
      milestone: 'F2',
      cycle: ['DEL', 24],
      labels: ['Customer'],
      createdAt: '2026-11-05T15:00:00Z',
      startedAt: '2026-11-18T14:00:00Z',
    }),
    issue('DEL-3', 'Historical data import', {
      estimate: 5,
      state: 'Todo',
      assignee: 'tom',
      project: 'fabrikam',
      milestone: 'F3',
      cycle: ['DEL', 25],
      createdAt: '2026-11-05T15:05:00Z',
    }),
    issue('DEL-4', 'Admin training sessions', {
      estimate: 2,
      state: 'Todo',
      assignee: 'priya',
      project: 'fabrikam',
      milestone: 'F3',
      cycle: ['DEL', 25],
      createdAt: '2026-11-05T15:06:00Z',
    }),
    issue('DEL-9', 'Fabrikam sends SSO metadata', {
      estimate: null,
      state: 'Done',
      assignee: 'priya',
      project: 'fabrikam',
      cycle: ['DEL', 23],
      labels: ['Customer'],
      createdAt: '2026-11-12T09:50:00Z',
      completedAt: '2026-11-17T16:00:00Z',
    }),
    // Contoso data migration: 11 points, 3 done, 5 in progress.
    issue('DEL-31', 'Schema mapping sign-off', {
      estimate: 3,
      state: 'Done',
      assignee: 'tom',
      project: 'contoso',
      milestone: 'C1',
      createdAt: '2026-10-12T15:10:00Z',
      completedAt: '2026-11-03T02:30:00Z',
    }),
    issue('DEL-32', 'Production cutover', {
      estimate: 5,
      state: 'In Progress',
      assignee: 'tom',
      project: 'contoso',
      milestone: 'C2',
      cycle: ['DEL', 24],
      labels: ['Blocked'],
      createdAt: '2026-10-12T15:11:00Z',
      startedAt: '2026-11-16T14:00:00Z',
    }),
    issue('DEL-33', 'Post-migration data validation', {
      estimate: 3,
      state: 'Todo',
      assignee: 'sam',
      project: 'contoso',
      milestone: 'C2',
      cycle: ['DEL', 24],
      createdAt: '2026-10-12T15:12:00Z',
    }),
    issue('DEL-35', 'Contoso grants production database access', {
      estimate: null,
      state: 'Todo',
      assignee: 'tom',
      labels: ['Customer'],
      createdAt: '2026-11-18T09:20:00Z',
    }),
    // SOC 2 Type I readiness: 15 points, 3 done, 5 in progress (DEL-22, labelled Blocked).
    issue('DEL-21', 'Gap assessment', {
      estimate: 3,
      state: 'Done',
      assignee: 'priya',
      project: 'soc2',
      milestone: 'S1',
      createdAt: '2026-09-24T15:10:00Z',
      completedAt: '2026-10-23T18:00:00Z',
    }),
    issue('DEL-22', 'Write security policies', {
      estimate: 5,
      state: 'In Progress',
      assignee: 'priya',
      project: 'soc2',
      milestone: 'S2',
      labels: ['Blocked', 'Compliance'],
      createdAt: '2026-10-20T09:00:00Z',
      startedAt: '2026-11-02T14:00:00Z',
    }),
    issue('DEL-23', 'Schedule auditor fieldwork', {
      estimate: 2,
      state: 'Todo',
      project: 'soc2',
      milestone: 'S3',
      cycle: ['DEL', 25],
      labels: ['Compliance'],
      createdAt: '2026-10-20T09:05:00Z',
    }),
    issue('DEL-24', 'Evidence collection', {
      estimate: 5,
      state: 'Todo',
      assignee: 'tom',
      project: 'soc2',
      cycle: ['DEL', 24],
      labels: ['Compliance'],
      createdAt: '2026-10-20T09:06:00Z',
    }),
    // Globex pilot (planned): 2 points.
    issue('DEL-41', 'Pilot scoping workshop', {
      estimate: 2,
      state: 'Todo',
      assignee: 'tom',
      project: 'globex',
      milestone: 'G1',
      cycle: ['DEL', 25],
      createdAt: '2026-11-20T15:10:00Z',
    }),
    // Dashboard builder v3: 21 points (ENG-16 canceled, ENG-18 trashed), 8 done, 8 in progress.
    issue('ENG-11', 'Drag-and-drop chart builder', {
      estimate: 5,
      state: 'Done',
      assignee: 'lena',
      project: 'dashboard',
      createdAt: '2026-08-25T15:00:00Z',
      completedAt: '2026-10-15T20:00:00Z',
    }),
    issue('ENG-12', 'Dashboard sharing', {
      estimate: 3,
      state: 'Done',
      assignee: 'sam',
      project: 'dashboard',
      createdAt: '2026-08-25T15:01:00Z',
      completedAt: '2026-11-05T19:00:00Z',
    }),
    issue('ENG-13', 'Public beta hardening', {
      estimate: 8,
      state: 'In Progress',
      assignee: 'lena',
      project: 'dashboard',
      milestone: 'D1',
      cycle: ['ENG', 12],
      createdAt: '2026-09-10T15:00:00Z',
      startedAt: '2026-11-16T14:00:00Z',
    }),
    issue('ENG-14', 'Charting library upgrade', {
      estimate: 3,
      state: 'Todo',
      assignee: 'sam',
      project: 'dashboard',
      milestone: 'D1',
      cycle: ['ENG', 12],
      createdAt: '2026-09-10T15:01:00Z',
    }),
    issue('ENG-15', 'Renew charting library licence', {
      estimate: null,
      state: 'Todo',
      assignee: 'sofia',
      createdAt: '2026-11-24T10:50:00Z',
    }),
    issue('ENG-16', 'Prototype export to PDF', {
      estimate: 2,
      state: 'Canceled',
      assignee: 'lena',
      project: 'dashboard',
      createdAt: '2026-10-01T15:00:00Z',
      canceledAt: '2026-10-28T12:00:00Z',
    }),
    issue('ENG-17', 'GA launch checklist', {
      estimate: 2,
      state: 'Todo',
      assignee: 'lena',
      project: 'dashboard',
      milestone: 'D2',
      cycle: ['ENG', 13],
      createdAt: '2026-11-10T15:00:00Z',
    }),
    issue('ENG-18', 'Imported spam issue', {
      estimate: 13,
      state: 'Todo',
      project: 'dashboard',
      createdAt: '2026-11-11T15:00:00Z',
      archivedAt: '2026-11-11T16:00:00Z',
      trashed: true,
    }),
    // Partner API (paused): 13 points, 8 done (ENG-51, auto-archived).
    issue('ENG-51', 'Partner auth flows', {
      estimate: 8,
      state: 'Done',
      assignee: 'lena',
      project: 'partner',
      milestone: 'P1',
      createdAt: '2026-08-03T15:00:00Z',
      completedAt: '2026-09-10T16:00:00Z',
      archivedAt: '2026-10-10T16:00:00Z',
    }),
    issue('ENG-52', 'Partner sandbox', {
      estimate: 5,
      state: 'Blocked',
      assignee: 'victor',
      project: 'partner',
      milestone: 'P1',
      cycle: ['ENG', 13],
      createdAt: '2026-10-01T15:00:00Z',
      startedAt: '2026-11-03T14:00:00Z',
    }),
    // Internal tooling cleanup (no target date: left out) and Marketing (team MKT).
    issue('ENG-61', 'Remove unused feature flags', {
      estimate: 3,
      state: 'Todo',
      assignee: 'sam',
      project: 'tooling',
      cycle: ['ENG', 12],
      createdAt: '2026-10-05T15:00:00Z',
    }),
    issue('MKT-5', 'New pricing page', {
      estimate: 3,
      state: 'In Progress',
      assignee: 'sofia',
      project: 'website',
      createdAt: '2026-11-02T15:00:00Z',
    }),
  ];

  const relation = (
    key: string,
    from: string,
    type: string,
    to: string,
    createdAt: string,
  ): FakeRelation => ({
    id: uuid(`relation:${key}`),
    type,
    issueId: I(from),
    relatedIssueId: I(to),
    createdAt: T(createdAt),
  });
  const relations: FakeRelation[] = [
    relation('R1', 'DEL-9', 'blocks', 'DEL-2', '2026-11-12T10:00:00Z'),
    relation('R2', 'DEL-35', 'blocks', 'DEL-32', '2026-11-18T09:30:00Z'),
    relation('R3', 'ENG-15', 'blocks', 'ENG-14', '2026-11-24T11:00:00Z'),
    relation('R4', 'ENG-16', 'blocks', 'ENG-12', '2026-10-20T10:00:00Z'),
    relation('R5', 'DEL-31', 'related', 'DEL-32', '2026-10-12T16:00:00Z'),
    relation('R6', 'DEL-33', 'duplicate', 'DEL-22', '2026-10-21T16:00:00Z'),
  ];

  const hist = (
    key: string,
    issueKey: string,
    createdAt: string,
    change: Partial<FakeHistory>,
  ): FakeHistory => ({
    id: uuid(`history:${key}`),
    issueId: I(issueKey),
    createdAt: T(createdAt),
    ...change,
  });
  const history: FakeHistory[] = [
    hist('h22-1', 'DEL-22', '2026-10-20T09:00:00Z', { toStateId: S('DEL', 'Todo') }),
    hist('h22-2', 'DEL-22', '2026-10-25T10:00:00Z', { addedLabelIds: [L('Blocked')] }),
    hist('h22-3', 'DEL-22', '2026-10-28T10:00:00Z', { removedLabelIds: [L('Blocked')] }),
    hist('h22-4', 'DEL-22', '2026-11-02T14:00:00Z', {
      fromStateId: S('DEL', 'Todo'),
      toStateId: S('DEL', 'In Progress'),
    }),
    hist('h22-5', 'DEL-22', '2026-11-13T15:20:00Z', { addedLabelIds: [L('Blocked')] }),
    hist('h32-1', 'DEL-32', '2026-11-18T09:35:00Z', { addedLabelIds: [L('Blocked')] }),
    hist('h52-1', 'ENG-52', '2026-10-01T15:00:00Z', { toStateId: S('ENG', 'Todo') }),
    hist('h52-2', 'ENG-52', '2026-11-03T14:00:00Z', {
      fromStateId: S('ENG', 'Todo'),
      toStateId: S('ENG', 'In Progress'),
    }),
    hist('h52-3', 'ENG-52', '2026-11-20T14:00:00Z', {
      fromStateId: S('ENG', 'In Progress'),
      toStateId: S('ENG', 'Blocked'),
    }),
  ];

  return {
    apiKeys: [GOLDEN_API_KEY],
    viewerId: U('priya'),
    organization: {
      id: uuid('org:northwind'),
      name: 'Northwind Analytics',
      urlKey: 'northwind',
      createdAt: T('2023-03-01T14:00:00Z'),
    },
    users,
    teams,
    states,
    labels,
    projectStatuses,
    projects,
    milestones,
    cycles,
    issues,
    relations,
    history,
  };
}

/**
 * The workspace files operations still reads, as the CSV loader gives them (strings,
 * empty cells undefined). people.csv has an extra `email` column (ignored by the agents;
 * the cycle overlay matches Linear users with it); Sam has none and is matched by name.
 */
export function goldenFileDatasets(): Record<string, unknown> {
  const person = (id: string, name: string, role: string, email?: string) => ({
    id,
    name,
    role,
    department: 'Delivery',
    employment_type: 'full_time',
    start_date: '2024-01-15',
    end_date: undefined,
    annual_cost_cents: '12000000',
    email,
  });
  const alloc = (
    person_id: string,
    project_id: string,
    week: string,
    planned?: string,
    actual?: string,
  ) => ({
    person_id,
    project_id,
    week,
    planned_hours: planned,
    actual_hours: actual,
  });
  return {
    projects: [
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
        percent_complete: '30',
        arr_at_stake_cents: '2400000',
      },
      {
        id: 'P-102',
        name: 'Contoso Data Migration',
        customer: 'Contoso Ltd',
        owner: 'Tom Becker',
        status: 'active',
        start_date: '2026-10-19',
        due_date: '2026-11-20',
        budget_hours: '80',
        spent_hours: '92',
        percent_complete: '85',
        arr_at_stake_cents: '799000',
      },
      {
        id: 'P-900',
        name: 'Retired intranet',
        customer: undefined,
        owner: 'Tom Becker',
        status: 'active',
        start_date: '2026-01-05',
        due_date: '2026-03-27',
        budget_hours: '40',
        spent_hours: '10',
        percent_complete: '10',
        arr_at_stake_cents: undefined,
      },
    ],
    milestones: [
      {
        id: 'M-OLD',
        project_id: 'P-900',
        name: 'Old milestone',
        due_date: '2026-02-01',
        completed_on: undefined,
      },
    ],
    blockers: [],
    people: [
      person('E-003', 'Lena Ortiz', 'Senior Software Engineer', 'lena@northwind.example'),
      person('E-004', 'Priya Nair', 'Head of Delivery', 'Priya@Northwind.example'),
      person('E-005', 'Sam Okafor', 'Software Engineer'),
      person('E-006', 'Tom Becker', 'Solutions Engineer', 'tom@northwind.example'),
      person('E-009', 'Maya Chen', 'Account Executive', 'maya@northwind.example'),
    ],
    capacity: [
      { person_id: 'E-003', available_hours_per_week: '36' },
      { person_id: 'E-004', available_hours_per_week: '40' },
      { person_id: 'E-005', available_hours_per_week: '40' },
      { person_id: 'E-006', available_hours_per_week: '40' },
    ],
    allocations: [
      alloc('E-004', 'P-101', '2026-11-16', undefined, '30'),
      alloc('E-004', 'P-101', '2026-11-23', '20'),
      alloc('E-004', 'support', '2026-11-23', '8'),
      alloc('E-006', 'P-102', '2026-11-23', '30'),
      alloc('E-006', 'P-101', '2026-11-23', '10'),
      alloc('E-003', 'support', '2026-11-23', '4'),
      alloc('E-004', 'P-101', '2026-11-30', '20'),
      alloc('E-006', 'P-102', '2026-11-30', '16'),
      alloc('E-006', 'P-101', '2026-11-30', '10'),
      alloc('E-004', 'P-101', '2026-12-07', '12'),
      alloc('E-006', 'P-101', '2026-12-07', '12'),
    ],
    timeOff: [
      { person_id: 'E-005', start_date: '2026-12-07', end_date: '2026-12-11', type: 'vacation' },
    ],
    settings: undefined,
  };
}

/**
 * The operations metrics of the golden workspace through the connector (default settings
 * plus GOLDEN_SETTINGS) and the agent, today 2026-11-26. The arithmetic is in
 * tests/sources/connectors/linear.test.ts.
 */
export const GOLDEN_OPERATIONS_METRICS = {
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
} as const;
