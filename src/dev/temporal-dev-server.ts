/**
 * The embedded Temporal: `temporal server start-dev` with its state in a file under the
 * data folder, so runs and schedules survive a restart. Started through the SDK's
 * ephemeral-server support, which owns the child process and its shutdown.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { canConnect } from '../store/embedded-postgres.js';
import { resolveTemporalCli } from './temporal-cli.js';

export interface DevTemporal {
  address: string;
  uiUrl: string;
  /** False when a server was already listening and we only connect. */
  owned: boolean;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(opts: {
  dataDir: string;
  cacheDir: string;
  cliPath: string | undefined;
  envPath: string | undefined;
  namespace: string;
  port: number;
  uiPort: number;
  onProgress?: (message: string) => void;
}): Promise<DevTemporal> {
  const address = `127.0.0.1:${opts.port}`;
  const uiUrl = `http://localhost:${opts.uiPort}`;
  if (await canConnect(opts.port)) {
    // Another `boardroom start` (or a dev server you run yourself) is already up.
    return { address, uiUrl, owned: false, stop: async () => {} };
  }
  const cli = await resolveTemporalCli(opts);
  await mkdir(opts.dataDir, { recursive: true });
  opts.onProgress?.(`Starting the Temporal dev server (${cli.origin}) on ${address} ...`);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.executable,
      ip: '127.0.0.1',
      port: opts.port,
      ui: true,
      uiPort: opts.uiPort,
      namespace: opts.namespace,
      dbFilename: path.join(opts.dataDir, 'temporal.db'),
      log: { format: 'json', level: 'error' },
    },
  });
  return { address, uiUrl, owned: true, stop: () => env.teardown() };
}
