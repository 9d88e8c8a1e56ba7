/**
 * The operations datasets: delivery projects, their milestones and blockers
 * (projects.csv, milestones.csv, blockers.csv, or the Linear connector). Row schemas
 * only: the checks across files (a milestone names a project of projects.csv) are the
 * operations agent's.
 */
import { z } from 'zod';
import { cents, decimal, isoDate, oneOf, text } from '../fields.js';

export const PROJECT_STATUSES = ['planned', 'active', 'on_hold', 'completed', 'canceled'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** One row of projects.csv. */
export const Project = z.object({
  id: text(),
  name: text(),
  customer: text().optional(),
  owner: text(),
  status: oneOf(PROJECT_STATUSES),
  start_date: isoDate(),
  due_date: isoDate(),
  budget_hours: decimal({ min: 0 }),
  spent_hours: decimal({ min: 0 }),
  percent_complete: decimal({ min: 0, max: 100 }),
  /** ARR of the customer relationship the project carries (money at stake if it slips). */
  arr_at_stake_cents: cents().optional(),
});
export type Project = z.output<typeof Project>;

/** One row of milestones.csv. */
export const Milestone = z.object({
  id: text(),
  project_id: text(),
  name: text(),
  due_date: isoDate(),
  /** Empty while not done. */
  completed_on: isoDate().optional(),
});
export type Milestone = z.output<typeof Milestone>;

/** One row of blockers.csv. */
export const Blocker = z
  .object({
    id: text(),
    project_id: text(),
    title: text(),
    owner: text().optional(),
    opened_on: isoDate(),
    /** Empty while the project is still blocked. */
    resolved_on: isoDate().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.resolved_on !== undefined && b.resolved_on < b.opened_on) {
      ctx.addIssue({
        code: 'custom',
        path: ['resolved_on'],
        message: `resolved_on ${b.resolved_on} is before opened_on ${b.opened_on}`,
      });
    }
  });
export type Blocker = z.output<typeof Blocker>;
