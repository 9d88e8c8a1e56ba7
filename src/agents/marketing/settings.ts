/**
 * Marketing thresholds (marketing.yaml `thresholds:`). What each rule compares:
 * docs/metrics.md#marketing.
 */
import { settingsFile } from '../../contract/fields.js';

export const MARKETING_THRESHOLDS = {
  /** CAC up by more than this many percent on the previous month: warning. */
  cac_increase_warning_pct: 20,
  /** CAC up by more than this many percent: critical. */
  cac_increase_critical_pct: 50,
  /** Leads changed by less than this percent (a drop) on the previous month: warning. */
  leads_change_warning_pct: -25,
  /** Leads changed by less than this percent: critical. */
  leads_change_critical_pct: -50,
  /** A channel that spent more than this (currency units) in the month and won no customer: warning. */
  channel_no_customers_min_spend: 0,
  /** A channel whose CAC exceeds the blended CAC by more than this percent gets a review task. */
  channel_cac_premium_pct: 50,
  /** The best channel gets a "scale" task when its ROI is at least this percent. */
  scale_channel_roi_pct: 200,
};
export type MarketingThresholds = typeof MARKETING_THRESHOLDS;

/** marketing.yaml: every threshold optional, defaults above. */
export const MarketingSettings = settingsFile(MARKETING_THRESHOLDS);
