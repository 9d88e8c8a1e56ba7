/**
 * The team files turned into hours per person and week (available, planned, actual),
 * so operations and HR report the same figures. Weeks start on Monday; a week's
 * available hours are the person's weekly hours x the share of its five working days
 * (Monday..Friday) on which they are employed and not on time off. Pure: "today" comes
 * in as an argument. Formulas: docs/metrics/operations.md and docs/metrics/hr.md.
 */
import type { CapacityRow, Person, TeamData, TimeOff } from '../../contract/datasets/team.js';
import { addDays, workingDaysIn } from '../../shared/dates.js';

/** Working days in a week (Monday..Friday): a week's hours are prorated by fifths. */
export const WORKING_DAYS_PER_WEEK = 5;

/** On the team on `date`: started on or before it and not past the last working day. */
export function isOnTeam(p: Pick<Person, 'start_date' | 'end_date'>, date: string): boolean {
  return p.start_date <= date && (p.end_date === undefined || p.end_date >= date);
}

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
