/**
 * sales.yaml: the alert thresholds and the stage probabilities, with their defaults.
 * Units and meaning: docs/metrics.md#sales.
 */
import { z } from 'zod';
import type { DealStage } from '../../contract/datasets/sales.js';
import { integer, settingsFile } from '../../contract/fields.js';

/**
 * Default win probability per stage (percent). The open stages can be overridden in
 * sales.yaml (`stage_probabilities:`); a deal's `probability` cell overrides both.
 */
export const STAGE_PROBABILITY: Record<DealStage, number> = {
  lead: 10,
  qualified: 25,
  proposal: 50,
  negotiation: 75,
  won: 100,
  lost: 0,
};

export const SALES_THRESHOLDS = {
  /** An open deal with no activity for at least this many days is stalled. */
  stalled_days: 14,
  /** More stalled deals (of any size) than this: info. */
  stalled_deals_max: 0,
  /** A deal is high-value at this ARR or more (currency units). */
  high_value_deal_min: 10000,
  /** More stalled high-value deals than this: warning. */
  stalled_high_value_deals_max: 0,
  /** Pipeline coverage (this quarter's open pipeline / remaining target) below this: warning. */
  pipeline_coverage_warning: 3,
  /** Pipeline coverage below this: critical. */
  pipeline_coverage_critical: 1,
  /** Open deals in proposal/negotiation closing within this many days get a "close" task. */
  closing_window_days: 14,
  /** Win rate, deal size, cycle and velocity use deals closed in the last this many days. */
  win_rate_window_days: 90,
  /** Win rate change (percentage points) on the previous window below this: warning. */
  win_rate_change_warning_pts: -10,
  /** Win rate change below this: critical. */
  win_rate_change_critical_pts: -25,
  /** The win-rate alert needs at least this many closed deals in each window. */
  win_rate_min_closed_deals: 4,
};
export type SalesThresholds = typeof SALES_THRESHOLDS;

const nullToUndefined = (v: unknown) => (v === null ? undefined : v);
const probabilityCell = () => integer({ min: 0, max: 100 }).optional();

/** Thresholds counted in days must be whole; the win-rate window at least one day. */
const DAY_THRESHOLDS = ['stalled_days', 'closing_window_days', 'win_rate_window_days'] as const;

/** sales.yaml: `thresholds:` (the shared pattern) plus optional `stage_probabilities:`. */
export const SalesSettings = z
  .intersection(
    settingsFile(SALES_THRESHOLDS),
    z.preprocess(
      (v) => v ?? {},
      z.object({
        stage_probabilities: z.preprocess(
          nullToUndefined,
          z
            .strictObject({
              lead: probabilityCell(),
              qualified: probabilityCell(),
              proposal: probabilityCell(),
              negotiation: probabilityCell(),
            })
            .optional(),
        ),
      }),
    ),
  )
  .superRefine((s, ctx) => {
    for (const key of DAY_THRESHOLDS) {
      const v = s.thresholds[key];
      if (!Number.isInteger(v) || v < (key === 'win_rate_window_days' ? 1 : 0)) {
        ctx.addIssue({
          code: 'custom',
          path: ['thresholds', key],
          message: `expected a whole number of days${key === 'win_rate_window_days' ? ' >= 1' : ' >= 0'}, got ${v}`,
        });
      }
    }
  })
  .transform((s) => ({
    thresholds: s.thresholds,
    stageProbabilities: { ...STAGE_PROBABILITY, ...definedOnly(s.stage_probabilities ?? {}) },
  }))
  // A missing sales.yaml (undefined) parses as an empty one: every default.
  .prefault({});
export type SalesSettings = z.output<typeof SalesSettings>;

function definedOnly<T extends Record<string, number | undefined>>(o: T): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<
    string,
    number
  >;
}
