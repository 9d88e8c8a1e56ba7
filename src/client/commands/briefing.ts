/**
 * `boardroom briefing latest|list|show`: read briefings from Postgres; `briefing send`
 * delivers one again.
 */
import { openDatabase, type Database } from '../../store/database.js';
import {
  checkOutOption,
  emitBriefing,
  formatBriefingList,
  type BriefingOutputOptions,
} from '../briefing-output.js';
import { resolveCompany } from '../company.js';
import type { CommandDeps } from '../context.js';
import { NoWorkerError, NotFoundError } from '../errors.js';
import { deliveryLines } from '../delivery-lines.js';
import { hasWorkers } from '../run.js';
import { connectClient } from '../temporal.js';
import {
  RESEND_WORKFLOW_TYPE,
  type DeliveryChannelName,
  type ResendBriefingInput,
  type ResendBriefingResult,
} from '../../shared/workflow-api.js';
import { companyPriority } from '../../worker/fairness.js';
import { boundedWait } from '../bounded-wait.js';

async function withDatabase<T>(deps: CommandDeps, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(deps.config, deps.log);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export interface BriefingLatestOptions extends BriefingOutputOptions {
  /** The configured company, a registered one, or one with briefings stored. @default BOARDROOM_COMPANY_ID */
  company?: string;
}

/**
 * `--company` on a command that reads briefings: the configured company, a registered
 * one, or one removed whose briefings stay; anything else is a NotFoundError that lists
 * the companies.
 */
async function readableCompany(db: Database, id: string, deps: CommandDeps): Promise<string> {
  return (await resolveCompany(deps, id, { repo: db.repo, stored: true })).id;
}

/** `--company` on a briefing picked by its id: refuses a briefing of another company. */
async function checkCompanyOf(
  db: Database,
  stored: { id: number; companyId: string },
  company: string | undefined,
  deps: CommandDeps,
): Promise<void> {
  if (company === undefined) return;
  await readableCompany(db, company, deps);
  if (stored.companyId !== company)
    throw new NotFoundError(
      `Briefing #${stored.id} is of "${stored.companyId}", not of "${company}" (--company). ` +
        `See \`npx boardroom briefing list --company ${company}\`.`,
    );
}

/** The newest briefing; NotFoundError when there is none. */
export async function briefingLatest(
  opts: BriefingLatestOptions,
  deps: CommandDeps,
): Promise<number> {
  await checkOutOption(opts);
  return withDatabase(deps, async (db) => {
    const company =
      opts.company === undefined
        ? deps.config.company.id
        : await readableCompany(db, opts.company, deps);
    const stored = await db.repo.latestBriefing(company);
    if (!stored)
      throw new NotFoundError(
        company === deps.config.company.id
          ? 'No briefing yet. Run one with `npm start -- --once` or `npx boardroom run`.'
          : `No briefing of "${company}" yet. Run one with \`npx boardroom run --company ${company}\`.`,
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
    if (opts.company !== undefined) await readableCompany(db, opts.company, deps);
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
  opts: BriefingOutputOptions & { company?: string },
  deps: CommandDeps,
): Promise<number> {
  await checkOutOption(opts);
  return withDatabase(deps, async (db) => {
    const stored = await db.repo.getBriefing(id);
    if (!stored)
      throw new NotFoundError(`No briefing with id "${id}". See \`npx boardroom briefing list\`.`);
    await checkCompanyOf(db, stored, opts.company, deps);
    await emitBriefing(stored, opts, deps.output);
    return 0;
  });
}

export interface BriefingSendOptions {
  /** Only these channels. @default every configured channel */
  channel?: DeliveryChannelName[];
  /** Keep waiting however long no worker polls. @default give up after config.runWaitMs */
  wait?: boolean;
  /** Refuse a briefing of another company. @default any company's */
  company?: string;
  /**
   * How long to wait for the channels once the re-send started (it goes on in Temporal
   * after). @default 180_000
   */
  resultWaitMs?: number;
}

/**
 * `briefing send <id>`: delivers a stored briefing again, on purpose, through the worker
 * (which holds the channels' secrets); recorded as a re-send. Exit 1 when a channel
 * failed or none is configured.
 */
export async function briefingSend(
  id: string,
  opts: BriefingSendOptions,
  deps: CommandDeps,
): Promise<number> {
  const { config, output } = deps;
  const stored = await withDatabase(deps, async (db) => {
    const found = await db.repo.getBriefing(id);
    if (!found)
      throw new NotFoundError(`No briefing with id "${id}". See \`npx boardroom briefing list\`.`);
    await checkCompanyOf(db, found, opts.company, deps);
    return found;
  });
  const client = await connectClient(config);
  try {
    const queue = config.temporal.taskQueue;
    if (!opts.wait && !(await hasWorkers(client, queue))) {
      throw new NoWorkerError(
        `No worker polls task queue "${queue}": the worker sends the briefing (it holds the ` +
          "channels' secrets). Start one (`npm start`, or `npx boardroom worker`), or pass --wait.",
        '',
      );
    }
    const handle = await client.workflow.start(RESEND_WORKFLOW_TYPE, {
      taskQueue: queue,
      workflowId: `resend-${stored.companyId}-${stored.id}-${Date.now().toString(36)}`,
      priority: companyPriority(stored.companyId),
      args: [
        {
          companyId: stored.companyId,
          briefingId: stored.id,
          briefingWorkflowId: stored.workflowId,
          ...(opts.channel?.length ? { channels: opts.channel } : {}),
        } satisfies ResendBriefingInput,
      ],
    });
    const waitMs = opts.resultWaitMs ?? 180_000;
    const result = (await boundedWait(
      handle.result(),
      waitMs,
      `The re-send ${handle.workflowId} is still running after ${Math.round(waitMs / 1000)} s ` +
        '(a channel retrying?): it goes on in Temporal; see it in the Temporal UI, and ' +
        '`npx boardroom briefing show` for what was delivered.',
    )) as ResendBriefingResult;
    output.say(
      `Re-sending briefing #${stored.id} (${stored.briefingDate}) of "${stored.companyId}":`,
    );
    const lines = deliveryLines(result);
    for (const line of lines) output.say(line);
    const failed =
      result.deliveryProblem !== undefined ||
      result.deliveries.length === 0 ||
      result.deliveries.some((d) => d.status === 'failed');
    return failed ? 1 : 0;
  } finally {
    await client.connection.close();
  }
}
