/**
 * Brings up what is not configured (Temporal dev server, embedded Postgres), a worker
 * and a client, and takes them down again in reverse order.
 */
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { AGENTS } from '../agents/registry.js';
import type { Config } from '../config.js';
import { startTemporalDevServer, type DevTemporal } from '../dev/temporal-dev-server.js';
import type { Logger } from '../logger.js';
import { openDatabase, type Database } from '../store/database.js';
import { connectWorker, createBoardroomWorker, installTemporalRuntime } from '../worker/worker.js';
import { createSources } from './sources.js';
import { connectClient, temporalAddress } from './temporal.js';

export interface Stack {
  client: Client;
  db: Database;
  worker: Worker | undefined;
  /** Resolves when the worker has stopped. */
  workerDone: Promise<void>;
  /** Set when this process started the dev server. */
  devTemporal: DevTemporal | undefined;
  uiUrl: string | undefined;
  shutdown(): Promise<void>;
}

export async function bootStack(
  config: Config,
  log: Logger,
  opts: { envPath: string | undefined; withWorker: boolean; onProgress: (m: string) => void },
): Promise<Stack> {
  const cleanups: (() => Promise<void>)[] = [];
  let stopped: Promise<void> | undefined;
  // Once: Ctrl-C and the end of the worker may both ask, and each step must run only once.
  const shutdown = () =>
    (stopped ??= (async () => {
      for (const c of cleanups.reverse())
        await c().catch((err: Error) => log.error({ err }, 'shutdown step failed'));
    })());
  // Before anything touches the SDK's native runtime (the dev server does too).
  installTemporalRuntime(
    log,
    config.metricsAddress ? { metricsAddress: config.metricsAddress } : {},
  );
  try {
    let devTemporal: DevTemporal | undefined;
    let address = temporalAddress(config);
    if (!config.temporal.address) {
      devTemporal = await startTemporalDevServer({
        dataDir: config.dataDir,
        cacheDir: config.cacheDir,
        cliPath: config.temporal.cliPath,
        envPath: opts.envPath,
        namespace: config.temporal.namespace,
        port: config.temporal.devPort,
        uiPort: config.temporal.uiPort,
        onProgress: opts.onProgress,
      });
      address = devTemporal.address;
      if (devTemporal.owned) cleanups.push(() => devTemporal!.stop());
      else opts.onProgress(`Using the Temporal server already running on ${address}.`);
    }
    if (!config.databaseUrl) opts.onProgress('Opening the embedded Postgres ...');
    const db = await openDatabase(config, log, { migrate: true });
    cleanups.push(() => db.close());
    const client = await connectClient(config, address);
    cleanups.push(() => client.connection.close());

    let worker: Worker | undefined;
    let workerDone: Promise<void> = Promise.resolve();
    if (opts.withWorker) {
      opts.onProgress('Starting the worker ...');
      const connection = await connectWorker(config, address);
      worker = await createBoardroomWorker({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        deps: {
          repo: db.repo,
          sources: createSources(config, { guard: { repo: db.repo, log } }),
          clock: () => new Date(),
          log,
          agents: AGENTS,
        },
      });
      const w = worker;
      workerDone = w
        .run()
        .catch((err: Error) => log.error({ err }, 'worker stopped with an error'));
      cleanups.push(async () => {
        if (w.getState() === 'RUNNING') w.shutdown();
        await workerDone;
        await connection.close();
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
