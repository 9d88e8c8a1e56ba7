/**
 * `boardroom schedule create|describe|trigger|pause|unpause|delete`: the company's
 * daily schedule (a Temporal Schedule, overlap SKIP).
 */
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { cronProblem, type Config } from '../../config.js';
import { ConfigError } from '../../shared/errors.js';
import { isTimeZone } from '../../shared/time-zone.js';
import type { CommandDeps } from '../context.js';
import { NotFoundError } from '../errors.js';
import {
  describeScheduleText,
  ensureSchedule,
  localTime,
  scheduleHandle,
  triggerSchedule,
} from '../schedule.js';
import { connectClient } from '../temporal.js';
import { timeZoneFor, workflowInput } from '../workflow-input.js';

/** The schedule commands take no logger. */
export type ScheduleDeps = Pick<CommandDeps, 'config' | 'output'>;

/**
 * Runs `fn` with a client (its exit code, else 0), and turns "no such schedule" into a
 * message that says what to do.
 */
async function withClient(
  config: Config,
  fn: (client: Client) => Promise<number | void>,
): Promise<number> {
  const client = await connectClient(config);
  try {
    return (await fn(client)) ?? 0;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new NotFoundError(
        `No schedule for company "${config.company.id}". Create it with \`npx boardroom schedule create\`.`,
      );
    }
    throw err;
  } finally {
    await client.connection.close();
  }
}

export interface ScheduleCreateOptions {
  /** @default BOARDROOM_SCHEDULE_CRON */
  cron?: string;
  /** @default BOARDROOM_TIMEZONE, else the workspace's, else UTC */
  timezone?: string;
}

/** Creates the schedule, or updates it when it exists (idempotent), and describes it. */
export async function scheduleCreate(
  opts: ScheduleCreateOptions,
  deps: ScheduleDeps,
): Promise<number> {
  const { config, output } = deps;
  // The flags first, before connecting to anything.
  const cron = opts.cron ?? config.schedule.cron;
  const problem = cronProblem(cron);
  if (problem !== undefined)
    throw new ConfigError(`--cron "${cron}" is ${problem}.`, { flag: '--cron', value: cron });
  if (opts.timezone !== undefined && !isTimeZone(opts.timezone)) {
    throw new ConfigError(
      `Unknown time zone "${opts.timezone}": use an IANA name such as America/New_York.`,
    );
  }
  return withClient(config, async (client) => {
    const timeZone = await timeZoneFor(config, opts.timezone);
    if (!isTimeZone(timeZone)) {
      throw new ConfigError(
        `Unknown time zone "${timeZone}": use an IANA name such as America/New_York.`,
      );
    }
    const outcome = await ensureSchedule(client, {
      companyId: config.company.id,
      cron,
      timeZone,
      taskQueue: config.temporal.taskQueue,
      input: await workflowInput(config, timeZone, 'schedule', client, output.say),
    });
    output.out(`Schedule ${outcome}: "${cron}" (${timeZone}) for company "${config.company.id}".`);
    output.out(describeScheduleText(await scheduleHandle(client, config.company.id).describe()));
  });
}

/** State, spec, next and recent runs: text, or JSON. */
export function scheduleDescribe(opts: { json?: boolean }, deps: ScheduleDeps): Promise<number> {
  const { config, output } = deps;
  return withClient(config, async (client) => {
    const d = await scheduleHandle(client, config.company.id).describe();
    output.out(
      opts.json
        ? JSON.stringify(
            {
              scheduleId: d.scheduleId,
              spec: d.spec,
              state: d.state,
              policies: d.policies,
              info: d.info,
            },
            null,
            2,
          )
        : describeScheduleText(d),
    );
  });
}

export interface ScheduleTriggerOptions {
  /** Start another run even while one is in flight or today's has run. */
  allowOverlap?: boolean;
}

/**
 * Starts a scheduled run now (same as the daily one), one per company and day unless
 * `allowOverlap`; says what happened. Exit 1 when no run was started.
 */
export function scheduleTrigger(
  deps: ScheduleDeps,
  opts: ScheduleTriggerOptions = {},
): Promise<number> {
  const { config, output } = deps;
  const company = `company "${config.company.id}"`;
  const overlap = 'Pass --allow-overlap to start another anyway.';
  return withClient(config, async (client) => {
    const outcome = await triggerSchedule(client, config.company.id, {
      allowOverlap: Boolean(opts.allowOverlap),
    });
    switch (outcome.kind) {
      case 'started':
        output.out(
          `Triggered the schedule for ${company}: started ${outcome.workflowId}. ` +
            'See `npx boardroom briefing latest` in a moment.',
        );
        if (outcome.alsoSkipped > 0)
          output.say(
            `Another trigger at the same moment was skipped: one run per company at a time.`,
          );
        return 0;
      case 'in-flight':
        output.say(
          `Not triggered: ${outcome.workflowId} of ${company} is still running (one run at a time). ${overlap}`,
        );
        return 1;
      case 'ran-today':
        output.say(
          `Not triggered: today's run of ${company}, ${outcome.workflowId}, started at ` +
            `${localTime(outcome.takenAt, outcome.timeZone)} (one run per company and day). ${overlap}`,
        );
        return 1;
      case 'skipped':
        output.say(
          `Not triggered: another run of ${company} started at the same moment (one run at a time). ${overlap}`,
        );
        return 1;
      case 'unconfirmed':
        output.say(
          `Triggered the schedule for ${company}, but Temporal has not started a run within 10 s: ` +
            'see `npx boardroom schedule describe`.',
        );
        return 1;
    }
  });
}

export interface SchedulePauseOptions {
  /** Why; shown by `describe` and `status`. */
  note?: string;
}

export function schedulePause(opts: SchedulePauseOptions, deps: ScheduleDeps): Promise<number> {
  const { config, output } = deps;
  return withClient(config, async (client) => {
    await scheduleHandle(client, config.company.id).pause(opts.note);
    output.out(`Paused the schedule for company "${config.company.id}".`);
  });
}

export function scheduleUnpause(opts: SchedulePauseOptions, deps: ScheduleDeps): Promise<number> {
  const { config, output } = deps;
  return withClient(config, async (client) => {
    await scheduleHandle(client, config.company.id).unpause(opts.note);
    output.out(`Unpaused the schedule for company "${config.company.id}".`);
  });
}

/** Deletes the schedule; runs already started finish. */
export function scheduleDelete(deps: ScheduleDeps): Promise<number> {
  const { config, output } = deps;
  return withClient(config, async (client) => {
    await scheduleHandle(client, config.company.id).delete();
    output.out(`Deleted the schedule for company "${config.company.id}".`);
  });
}
