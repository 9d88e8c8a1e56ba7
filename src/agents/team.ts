/**
 * The team data operations and HR share: one set of files read by both agents.
 *
 * - `people.csv`: everyone who works or worked at the company (HR's roster).
 * - `capacity.csv`: the delivery team, with the hours a week each person can give to
 *   delivery work.
 * - `allocations.csv`: planned and actual (logged) hours by person, project and week.
 * - `time_off.csv`: vacation, sick, parental and other leave, by person and date range.
 *
 * The helpers here turn those rows into hours per person and week (available, planned,
 * actual) so both agents report the same figures. Weeks start on Monday; a week's
 * available hours are the person's weekly hours x the share of its five working days
 * (Monday..Friday) on which they are employed and not on time off. Pure: "today" comes
 * in as an argument. Formulas: docs/metrics/operations.md and docs/metrics/hr.md.
 */
import { DAY_NAMES, weekday, weekStart, workingDaysIn } from '../shared/dates.js';
import { z } from 'zod';
import type { DatasetSpec } from '../contract/agent.js';
import { addDays } from '../shared/dates.js';
import { cents, decimal, isoDate, oneOf, rowsUniqueBy, text } from '../contract/fields.js';
import { percent, sumBy } from '../shared/numbers.js';

export const EMPLOYMENT_TYPES = ['full_time', 'part_time', 'contractor'] as const;
export const TIME_OFF_TYPES = ['vacation', 'sick', 'parental', 'other'] as const;

/** Working days in a week (Monday..Friday): a week's hours are prorated by fifths. */
export const WORKING_DAYS_PER_WEEK = 5;

// ---------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------

export const Person = z
  .object({
    id: text(),
    name: text(),
    role: text(),
    department: text(),
    employment_type: oneOf(EMPLOYMENT_TYPES),
    start_date: isoDate(),
    /** Last working day; empty while employed. */
    end_date: isoDate().optional(),
    /** Fully loaded yearly cost (salary, or contract rate x 12), integer cents. */
    annual_cost_cents: cents(),
  })
  .superRefine((p, ctx) => {
    if (p.end_date !== undefined && p.end_date < p.start_date) {
      ctx.addIssue({
        code: 'custom',
        path: ['end_date'],
        message: `end_date ${p.end_date} is before start_date ${p.start_date}`,
      });
    }
  });
export type Person = z.output<typeof Person>;

export const CapacityRow = z.object({
  /** A person's `id` in people.csv. */
  person_id: text(),
  /** Hours a week this person can give to delivery work (projects, support). */
  available_hours_per_week: decimal({ min: 0, max: 168 }),
});
export type CapacityRow = z.output<typeof CapacityRow>;

export const Allocation = z
  .object({
    /** A person's `id`; the person must be in capacity.csv. */
    person_id: text(),
    /** A project's `id` in projects.csv, or any other label for non-project work (`support`). */
    project_id: text(),
    /** The Monday the week starts on. */
    week: isoDate(),
    /** Hours planned for that person, project and week. */
    planned_hours: decimal({ min: 0, max: 168 }).optional(),
    /** Hours logged (worked) for that person, project and week. */
    actual_hours: decimal({ min: 0, max: 168 }).optional(),
  })
  .superRefine((a, ctx) => {
    if (weekday(a.week) !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['week'],
        message: `expected the Monday a week starts on, got ${a.week} (a ${DAY_NAMES[weekday(a.week)]})`,
      });
    }
    if (a.planned_hours === undefined && a.actual_hours === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['planned_hours'],
        message: 'required: planned_hours or actual_hours (or both)',
      });
    }
  });
export type Allocation = z.output<typeof Allocation>;

export const TimeOff = z
  .object({
    person_id: text(),
    /** First day off. */
    start_date: isoDate(),
    /** Last day off (inclusive). */
    end_date: isoDate(),
    type: oneOf(TIME_OFF_TYPES),
  })
  .superRefine((t, ctx) => {
    if (t.end_date < t.start_date) {
      ctx.addIssue({
        code: 'custom',
        path: ['end_date'],
        message: `end_date ${t.end_date} is before start_date ${t.start_date}`,
      });
    }
  });
