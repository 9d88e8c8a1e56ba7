/**
 * Finance thresholds (finance.yaml `thresholds:`) and the averaging windows.
 * What each rule compares: docs/metrics.md#finance.
 */
import { settingsFile } from '../../contract/fields.js';

export const FINANCE_THRESHOLDS = {
  /** Runway (months) below this: warning. */
  runway_months_warning: 12,
  /** Runway (months) below this: critical. */
  runway_months_critical: 6,
  /** Past-due MRR (currency units) above this: warning. */
  past_due_mrr_max: 500,
  /** Net new MRR of the month to date (currency units) below this: warning. */
  net_new_mrr_min: 0,
  /** Net burn of the last complete month up more than this % on the month before: warning. */
  burn_increase_pct_warning: 20,
  /** ... up more than this %: critical. */
  burn_increase_pct_critical: 50,
  /** Churn spike: this month's gross MRR churn % above this many times the 3-month average ... */
  churn_spike_factor: 2,
  /** ... and above this % (so a tiny churn on a zero average does not fire). */
  churn_spike_min_pct: 2,
};
export type FinanceThresholds = typeof FINANCE_THRESHOLDS;

/** finance.yaml: every threshold optional, defaults above. */
export const FinanceSettings = settingsFile(FINANCE_THRESHOLDS);

/** How many complete months burn, gross margin and the LTV churn rate average over. */
export const BURN_MONTHS = 3;
/** At most this many win-back recommendations (largest lost MRR first). */
export const MAX_WIN_BACK_TASKS = 3;
