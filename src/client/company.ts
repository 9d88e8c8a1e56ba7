/**
 * Which company a command is about. `--company <id>` names the config's company
 * (BOARDROOM_COMPANY_ID with BOARDROOM_WORKSPACE, or the living demo) or one in the
 * registry (`boardroom companies add`); without it, the config's. Every command resolves
 * it here and then works on the config scoped to that company (`company`, `schedule`),
 * so a registered company is run, checked, scheduled and delivered exactly as the
 * configured one: with its own workspace, zone and cron.
 *
 * The configured company wins over a registration of the same id, as on the workers
 * (src/client/sources.ts), and needs no database: `BOARDROOM_WORKSPACE` alone is a
 * registry of one.
 */
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { openDatabase } from '../store/database.js';
import type { CompanyRecord, Repository } from '../store/repository.js';
import { NotFoundError } from './errors.js';

/** Where a company is known from: the environment, the registry, or only its stored briefings. */
export type CompanySource = 'config' | 'registry' | 'stored';

export interface ResolvedCompany {
  id: string;
  source: CompanySource;
  /**
   * The config scoped to this company: its id and workspace in `company`, its zone and
   * cron in `schedule` (a registered company's from the registry). The config itself for
   * the configured company.
   */
  config: Config;
  /** Its registration, when `source` is 'registry'. */
  record?: CompanyRecord;
}

export type CompanyRegistry = Pick<Repository, 'getCompany' | 'listCompanies'> &
  Partial<Pick<Repository, 'companyFacts'>>;

export interface ResolveCompanyOptions {
  /** The registry to read. @default a connection opened (and closed) for this look-up */
  repo?: CompanyRegistry;
  /**
   * Also accept a company that is neither configured nor registered but has briefings
   * stored (one removed: its briefings stay), for commands that only read them.
   * @default false
   */
  stored?: boolean;
}

/** The config as a registered company's commands see it. */
export function registeredCompanyConfig(config: Config, record: CompanyRecord): Config {
  return {
    ...config,
    company: { id: record.id, workspace: record.workspace, demo: false },
    schedule: { ...config.schedule, cron: record.cron, timeZone: record.timeZone },
  };
}

/** Ids listed in an error at most; the rest are counted. */
const LISTED_IDS = 20;

/**
 * "No company" in one line: which companies exist (the config's, the registered ones)
 * and what to do.
 */
export function unknownCompanyError(
  id: string,
  config: Config,
  registered: readonly Pick<CompanyRecord, 'id'>[],
): NotFoundError {
  const others = registered.map((c) => c.id).filter((c) => c !== config.company.id);
  const shown = others.slice(0, LISTED_IDS);
  const more =
    others.length > shown.length
      ? ` and ${others.length - shown.length} more (npx boardroom companies list)`
      : '';
  const known =
    `"${config.company.id}" (from config: BOARDROOM_COMPANY_ID${config.company.demo ? ', the living demo' : ''})` +
    (shown.length > 0 ? `; registered: ${shown.join(', ')}${more}` : '; none is registered');
  return new NotFoundError(
    `No company "${id}". Companies: ${known}. Pass one of them, or register a workspace: npx boardroom companies add <workspace-dir>`,
  );
}

/**
 * The company `id` names (undefined: the config's). Throws a NotFoundError that lists
 * the companies when it is neither configured nor registered.
 */
export async function resolveCompany(
  deps: { config: Config; log?: Logger | undefined },
  id: string | undefined,
  opts: ResolveCompanyOptions = {},
): Promise<ResolvedCompany> {
  const { config } = deps;
  if (id === undefined || id === config.company.id)
    return { id: config.company.id, source: 'config', config };
  if (opts.repo) return lookUp(config, id, opts.repo, opts.stored ?? false);
  const db = await openDatabase(
    config,
    deps.log ?? createLogger({ ...config.log, level: 'silent' }),
    {
      migrate: true,
    },
  );
  try {
    return await lookUp(config, id, db.repo, opts.stored ?? false);
  } finally {
    await db.close();
  }
}

async function lookUp(
  config: Config,
  id: string,
  repo: CompanyRegistry,
  stored: boolean,
): Promise<ResolvedCompany> {
  const record = await repo.getCompany(id);
  if (record)
    return { id, source: 'registry', config: registeredCompanyConfig(config, record), record };
  if (stored && (await repo.companyFacts?.(id)))
    return { id, source: 'stored', config: { ...config, company: { ...config.company, id } } };
  throw unknownCompanyError(id, config, await repo.listCompanies());
}
