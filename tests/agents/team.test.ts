import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { hrAgent } from '../../src/agents/hr/index.js';
import { operationsAgent } from '../../src/agents/operations/index.js';
import {
  TeamModel,
  actualUtilization,
  load,
  mondays,
  plannedUtilization,
  type PersonWeek,
} from '../../src/agents/team/index.js';
import { weekStart, weekday, workingDaysIn } from '../../src/shared/dates.js';
import { loadAgentInput } from '../../src/sources/workspace.js';

// Rows as the CSV loader gives them: strings, empty cells as undefined.
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
const alloc = (
  person_id: string,
  week: string,
  planned?: string,
  actual?: string,
  project = 'P-1',
) => ({
  person_id,
  project_id: project,
  week,
  planned_hours: planned,
  actual_hours: actual,
});

/** Parses team rows through the HR schema (which carries the shared team files). */
function parseTeam(team: {
  people: unknown[];
  capacity?: unknown[];
  allocations?: unknown[];
  timeOff?: unknown[];
}) {
  return hrAgent.input.safeParse({
    capacity: [],
    allocations: [],
    timeOff: [],
    roles: [],
    candidates: [],
    pulse: [],
    ...team,
  });
}

describe('team calendar', () => {
  it('finds weekdays, Mondays and working days', () => {
    expect(weekday('2026-11-26')).toBe(4); // Thursday
    expect(weekStart('2026-11-26')).toBe('2026-11-23');
    expect(weekStart('2026-11-23')).toBe('2026-11-23'); // a Monday is its own week start
    expect(weekStart('2026-11-29')).toBe('2026-11-23'); // Sunday belongs to the week before
    expect(workingDaysIn('2026-11-27', '2026-12-01')).toEqual([
      '2026-11-27', // Fri
      '2026-11-30', // Mon
      '2026-12-01', // Tue
    ]);
    expect(mondays('2026-11-26', 0, 1)).toEqual(['2026-11-23']);
    expect(mondays('2026-11-26', 1, 4)).toEqual([
      '2026-11-30',
      '2026-12-07',
      '2026-12-14',
      '2026-12-21',
    ]);
    expect(mondays('2026-11-26', -4, 4)).toEqual([
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
  });
});

describe('team model', () => {
  const parsed = parseTeam({
    people: [
      person('A'),
      person('B', '2026-11-25'), // starts Wednesday: 3 of 5 days this week
      person('C', '2024-01-01', '2026-11-24'), // last day Tuesday: 2 of 5 days
    ],
    capacity: [
      { person_id: 'A', available_hours_per_week: '40' },
      { person_id: 'B', available_hours_per_week: '30' },
      { person_id: 'C', available_hours_per_week: '40' },
    ],
    allocations: [
      alloc('A', '2026-11-23', '20', '22'),
      alloc('A', '2026-11-23', '25', undefined, 'support'), // two rows of a week add up
      alloc('B', '2026-11-23', '10'),
      alloc('C', '2026-11-30', '8'), // planned after the last day: nothing available
    ],
    timeOff: [
      // Wednesday and Thursday off, plus a weekend day that is not a working day.
      { person_id: 'A', start_date: '2026-11-25', end_date: '2026-11-26', type: 'vacation' },
      { person_id: 'B', start_date: '2026-11-28', end_date: '2026-11-29', type: 'sick' },
    ],
  });
  const team = new TeamModel(parsed.data!);
  const [a, b, c] = parsed.data!.capacity;

  it('prorates available hours by working days employed and not off', () => {
    expect(parsed.success).toBe(true);
    expect(team.week(a!, '2026-11-23')).toEqual<PersonWeek>({
      personId: 'A',
      week: '2026-11-23',
      available: 24, // 40 x 3/5 (Wed and Thu off)
      planned: 45, // 20 + 25
      actual: 22,
      logged: true,
    });
    expect(team.week(b!, '2026-11-23').available).toBe(18); // 30 x 3/5 (starts Wed; weekend sick day costs nothing)
    expect(team.week(c!, '2026-11-23').available).toBe(16); // 40 x 2/5 (leaves after Tue)
    expect(team.week(c!, '2026-11-30')).toMatchObject({ available: 0, planned: 8, logged: false });
    expect(team.dayOff('A', '2026-11-26')).toBe('vacation');
    expect(team.dayOff('A', '2026-11-27')).toBeUndefined();
  });

  it('sums load per person-week: free hours are never netted against overload', () => {
    const l = load(team.weeks(['2026-11-23', '2026-11-30']));
    expect(l).toEqual({
      available: 24 + 18 + 16 + (40 + 30 + 0), // this week + next week (C gone)
      planned: 45 + 10 + 0 + 8,
      actual: 22,
      // A 0 (45 > 24), B 8, C 16 this week; next week A 40, B 30, C 0 (8 planned, 0 available)
      free: 0 + 8 + 16 + 40 + 30 + 0,
      overtime: 0, // A logged 22 of 24 available
      logged: true,
    });
    expect(plannedUtilization(l)).toBe(49.2); // 63 / 128 = 49.22%
    expect(actualUtilization(l)).toBe(17.2); // 22 / 128 = 17.19%
  });

  it('reports null utilization with nothing available or nothing logged', () => {
    const none = load([]);
    expect(plannedUtilization(none)).toBeNull();
    expect(actualUtilization(none)).toBeNull();
    const notLogged = load(team.weeks(['2026-12-07']));
    expect(notLogged.available).toBe(70);
    expect(plannedUtilization(notLogged)).toBe(0);
    expect(actualUtilization(notLogged)).toBeNull();
  });

  it('free capacity and overtime are never negative and bound the net figures (property)', () => {
    const week = fc.record({
      available: fc.integer({ min: 0, max: 80 }),
      planned: fc.integer({ min: 0, max: 80 }),
      actual: fc.integer({ min: 0, max: 80 }),
    });
    fc.assert(
      fc.property(fc.array(week, { maxLength: 20 }), (ws) => {
        const l = load(
          ws.map((w, i) => ({ ...w, personId: `P${i}`, week: '2026-11-23', logged: true })),
        );
        expect(l.free).toBeGreaterThanOrEqual(0);
        expect(l.free).toBeGreaterThanOrEqual(l.available - l.planned);
        expect(l.overtime).toBeGreaterThanOrEqual(Math.max(0, l.actual - l.available));
        const u = plannedUtilization(l);
        expect(u === null ? l.available === 0 : Number.isFinite(u)).toBe(true);
      }),
    );
  });
});

describe('team validation', () => {
  const issue = (r: ReturnType<typeof parseTeam>) => ({
    path: r.error?.issues[0]?.path,
    message: r.error?.issues[0]?.message,
  });

  it('rejects an allocation week that is not a Monday', () => {
    const r = parseTeam({
      people: [person('A')],
      capacity: [{ person_id: 'A', available_hours_per_week: '40' }],
      allocations: [alloc('A', '2026-11-26', '8')],
    });
    expect(issue(r)).toEqual({
      path: ['allocations', 0, 'week'],
      message: 'expected the Monday a week starts on, got 2026-11-26 (a Thursday)',
    });
  });

  it('requires planned or actual hours', () => {
    const r = parseTeam({
      people: [person('A')],
      capacity: [{ person_id: 'A', available_hours_per_week: '40' }],
      allocations: [alloc('A', '2026-11-23')],
    });
    expect(issue(r)).toEqual({
      path: ['allocations', 0, 'planned_hours'],
      message: 'required: planned_hours or actual_hours (or both)',
    });
  });

  it('rejects a duplicate person, project and week', () => {
    const r = parseTeam({
      people: [person('A')],
      capacity: [{ person_id: 'A', available_hours_per_week: '40' }],
      allocations: [alloc('A', '2026-11-23', '8'), alloc('A', '2026-11-23', '4')],
    });
    expect(issue(r)).toEqual({
      path: ['allocations', 1, 'week'],
      message: 'duplicate row for A, P-1, week 2026-11-23 (also on data row 1)',
    });
  });

  it('checks references between the team files', () => {
    expect(
      issue(
        parseTeam({
          people: [person('A')],
          capacity: [{ person_id: 'Z', available_hours_per_week: '40' }],
        }),
      ),
    ).toEqual({
      path: ['capacity', 0, 'person_id'],
      message: 'unknown person "Z": not an id in people.csv',
    });
    expect(
      issue(parseTeam({ people: [person('A')], allocations: [alloc('A', '2026-11-23', '8')] })),
    ).toEqual({
      path: ['allocations', 0, 'person_id'],
      message: 'unknown person "A": not a person_id in capacity.csv',
    });
    expect(
      issue(
        parseTeam({
          people: [person('A')],
          timeOff: [
            { person_id: 'B', start_date: '2026-11-02', end_date: '2026-11-03', type: 'sick' },
          ],
        }),
      ),
    ).toEqual({
      path: ['timeOff', 0, 'person_id'],
      message: 'unknown person "B": not an id in people.csv',
    });
  });

  it('rejects time off ending before it starts, and a person leaving before starting', () => {
    expect(
      issue(
        parseTeam({
          people: [person('A')],
          timeOff: [
            { person_id: 'A', start_date: '2026-11-03', end_date: '2026-11-02', type: 'vacation' },
          ],
        }),
      ),
    ).toEqual({
      path: ['timeOff', 0, 'end_date'],
      message: 'end_date 2026-11-02 is before start_date 2026-11-03',
    });
    expect(issue(parseTeam({ people: [person('A', '2026-01-01', '2025-12-31')] })).path).toEqual([
      'people',
      0,
      'end_date',
    ]);
  });

  it('is one set of files for operations and HR, named by file, line and field', async () => {
    // Operations plans with the allocations (required); HR reports null utilization without them.
    expect(operationsAgent.datasets.allocations).toEqual({
      file: 'allocations.csv',
      format: 'csv',
      optional: false,
    });
    expect(hrAgent.datasets.allocations).toEqual({
      file: 'allocations.csv',
      format: 'csv',
      optional: true,
    });
    for (const key of ['people', 'capacity', 'allocations', 'timeOff'] as const) {
      expect(operationsAgent.datasets[key]?.file).toBe(hrAgent.datasets[key]?.file);
    }

    const dir = await mkdtemp(path.join(tmpdir(), 'boardroom-team-'));
    try {
      await writeFile(
        path.join(dir, 'people.csv'),
        'id,name,role,department,employment_type,start_date,end_date,annual_cost_cents\n' +
          'E-1,Ann,Engineer,Engineering,full_time,2024-01-01,,1000000\n',
      );
      await writeFile(
        path.join(dir, 'roles.csv'),
        'id,title,department,status,opened_on,annual_budget_cents\n',
      );
      await writeFile(
        path.join(dir, 'capacity.csv'),
        'person_id,available_hours_per_week\nE-1,40\n',
      );
      await writeFile(
        path.join(dir, 'allocations.csv'),
        'person_id,project_id,week,planned_hours,actual_hours\nE-1,P-1,2026-11-23,30,\nE-2,P-1,2026-11-23,10,\n',
      );
      await expect(loadAgentInput(dir, hrAgent)).rejects.toThrow(
        `${path.join(dir, 'allocations.csv')}, line 3, field "person_id": unknown person "E-2": not a person_id in capacity.csv`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
