/**
 * `boardroom schedule create|describe|trigger|pause|unpause|delete`: the company's
 * daily schedule (a Temporal Schedule, overlap SKIP).
 */
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { cronProblem, type Config } from '../../config.js';
import { ConfigError } from '../../shared/errors.js';
import { isTimeZone } from '../../shared/time-zone.js';
import { resolveCompany } from '../company.js';
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

/** The schedule commands need a logger only to read the registry (`--company`). */
export type ScheduleDeps = Pick<CommandDeps, 'config' | 'output'> &
  Partial<Pick<CommandDeps, 'log'>>;

/** `--company`: the configured company or a registered one. */
export interface CompanyOption {
  /** @default BOARDROOM_COMPANY_ID */
  company?: string;
}

/** The config scoped to `--company`'s company. */
async function companyFor(
  deps: ScheduleDeps,
  opts: CompanyOption,
): Promise<{ config: Config; registered: boolean; flag: string }> {
  const resolved = await resolveCompany(deps, opts.company);
  return {
    config: resolved.config,
    registered: resolved.source === 'registry',
    flag: resolved.source === 'config' ? '' : ` --company ${resolved.id}`,
  };
}

/**
 * Runs `fn` with a client (its exit code, else 0), and turns "no such schedule" into a
 * message that says what to do.
 */
async function withClient(
  config: Config,
  fn: (client: Client) => Promise<number | void>,
  flag = '',
): Promise<number> {
  const client = await connectClient(config);
  try {
    return (await fn(client)) ?? 0;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new NotFoundError(
        `No schedule for company "${config.company.id}". Create it with \`npx boardroom schedule create${flag}\`.`,
      );
    }
    throw err;
  } finally {
    await client.connection.close();
  }
}

export interface ScheduleCreateOptions extends CompanyOption {
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
  const { output } = deps;
  // The flags first, before connecting to anything.
  const { config, registered, flag } = await companyFor(deps, opts);
  const cron = opts.cron ?? config.schedule.cron;
  const problem = cronProblem(cron);
  if (problem !== undefined)
    throw new ConfigError(`--cron "${cron}" is ${problem}.`, { flag: '--cron', value: cron });
  if (opts.timezone !== undefined && !isTimeZone(opts.timezone)) {
    throw new ConfigError(
      `Unknown time zone "${opts.timezone}": use an IANA name such as America/New_York.`,
    );
  }
  // The registry holds a registered company's cron and zone (its schedule is made from
  // them): changing one here would leave `companies show` saying otherwise.
  const changed =
    cron !== config.schedule.cron
      ? '--cron'
      : (opts.timezone ?? config.schedule.timeZone) !== config.schedule.timeZone
        ? '--timezone'
        : undefined;
  if (registered && changed)
    throw new ConfigError(
      `${changed}: "${config.company.id}" is registered with "${config.schedule.cron}" in ${config.schedule.timeZone}: ` +
        '`schedule create` only re-creates its schedule from the registry. To change it: ' +
        `npx boardroom companies remove ${config.company.id}, then npx boardroom companies add <workspace-dir> --cron "<expr>" ` +
        "(the zone is its company.yaml's).",
      { flag: changed },
    );
  return withClient(
    config,
    async (client) => {
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
        jitterMinutes: config.schedule.jitterMinutes,
        input: await workflowInput(config, timeZone, 'schedule', client, output.say),
      });
      output.out(
        `Schedule ${outcome}: "${cron}" (${timeZone}) for company "${config.company.id}".`,
      );
      output.out(describeScheduleText(await scheduleHandle(client, config.company.id).describe()));
    },
    flag,
  );
}

/** State, spec, next and recent runs: text, or JSON. */
export async function scheduleDescribe(
  opts: { json?: boolean } & CompanyOption,
  deps: ScheduleDeps,
): Promise<number> {
  const { output } = deps;
  const { config, flag } = await companyFor(deps, opts);
  return withClient(
    config,
    async (client) => {
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
    },
    flag,
  );
}

export interface ScheduleTriggerOptions extends CompanyOption {
  /** Start another run even while one is in flight or today's has run. */
  allowOverlap?: boolean;
}

/**
 * Starts a scheduled run now (same as the daily one), one per company and day unless
 * `allowOverlap`; says what happened. Exit 1 when no run was started.
 */
export async function scheduleTrigger(
  deps: ScheduleDeps,
  opts: ScheduleTriggerOptions = {},
): Promise<number> {
  const { output } = deps;
  const { config, flag } = await companyFor(deps, opts);
  const company = `company "${config.company.id}"`;
  const overlap = 'Pass --allow-overlap to start another anyway.';
  return withClient(
    config,
    async (client) => {
      const outcome = await triggerSchedule(client, config.company.id, {
        allowOverlap: Boolean(opts.allowOverlap),
      });
      switch (outcome.kind) {
        case 'started':
          output.out(
            `Triggered the schedule for ${company}: started ${outcome.workflowId}. ` +
              `See \`npx boardroom briefing latest${flag}\` in a moment.`,
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
              `see \`npx boardroom schedule describe${flag}\`.`,
          );
          return 1;
      }
    },
    flag,
  );
}

export interface SchedulePauseOptions extends CompanyOption {
  /** Why; shown by `describe` and `status`. */
  note?: string;
}

export async function schedulePause(
  opts: SchedulePauseOptions,
  deps: ScheduleDeps,
): Promise<number> {
  const { output } = deps;
  const { config, flag } = await companyFor(deps, opts);
  return withClient(
    config,
    async (client) => {
      await scheduleHandle(client, config.company.id).pause(opts.note);
      output.out(`Paused the schedule for company "${config.company.id}".`);
    },
    flag,
  );
}

export async function scheduleUnpause(
  opts: SchedulePauseOptions,
  deps: ScheduleDeps,
): Promise<number> {
  const { output } = deps;
  const { config, flag } = await companyFor(deps, opts);
  return withClient(
    config,
    async (client) => {
      await scheduleHandle(client, config.company.id).unpause(opts.note);
      output.out(`Unpaused the schedule for company "${config.company.id}".`);
    },
    flag,
  );
}

/** Deletes the schedule; runs already started finish. */
export async function scheduleDelete(
  deps: ScheduleDeps,
  opts: CompanyOption = {},
): Promise<number> {
  const { output } = deps;
  const { config, registered, flag } = await companyFor(deps, opts);
  return withClient(
    config,
    async (client) => {
      await scheduleHandle(client, config.company.id).delete();
      output.out(`Deleted the schedule for company "${config.company.id}".`);
      // Still registered: `companies show` says so, `schedule create` brings it back.
      if (registered)
        output.say(
          `"${config.company.id}" stays registered without a daily run: \`npx boardroom schedule create${flag}\` ` +
            `re-creates it, \`npx boardroom companies remove ${config.company.id}\` unregisters it.`,
        );
    },
    flag,
  );
}
