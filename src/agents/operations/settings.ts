/**
 * operations.yaml: the alert thresholds, with their defaults. Units and meaning:
 * docs/metrics/operations.md.
 */
import { settingsFile } from '../../contract/fields.js';

export const OPERATIONS_THRESHOLDS = {
  /** Team utilization this week (%) at or above this: warning (team overloaded). */
  utilization_warning_pct: 90,
  /** Team utilization this week (%) at or above this: critical. */
  utilization_critical_pct: 100,
  /** Behind schedule: % of the schedule elapsed minus % complete, in points, above this. */
  behind_schedule_points: 20,
  /** An open blocker older than this many days puts its project at risk. */
  blocker_days: 5,
  /** More at-risk projects than this: warning. */
  projects_at_risk_max: 0,
  /** More late projects than this: warning. */
  projects_late_max: 0,
};
export type OperationsThresholds = typeof OPERATIONS_THRESHOLDS;

/** Weeks ahead for the forward capacity figures (the keys say `Next4Weeks`). */
export const CAPACITY_WEEKS = 4;

export const OperationsSettings = settingsFile(OPERATIONS_THRESHOLDS);
