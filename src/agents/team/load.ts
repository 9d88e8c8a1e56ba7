/**
 * Person-weeks summed into a load (available, planned, actual, free, overtime) and the
 * utilization figures both operations and HR report.
 */
import { addDays, weekStart } from '../../shared/dates.js';
import { percent, sumBy } from '../../shared/numbers.js';
import type { PersonWeek } from './model.js';

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
