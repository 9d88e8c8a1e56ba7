/**
 * `boardroom schedule create|describe|trigger|pause|unpause|delete`: the company's
 * daily schedule (a Temporal Schedule, overlap SKIP).
 */
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../../config.js';
import { ConfigError } from '../../shared/errors.js';
import { isTimeZone } from '../../shared/time-zone.js';
import type { CommandDeps } from '../context.js';
import { NotFoundError } from '../errors.js';
import { describeScheduleText, ensureSchedule, scheduleHandle } from '../schedule.js';
import { connectClient } from '../temporal.js';
import { timeZoneFor, workflowInput } from '../workflow-input.js';

/** The schedule commands take no logger. */
export type ScheduleDeps = Pick<CommandDeps, 'config' | 'output'>;

/** Runs `fn` with a client, and turns "no such schedule" into a message that says what to do. */
async function withClient(config: Config, fn: (client: Client) => Promise<void>): Promise<number> {
  const client = await connectClient(config);
  try {
    await fn(client);
    return 0;
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
export function scheduleCreate(opts: ScheduleCreateOptions, deps: ScheduleDeps): Promise<number> {
  const { config, output } = deps;
  return withClient(config, async (client) => {
    const timeZone = await timeZoneFor(config, opts.timezone);
    if (!isTimeZone(timeZone)) {
      throw new ConfigError(
        `Unknown time zone "${timeZone}": use an IANA name such as America/New_York.`,
      );
    }
    const cron = opts.cron ?? config.schedule.cron;
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

/** Starts a scheduled run now (same as the daily one). */
export function scheduleTrigger(deps: ScheduleDeps): Promise<number> {
  const { config, output } = deps;
  return withClient(config, async (client) => {
    await scheduleHandle(client, config.company.id).trigger();
    output.out(
      `Triggered the schedule for company "${config.company.id}". See \`npx boardroom briefing latest\` in a moment.`,
    );
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
