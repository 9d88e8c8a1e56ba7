/**
 * `boardroom backfill --from YYYY-MM-DD [--every week|day]`: compute and store the past
 * briefings the company's dated data supports, one real workflow run per day, oldest
 * first, with progress. A day that already has a briefing is skipped, so a second
 * backfill writes nothing new. Needs a worker (`npm start` or `npx boardroom worker`).
 *
 * Exit codes: 0 when every day has its briefing; 1 when a run failed or no worker polled.
 */
import { isIsoDate } from '../../contract/fields.js';
import { addDays, daysBetween } from '../../shared/dates.js';
import { ConfigError } from '../../shared/errors.js';
import { calendarDate } from '../../shared/time-zone.js';
import { openDatabase } from '../../store/database.js';
import {
  MAX_BACKFILL_DAYS,
  backfillBriefings,
  backfillDates,
  type BackfillEvery,
} from '../backfill.js';
import { resolveCompany } from '../company.js';
import type { CommandDeps } from '../context.js';
import { NoWorkerError } from '../errors.js';
import { followRun, hasWorkers } from '../run.js';
import { connectClient } from '../temporal.js';
import { timeZoneFor, workflowInput } from '../workflow-input.js';

export interface BackfillCommandOptions {
  /** The first day to compute, YYYY-MM-DD. */
  from: string;
  /** @default 'week' (today - 7, today - 14, ... back to `from`) */
  every?: BackfillEvery;
  /** Print the outcome as JSON on stdout. */
  json?: boolean;
  /** Keep waiting however long no worker polls. @default give up after config.runWaitMs */
  wait?: boolean;
  /** The configured company or a registered one. @default BOARDROOM_COMPANY_ID */
  company?: string;
}

export async function backfillCommand(
  opts: BackfillCommandOptions,
  deps: CommandDeps & { clock?: () => Date },
): Promise<number> {
  const { log, output } = deps;
  const { config } = await resolveCompany(deps, opts.company);
  const every = opts.every ?? 'week';
  const timeZone = await timeZoneFor(config);
  const today = calendarDate((deps.clock ?? (() => new Date()))(), timeZone);
  checkFrom(opts.from, today);
  const dates = backfillDates(opts.from, today, every);
  if (dates.length === 0) {
    output.say(
      `No ${every === 'week' ? 'weekly ' : ''}day to compute between ${opts.from} and yesterday.`,
    );
    if (opts.json) output.out(JSON.stringify({ computed: [], skipped: [] }, null, 2));
    return 0;
  }
  const t0 = performance.now();
  const client = await connectClient(config);
  const db = await openDatabase(config, log);
  try {
    const queue = config.temporal.taskQueue;
    const input = await workflowInput(config, timeZone, 'manual', client, output.say);
    output.say(
      `Backfilling ${dates.length} ${every === 'week' ? 'weekly' : 'daily'} briefing(s) of "${config.company.id}", ` +
        `${dates[0]} to ${dates.at(-1)} ...`,
    );
    const outcome = await backfillBriefings(client, db.repo, {
      taskQueue: queue,
      input,
      dates,
      cron: config.schedule.cron,
      timeZone,
      follow: (handle) =>
        followRun(
          handle,
          () => {},
          500,
          opts.wait
            ? undefined
            : {
                timeoutMs: config.runWaitMs,
                hasWorkers: () => hasWorkers(client, queue),
                onTimeout: () =>
                  new NoWorkerError(
                    `No worker polled task queue "${queue}" for ${Math.round(config.runWaitMs / 1000)} s: ` +
                      `stopped waiting. The days done so far are stored; start a worker (\`npm start\`, or ` +
                      '`npx boardroom worker`) and run the same backfill again to compute the rest.',
                    handle.workflowId,
                  ),
              },
        ),
      onDay: (n, total, day) =>
        output.say(
          `[${n}/${total}] ${day.date}: ` +
            (day.skipped
              ? 'already has a briefing, skipped'
              : `briefing #${day.result!.briefingId}, health ${Math.round(day.result!.health)}`),
        ),
    });
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    output.say(
      `Backfilled ${outcome.computed.length} briefing(s), ${outcome.skipped.length} day(s) already had one, in ${seconds}s.`,
    );
    if (opts.json) {
      output.out(
        JSON.stringify(
          {
            computed: outcome.computed.map((r) => ({
              date: r.briefingDate,
              briefingId: r.briefingId,
              workflowId: r.workflowId,
              health: r.health,
            })),
            skipped: outcome.skipped,
          },
          null,
          2,
        ),
      );
    }
    return 0;
  } finally {
    await db.close();
    await client.connection.close();
  }
}

/** `--from`: a real date, before today, at most MAX_BACKFILL_DAYS back. */
function checkFrom(from: string, today: string): void {
  if (!isIsoDate(from)) {
    throw new ConfigError(
      `--from ${from}: expected a date as YYYY-MM-DD, e.g. ${addDays(today, -91)}.`,
      {
        flag: '--from',
      },
    );
  }
  if (from >= today) {
    throw new ConfigError(
      `--from ${from}: backfill computes past days; pick a day before today (${today}). ` +
        "Today's briefing is `npx boardroom run`.",
      { flag: '--from' },
    );
  }
  if (daysBetween(from, today) > MAX_BACKFILL_DAYS) {
    throw new ConfigError(
      `--from ${from}: at most ${MAX_BACKFILL_DAYS} days back (from ${addDays(today, -MAX_BACKFILL_DAYS)}); ` +
        'run a longer backfill in parts.',
      { flag: '--from' },
    );
  }
}
