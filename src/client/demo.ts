/**
 * The living demo: with no BOARDROOM_WORKSPACE, commands read Northwind Analytics as of
 * today, generated from the template (examples/demo-workspace) into
 * BOARDROOM_DATA_DIR/demo-workspace before anything reads it. The same day gives the
 * same files, so this is cheap after the first command of the day.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config.js';
import { addDays } from '../shared/dates.js';
import type { DailyBriefingInput } from '../shared/workflow-api.js';
import type { Repository } from '../store/repository.js';
import { backfillBriefings, backfillDates } from './backfill.js';
import type { Output } from './output.js';
import { progressPrinter } from './progress-printer.js';
import { DEMO_TEMPLATE_DIR, prepareDemoWorkspace } from '../sources/demo/prepare-workspace.js';
import { workspaceSources, type LoadWhen, type Sources } from '../sources/sources.js';
import { calendarDate } from '../shared/time-zone.js';

/** The demo company's own zone (company.yaml of the template), for "today". */
async function demoTimeZone(config: Config): Promise<string> {
  if (config.schedule.timeZone) return config.schedule.timeZone;
  const company = await workspaceSources({ demo: DEMO_TEMPLATE_DIR }).loadCompany('demo');
  return company.profile.timeZone ?? 'UTC';
}

/** The demo's date for `now`: the calendar day in the demo company's zone. */
export async function demoToday(config: Config, now: Date): Promise<string> {
  return calendarDate(now, await demoTimeZone(config));
}

/**
 * Generates the demo for `now` (or `today`) when the config runs the demo; a user's own
 * workspace is never touched. Returns the date generated, or undefined.
 */
export async function prepareWorkspace(
  config: Config,
  at: { now?: Date; today?: string } = {},
): Promise<string | undefined> {
  if (!config.company.demo) return undefined;
  const today = at.today ?? (await demoToday(config, at.now ?? new Date()));
  await prepareOnce(config.company.workspace, today);
  return today;
}

/** The newest day each demo folder was generated for in this process, and that generation. */
const generated = new Map<string, { today: string; done: Promise<unknown> }>();

function prepareOnce(dir: string, today: string): Promise<unknown> {
  const last = generated.get(dir);
  if (last && last.today >= today) return last.done;
  const done = prepareDemoWorkspace({ outDir: dir, today });
  generated.set(dir, { today, done });
  done.catch(() => generated.delete(dir));
  return done;
}

/**
 * The demo's sources stay alive while a worker serves for days: a run for a later day
 * than the folder's generation regenerates it first, so tomorrow's scheduled briefing
 * describes tomorrow's demo. A run for an earlier day (a backfilled one) reads the
 * folder as it is, as of its own day: history is today's data seen from the past.
 */
export function livingDemoSources(sources: Sources, dir: string): Sources {
  const fresh = (when: LoadWhen | undefined) =>
    when ? prepareOnce(dir, when.today) : Promise.resolve();
  return {
    ...sources,
    loadAgentInput: async (companyId, agent, when) => {
      await fresh(when);
      return sources.loadAgentInput(companyId, agent, when);
    },
  };
}

/** How much history the demo's first start computes: about a quarter, a briefing a week. */
export const DEMO_HISTORY_WEEKS = 13;

/**
 * The demo's history from day one: when the company has no briefing in the last
 * DEMO_HISTORY_WEEKS weeks, one real run per week back (oldest first), each on the demo's
 * data as of its own day. Only for the demo (config.company.demo); a real company runs
 * `boardroom backfill`. Returns how many briefings it computed.
 */
export async function ensureDemoHistory(
  client: Client,
  repo: Pick<Repository, 'briefingDates'>,
  opts: {
    config: Config;
    input: DailyBriefingInput;
    timeZone: string;
    now: Date;
    output: Output;
    signal?: AbortSignal;
  },
): Promise<number> {
  const { config, output } = opts;
  if (!config.company.demo) return 0;
  const today = calendarDate(opts.now, opts.timeZone);
  const dates = backfillDates(addDays(today, -7 * DEMO_HISTORY_WEEKS), today, 'week');
  const have = await repo.briefingDates(config.company.id, {
    from: dates[0]!,
    to: addDays(today, -1),
  });
  if (have.size > 0) return 0;
  const t0 = performance.now();
  const printer = progressPrinter(output);
  const outcome = await backfillBriefings(client, repo, {
    taskQueue: config.temporal.taskQueue,
    input: opts.input,
    dates,
    cron: config.schedule.cron,
    timeZone: opts.timeZone,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onDay: (n, total, day) =>
      printer.update(`Computing the demo's history: ${n}/${total} weekly briefings (${day.date})`),
  });
  printer.end();
  output.say(
    `History: ${outcome.computed.length} weekly briefings, ${dates[0]} to ${dates.at(-1)}, ` +
      `computed in ${((performance.now() - t0) / 1000).toFixed(1)}s.`,
  );
  return outcome.computed.length;
}
