/**
 * Past briefings, computed now: one real workflow run per past day, oldest first, each
 * describing its own day (`asOf`), so each is a Temporal run and each run's history is
 * the days before it. What `boardroom backfill` and the demo's first start share.
 *
 * Idempotent: a day that already has a briefing is skipped, and each day's run has one
 * workflow id (`backfillWorkflowId`), so two backfills at once share a day's run rather
 * than starting it twice.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { Cron } from 'croner';
import { addDays } from '../shared/dates.js';
import { calendarDate } from '../shared/time-zone.js';
import {
  WORKFLOW_TYPE,
  backfillWorkflowId,
  type DailyBriefingInput,
  type DailyBriefingResult,
} from '../shared/workflow-api.js';
import type { Repository } from '../store/repository.js';
import { companyPriority } from '../worker/fairness.js';

export const BACKFILL_EVERY = ['week', 'day'] as const;
export type BackfillEvery = (typeof BACKFILL_EVERY)[number];

/** The most past days one backfill computes (two years of days). */
export const MAX_BACKFILL_DAYS = 731;

export interface BackfillPlan {
  /** The days to compute, oldest first (YYYY-MM-DD, in the company's zone). */
  dates: string[];
  /** Of `dates`, those that already have a briefing (skipped). */
  existing: string[];
}

/**
 * The past days from `from` to the day before `today`: every day, or every 7th day
 * counted back from today (today - 7, today - 14, ...), so weekly points line up with
 * today's weekday. Oldest first.
 */
export function backfillDates(from: string, today: string, every: BackfillEvery): string[] {
  const step = every === 'week' ? 7 : 1;
  const out: string[] = [];
  for (let d = addDays(today, -step); d >= from; d = addDays(d, -step)) out.push(d);
  return out.reverse();
}

/**
 * The moment a backfilled day describes: the schedule's time of day on that date in
 * the company's zone (07:00 with the default cron), as its scheduled run would have.
 */
export function backfillAsOf(date: string, cron: string, timeZone: string): Date {
  const job = new Cron(cron, { timezone: timeZone, paused: true });
  // From 14 hours before UTC midnight (the earliest zone's midnight), the first fire on `date`.
  let at: Date | null = new Date(Date.parse(`${date}T00:00:00Z`) - 14 * 3_600_000);
  for (let i = 0; i < 48 && at; i++) {
    at = job.nextRun(at);
    if (!at) break;
    const day = calendarDate(at, timeZone);
    if (day === date) return at;
    if (day > date) break;
  }
  // A cron that does not fire that day (weekdays only, say): noon of the day.
  return new Date(Date.parse(`${date}T12:00:00Z`));
}

export interface BackfillOptions {
  taskQueue: string;
  /** The input every run gets; `trigger` and `asOf` are set per day. */
  input: DailyBriefingInput;
  dates: readonly string[];
  cron: string;
  timeZone: string;
  /** After each day: its number (1-based), the total and what happened. */
  onDay?: (
    done: number,
    total: number,
    day: { date: string; result?: DailyBriefingResult; skipped?: boolean },
  ) => void;
  /** Stops between days (Ctrl-C): the days done stay done. */
  signal?: AbortSignal;
  /** Waits for a day's run. @default its result, however long it takes */
  follow?: (handle: WorkflowHandle) => Promise<DailyBriefingResult>;
}

export interface BackfillOutcome {
  computed: DailyBriefingResult[];
  skipped: string[];
}

/** Runs `dates` (oldest first) one after the other, skipping days that have a briefing. */
export async function backfillBriefings(
  client: Client,
  repo: Pick<Repository, 'briefingDates'>,
  opts: BackfillOptions,
): Promise<BackfillOutcome> {
  const dates = [...opts.dates].sort();
  const out: BackfillOutcome = { computed: [], skipped: [] };
  if (dates.length === 0) return out;
  const have = await repo.briefingDates(opts.input.companyId, {
    from: dates[0]!,
    to: dates.at(-1)!,
  });
  let n = 0;
  for (const date of dates) {
    if (opts.signal?.aborted) break;
    n++;
    if (have.has(date)) {
      out.skipped.push(date);
      opts.onDay?.(n, dates.length, { date, skipped: true });
      continue;
    }
    const handle = await client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: opts.taskQueue,
      workflowId: backfillWorkflowId(opts.input.companyId, date),
      // A backfill already computing this day (another terminal): follow that run.
      workflowIdConflictPolicy: 'USE_EXISTING',
      priority: companyPriority(opts.input.companyId),
      args: [
        {
          ...opts.input,
          trigger: 'backfill',
          asOf: backfillAsOf(date, opts.cron, opts.timeZone).toISOString(),
        } satisfies DailyBriefingInput,
      ],
    });
    const result = opts.follow
      ? await opts.follow(handle)
      : ((await handle.result()) as DailyBriefingResult);
    out.computed.push(result);
    opts.onDay?.(n, dates.length, { date, result });
  }
  return out;
}
