/**
 * The sales datasets: deals and their stage history (deals.csv,
 * deal_stage_history.csv, or a CRM connector). Row schemas only: the checks across
 * files (a history row names a deal of deals.csv) are the sales agent's.
 */
import { z } from 'zod';
import { cents, decimal, integer, isoDate, oneOf, text } from '../fields.js';

export const DEAL_STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type DealStage = (typeof DEAL_STAGES)[number];
export const OPEN_STAGES = ['lead', 'qualified', 'proposal', 'negotiation'] as const;
export type OpenStage = (typeof OPEN_STAGES)[number];
export const CLOSED_STAGES: readonly DealStage[] = ['won', 'lost'];

/** One row of deals.csv. */
export const Deal = z.object({
  id: text(),
  name: text(),
  account: text(),
  owner: text(),
  stage: oneOf(DEAL_STAGES),
  /** Annual contract value (ARR) in integer cents. */
  amount_cents: cents(),
  created_on: isoDate(),
  /** Expected close date (open deals) or actual close date (won/lost). */
  close_date: isoDate(),
  last_activity_on: isoDate(),
  /** Win probability in percent; empty = the stage default. */
  probability: integer({ min: 0, max: 100 }).optional(),
  /** Delivery (onboarding/implementation) hours the deal needs once won. */
  delivery_hours: decimal({ min: 0 }).optional(),
});
export type Deal = z.output<typeof Deal>;

/** One row of deal_stage_history.csv: the day a deal entered a stage. */
export const StageEntry = z.object({
  deal_id: text(),
  stage: oneOf(DEAL_STAGES),
  entered_on: isoDate(),
});
export type StageEntry = z.output<typeof StageEntry>;
