/**
 * The team datasets operations and HR share (or the Linear connector's allocations):
 *
 * - `people.csv`: everyone who works or worked at the company (HR's roster).
 * - `capacity.csv`: the delivery team, with the hours a week each person can give to
 *   delivery work.
 * - `allocations.csv`: planned and actual (logged) hours by person, project and week.
 * - `time_off.csv`: vacation, sick, parental and other leave, by person and date range.
 *
 * Row schemas and the checks within one file only; the references between the files
 * and the hours per person and week are the agents' (src/agents/team).
 */
import { z } from 'zod';
import { cents, decimal, isoDate, oneOf, rowsUniqueBy, text } from '../fields.js';

export const EMPLOYMENT_TYPES = ['full_time', 'part_time', 'contractor'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];
export const TIME_OFF_TYPES = ['vacation', 'sick', 'parental', 'other'] as const;
export type TimeOffType = (typeof TIME_OFF_TYPES)[number];

/** One row of people.csv. */
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

/** One row of capacity.csv. */
export const CapacityRow = z.object({
  /** A person's `id` in people.csv. */
  person_id: text(),
  /** Hours a week this person can give to delivery work (projects, support). */
  available_hours_per_week: decimal({ min: 0, max: 168 }),
});
export type CapacityRow = z.output<typeof CapacityRow>;

/**
 * The day of the week of a YYYY-MM-DD date (0 = Sunday) and its English name. Written
 * here rather than taken from shared/dates: the contract depends on zod alone.
 */
function dayOfWeek(iso: string): { index: number; name: string } {
  const index = new Date(`${iso}T00:00:00Z`).getUTCDay();
  // A table, not Intl's toLocaleDateString: this runs for every row of allocations.csv,
  // and Intl cost ~8% of a worker's time in the portfolio benchmark (docs/benchmarks.md).
  return { index, name: WEEKDAYS[index] ?? 'invalid date' };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** One row of allocations.csv. */
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
    const day = dayOfWeek(a.week);
    if (day.index !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['week'],
        message: `expected the Monday a week starts on, got ${a.week} (a ${day.name})`,
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

/** One row of time_off.csv. */
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

/** The rows of allocations.csv: one per person, project and week. */
export const AllocationRows = z.array(Allocation).superRefine((rows, ctx) => {
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
  allocations: AllocationRows,
  timeOff: z.array(TimeOff),
};

export interface TeamData {
  people: Person[];
  capacity: CapacityRow[];
  allocations: Allocation[];
  timeOff: TimeOff[];
}
