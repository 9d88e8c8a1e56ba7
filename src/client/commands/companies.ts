/**
 * `boardroom companies add|list|show|remove`: the companies registry in Postgres. Adding
 * reads the workspace's company.yaml (id, name, currency, zone), validates every file the
 * agents read, registers the company and creates its daily schedule
 * (boardroom-daily-<id>) in its own zone; removing deletes the schedule and the
 * registration, never the briefings. Workers serve a registered company from its
 * workspace (src/client/sources.ts), with no restart.
 *
 * Nothing half-written: a company whose schedule cannot be created is not registered.
 *
 * The configured company (BOARDROOM_COMPANY_ID with BOARDROOM_WORKSPACE, or the living
 * demo) is listed and shown too, marked `source: "config"`, without being registered: a
 * registry of one. Adding its own workspace registers nothing (it is served from config
 * already, and its schedule is `schedule create`'s); another folder under its id is
 * refused.
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
import { unknownCompanyError } from '../company.js';
import { ensureSchedule, localTime, scheduleHandle } from '../schedule.js';
import { createSources } from '../sources.js';
import { connectClient } from '../temporal.js';
import { loadWorkspaceCompany, workflowInput } from '../workflow-input.js';

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

/** A company as `list` and `show` print it: the configured one or a registered one. */
export interface ListedCompany extends Omit<CompanyRecord, 'createdAt'> {
  /** 'config': BOARDROOM_COMPANY_ID with BOARDROOM_WORKSPACE (or the living demo), not in the registry. */
  source: 'config' | 'registry';
  /** When it was registered; null for the configured company. */
  createdAt: Date | null;
  /** The configured company only: BOARDROOM_WORKSPACE is unset, it is the living demo. */
  demo?: boolean;
}

/**
 * The configured company as company.yaml describes it; when the workspace cannot be
 * read, its id stands for its name and the problem is logged (`status` says more).
 */
async function configuredCompany(deps: CommandDeps): Promise<ListedCompany> {
  const { config } = deps;
  const base = {
    id: config.company.id,
    workspace: config.company.workspace,
    cron: config.schedule.cron,
    source: 'config' as const,
    createdAt: null,
    ...(config.company.demo ? { demo: true } : {}),
  };
  try {
    const profile = await loadWorkspaceCompany(config);
    return {
      ...base,
      name: profile.name,
      currency: profile.currency,
      timeZone: config.schedule.timeZone ?? profile.timeZone ?? 'UTC',
    };
  } catch (err) {
    deps.log.warn({ err }, 'companies: the configured workspace could not be read');
    return {
      ...base,
      name: config.company.id,
      currency: '?',
      timeZone: config.schedule.timeZone ?? '?',
    };
  }
}

/** The configured company first, then the registered ones (a registration of the configured id is shadowed by it, as on the workers). */
async function everyCompany(deps: CommandDeps, db: Database): Promise<ListedCompany[]> {
  const [configured, registered] = await Promise.all([
    configuredCompany(deps),
    db.repo.listCompanies(),
  ]);
  return [
    configured,
    ...registered
      .filter((c) => c.id !== configured.id)
      .map((c) => ({ ...c, source: 'registry' as const })),
  ];
}

export async function companiesAdd(
  opts: {
    dir: string;
    cron?: string;
    /**
     * A company registered already from this same folder is left as it is (exit 0), so a
     * deployment can run `companies add --if-new` over its folders on every start.
     * Registered from another folder, it is still refused. @default false
     */
    ifNew?: boolean;
  },
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
  if (id === config.company.id) return addConfigured(id, dir, deps);
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
    if (existing && opts.ifNew && existing.workspace === dir) {
      output.say(`"${id}" is registered already from ${dir}: left as it is.`);
      return 0;
    }
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
        jitterMinutes: config.schedule.jitterMinutes,
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

/**
 * `companies add` of the configured company's own id: nothing is registered. The same
 * folder is served already (every worker with this environment serves it, `schedule
 * create` makes its schedule): said, exit 0. Another folder under that id would have two
 * workspaces: refused.
 */
function addConfigured(id: string, dir: string, deps: CommandDeps): number {
  const { config } = deps;
  const where = config.company.demo
    ? 'the living demo (BOARDROOM_WORKSPACE unset)'
    : `BOARDROOM_WORKSPACE ${config.company.workspace}`;
  if (!config.company.demo && path.resolve(config.company.workspace) === dir) {
    deps.output.say(
      `"${id}" is the configured company (BOARDROOM_COMPANY_ID, ${where}): it is served from config ` +
        'already, so nothing was registered. Its schedule: npx boardroom schedule create',
    );
    return 0;
  }
  throw new ConfigError(
    `"${id}" is the configured company's id (BOARDROOM_COMPANY_ID, served from ${where}), so ${dir} ` +
      'was not added: give this workspace another id in its company.yaml.',
    { fields: ['company.yaml: id'] },
  );
}

export async function companiesList(opts: { json?: boolean }, deps: CommandDeps): Promise<number> {
  return withDatabase(deps, async (db) => {
    const companies = await everyCompany(deps, db);
    if (opts.json) {
      deps.output.out(JSON.stringify(companies, null, 2));
      return 0;
    }
    for (const c of companies)
      deps.output.out(
        `${c.id}\t${c.name}\t${c.currency}\t${c.timeZone}\t"${c.cron}"\t${c.workspace}\t` +
          (c.source === 'config' ? `config${c.demo ? ' (demo)' : ''}` : 'registry'),
      );
    if (companies.length === 1)
      deps.output.say(
        'No company is registered besides the configured one. Add one: npx boardroom companies add <workspace-dir>',
      );
    return 0;
  });
}

export async function companiesShow(
  opts: { id: string; json?: boolean },
  deps: CommandDeps,
): Promise<number> {
  return withDatabase(deps, async (db) => {
    const company: ListedCompany | undefined =
      opts.id === deps.config.company.id
        ? await configuredCompany(deps)
        : await db.repo.getCompany(opts.id).then((c) => c && { ...c, source: 'registry' as const });
    if (!company) throw unknownCompanyError(opts.id, deps.config, await db.repo.listCompanies());
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
        company.createdAt
          ? `  added:     ${company.createdAt.toISOString()} (registry)`
          : `  from:      config (BOARDROOM_COMPANY_ID${company.demo ? ', the living demo' : ', BOARDROOM_WORKSPACE'}), not registered`,
      ].join('\n'),
    );
    return 0;
  });
}

export async function companiesRemove(opts: { id: string }, deps: CommandDeps): Promise<number> {
  return withDatabase(deps, async (db) => {
    const company = await db.repo.getCompany(opts.id);
    if (!company && opts.id === deps.config.company.id)
      throw new ConfigError(
        `"${opts.id}" is the configured company (BOARDROOM_COMPANY_ID), not a registered one: nothing to remove. ` +
          'Workers serve it while their environment names it; its schedule goes with `npx boardroom schedule delete`.',
        { fields: ['BOARDROOM_COMPANY_ID'] },
      );
    if (!company) throw unknownCompanyError(opts.id, deps.config, await db.repo.listCompanies());
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
