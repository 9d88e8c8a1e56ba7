/**
 * The HR datasets: open and past roles, candidates and pulse-survey answers
 * (roles.csv, candidates.csv, pulse.csv). Row schemas only: the checks across files
 * (a candidate names a role of roles.csv) are the HR agent's. The roster is in the
 * team datasets (./team.ts), shared with operations.
 */
import { z } from 'zod';
import { cents, integer, isoDate, oneOf, text } from '../fields.js';

export const ROLE_STATUSES = ['open', 'on_hold', 'filled', 'closed'] as const;
export type RoleStatus = (typeof ROLE_STATUSES)[number];

export const CANDIDATE_STAGES = [
  'applied',
  'screen',
  'interview',
  'offer',
  'hired',
  'rejected',
  'withdrawn',
] as const;
export type CandidateStage = (typeof CANDIDATE_STAGES)[number];

/** Stages of a candidate still in the running. */
export const ACTIVE_CANDIDATE_STAGES = ['applied', 'screen', 'interview', 'offer'] as const;

/** One row of roles.csv. */
export const Role = z
  .object({
    id: text(),
    title: text(),
    department: text(),
    status: oneOf(ROLE_STATUSES),
    opened_on: isoDate(),
    target_start: isoDate().optional(),
    /** The day the offer was accepted; required when the status is `filled`. */
    filled_on: isoDate().optional(),
    /** Budgeted fully loaded yearly cost of the hire, integer cents. */
    annual_budget_cents: cents(),
  })
  .superRefine((r, ctx) => {
    if (r.status === 'filled' && r.filled_on === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['filled_on'],
        message: 'required for a filled role: expected a date written YYYY-MM-DD',
      });
    }
    if (r.filled_on !== undefined && r.filled_on < r.opened_on) {
      ctx.addIssue({
        code: 'custom',
        path: ['filled_on'],
        message: `filled_on ${r.filled_on} is before opened_on ${r.opened_on}`,
      });
    }
  });
export type Role = z.output<typeof Role>;

/** One row of candidates.csv. */
export const Candidate = z.object({
  id: text(),
  role_id: text(),
  stage: oneOf(CANDIDATE_STAGES),
  applied_on: isoDate(),
  source: text().optional(),
});
export type Candidate = z.output<typeof Candidate>;

/** One answer to "How likely are you to recommend this company as a place to work?" (0..10). */
export const PulseResponse = z.object({
  /** The day the survey was sent: responses with the same date are one survey. */
  survey_date: isoDate(),
  score: integer({ min: 0, max: 10 }),
});
export type PulseResponse = z.output<typeof PulseResponse>;
