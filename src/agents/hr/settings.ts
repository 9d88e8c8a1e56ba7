/**
 * hr.yaml: the alert thresholds, with their defaults, and the fixed windows the HR
 * figures use. Units and meaning: docs/metrics/hr.md.
 */
import { settingsFile } from '../../contract/fields.js';

export const HR_THRESHOLDS = {
  /** An open role open for more than this many days: warning. */
  role_open_days_warning: 60,
  /** ... for more than this many days: critical. */
  role_open_days_critical: 120,
  /** Team utilization (%, actual hours, last 4 complete weeks) at or above this: burnout risk warning. */
  burnout_utilization_pct: 95,
  /** ... at or above this: critical. */
  burnout_utilization_critical_pct: 110,
  /** A person is on overtime when their actual hours exceed their available hours by more than this per week, on average over the last 4 complete weeks. */
  overtime_hours_per_week: 4,
  /** More people on overtime than this: warning. */
  overtime_people_max: 0,
  /** eNPS below this: warning. */
  enps_warning: 10,
  /** eNPS below this: critical. */
  enps_critical: -10,
  /** Trailing-12-month attrition (%) above this: warning. */
  attrition_warning_pct: 20,
  /** ... above this: critical. */
  attrition_critical_pct: 35,
};
export type HrThresholds = typeof HR_THRESHOLDS;

/** Complete weeks before the current one that utilization and overtime look at. */
export const LOAD_WEEKS = 4;
/** The trailing window for attrition, hires and time to hire, in days. */
export const YEAR_DAYS = 365;

export const HrSettings = settingsFile(HR_THRESHOLDS);
