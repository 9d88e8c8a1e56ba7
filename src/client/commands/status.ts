/**
 * `boardroom status`: sources (credentials, reachability), the last run and each
 * agent's last execution, and the schedule's next run; exit 1 when something needs
 * attention. Gathering reads the three systems; status-report.ts judges and renders.
 */
import { ScheduleNotFoundError } from '@temporalio/client';
import type { Config } from '../../config.js';
import { prepareWorkspace } from '../demo.js';
import type { Logger } from '../../logger.js';
import { openDatabase } from '../../store/database.js';
import { resolveCompany } from '../company.js';
import type { CommandDeps } from '../context.js';
import { scheduleHandle, scheduleTimeZone } from '../schedule.js';
import { createSources } from '../sources.js';
import {
  renderStatus,
  statusReport,
  type ScheduleFacts,
  type StatusFacts,
  type StatusReport,
} from '../status-report.js';
import { connectClient } from '../temporal.js';

async function checkSources(
  config: Config,
): Promise<Pick<StatusFacts, 'sources' | 'sourcesError'>> {
  try {
    const sources = await createSources(config).checkSources!(config.company.id);
    return { sources, sourcesError: undefined };
  } catch (err) {
    return { sources: [], sourcesError: (err as Error).message };
  }
}

/** Postgres being down is not a finding but a failure: it throws. */
async function readStore(
  config: Config,
  log: Logger,
): Promise<Pick<StatusFacts, 'lastRun' | 'agents' | 'breakers' | 'cache' | 'deliveries'>> {
  const companyId = config.company.id;
  const db = await openDatabase(config, log);
  try {
    const [lastRun, agents, breakers, cache, deliveries] = await Promise.all([
      db.repo.latestRun(companyId),
      db.repo.latestExecutions(companyId),
      db.repo.listBreakers(companyId),
      db.repo.listCache(companyId),
      db.repo.latestDeliveries(companyId),
    ]);
    return { lastRun, agents, breakers, cache, deliveries };
  } finally {
    await db.close();
  }
}

async function readSchedule(config: Config): Promise<ScheduleFacts> {
  try {
    const client = await connectClient(config);
    try {
      const d = await scheduleHandle(client, config.company.id).describe();
      return {
        kind: 'found',
        paused: d.state.paused,
        note: d.state.note,
        nextRun: d.info.nextActionTimes[0]?.toISOString(),
        timeZone: scheduleTimeZone(d),
      };
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return { kind: 'missing' };
      throw err;
    } finally {
      await client.connection.close();
    }
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
}

export interface StatusDeps {
  config: Config;
  log: Logger;
  /** For the cache's ages. @default the system clock */
  clock?: () => Date;
}

/** Reads the sources, then Postgres, then Temporal: the report `status --json` prints. */
export async function gatherStatus(deps: StatusDeps): Promise<StatusReport> {
  const { config } = deps;
  await prepareWorkspace(config);
  const sources = await checkSources(config);
  const store = await readStore(config, deps.log);
  const schedule = await readSchedule(config);
  const now = (deps.clock ?? (() => new Date()))();
  return statusReport({ companyId: config.company.id, ...sources, ...store, schedule }, now);
}

export async function statusCommand(
  opts: { json?: boolean; company?: string },
  deps: CommandDeps & Pick<StatusDeps, 'clock'>,
): Promise<number> {
  const { config } = await resolveCompany(deps, opts.company);
  const report = await gatherStatus({ ...deps, config });
  deps.output.out(
    opts.json ? JSON.stringify(report, null, 2) : renderStatus(report, config.company.workspace),
  );
  return report.attention.length > 0 ? 1 : 0;
}
