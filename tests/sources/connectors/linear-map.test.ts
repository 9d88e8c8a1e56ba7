/** The Linear connector's pure rules: statuses, file matching, dates, blockers, the cycle overlay. */
import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../src/sources/connectors/linear/client.js';
import {
  STATUS_MAP,
  blockedSince,
  boundaryDate,
  dateIn,
  hoursFromIssues,
  mapBlockers,
  mapProjects,
  matchFileRows,
  overlayCycleAllocations,
} from '../../../src/sources/connectors/linear/map.js';
import type {
  BlockedIssueNode,
  HistoryNode,
  IssueNode,
  ProjectNode,
} from '../../../src/sources/connectors/linear/queries.js';
import { LinearSettings } from '../../../src/sources/connectors/linear/settings.js';

const settings = LinearSettings.parse({ hours_per_point: 4, timezone: 'America/New_York' });

function project(over: Partial<ProjectNode> & { id: string; name: string }): ProjectNode {
  return {
    slugId: `slug-${over.id}`,
    status: { type: 'started', name: 'In Progress' },
    progress: 0.5,
    scope: 10,
    startDate: '2026-10-01',
    targetDate: '2026-12-31',
    startedAt: null,
    completedAt: null,
    canceledAt: null,
    createdAt: '2026-09-01T12:00:00.000Z',
    lead: null,
    ...over,
  };
}

function issue(over: Partial<IssueNode> & { id: string }): IssueNode {
  return {
    identifier: over.id,
    estimate: 1,
    trashed: null,
    completedAt: null,
    canceledAt: null,
    state: { type: 'unstarted' },
    assignee: null,
    project: { id: 'p1' },
    projectMilestone: null,
    cycle: null,
    ...over,
  };
}

function blocked(over: Partial<BlockedIssueNode> & { id: string }): BlockedIssueNode {
  return {
    identifier: over.id,
    title: `Issue ${over.id}`,
    createdAt: '2026-11-01T12:00:00.000Z',
    completedAt: null,
    canceledAt: null,
    state: { name: 'Todo', type: 'unstarted' },
    assignee: null,
    project: { id: 'p1' },
    labels: { nodes: [] },
    inverseRelations: { nodes: [] },
    ...over,
  };
}

