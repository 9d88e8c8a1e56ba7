/**
 * Customer-success thresholds and risk-signal weights (customer-success.yaml
 * `thresholds:`). What each one does: docs/metrics.md#customer-success.
 */
import { settingsFile } from '../../contract/fields.js';

export const CUSTOMER_SUCCESS_THRESHOLDS = {
  /** NPS below this: warning. */
  nps_warning: 30,
  /** NPS below this: critical. */
  nps_critical: 0,
  /** NPS down at least this many points on the previous window: warning. */
  nps_drop_warning_pts: 10,
  /** ... at least this many points: critical. */
  nps_drop_critical_pts: 25,
  /** NPS uses responses of the last this-many days; the trend compares the window before. */
  nps_window_days: 90,
  /** At-risk ARR above this percent of tracked ARR: warning. */
  at_risk_arr_pct_warning: 10,
  /** ... above this percent: critical. */
  at_risk_arr_pct_critical: 25,
  /** An account whose risk score reaches this is at risk (0..100). */
  risk_score_at_risk: 40,
  /** Signal "usage drop": active users down at least this % on the previous 30 days. */
  usage_drop_pct: 30,
  /** Signal "low seat usage": fewer than this % of licensed seats active. */
  seat_usage_min_pct: 40,
  /** Signal "inactive": no product activity for more than this many days. */
  inactive_days: 30,
  /** Signal "no contact": no conversation for more than this many days. */
  no_contact_days: 45,
  /** Signal "support tickets": at least this many open tickets. */
  open_tickets_at_risk: 5,
  /** Signal "renewal near": renewal within this many days. */
  renewal_near_days: 60,
  /** `renewalsNext90Days` and the renewal deadline of save tasks use this window. */
  renewal_window_days: 90,
  /** An at-risk account renewing within this many days: warning. */
  renewal_at_risk_days: 30,
  /** ... within this many days: critical. */
  renewal_at_risk_critical_days: 7,
  /** Risk points per signal (the score is their sum, clamped to 0..100). */
  weight_usage_drop: 25,
  weight_inactive: 30,
  weight_payment_failure: 25,
  weight_nps_detractor: 20,
  weight_support_tickets: 15,
  weight_renewal_near: 15,
  weight_low_seat_usage: 10,
  weight_no_contact: 10,
};
export type CustomerSuccessThresholds = typeof CUSTOMER_SUCCESS_THRESHOLDS;

/** customer-success.yaml: every threshold optional, defaults above. */
export const CustomerSuccessSettings = settingsFile(CUSTOMER_SUCCESS_THRESHOLDS);

/** At most this many "save account" recommendations (riskiest first). */
export const MAX_ACCOUNT_TASKS = 5;
