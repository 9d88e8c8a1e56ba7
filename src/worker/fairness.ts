/**
 * Temporal's fairness keys (server 1.29+, `matching.enableFairness`): a run started with
 * its company as its fairness key passes the key to every activity it schedules, and the
 * server then dispatches a backlogged task queue round-robin by key, each key in
 * proportion to its weight (1 by default), instead of oldest first. So a company with
 * a deep backlog (many runs at once, their retries) never queues the others behind it.
 *
 * Fairness orders what waits in the queue; it does not stop a dispatched activity that
 * hangs from keeping its worker slot. That is company-limit.ts's bound. The two together:
 * a stuck company holds at most its bound of each worker, and its refused retries wait
 * in the queue at their fair share, not in front of everyone.
 *
 * The key travels in the workflow's start event, not in its commands, so setting it
 * changes no replay. A server without fairness enabled records the key and ignores it.
 */
import type { Priority } from '@temporalio/common';

/** Temporal refuses a longer fairness key. */
export const FAIRNESS_KEY_MAX_BYTES = 64;

/** The priority a company's runs start with: the company is the fairness key. */
export function companyPriority(companyId: string): Priority {
  // Company ids are ASCII (lowercase letters, digits, dashes): characters are bytes.
  return { fairnessKey: companyId.slice(0, FAIRNESS_KEY_MAX_BYTES) };
}