export type TimeOff = z.output<typeof TimeOff>;

/** Allocation rows, one per person, project and week. */
const allocationRows = z.array(Allocation).superRefine((rows, ctx) => {
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const key = `${r.person_id}\u0000${r.project_id}\u0000${r.week}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'week'],
        message: `duplicate row for ${r.person_id}, ${r.project_id}, week ${r.week} (also on data row ${first + 1})`,
      });
    } else {
      seen.set(key, i);
    }
  });
});

/** The team data sets, as fields of an agent's input object. */
export const teamShape = {
  people: rowsUniqueBy(Person, 'id'),
  capacity: rowsUniqueBy(CapacityRow, 'person_id'),
  allocations: allocationRows,
  timeOff: z.array(TimeOff),
};

export interface TeamData {
  people: Person[];
  capacity: CapacityRow[];
  allocations: Allocation[];
  timeOff: TimeOff[];
}

/**
 * The files behind `teamShape`. `people.csv` is always required; `capacity.csv` and
 * `allocations.csv` are required when `workRequired` (operations plans with them) and
 * optional otherwise (HR reports utilization as null without them); `time_off.csv` is
 * optional for both.
 */
export function teamDatasets(workRequired: boolean): Record<keyof TeamData, DatasetSpec> {
  return {
    people: { file: 'people.csv', format: 'csv' },
    capacity: { file: 'capacity.csv', format: 'csv', optional: !workRequired },
    allocations: { file: 'allocations.csv', format: 'csv', optional: !workRequired },
    timeOff: { file: 'time_off.csv', format: 'csv', optional: true },
  };
}

export interface CrossFileIssue {
  path: (string | number)[];
  message: string;
}

/**
 * References between the team files: capacity and time off name people in people.csv,
 * allocations name people in capacity.csv. Each issue names the data set, row and column.
 */
export function teamReferenceIssues(team: TeamData): CrossFileIssue[] {
  const issues: CrossFileIssue[] = [];
  const people = new Set(team.people.map((p) => p.id));
  const delivery = new Set(team.capacity.map((c) => c.person_id));
  team.capacity.forEach((c, i) => {
    if (!people.has(c.person_id))
      issues.push({
        path: ['capacity', i, 'person_id'],
        message: `unknown person ${JSON.stringify(c.person_id)}: not an id in people.csv`,
      });
  });
  team.allocations.forEach((a, i) => {
    if (!delivery.has(a.person_id))
      issues.push({
        path: ['allocations', i, 'person_id'],
        message: `unknown person ${JSON.stringify(a.person_id)}: not a person_id in capacity.csv`,
      });
  });
  team.timeOff.forEach((t, i) => {
    if (!people.has(t.person_id))
      issues.push({
        path: ['timeOff', i, 'person_id'],
        message: `unknown person ${JSON.stringify(t.person_id)}: not an id in people.csv`,
      });
  });
  return issues;
}

/** On the team on `date`: started on or before it and not past the last working day. */
export function isOnTeam(p: Pick<Person, 'start_date' | 'end_date'>, date: string): boolean {
  return p.start_date <= date && (p.end_date === undefined || p.end_date >= date);
}

// ---------------------------------------------------------------------------------
// Hours per person and week
// ---------------------------------------------------------------------------------

export interface PersonWeek {
  personId: string;
  week: string;
  /** Weekly hours x working days employed and not off / 5. */
  available: number;
  /** Sum of `planned_hours` over the person's rows for the week. */
  planned: number;
  /** Sum of `actual_hours`; 0 when nothing was logged. */
  actual: number;
  /** True when at least one row of the week has `actual_hours`. */
  logged: boolean;
}

/** Indexes the team files once; `week(personId, monday)` is then a lookup. */
export class TeamModel {
  readonly people = new Map<string, Person>();
  readonly capacity: CapacityRow[];
  /** Working days off, by person. */
  private readonly daysOff = new Map<string, Map<string, TimeOff['type']>>();
  private readonly hours = new Map<string, { planned: number; actual: number; logged: boolean }>();

  constructor(readonly data: TeamData) {
    for (const p of data.people) this.people.set(p.id, p);
    this.capacity = data.capacity;
    for (const t of data.timeOff) {
      const days = this.daysOff.get(t.person_id) ?? new Map<string, TimeOff['type']>();
      for (const d of workingDaysIn(t.start_date, t.end_date)) days.set(d, t.type);
      this.daysOff.set(t.person_id, days);
    }
    for (const a of data.allocations) {
      const key = `${a.person_id}\u0000${a.week}`;
      const h = this.hours.get(key) ?? { planned: 0, actual: 0, logged: false };
      h.planned += a.planned_hours ?? 0;
      if (a.actual_hours !== undefined) {
        h.actual += a.actual_hours;
        h.logged = true;
      }
      this.hours.set(key, h);
    }
  }

  name(personId: string): string {
    return this.people.get(personId)?.name ?? personId;
  }

  /** The type of time off `personId` has on `date` (a working day), if any. */
  dayOff(personId: string, date: string): TimeOff['type'] | undefined {
    return this.daysOff.get(personId)?.get(date);
  }

  /** Working days of the week starting `monday` on which the person works (employed, not off). */
  workingDays(personId: string, monday: string): number {
    const p = this.people.get(personId);
    if (!p) return 0;
    return workingDaysIn(monday, addDays(monday, 6)).filter(
      (d) => isOnTeam(p, d) && this.dayOff(personId, d) === undefined,
    ).length;
  }

  week(c: CapacityRow, monday: string): PersonWeek {
    const h = this.hours.get(`${c.person_id}\u0000${monday}`);
    return {
      personId: c.person_id,
      week: monday,
      available:
        (c.available_hours_per_week * this.workingDays(c.person_id, monday)) /
        WORKING_DAYS_PER_WEEK,
      planned: h?.planned ?? 0,
      actual: h?.actual ?? 0,
      logged: h?.logged ?? false,
    };
  }

  /** Every delivery person's weeks among `mondays`. */
  weeks(mondays: readonly string[]): PersonWeek[] {
    return this.capacity.flatMap((c) => mondays.map((m) => this.week(c, m)));
  }
}

/** `n` consecutive Mondays starting `offset` weeks after the week of `today` (0 = this week). */
export function mondays(today: string, offset: number, n: number): string[] {
  const first = addDays(weekStart(today), 7 * offset);
  return Array.from({ length: n }, (_, i) => addDays(first, 7 * i));
}

export interface Load {
  available: number;
  planned: number;
  actual: number;
  /** Sum over person-weeks of max(0, available - planned): one person's slack does not absorb another's overload. */
  free: number;
  /** Sum over person-weeks of max(0, actual - available). */
  overtime: number;
  /** Any actual hours logged. */
  logged: boolean;
}

export function load(weeks: readonly PersonWeek[]): Load {
  return {
    available: sumBy(weeks, (w) => w.available),
    planned: sumBy(weeks, (w) => w.planned),
    actual: sumBy(weeks, (w) => w.actual),
    free: sumBy(weeks, (w) => Math.max(0, w.available - w.planned)),
    overtime: sumBy(weeks, (w) => Math.max(0, w.actual - w.available)),
    logged: weeks.some((w) => w.logged),
  };
}

/** Planned utilization: planned / available x 100 (1 decimal), null when nothing is available. */
export function plannedUtilization(l: Load): number | null {
  return percent(l.planned, l.available);
}

/** Actual utilization: actual / available x 100 (1 decimal), null when nothing is available or nothing was logged. */
export function actualUtilization(l: Load): number | null {
  return l.logged ? percent(l.actual, l.available) : null;
}