describe('linear mapping rules', () => {
  it('maps every Linear project status type to a projects.csv status', () => {
    expect(STATUS_MAP).toEqual({
      backlog: 'planned',
      planned: 'planned',
      started: 'active',
      paused: 'on_hold',
      completed: 'completed',
      canceled: 'canceled',
    });
  });

  it('matches projects.csv rows by slugId or id first, then by a name unique on both sides', () => {
    const projects = [
      project({ id: 'p1', name: 'Alpha' }),
      project({ id: 'p2', name: 'Beta' }),
      project({ id: 'p3', name: 'Twin' }),
      project({ id: 'p4', name: 'twin' }),
      project({ id: 'p5', name: 'Gamma' }),
    ];
    const rows = [
      { id: 'slug-p2', name: 'Something else' },
      { id: 'A-1', name: ' alpha ' },
      { id: 'T-1', name: 'Twin' },
      { id: 'p5', name: 'Gamma' },
      { id: 'G-2', name: 'Gamma' },
    ];
    const m = matchFileRows(projects, rows);
    expect(m.get('p1')?.id).toBe('A-1');
    expect(m.get('p2')?.id).toBe('slug-p2');
    expect(m.has('p3')).toBe(false); // two Linear projects called "twin"
    expect(m.has('p4')).toBe(false);
    expect(m.get('p5')?.id).toBe('p5'); // by id, before the name
  });

  it('takes a missing target date from the matching file row, else leaves the project out; start date falls back to startedAt', () => {
    const projects = [
      project({
        id: 'p1',
        name: 'Has file date',
        targetDate: null,
        startDate: null,
        startedAt: '2026-10-06T03:00:00.000Z',
      }),
      project({ id: 'p2', name: 'No date anywhere', targetDate: null }),
    ];
    const rows = [{ id: 'X-1', name: 'Has file date', due_date: '2027-03-31', owner: 'Dana' }];
    const { rows: out, leftOut, openIds } = mapProjects(projects, rows, [], settings);
    expect(out).toEqual([
      {
        id: 'X-1',
        name: 'Has file date',
        owner: 'Dana',
        status: 'active',
        // 2026-10-06T03:00Z is still 10-05 in New York.
        start_date: '2026-10-05',
        due_date: '2027-03-31',
        budget_hours: 0,
        spent_hours: 0,
        percent_complete: 50,
      },
    ]);
    expect(leftOut.map((p) => p.name)).toEqual(['No date anywhere']);
    expect(openIds).toEqual(['p1']);
  });

  it('hours from estimates: unestimated issues count unestimated_points; canceled and trashed issues none', () => {
    const s = LinearSettings.parse({ hours_per_point: 6, unestimated_points: 0.5 });
    const hours = hoursFromIssues(
      [
        issue({ id: 'a', estimate: 3, state: { type: 'completed' } }),
        issue({ id: 'b', estimate: null }),
        issue({ id: 'c', estimate: 8, state: { type: 'canceled' } }),
        issue({ id: 'd', estimate: 5, trashed: true }),
        issue({ id: 'e', estimate: 2, state: { type: 'started' } }),
      ],
      s,
    );
    // budget (3 + 0.5 + 2) x 6 = 33; spent 3 x 6 = 18.
    expect(hours.get('p1')).toEqual({ budget: 33, spent: 18 });
  });

  it('dates: timestamps in the settings time zone; cycle boundaries rounded to the nearest midnight', () => {
    expect(dateIn('2026-11-03T02:30:00.000Z', 'America/New_York')).toBe('2026-11-02');
    expect(dateIn('2026-11-03T02:30:00.000Z', 'UTC')).toBe('2026-11-03');
    expect(dateIn('2026-11-22T16:00:00.000Z', 'Asia/Tokyo')).toBe('2026-11-23');
    expect(boundaryDate('2026-11-22T15:00:00.000Z')).toBe('2026-11-23'); // Tokyo midnight
    expect(boundaryDate('2026-11-23T08:00:00.000Z')).toBe('2026-11-23'); // Los Angeles midnight
    expect(boundaryDate('2026-11-23T00:00:00.000Z')).toBe('2026-11-23'); // UTC
  });

  it('blocked since: the latest time the flag was set; with label and state the earlier; the creation without history', () => {
    const both = blocked({
      id: 'X-1',
      labels: { nodes: [{ name: 'Blocked' }] },
      state: { name: 'Blocked', type: 'started' },
    });
    const h = (createdAt: string, o: Partial<HistoryNode>): HistoryNode => ({
      id: createdAt,
      createdAt,
      addedLabels: null,
      toState: null,
      ...o,
    });
    const history = [
      h('2026-11-02T10:00:00.000Z', { addedLabels: [{ name: 'Blocked' }] }),
      h('2026-11-09T10:00:00.000Z', { addedLabels: [{ name: 'Blocked' }] }),
      h('2026-11-05T10:00:00.000Z', { toState: { name: 'Blocked' } }),
    ];
    expect(blockedSince(both, history, settings)).toBe('2026-11-05T10:00:00.000Z');
    expect(blockedSince(both, [], settings)).toBe('2026-11-01T12:00:00.000Z');
    const custom = LinearSettings.parse({ blocked_labels: ['On hold'], blocked_states: [] });
    const onHold = blocked({ id: 'X-2', labels: { nodes: [{ name: 'On hold' }] } });
    expect(
      blockedSince(
        onHold,
        [h('2026-11-20T10:00:00.000Z', { addedLabels: [{ name: 'On hold' }] })],
        custom,
      ),
    ).toBe('2026-11-20T10:00:00.000Z');
  });

  it('blockers: a link made after the blocker was done is no blocker; a blocked issue done ends the block; other projects are skipped', () => {
    const rel = (id: string, createdAt: string, completedAt: string | null, type = 'blocks') => ({
      id,
      type,
      createdAt,
      issue: {
        id: `b-${id}`,
        identifier: `B-${id}`,
        title: `Blocker ${id}`,
        completedAt,
        canceledAt: null,
        assignee: null,
      },
    });
    const rows = mapBlockers(
      [
        blocked({
          id: 'X-1',
          completedAt: '2026-11-20T15:00:00.000Z',
          state: { name: 'Done', type: 'completed' },
          assignee: { name: 'Ana' },
          inverseRelations: {
            nodes: [
              rel('1', '2026-11-10T15:00:00.000Z', '2026-11-09T15:00:00.000Z'),
              rel('2', '2026-11-10T15:00:00.000Z', null),
              rel('3', '2026-11-10T15:00:00.000Z', null, 'related'),
            ],
          },
        }),
        blocked({
          id: 'Y-1',
          project: { id: 'elsewhere' },
          labels: { nodes: [{ name: 'Blocked' }] },
        }),
        blocked({ id: 'Z-1', project: null, labels: { nodes: [{ name: 'Blocked' }] } }),
      ],
      new Map(),
      new Map([['p1', 'P-1']]),
      settings,
    );
    expect(rows).toEqual([
      {
        id: 'X-1/B-2',
        project_id: 'P-1',
        title: 'Issue X-1 (X-1) waits on B-2: Blocker 2',
        owner: 'Ana',
        opened_on: '2026-11-10',
        resolved_on: '2026-11-20',
      },
    ]);
  });

  it('cycle overlay: only people in capacity.csv, unique names, actual hours kept beside Linear planned hours', () => {
    const cycle = {
      id: 'c',
      number: 1,
      startsAt: '2026-11-23T05:00:00.000Z',
      endsAt: '2026-11-30T05:00:00.000Z',
    };
    const u = (name: string, email: string) => ({ id: name, name, email });
    const overlay = overlayCycleAllocations({
      issues: [
        issue({ id: 'a', estimate: 5, assignee: u('Ann Lee', 'ann@x.example'), cycle }),
        issue({ id: 'b', estimate: 2, assignee: u('Bo Kim', 'bo@x.example'), cycle }),
        issue({ id: 'c', estimate: 3, assignee: u('Cy Doe', 'cy@x.example'), cycle }),
        issue({
          id: 'd',
          estimate: 1,
          assignee: u('Ann Lee', 'ann@x.example'),
          cycle,
          state: { type: 'canceled' },
        }),
      ],
      idOf: new Map([['p1', 'P-1']]),
      people: [
        { id: 'E-1', name: 'Ann Lee' },
        { id: 'E-2', name: 'Bo Kim' },
        { id: 'E-3', name: 'Bo Kim' },
        { id: 'E-4', name: 'Cy Doe', email: 'cy@x.example' },
      ],
      capacity: [{ person_id: 'E-1' }, { person_id: 'E-2' }, { person_id: 'E-3' }],
      allocations: [
        {
          person_id: 'E-1',
          project_id: 'P-1',
          week: '2026-11-23',
          planned_hours: '30',
          actual_hours: '12',
        },
        { person_id: 'E-1', project_id: 'support', week: '2026-11-23', planned_hours: '5' },
      ],
      today: '2026-11-26',
      settings,
    });
    // Ann: 5 points x 4 h = 20 h in the week of 11-23, replacing the file's 30 planned (her 12 actual stay).
    // Bo Kim: two people of that name -> not matched. Cy Doe: matched by e-mail but not in capacity.csv.
    expect(overlay.rows).toEqual([
      {
        person_id: 'E-1',
        project_id: 'P-1',
        week: '2026-11-23',
        actual_hours: '12',
        planned_hours: 20,
      },
      { person_id: 'E-1', project_id: 'support', week: '2026-11-23', planned_hours: '5' },
    ]);
    expect(overlay.unmatched).toEqual(['Bo Kim', 'Cy Doe']);
    expect(overlay.weeks).toEqual(['2026-11-23']);
  });

  it('reads Retry-After (seconds or a date) and else the rate-limit reset (epoch ms, or seconds)', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    const h = (o: Record<string, string>) => new Headers(o);
    expect(retryAfterMs(h({ 'retry-after': '30' }), now)).toBe(30_000);
    expect(retryAfterMs(h({ 'retry-after': 'Thu, 26 Nov 2026 12:00:45 GMT' }), now)).toBe(45_000);
    expect(retryAfterMs(h({ 'x-ratelimit-requests-reset': String(now + 90_000) }), now)).toBe(
      90_000,
    );
    expect(retryAfterMs(h({ 'x-ratelimit-requests-reset': String(now / 1000 + 20) }), now)).toBe(
      20_000,
    );
    expect(retryAfterMs(h({}), now)).toBeUndefined();
  });
});
