/**
 * Starts what the integration tests need, once for the whole run: a real Temporal dev
 * server and a real Postgres (DATABASE_URL's server with a fresh database, or the
 * embedded PGlite when DATABASE_URL is unset), and bundles the workflows once.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bundleWorkflowCode } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { resolveTemporalCli } from '../src/dev/temporal-cli.js';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../src/dev/temporal-dev-server.js';
import { startEmbeddedPostgres } from '../src/store/embedded-postgres.js';
import { migrate } from '../src/store/migrate.js';
import { WORKFLOWS_PATH } from '../src/worker/worker.js';
import { prepareDemoWorkspace } from '../src/sources/demo/prepare-workspace.js';
import { calendarDate } from '../src/shared/time-zone.js';
import { BOARDROOM_SEARCH_ATTRIBUTES } from '../src/shared/workflow-api.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    databaseKind: 'external' | 'embedded';
    workflowBundlePath: string;
    /** The living demo, generated for today (as `npm start` would): DEMO_WORKSPACE. */
    demoWorkspace: string;
  }
}

export default async function setup(project: TestProject) {
  const t0 = Date.now();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-test-'));
  const cli = await resolveTemporalCli({
    cliPath: process.env.TEMPORAL_CLI_PATH,
    envPath: process.env.PATH,
    cacheDir: path.resolve('.cache'),
    onProgress: (m) => console.log(m),
  });
  const [env, database, bundle] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: cli.executable,
        ip: '127.0.0.1',
        extraArgs: [...DEV_SERVER_DYNAMIC_CONFIG],
        log: { format: 'json', level: 'error' },
        searchAttributes: [...BOARDROOM_SEARCH_ATTRIBUTES],
      },
    }),
    openTestDatabase(),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
  ]);
  await migrate(database.url);
  // The integration tests run on today's living demo, as a user would: with the
  // template's own (fixed) dates they would age with the calendar.
  const demoWorkspace = path.join(tmp, 'demo-workspace');
  await prepareDemoWorkspace({
    outDir: demoWorkspace,
    today: calendarDate(new Date(), 'America/New_York'),
  });
  const workflowBundlePath = path.join(tmp, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, bundle.code);

  project.provide('temporalAddress', env.connection.options.address);
  project.provide('databaseUrl', database.url);
  project.provide('databaseKind', database.kind);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('demoWorkspace', demoWorkspace);
  console.log(
    `test stack: Temporal ${env.connection.options.address} (${cli.origin}), ` +
      `Postgres ${database.kind}, ready in ${Date.now() - t0} ms`,
  );

  return async () => {
    await env.teardown();
    await database.close();
    await rm(tmp, { recursive: true, force: true });
  };
}

async function openTestDatabase(): Promise<{
  url: string;
  kind: 'external' | 'embedded';
  close(): Promise<void>;
}> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const embedded = await startEmbeddedPostgres({ dataDir: undefined, port: 0 });
    return { url: embedded.url, kind: 'embedded', close: () => embedded.stop() };
  }
  // A database of its own per test run: nothing left behind, nothing shared with a dev's data.
  const name = `boardroom_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'external',
    async close() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const noop = () => {};
const quietLogger = {
  log: noop,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: console.error,
};
