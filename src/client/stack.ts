/**
 * Brings up what is not configured (Temporal dev server, embedded Postgres), a worker
 * and a client, and takes them down again in reverse order, each step once.
 *
 * Every wait is bounded: the connects by BOARDROOM_CONNECT_TIMEOUT_MS, the dev server
 * by its own minute; `signal` (the first Ctrl-C or SIGTERM) aborts start-up at any step.
 * When start-up fails or is aborted, whatever had started is stopped before the error
 * is thrown, the SDK's native runtime included (it would keep the process alive).
 */
import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../activities/activities.js';
import type { Worker } from '@temporalio/worker';
import { AGENTS } from '../agents/registry.js';
import type { Config } from '../config.js';
import { startTemporalDevServer, type DevTemporal } from '../dev/temporal-dev-server.js';
import type { Logger } from '../logger.js';
import { openDatabase, type Database } from '../store/database.js';
import type { Repository } from '../store/repository.js';
import { workerIdentity, workerSettings } from '../worker/identity.js';
import {
  connectWorker,
  createBoardroomWorker,
  installTemporalRuntime,
  type BoardroomWorkerOptions,
  shutdownTemporalRuntime,
} from '../worker/worker.js';
import { StartupAbortedError, WorkerStoppedError } from './errors.js';
import { createSources } from './sources.js';
import { connectClient, temporalAddress } from './temporal.js';

export interface Stack {
  client: Client;
  db: Database;
  worker: Worker | undefined;
  /**
   * Resolves when the worker has stopped because it was asked to; rejects with a
   * WorkerStoppedError when it stopped by itself (a crash, logged with its stack).
   */
  workerDone: Promise<void>;
  /** Set when this process started the dev server. */
  devTemporal: DevTemporal | undefined;
  uiUrl: string | undefined;
  shutdown(): Promise<void>;
}

export interface BootOptions {
  envPath: string | undefined;
  withWorker: boolean;
  onProgress: (m: string) => void;
  /** Aborted: stop booting, stop what started, throw StartupAbortedError. */
  signal?: AbortSignal;
}

/**
 * What a worker's activities are built from, the same for `npm start` and `boardroom
 * worker`: sources backed by the companies registry (any worker serves any registered
 * company, one added while it runs included) and guarded by the breaker and cache in
 * Postgres; each workspace's sources.yaml and delivery.yaml name their own credential
 * variables, read from this environment.
 */
export function workerDeps(config: Config, repo: Repository, log: Logger): ActivityDeps {
  return {
    repo,
    sources: createSources(config, { guard: { repo, log }, registry: repo }),
    clock: () => new Date(),
    log,
    agents: AGENTS,
    // The delivery channels read their secrets (SMTP_URL, SLACK_BOT_TOKEN, ...) here.
    env: config.sourceEnv,
  };
}

/** The worker's settings from config: its queue, identity and per-company bound. */
export function workerOptions(
  config: Config,
): Pick<
  BoardroomWorkerOptions,
  'namespace' | 'taskQueue' | 'identity' | 'companyMaxActivities' | 'maxCachedWorkflows'
> {
  return {
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    identity: workerIdentity(workerSettings(config)),
    companyMaxActivities: config.companyMaxActivities,
    ...(config.workerCachedWorkflows ? { maxCachedWorkflows: config.workerCachedWorkflows } : {}),
  };
}

export async function bootStack(config: Config, log: Logger, opts: BootOptions): Promise<Stack> {
  const cleanups: { name: string; run: () => Promise<void> }[] = [];
  let stopped: Promise<void> | undefined;
  // Once: Ctrl-C and the end of the worker may both ask, and each step must run only once.
  const shutdown = () =>
    (stopped ??= (async () => {
      for (const c of cleanups.reverse()) {
        await c
          .run()
          .catch((err: Error) => log.warn({ err, step: c.name }, 'shutdown step failed'));
      }
    })());
  const { signal } = opts;
  /** `p`, unless the signal comes first; what `p` brings later is disposed of. */
  const step = async <T>(p: Promise<T>, dispose?: (value: T) => Promise<void>): Promise<T> => {
    if (!signal) return p;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new StartupAbortedError(signal.reason as NodeJS.Signals));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([p, aborted]);
    } catch (err) {
      if (err instanceof StartupAbortedError && dispose)
        void p.then(dispose).catch(() => undefined);
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  };

  // Before anything touches the SDK's native runtime (the dev server may too); shut down last.
  installTemporalRuntime(
    log,
    config.metricsAddress ? { metricsAddress: config.metricsAddress } : {},
  );
  cleanups.push({ name: 'the Temporal runtime', run: shutdownTemporalRuntime });
  try {
    let devTemporal: DevTemporal | undefined;
    let address = temporalAddress(config);
    if (!config.temporal.address) {
      devTemporal = await step(
        startTemporalDevServer({
          dataDir: config.dataDir,
          cacheDir: config.cacheDir,
          cliPath: config.temporal.cliPath,
          envPath: opts.envPath,
          namespace: config.temporal.namespace,
          port: config.temporal.devPort,
          uiPort: config.temporal.uiPort,
          onProgress: opts.onProgress,
          ...(signal ? { signal } : {}),
        }),
        (late) => (late.owned ? late.stop() : Promise.resolve()),
      );
      address = devTemporal.address;
      const dev = devTemporal;
      if (dev.owned) cleanups.push({ name: 'the Temporal dev server', run: () => dev.stop() });
      else opts.onProgress(`Using the Temporal server already running on ${address}.`);
    }
    const client = await step(connectClient(config, address), (late) => late.connection.close());
    cleanups.push({ name: 'the Temporal client', run: () => client.connection.close() });

    if (!config.databaseUrl) opts.onProgress('Opening the embedded Postgres ...');
    // Only what serves runs migrates (start, worker); other commands never do.
    const db = await step(openDatabase(config, log, { migrate: true }), (late) => late.close());
    cleanups.push({ name: 'the database', run: () => db.close() });

    let worker: Worker | undefined;
    let workerDone: Promise<void> = Promise.resolve();
    if (opts.withWorker) {
      opts.onProgress('Starting the worker ...');
      const connection = await step(connectWorker(config, address), (late) => late.close());
      let connectionOpen = true;
      const closeConnection = async () => {
        if (!connectionOpen) return;
        connectionOpen = false;
        await connection.close();
      };
      cleanups.push({ name: "the worker's connection", run: closeConnection });
      const w = await step(
        createBoardroomWorker({
          connection,
          ...workerOptions(config),
          deps: workerDeps(config, db.repo, log),
        }),
      );
      worker = w;
      workerDone = w.run().catch((err: Error) => {
        log.error({ err }, 'worker stopped with an error');
        throw new WorkerStoppedError(err);
      });
      // Awaited by the command; marked handled so a crash nobody awaits is not fatal here.
      workerDone.catch(() => undefined);
      cleanups.push({
        name: 'the worker',
        run: async () => {
          if (w.getState() === 'RUNNING') w.shutdown();
          await workerDone.catch(() => undefined);
        },
      });
    }
    return {
      client,
      db,
      worker,
      workerDone,
      devTemporal,
      uiUrl: devTemporal?.uiUrl,
      shutdown,
    };
  } catch (err) {
    await shutdown();
    throw err;
  }
}
