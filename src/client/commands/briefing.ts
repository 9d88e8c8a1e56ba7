/**
 * `boardroom briefing latest|list|show`: read briefings from Postgres.
 */
import { openDatabase, type Database } from '../../store/database.js';
import {
  checkOutOption,
  emitBriefing,
  formatBriefingList,
  type BriefingOutputOptions,
} from '../briefing-output.js';
import type { CommandDeps } from '../context.js';
import { NotFoundError } from '../errors.js';

async function withDatabase<T>(deps: CommandDeps, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(deps.config, deps.log);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export interface BriefingLatestOptions extends BriefingOutputOptions {
  /** @default BOARDROOM_COMPANY_ID */
  company?: string;
}

/** The newest briefing; NotFoundError when there is none. */
export async function briefingLatest(
  opts: BriefingLatestOptions,
  deps: CommandDeps,
): Promise<number> {
  await checkOutOption(opts);
  return withDatabase(deps, async (db) => {
    const stored = await db.repo.latestBriefing(opts.company ?? deps.config.company.id);
    if (!stored)
      throw new NotFoundError(
        'No briefing yet. Run one with `npm start -- --once` or `npx boardroom run`.',
      );
    await emitBriefing(stored, opts, deps.output);
    return 0;
  });
}

export interface BriefingListOptions {
  json?: boolean;
  /** @default all companies */
  company?: string;
  limit: number;
}

/** Recent briefings, newest first: a table, or JSON. */
export function briefingList(opts: BriefingListOptions, deps: CommandDeps): Promise<number> {
  return withDatabase(deps, async (db) => {
    const rows = await db.repo.listBriefings({
      ...(opts.company ? { companyId: opts.company } : {}),
      limit: opts.limit,
    });
    deps.output.out(opts.json ? JSON.stringify(rows, null, 2) : formatBriefingList(rows));
    return 0;
  });
}

/** One briefing by its id or its workflow id; NotFoundError when there is none. */
export async function briefingShow(
  id: string,
  opts: BriefingOutputOptions,
  deps: CommandDeps,
): Promise<number> {
  await checkOutOption(opts);
  return withDatabase(deps, async (db) => {
    const stored = await db.repo.getBriefing(id);
    if (!stored)
      throw new NotFoundError(`No briefing with id "${id}". See \`npx boardroom briefing list\`.`);
    await emitBriefing(stored, opts, deps.output);
    return 0;
  });
}
