/**
 * `boardroom companies add|list|show|remove`: the companies registry in Postgres. Adding
 * reads the workspace's company.yaml (id, name, currency, zone), validates every file the
 * agents read, registers the company and creates its daily schedule
 * (boardroom-daily-<id>) in its own zone; removing deletes the schedule and the
 * registration, never the briefings. Workers serve a registered company from its
 * workspace (src/client/sources.ts), with no restart.
 *
 * Nothing half-written: a company whose schedule cannot be created is not registered.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { parse as parseYaml } from 'yaml';
import { cronProblem } from '../../config.js';
import { ConfigError, ValidationError } from '../../shared/errors.js';
import { openDatabase, type Database } from '../../store/database.js';
import type { CompanyRecord } from '../../store/repository.js';
import type { CommandDeps } from '../context.js';
import { NotFoundError } from '../errors.js';
import { ensureSchedule, localTime, scheduleHandle } from '../schedule.js';
import { createSources } from '../sources.js';
import { connectClient } from '../temporal.js';
import { workflowInput } from '../workflow-input.js';

const COMPANY_ID = /^[a-z0-9][a-z0-9-]*$/;

async function withDatabase<T>(deps: CommandDeps, use: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(deps.config, deps.log, { migrate: true });
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

async function withClient<T>(deps: CommandDeps, use: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(deps.config);
  try {
    return await use(client);
  } finally {
    await client.connection.close();
  }
}

/** The id company.yaml gives, checked (the file and field named when it is wrong). */
async function companyIdOf(dir: string): Promise<string> {
  const file = path.join(dir, 'company.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ValidationError(
      `${file}: not found: a workspace needs a company.yaml (docs/workspace.md).`,
      {
        file: 'company.yaml',
      },
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ValidationError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`, {
      file: 'company.yaml',
    });
  }
  const id = (doc as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || !COMPANY_ID.test(id))
    throw new ValidationError(
      `${file}: id: expected the company's id, lowercase letters, digits and dashes (e.g. "acme"), got ${JSON.stringify(id ?? null)}.`,
      { file: 'company.yaml', field: 'id' },
    );
  return id;
}

function unknownCompany(id: string, known: readonly CompanyRecord[]): NotFoundError {
  return new NotFoundError(
    `No company "${id}" is registered. ${known.length > 0 ? `Companies: ${known.map((c) => c.id).join(', ')}.` : 'None is: add one with `npx boardroom companies add <workspace-dir>`.'}`,
  );
}

export async function companiesAdd(
  opts: { dir: string; cron?: string },
  deps: CommandDeps,
): Promise<number> {
  const { config, output } = deps;
  const dir = path.resolve(opts.dir);
  const folder = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!folder)
    throw new ConfigError(`No workspace folder at ${dir}.`, { fields: ['<workspace-dir>'] });
  const cron = opts.cron ?? config.schedule.cron;
  const cronIssue = cronProblem(cron);
  if (cronIssue) throw new ConfigError(`--cron: ${cronIssue}`, { fields: ['--cron'] });
  const id = await companyIdOf(dir);
  // Every file the agents and the CEO step read, validated as a run would read them.
  const sources = createSources(config, { company: { id, workspace: dir } });
  const checks = await sources.checkSources!(id);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0)
    throw new ValidationError(
      `The workspace ${dir} has problems, so "${id}" was not added:\n` +
        failed
          .flatMap((c) => [`  ${c.message}`, ...(c.problems ?? []).map((p) => `    ${p}`)])
          .join('\n'),
      { file: dir },
    );
  const profile = (await sources.loadCompany(id)).profile;
  const company = {
    id,
    name: profile.name,
    currency: profile.currency,
    timeZone: profile.timeZone ?? config.schedule.timeZone ?? 'UTC',
    workspace: dir,
    cron,
  };
  return withDatabase(deps, async (db) => {
    const existing = await db.repo.getCompany(id);
    if (existing)
      throw new ConfigError(
        `A company "${id}" is registered already (workspace ${existing.workspace}). ` +
          `Give this workspace another id in its company.yaml, or remove the other first: npx boardroom companies remove ${id}`,
        { fields: ['company.yaml: id'] },
      );
    await withClient(deps, async (client) => {
      const input = {
        ...(await workflowInput(config, company.timeZone, 'schedule', client, output.say)),
        companyId: id,
        timeZone: company.timeZone,
      };
      await ensureSchedule(client, {
        companyId: id,
        cron,
        timeZone: company.timeZone,
        taskQueue: config.temporal.taskQueue,
        input,
      });
      if (!(await db.repo.addCompany(company))) {
        // Another `add` of the same id won the race: its schedule is the one to keep.
        throw new ConfigError(
          `A company "${id}" was registered at the same moment by another command.`,
          {
            fields: ['company.yaml: id'],
          },
        );
      }
    });
    output.say(
      `Added "${id}" (${company.name}, ${company.currency}, ${company.timeZone}) from ${dir}; ` +
        `daily schedule boardroom-daily-${id}: "${cron}" in ${company.timeZone}.`,
    );
    return 0;
  });
}

export async function companiesList(opts: { json?: boolean }, deps: CommandDeps): Promise<number> {
  return withDatabase(deps, async (db) => {
    const companies = await db.repo.listCompanies();
    if (opts.json) {
      deps.output.out(JSON.stringify(companies, null, 2));
      return 0;
    }
    if (companies.length === 0) {
      deps.output.out(
        'No company is registered. Add one: npx boardroom companies add <workspace-dir>',
      );
      return 0;
    }
    for (const c of companies)
      deps.output.out(
        `${c.id}\t${c.name}\t${c.currency}\t${c.timeZone}\t"${c.cron}"\t${c.workspace}`,
      );
    return 0;
  });
}

export async function companiesShow(
  opts: { id: string; json?: boolean },
  deps: CommandDeps,
): Promise<number> {
  return withDatabase(deps, async (db) => {
    const company = await db.repo.getCompany(opts.id);
    if (!company) throw unknownCompany(opts.id, await db.repo.listCompanies());
    const nextRun = await withClient(deps, async (client) => {
      try {
        return (await scheduleHandle(client, company.id).describe()).info.nextActionTimes[0];
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return undefined;
        throw err;
      }
    }).catch(() => undefined);
    if (opts.json) {
      deps.output.out(
        JSON.stringify({ ...company, nextRun: nextRun?.toISOString() ?? null }, null, 2),
      );
      return 0;
    }
    deps.output.out(
      [
        `${company.name} (${company.id})`,
        `  workspace: ${company.workspace}`,
        `  currency:  ${company.currency}`,
        `  time zone: ${company.timeZone}`,
        `  schedule:  boardroom-daily-${company.id}, "${company.cron}"${nextRun ? `, next ${localTime(nextRun, company.timeZone)}` : ''}`,
        `  added:     ${company.createdAt.toISOString()}`,
      ].join('\n'),
    );
    return 0;
  });
}

export async function companiesRemove(opts: { id: string }, deps: CommandDeps): Promise<number> {
  return withDatabase(deps, async (db) => {
    const company = await db.repo.getCompany(opts.id);
    if (!company) throw unknownCompany(opts.id, await db.repo.listCompanies());
    // The schedule first: a registration without a schedule is harmless, the reverse is not.
    await withClient(deps, async (client) => {
      await scheduleHandle(client, company.id)
        .delete()
        .catch((err: unknown) => {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
        });
    });
    await db.repo.removeCompany(company.id);
    deps.output.say(`Removed "${company.id}" and its schedule; its briefings stay in Postgres.`);
    return 0;
  });
}
