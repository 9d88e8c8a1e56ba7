/**
 * `boardroom run`: trigger a briefing on the running stack, show live per-agent
 * progress, print the briefing.
 *
 * The run carries the company id; the worker that serves it resolves the workspace and
 * saves to its database. So before waiting, `run` compares its own settings with those
 * the polling workers announce (worker/identity.ts) and warns when they differ; a
 * briefing the worker saved elsewhere is named with the worker's database, not "missing".
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { EnergyDemand } from '../../contract/report.js';
import { openDatabase } from '../../store/database.js';
import {
  parseWorkerIdentity,
  settingsDifferences,
  workerName,
  workerSettings,
  type WorkerSettings,
} from '../../worker/identity.js';
import type { Config } from '../../config.js';
import { ConfigError } from '../../shared/errors.js';
import { checkOutOption, emitBriefing, type BriefingOutputOptions } from '../briefing-output.js';
import { resolveCompany } from '../company.js';
import type { CommandDeps } from '../context.js';
import { deliveryLines } from '../delivery-lines.js';
import { NoWorkerError } from '../errors.js';
import { progressPrinter } from '../progress-printer.js';
import { followRun, hasWorkers, pollerIdentities, startBriefing } from '../run.js';
import { connectClient } from '../temporal.js';
import { timeZoneFor, workflowInput } from '../workflow-input.js';

export interface RunOptions extends BriefingOutputOptions {
  /** Show per-agent progress on stderr. */
  progress: boolean;
  /** Today's energy for the priorities. @default founder.yaml's, else medium */
  energy?: EnergyDemand;
  /** Bypass the API sources' cache. */
  fresh?: boolean;
  /** Keep waiting however long no worker polls. @default give up after config.runWaitMs */
  wait?: boolean;
  /** The configured company or a registered one. @default BOARDROOM_COMPANY_ID */
  company?: string;
}

export async function runCommand(opts: RunOptions, deps: CommandDeps): Promise<number> {
  const { log, output } = deps;
  // Before connecting: the flags, the company, and the workspace the time zone may come from.
  await checkOutOption(opts);
  const resolved = await resolveCompany(deps, opts.company);
  const config = resolved.config;
  const timeZone = await timeZoneFor(config);
  const client = await connectClient(config);
  try {
    const handle = await startBriefing(client, {
      taskQueue: config.temporal.taskQueue,
      input: {
        ...(await workflowInput(config, timeZone, 'manual', client, output.say)),
        ...(opts.energy ? { energy: opts.energy } : {}),
        ...(opts.fresh ? { fresh: true } : {}),
      },
      now: new Date(),
    });
    output.say(`Started ${handle.workflowId}`);
    const pollers = await pollerIdentities(client, config.temporal.taskQueue);
    const queue = config.temporal.taskQueue;
    if (pollers.length === 0) {
      output.say(
        `No worker is polling task queue "${queue}": the run waits until one does` +
          `${opts.wait ? '' : ` (up to ${Math.round(config.runWaitMs / 1000)} s; --wait for longer)`}. ` +
          'Start the stack with `npm start`, or a worker with `npx boardroom worker`.',
      );
    }
    const workers = warnOnDifferences(pollers, deps.config, output.say, {
      registered: resolved.source === 'registry',
    });
    const printer = progressPrinter(output);
    const result = await followRun(
      handle,
      opts.progress ? printer.update : () => {},
      250,
      opts.wait
        ? undefined
        : {
            timeoutMs: config.runWaitMs,
            hasWorkers: () => hasWorkers(client, queue),
            onTimeout: () => {
              if (opts.progress) printer.end();
              return new NoWorkerError(
                `No worker polled task queue "${queue}" for ${Math.round(config.runWaitMs / 1000)} s: ` +
                  `stopped waiting. The run ${handle.workflowId} stays queued and runs when a worker ` +
                  'starts (`npm start`, or `npx boardroom worker`); then ' +
                  `\`npx boardroom briefing show ${handle.workflowId}\`. Pass --wait to keep waiting.`,
                handle.workflowId,
              );
            },
          },
    );
    if (opts.progress) printer.end();
    const db = await openDatabase(config, log);
    try {
      const stored = await db.repo.getBriefing(String(result.briefingId));
      if (!stored) {
        throw new ConfigError(
          await notFoundMessage(handle, result.briefingId, workerSettings(config), workers),
        );
      }
      await emitBriefing(stored, opts, output);
      for (const line of deliveryLines(result)) output.say(line);
    } finally {
      await db.close();
    }
    return 0;
  } finally {
    await client.connection.close();
  }
}

/**
 * Warns, one line per worker and setting, when a polling worker serves with other
 * settings than this CLI's; returns the workers' settings (by identity) it could read.
 */
function warnOnDifferences(
  identities: string[],
  config: Config,
  say: (line: string) => void,
  opts: { registered: boolean },
): Map<string, WorkerSettings> {
  const mine = workerSettings(config);
  const workers = new Map<string, WorkerSettings>();
  for (const identity of new Set(identities)) {
    const theirs = parseWorkerIdentity(identity);
    if (!theirs) continue;
    workers.set(identity, theirs);
    // Every worker serves a registered company from the registry, whatever its own
    // company and workspace: only the database can differ then.
    const asked = opts.registered
      ? { ...mine, company: theirs.company, workspace: theirs.workspace }
      : mine;
    for (const diff of settingsDifferences(asked, theirs))
      say(`Warning: worker ${workerName(identity)} serves with other settings: ${diff}.`);
  }
  return workers;
}

/** Why the briefing the worker saved is not in this CLI's database, naming the worker's. */
async function notFoundMessage(
  handle: WorkflowHandle,
  briefingId: number,
  mine: WorkerSettings,
  workers: Map<string, WorkerSettings>,
): Promise<string> {
  const saver = await savingWorker(handle).catch(() => undefined);
  const theirs = saver ? parseWorkerIdentity(saver) : [...workers.values()][0];
  const who = saver ? `The worker ${workerName(saver)}` : 'The worker';
  if (theirs && theirs.database !== mine.database) {
    return (
      `${who} saved briefing #${briefingId} to ${theirs.database}, but this CLI reads ` +
      `${mine.database}: run it with the worker's DATABASE_URL (or BOARDROOM_DATA_DIR).`
    );
  }
  return (
    `Briefing #${briefingId} was saved by the run, but ${mine.database} does not have it: ` +
    "run the CLI with the worker's DATABASE_URL (or BOARDROOM_DATA_DIR)."
  );
}

/** The identity of the worker that ran the run's last activity (the save). */
async function savingWorker(handle: WorkflowHandle): Promise<string | undefined> {
  const history = await handle.fetchHistory();
  let identity: string | undefined;
  for (const e of history.events ?? []) {
    const started = e.activityTaskStartedEventAttributes;
    if (started?.identity) identity = started.identity;
  }
  return identity;
}
